// Threat intelligence over real HTTP to a real `baken serve` (decision 0023): an analyst takes
// in a list and a member's system on it becomes that member's finding; members share events of
// their own, read what TLP and distribution give them, and add only to their own; anonymous
// callers get nothing.

#include <map>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/cli_test.h"

namespace baken::testing {
namespace {

using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
};

class IntelHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Bee (GM0002) holds 198.51.100.0/24 and bee.example.nl.
    Cli({"member", "import", (SourceDir() / "tests/data/intel/members.json").string()});
    tokens_["analyst"] = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    tokens_["aa"] = AddUserWithToken("trusted@aa.example.nl", "member", "GM0001");
    tokens_["bee"] = AddUserWithToken("trusted@bee.example.nl", "member", "GM0002");
    tokens_["anonymous"] = "";
    server_ = std::make_unique<BakenServer>(database_.location());
    ASSERT_TRUE(server_->running()) << "baken serve did not start";
  }

  std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", database_.location()};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunBaken(full, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string AddUserWithToken(const std::string& email, const std::string& role,
                               const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, "correct horse battery staple\n");
    return Json::parse(Cli({"--json", "token", "create", "--email", email}))["token"];
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& who,
             const std::string& body = "", const std::string& type = "application/json") {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    const std::string& token = tokens_.at(who);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Result result = method == "GET" ? client.Get(path, headers)
                                             : client.Post(path, headers, body, type);
    Reply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }
  Json Ok(const std::string& method, const std::string& path, const std::string& who,
          const std::string& body = "", const std::string& type = "application/json") {
    Reply reply = Call(method, path, who, body, type);
    EXPECT_TRUE(reply.status == 200 || reply.status == 201)
        << method << " " << path << " as " << who << ": " << reply.status << " "
        << reply.body.dump();
    return reply.body;
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<BakenServer> server_;
};

TEST_F(IntelHttpTest, AnAddressInAMembersRangeBecomesItsFindingAndNoOneElsesEvent) {
  const Json taken = Ok("POST",
                        "/api/v1/intel/imports?format=list&tlp=AMBER&distribution=members"
                        "&name=c2.txt",
                        "analyst", "198.51.100.23\t# C2 seen by a partner\n203.0.113.8\n",
                        "text/plain");
  EXPECT_EQ(taken["indicators"], 2);
  EXPECT_EQ(taken["findings"], 1);
  const int64_t event = taken["events"][0]["id"];

  // Bee's own system is Bee's finding, in its findings list like a feed's.
  const Json bee_findings = Ok("GET", "/api/v1/events?feed=threat-intel", "bee");
  ASSERT_EQ(bee_findings["events"].size(), 1u) << bee_findings.dump();
  const std::string finding = bee_findings["events"][0].dump();
  EXPECT_NE(finding.find("198.51.100.23"), std::string::npos) << finding;
  EXPECT_EQ(finding.find("203.0.113.8"), std::string::npos) << finding;
  EXPECT_TRUE(Ok("GET", "/api/v1/events?feed=threat-intel", "aa")["events"].empty());
  // The AMBER event itself names no one: no member reads it.
  EXPECT_EQ(Call("GET", "/api/v1/intel/events/" + std::to_string(event), "bee").status, 404);
  EXPECT_TRUE(Ok("GET", "/api/v1/intel/events", "aa")["events"].empty());
  EXPECT_EQ(Ok("GET", "/api/v1/intel/events", "analyst")["events"].size(), 1u);
  // Only analysts take in.
  EXPECT_EQ(Call("POST", "/api/v1/intel/imports?format=list&tlp=GREEN", "aa", "192.0.2.1\n",
                 "text/plain")
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/v1/intel/events", "anonymous").status, 401);
  // A list without its TLP is refused with the translation table's code.
  const Reply no_tlp =
      Call("POST", "/api/v1/intel/imports?format=list", "analyst", "192.0.2.1\n", "text/plain");
  EXPECT_EQ(no_tlp.status, 400);
  EXPECT_EQ(no_tlp.body["code"], "intel.list_tlp_missing") << no_tlp.body.dump();
}

TEST_F(IntelHttpTest, MembersShareTheirOwnEventsAndAddOnlyToThem) {
  const Json created = Ok("POST", "/api/v1/intel/events", "aa",
                          R"({"title": "Phishing wave", "tlp": "GREEN", "distribution": "members",
                              "indicators": [{"value": "login-aa.example.com"},
                                             {"value": "https://login-aa.example.com/x"}]})");
  const std::string id = std::to_string(created["id"].get<int64_t>());
  const Json read = Ok("GET", "/api/v1/intel/events/" + id, "bee");
  ASSERT_EQ(read["indicators"].size(), 2u) << read.dump();
  EXPECT_EQ(read["indicators"][1]["kind"], "url");
  EXPECT_EQ(Call("POST", "/api/v1/intel/events/" + id + "/indicators", "bee",
                 R"({"indicators": [{"value": "192.0.2.7"}]})")
                .status,
            403);
  const Json added = Ok("POST", "/api/v1/intel/events/" + id + "/indicators", "aa",
                        R"({"indicators": [{"value": "192.0.2.7", "comment": "sender"}]})");
  ASSERT_EQ(added["added"].size(), 1u);
  const Json found = Ok("GET", "/api/v1/intel/indicators?q=192.0.2.7", "bee");
  ASSERT_EQ(found["indicators"].size(), 1u) << found.dump();
  EXPECT_EQ(found["indicators"][0]["comment"], "sender");
  const Reply bad = Call("POST", "/api/v1/intel/events/" + id + "/indicators", "aa",
                         R"({"indicators": [{"value": "not a value at all"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.dump().find("indicators[0].value"), std::string::npos) << bad.body.dump();
  EXPECT_EQ(Call("GET", "/api/v1/intel/indicators?kind=nonsense", "bee").status, 400);
}

}  // namespace
}  // namespace baken::testing
