// The registry and lookup sections of the contract, through the real `baken` program.

#include <chrono>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "store/store.h"
#include "support/baken_process.h"
#include "support/cli_test.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

class CliRegistryTest : public CliTest {
 protected:
  std::string Fixture(const std::string& name) {
    return (SourceDir() / "tests/data/registry" / name).string();
  }
  void ImportContractExample() {
    auto result = Baken({"member", "import", Fixture("members.json")});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
};

TEST_F(CliRegistryTest, ImportIsIdempotentAndExportRoundTrips) {
  Json first = BakenJson({"member", "import", Fixture("members.json")});
  EXPECT_EQ(first, (Json{{"created", 3}, {"updated", 0}, {"unchanged", 0}}));
  const std::string exported = Baken({"member", "export"}).out;

  Json second = BakenJson({"member", "import", Fixture("members.json")});
  EXPECT_EQ(second, (Json{{"created", 0}, {"updated", 0}, {"unchanged", 3}}));
  EXPECT_EQ(Baken({"member", "export"}).out, exported);

  // Importing the export changes nothing either, and it has the contract's shape.
  Json again = BakenJson({"member", "import", Write("exported.json", exported)});
  EXPECT_EQ(again["unchanged"], 3);
  Json file = Json::parse(exported);
  const Json& amsterdam = file["members"][0];
  EXPECT_EQ(amsterdam["code"], "GM0363");
  EXPECT_EQ(amsterdam["netblocks"], (Json{"192.0.2.0/24", "2001:db8:1::/48"}));
  EXPECT_EQ(amsterdam["asns"], (Json{64500}));
  EXPECT_EQ(amsterdam["assets"][0]["cpe"],
            "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*");
  EXPECT_EQ(amsterdam["contacts"][0]["roles"], (Json{"general", "trusted"}));
}

TEST_F(CliRegistryTest, ListShowsEveryMember) {
  ImportContractExample();
  Json list = BakenJson({"member", "list"});
  ASSERT_EQ(list["members"].size(), 3u);
  EXPECT_EQ(list["members"][1]["code"], "GM0599");
  EXPECT_EQ(list["members"][1]["netblocks"][0]["state"], "approved");
}

TEST_F(CliRegistryTest, ABadFileIsRefusedWholeWithEveryProblemNamed) {
  ImportContractExample();
  const std::string exported = Baken({"member", "export"}).out;
  const std::string bad = Write("bad.json", R"({"members": [
    {"code": "GM0363", "name": "Gemeente Amsterdam", "kind": "gemeente",
     "netblocks": ["192.0.2.1/24", "0.0.0.0/0", "10.0.0.0/33"]},
    {"code": "GM0014", "name": "Groningen", "kind": "gemeente",
     "contacts": [{"name": "x", "email": "x@@example.nl", "roles": ["chef"]}]},
    {"code": "GM0014", "name": "Groningen again", "kind": "gemeente"},
    {"code": "GM0034", "name": "Almere", "kind": "gemeente"}]})");
  auto result = Baken({"member", "import", bad});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("nothing was written"));
  EXPECT_THAT(result.err, HasSubstr("GM0363: netblocks[0]: '192.0.2.1/24' has host bits set"));
  EXPECT_THAT(result.err, HasSubstr("GM0363: netblocks[1]: '0.0.0.0/0' covers the whole"));
  EXPECT_THAT(result.err, HasSubstr("GM0363: netblocks[2]"));
  EXPECT_THAT(result.err, HasSubstr("GM0014: contacts[0]: e-mail address 'x@@example.nl'"));
  EXPECT_THAT(result.err, HasSubstr("GM0014: contacts[0]: unknown role 'chef'"));
  EXPECT_THAT(result.err, HasSubstr("GM0014: member code is listed twice"));
  // The good member in the bad file (GM0034) was not written either.
  EXPECT_EQ(Baken({"member", "export"}).out, exported);
}

TEST_F(CliRegistryTest, AClaimOfAnotherMemberIsRefusedAndNamed) {
  ImportContractExample();
  auto result = Baken({"member", "import", Write("clash.json", R"({"members": [
    {"code": "GM0014", "name": "Groningen", "kind": "gemeente", "asns": [64500]}]})")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("GM0014: asn '64500' is already registered for GM0363"));
  EXPECT_EQ(BakenJson({"member", "list"})["members"].size(), 3u);
}

TEST_F(CliRegistryTest, ARangeCanMoveBetweenMembersOfOneFile) {
  ImportContractExample();
  auto result = Baken({"member", "import", Write("move.json", R"({"members": [
    {"code": "GM0363", "name": "Gemeente Amsterdam", "kind": "gemeente", "netblocks": []},
    {"code": "GM0599", "name": "Gemeente Rotterdam", "kind": "gemeente",
     "netblocks": ["192.0.2.0/24"]}]})")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(BakenJson({"lookup", "192.0.2.7"})["member"], "GM0599");
}

