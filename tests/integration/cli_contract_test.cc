// Every command of the outside contract (../shared/design/contracts.md), run in the form the
// contract writes it: global options after the command, the database from BAKEN_DB as a user
// would set it, and the contract's output shapes and exit codes.

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

class CliContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The contract's forms carry no --db: the database comes from BAKEN_DB, which the children
    // inherit.
    setenv("BAKEN_DB", database_.location().c_str(), 1);
  }
  void TearDown() override { unsetenv("BAKEN_DB"); }

  // `baken ARGS`, as written, with its exit status checked.
  CommandResult Run(const std::vector<std::string>& args, int expected_exit = 0,
                    const std::string& input = "") {
    CommandResult result = RunBaken(args, input);
    EXPECT_EQ(result.exit_code, expected_exit)
        << "baken " << fmt::format("{}", fmt::join(args, " ")) << "\n"
        << result.err << result.out;
    return result;
  }
  Json RunJson(const std::vector<std::string>& args, int expected_exit = 0) {
    const CommandResult result = Run(args, expected_exit);
    Json parsed = Json::parse(result.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not one JSON document: " << result.out;
    return parsed;
  }
  std::string Fixture(const std::string& path) {
    return (SourceDir() / "tests/data" / path).string();
  }
  std::string Write(const std::string& name, std::string_view text) {
    std::ofstream(dir_.File(name), std::ios::binary) << text;
    return dir_.File(name);
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
};

TEST_F(CliContractTest, Registry) {
  const std::string members = Fixture("advisories/members.json");
  Run({"member", "import", members});
  const std::string again = Run({"member", "import", members}).out;
  EXPECT_THAT(again, HasSubstr("0 created, 0 updated"));
  const Json exported = Json::parse(Run({"member", "export"}).out, nullptr, false);
  ASSERT_TRUE(exported.contains("members")) << exported;
  const Json listed = RunJson({"member", "list", "--json"});
  ASSERT_TRUE(listed.contains("members"));
  EXPECT_EQ(listed["members"].size(), exported["members"].size());

  // The first approved netblock of the first member, and an address inside it.
  const Json& first = exported["members"][0];
  const std::string netblock = first["netblocks"][0];
  const std::string address = netblock.substr(0, netblock.find('/'));
  const Json owner = RunJson({"lookup", address, "--json"});
  EXPECT_EQ(owner["member"], first["code"]);
  EXPECT_EQ(owner["reason"], "netblock");
  EXPECT_EQ(owner["match"], netblock);
  const Json nobody = RunJson({"lookup", "240.0.0.1", "--json"});
  EXPECT_TRUE(nobody["member"].is_null());
  // Global options stand before the command as well.
  EXPECT_EQ(RunJson({"--json", "lookup", address})["member"], first["code"]);
}

TEST_F(CliContractTest, AccountsAndTokens) {
  Run({"member", "import", Fixture("registry/members.json")});
  Run({"user", "add", "--email", "analist@cert.example.nl", "--role", "analyst",
       "--password-stdin"},
      0, "correct horse battery staple\n");
  Run({"user", "add", "--email", "soc@amsterdam.example.nl", "--role", "member", "--member",
       "GM0363", "--password-stdin"},
      0, "correct horse battery staple\n");
  const Json token = RunJson({"token", "create", "--email", "analist@cert.example.nl", "--json"});
  ASSERT_TRUE(token["token"].is_string());
  EXPECT_FALSE(token["token"].get<std::string>().empty());
}

TEST_F(CliContractTest, FeedsEventsAndNotify) {
  Run({"member", "import", Fixture("feeds/notify_members.json")});
  const std::string report = Write("2026-11-22-scan_rdp-nl.csv",
                                   "timestamp,ip,port,protocol\n"
                                   "2026-11-22 01:00:00,192.0.2.10,3389,tcp\n"
                                   "2026-11-22 01:00:02,198.51.100.20,3389,tcp\n"
                                   "2026-11-22 01:00:04,172.16.0.1,3389,tcp\n");
  const Json dry = RunJson({"ingest", report, "--feed", "shadowserver", "--report", "scan_rdp",
                            "--tlp", "AMBER", "--dry-run", "--json"});
  EXPECT_EQ(dry["parsed"], 3);
  EXPECT_EQ(dry["routed"], 2);
  EXPECT_EQ(dry["unrouted"], 1);
  for (const char* key : {"duplicates", "rejected", "errors"}) EXPECT_TRUE(dry.contains(key));
  EXPECT_TRUE(RunJson({"events", "list", "--json"})["events"].empty()) << "a dry run stored events";

  const Json summary = RunJson({"ingest", report, "--json"});
  EXPECT_EQ(summary["routed"], 2);
  EXPECT_EQ(RunJson({"ingest", report, "--json"})["duplicates"], 3);
  const Json events = RunJson({"events", "list", "--member", "GM0363", "--json"})["events"];
  ASSERT_EQ(events.size(), 1u) << events;
  EXPECT_EQ(events[0]["source.ip"], "192.0.2.10");
  EXPECT_EQ(events[0]["baken.member"], "GM0363");
  EXPECT_TRUE(events[0].contains("classification.type"));
  EXPECT_TRUE(events[0].contains("feed.name"));

  SmtpServer smtp;
  ASSERT_TRUE(smtp.running()) << smtp.error();
  const Json planned = RunJson({"notify", "--dry-run", "--json"});
  EXPECT_FALSE(planned.empty()) << "nothing would be sent";
  EXPECT_EQ(smtp.ReceivedCount(), 0u);
  RunJson({"notify", "--smtp", smtp.url(), "--json"});
  EXPECT_GT(smtp.ReceivedCount(), 0u);
}

TEST_F(CliContractTest, Advisories) {
  Run({"member", "import", Fixture("advisories/members.json")});
  const Json imported =
      RunJson({"advisory", "import", Fixture("advisories/csaf/2022-evd-uc-06-001.json"), "--json"});
  EXPECT_EQ(imported["imported"], 1);
  EXPECT_TRUE(imported["refused"].empty());
  const Json directory = RunJson({"advisory", "import", Fixture("advisories/cve"), "--json"});
  EXPECT_GT(directory["imported"].get<int>(), 0);
  const Json listed = RunJson({"advisory", "list", "--json"});
  EXPECT_FALSE(listed.empty());
  const Json matches = RunJson({"advisory", "matches", "2022-EVD-UC-06-001", "--json"});
  ASSERT_TRUE(matches.is_array());
  ASSERT_FALSE(matches.empty());
  for (const char* key : {"member", "asset", "product_id", "outcome", "cves", "reasons"}) {
    EXPECT_TRUE(matches[0].contains(key)) << key;
  }
}

TEST_F(CliContractTest, ServeSaysWhereItListensAndHowToGetAToken) {
  BakenServer server("", {});
  ASSERT_TRUE(server.running());
  // The hint names the database this server uses, so that the printed command works.
  EXPECT_THAT(server.banner(),
              HasSubstr(fmt::format("--db {} token create --email admin@baken.local",
                                    database_.location())));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(CliContractTest, BadUsageExitsWithTwo) {
  const CommandResult unknown = Run({"stats", "warnings", "--help"}, 2);
  EXPECT_THAT(unknown.err, HasSubstr("'warnings' is not a command"));
  EXPECT_THAT(Run({"stats", "incidents", "--help"}).out, HasSubstr("--from"));
  Run({"member", "frobnicate", "--help"}, 2);
  Run({"lookup"}, 2);
  Run({"lookup", "192.0.2.7", "--no-such-option"}, 2);
  // Help for a command that exists is a success.
  EXPECT_THAT(Run({"lookup", "--help"}).out, HasSubstr("VALUE"));
}

}  // namespace
}  // namespace baken::testing