TEST_F(CliRegistryTest, LookupFollowsTheContract) {
  ImportContractExample();
  EXPECT_EQ(BakenJson({"lookup", "192.0.2.7"}),
            (Json{{"member", "GM0363"}, {"reason", "netblock"}, {"match", "192.0.2.0/24"}}));
  // The longer prefix of another member wins.
  EXPECT_EQ(BakenJson({"lookup", "192.0.2.200"}),
            (Json{{"member", "GM0599"}, {"reason", "netblock"}, {"match", "192.0.2.128/25"}}));
  EXPECT_EQ(BakenJson({"lookup", "::ffff:192.0.2.7"})["member"], "GM0363");
  EXPECT_EQ(BakenJson({"lookup", "2001:db8:1:ff::1"})["match"], "2001:db8:1::/48");
  EXPECT_EQ(BakenJson({"lookup", "AS64501"}),
            (Json{{"member", "SV0001"}, {"reason", "asn"}, {"match", "AS64501"}}));
  EXPECT_EQ(BakenJson({"lookup", "WWW.Amsterdam.Example.NL."}),
            (Json{{"member", "GM0363"}, {"reason", "domain"}, {"match", "amsterdam.example.nl"}}));
  EXPECT_EQ(BakenJson({"lookup", "notamsterdam.example.nl"})["member"], nullptr);
  EXPECT_EQ(BakenJson({"lookup", "198.18.0.1"}),
            (Json{{"member", nullptr}, {"reason", nullptr}, {"match", nullptr}}));
  auto bad = Baken({"lookup", "not an address!"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("not an address!"));
}

TEST_F(CliRegistryTest, ImportsAnInventoryCsv) {
  ImportContractExample();
  const std::string csv = Write("inventaris.csv",
                                "naam_intern;name;vendor;product;version;internet_facing\n"
                                "x;Mail;microsoft;exchange server;2019 CU14;ja\n"
                                "y;DNS;isc;bind;9.18.24;nee\n");
  auto result = Baken({"member", "import-assets", "--member", "GM0599", csv});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  Json list = BakenJson({"member", "list"});
  const Json& assets = list["members"][1]["assets"];
  ASSERT_EQ(assets.size(), 2u);
  EXPECT_EQ(assets[0]["product"], "exchange server");
  EXPECT_EQ(assets[0]["internet_facing"], true);

  const std::string bad = Write("bad.csv", "name,vendor\nx,y\n");
  auto refused = Baken({"member", "import-assets", "--member", "GM0599", bad});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("the required column 'product' is missing"));
  EXPECT_EQ(BakenJson({"member", "list"})["members"][1]["assets"].size(), 2u);
}

TEST_F(CliRegistryTest, UsersAndTokens) {
  ImportContractExample();
  auto added = Baken({"user", "add", "--email", "soc@amsterdam.example.nl", "--role", "member",
                      "--member", "GM0363", "--password-stdin"},
                     "a long enough password\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  auto twice = Baken({"user", "add", "--email", "SOC@amsterdam.example.nl", "--role", "member",
                      "--member", "GM0363", "--password-stdin"},
                     "a long enough password\n");
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("already exists"));
  auto no_member = Baken({"user", "add", "--email", "x@example.nl", "--role", "member", "--member",
                          "GM9999", "--password-stdin"},
                         "a long enough password\n");
  EXPECT_EQ(no_member.exit_code, 1);
  EXPECT_THAT(no_member.err, HasSubstr("GM9999"));
  auto short_password =
      Baken({"user", "add", "--email", "y@example.nl", "--role", "analyst", "--password-stdin"},
            "kort\n");
  EXPECT_EQ(short_password.exit_code, 1);

  Json token = BakenJson({"token", "create", "--email", "soc@amsterdam.example.nl"});
  EXPECT_EQ(token["token"].get<std::string>().rfind("bkn_", 0), 0u);
  auto unknown = Baken({"token", "create", "--email", "nobody@example.nl"});
  EXPECT_EQ(unknown.exit_code, 1);
}

// Issue 12, finding 9: tokens expire (a year by default), can be listed without their secret,
// and revoked; each change is audited.
TEST_F(CliRegistryTest, TokensExpireAndAreListedAndRevoked) {
  ImportContractExample();
  ASSERT_EQ(Baken({"user", "add", "--email", "soc@amsterdam.example.nl", "--role", "member",
                   "--member", "GM0363", "--password-stdin"},
                  "a long enough password\n")
                .exit_code,
            0);
  const Json yearly = BakenJson({"token", "create", "--email", "soc@amsterdam.example.nl"});
  // A day some 100 days from now (the command reads the real clock).
  const std::string day =
      FormatUtc(std::chrono::system_clock::now() + std::chrono::days(100)).substr(0, 10);
  const Json dated = BakenJson({"token", "create", "--email", "soc@amsterdam.example.nl", "--label",
                                "nightly export", "--expires", day});
  EXPECT_EQ(dated["expires_at"], day + "T00:00:00Z");
  const Json listed = BakenJson({"token", "list", "--email", "soc@amsterdam.example.nl"});
  ASSERT_EQ(listed["tokens"].size(), 2u) << listed.dump();
  const Json& first = listed["tokens"][0];
  EXPECT_EQ(first["id"], yearly["id"]);
  EXPECT_EQ(first["email"], "soc@amsterdam.example.nl");
  EXPECT_EQ(first["expired"], false);
  // A year after it was made: the same time of day, 365 days on.
  const std::string created = first["created_at"];
  const std::string expires = first["expires_at"];
  EXPECT_EQ(expires, yearly["expires_at"]);
  EXPECT_EQ(expires.substr(10), created.substr(10));
  EXPECT_GT(expires.substr(0, 4), created.substr(0, 4));
  EXPECT_EQ(listed["tokens"][1]["label"], "nightly export");
  // Never the token itself, nor its hash.
  const std::string all = Baken({"token", "list"}).out;
  EXPECT_THAT(all, Not(HasSubstr(yearly["token"].get<std::string>())));
  EXPECT_THAT(listed.dump(), Not(HasSubstr("bkn_")));

  // An expiry in the past, or too far away, is refused; so is a bad date.
  EXPECT_EQ(
      Baken({"token", "create", "--email", "soc@amsterdam.example.nl", "--expires", "2020-01-01"})
          .exit_code,
      1);
  EXPECT_EQ(
      Baken({"token", "create", "--email", "soc@amsterdam.example.nl", "--expires", "2031-02-30"})
          .exit_code,
      1);
  EXPECT_EQ(Baken({"token", "create", "--email", "soc@amsterdam.example.nl", "--expires-in", "0"})
                .exit_code,
            2);

  const std::string id = std::to_string(yearly["id"].get<int64_t>());
  EXPECT_EQ(BakenJson({"token", "revoke", id})["revoked"], true);
  EXPECT_EQ(BakenJson({"token", "list"})["tokens"].size(), 1u);
  const auto again = Baken({"token", "revoke", id});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("no API token " + id));
  EXPECT_EQ(Baken({"token", "list", "--email", "nobody@example.nl"}).exit_code, 1);

  auto store = store::Store::Open(database_.location());
  ASSERT_TRUE(store) << store.error().message;
  auto tx = (*store)->Begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto audit = (*tx)->Audit().List(3);
  ASSERT_TRUE(audit && audit->size() == 3u);
  EXPECT_EQ((*audit)[0].action, "token.revoke");
  EXPECT_THAT((*audit)[0].detail, HasSubstr("\"id\":" + id));
  EXPECT_EQ((*audit)[1].action, "token.create");
  EXPECT_THAT((*audit)[1].detail, HasSubstr("nightly export"));
}

TEST_F(CliRegistryTest, BadUsageExitsWithTwo) {
  EXPECT_EQ(Baken({}).exit_code, 2);
  EXPECT_EQ(Baken({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(Baken({"member", "import"}).exit_code, 2);
  EXPECT_EQ(Baken({"user", "add", "--email", "a@example.nl", "--role", "king"}).exit_code, 2);
  EXPECT_EQ(Baken({"serve", "--listen", "nonsense"}).exit_code, 2);
  auto missing = Baken({"member", "import", dir_.File("missing.json")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("missing.json"));
}

TEST_F(CliRegistryTest, AnUnreachablePostgresqlServerIsNamedWithoutItsPassword) {
  // Port 1 on loopback: nothing listens there.
  auto result = RunBaken(
      {"--db", "postgresql://cert:geheim@127.0.0.1:1/baken?connect_timeout=5", "member", "list"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("cannot connect to PostgreSQL at postgresql://cert@127.0.0.1:1/baken"));
  EXPECT_THAT(result.err, Not(HasSubstr("geheim")));
}

TEST_F(CliRegistryTest, EnvironmentVariableChoosesTheDefaultDatabase) {
  ::setenv("BAKEN_DB", dir_.File("from-env.db").c_str(), 1);
  auto result = RunBaken({"member", "import", Fixture("members.json")});
  ::unsetenv("BAKEN_DB");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.File("from-env.db")));
}

}  // namespace
}  // namespace baken::testing
