// The server section of the contract, over real HTTP to a real `baken serve` on loopback.

#include "http/server.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "auth/credentials.h"
#include "auth/totp.h"
#include "store/store.h"
#include "store/test_database.h"
#include "support/baken_process.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

struct Reply {
  int status = 0;
  std::string content_type;
  Json body;
  std::string text;
};

// One server for the suite: setting up accounts costs an argon2id hash each.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    database_ = new store::testing::TestDatabase();
    db_ = database_->location();
    Cli({"member", "import", (SourceDir() / "tests/data/registry/members.json").string()});
    analyst_ = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    amsterdam_ = AddUserWithToken("soc@amsterdam.example.nl", "member", "GM0363");
    rotterdam_ = AddUserWithToken("ciso@rotterdam.example.nl", "member", "GM0599");
    server_ = new BakenServer(db_);
    ASSERT_TRUE(server_->running()) << "baken serve did not start";
  }
  static void TearDownTestSuite() {
    delete server_;
    delete database_;
    delete dir_;
  }

  static std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", db_};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunBaken(full, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  static std::string AddUserWithToken(const std::string& email, const std::string& role,
                                      const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, "correct horse battery staple\n");
    return Json::parse(Cli({"--json", "token", "create", "--email", email}))["token"];
  }

  static Reply Call(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = "",
                    const std::string& content_type = "application/json") {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Result result = method == "GET"   ? client.Get(path, headers)
                             : method == "PUT" ? client.Put(path, headers, body, content_type)
                                               : client.Post(path, headers, body, content_type);
    Reply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.content_type = result->get_header_value("Content-Type");
    reply.text = result->body;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }

  static TempDir* dir_;
  static store::testing::TestDatabase* database_;
  static std::string db_;
  static BakenServer* server_;
  static std::string analyst_;
  static std::string amsterdam_;
  static std::string rotterdam_;
};

TempDir* ServerTest::dir_ = nullptr;
store::testing::TestDatabase* ServerTest::database_ = nullptr;
std::string ServerTest::db_;
BakenServer* ServerTest::server_ = nullptr;
std::string ServerTest::analyst_;
std::string ServerTest::amsterdam_;
std::string ServerTest::rotterdam_;

TEST_F(ServerTest, HealthMetricsAndFirstAdmin) {
  auto health = Call("GET", "/healthz", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");
  ASSERT_EQ(Call("GET", "/api/v1/members", analyst_).status, 200);
  auto metrics = Call("GET", "/metrics", "");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.text, HasSubstr("baken_constituency_claims{kind=\"netblock\"} 5"));
  EXPECT_THAT(metrics.text, HasSubstr("baken_http_requests_total{code=\"200\",method=\"GET\","
                                      "route=\"/api/v1/members\"} 1"));
  // Accounts existed before the first start, so no admin was invented.
  EXPECT_THAT(server_->banner(), ::testing::Not(HasSubstr("admin account was created")));
}

// Admins manage accounts in the portal; nobody else may, and every change is audited.
TEST_F(ServerTest, AdminsManageAccountsAndNobodyElseMay) {
  static const std::string admin = AddUserWithToken("admin@cert.example.nl", "admin", "");
  const Reply refused = Call("GET", "/api/v1/users", analyst_);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body["code"], "user.admins_only");
  EXPECT_EQ(Call("GET", "/api/v1/users", amsterdam_).status, 403);
  EXPECT_EQ(
      Call("POST", "/api/v1/users", analyst_, R"({"email": "x@cert.example.nl", "role": "admin"})")
          .status,
      403);

  const Reply list = Call("GET", "/api/v1/users", admin);
  ASSERT_EQ(list.status, 200) << list.text;
  ASSERT_GE(list.body["users"].size(), 4u);
  EXPECT_NE(list.body["users"][0]["role"], "member");  // staff first
  for (const auto& user : list.body["users"]) EXPECT_FALSE(user.contains("password_hash"));

  const Reply added = Call("POST", "/api/v1/users", admin,
                           R"({"email": "privacy@amsterdam.example.nl", "role": "member",
                               "member": "GM0363"})");
  ASSERT_EQ(added.status, 201) << added.text;
  EXPECT_EQ(added.body["member"], "GM0363");
  const std::string password = added.body["password"];
  EXPECT_GE(password.size(), 12u);
  const int64_t id = added.body["id"];
  const std::string sign_in =
      Json{{"email", "privacy@amsterdam.example.nl"}, {"password", password}}.dump();
  EXPECT_EQ(Call("POST", "/api/v1/session", "", sign_in).status, 201);
  EXPECT_EQ(
      Call("POST", "/api/v1/users", admin,
           R"({"email": "privacy@amsterdam.example.nl", "role": "member", "member": "GM0363"})")
          .body["code"],
      "user.exists");
  EXPECT_EQ(
      Call("POST", "/api/v1/users", admin, R"({"email": "a@b.nl", "role": "member"})").body["code"],
      "user.member_needed");
  EXPECT_EQ(
      Call("POST", "/api/v1/users", admin, R"({"email": "a@b.nl", "role": "boss"})").body["code"],
      "user.role_unknown");

  const std::string base = "/api/v1/users/" + std::to_string(id);
  const Reply disabled = Call("POST", base + "/disable", admin);
  ASSERT_EQ(disabled.status, 200) << disabled.text;
  EXPECT_FALSE(disabled.body["disabled_at"].is_null());
  EXPECT_EQ(Call("POST", "/api/v1/session", "", sign_in).status, 401);
  EXPECT_TRUE(Call("POST", base + "/enable", admin).body["disabled_at"].is_null());
  EXPECT_EQ(Call("POST", "/api/v1/session", "", sign_in).status, 201);
  EXPECT_EQ(Call("POST", base + "/unlock", admin).status, 200);
  EXPECT_EQ(Call("POST", base + "/reset-totp", admin).body["totp"], false);
  EXPECT_EQ(Call("POST", "/api/v1/users/999999/disable", admin).status, 404);

  // An admin cannot lock themselves out.
  int64_t own_id = 0;
  const Reply accounts = Call("GET", "/api/v1/users", admin);
  for (const auto& user : accounts.body["users"]) {
    if (user["email"] == "admin@cert.example.nl") own_id = user["id"];
  }
  const Reply self = Call("POST", "/api/v1/users/" + std::to_string(own_id) + "/disable", admin);
  EXPECT_EQ(self.status, 409);
  EXPECT_EQ(self.body["code"], "user.not_yourself");

  const std::string audit = Call("GET", "/api/v1/audit?limit=1000", admin).text;
  for (const char* action : {"user.add", "user.disable", "user.enable", "user.totp_reset"}) {
    EXPECT_THAT(audit, HasSubstr(action));
  }
}

TEST_F(ServerTest, OpenApiDocumentListsExactlyTheServedRoutes) {
  auto reply = Call("GET", "/api/v1/openapi.json", "");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["openapi"], "3.0.3");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : reply.body["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      documented.emplace(upper, path);
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : http::Server::Routes()) served.emplace(route.method, route.openapi_path);
  EXPECT_EQ(documented, served);
  // Every $ref points at something that exists.
  const std::string text = reply.body.dump();
  std::regex ref("\"\\$ref\":\"#/components/([a-zA-Z]+)/([A-Za-z-]+)\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), ref); it != std::sregex_iterator();
       ++it) {
    EXPECT_TRUE(reply.body["components"][(*it)[1].str()].contains((*it)[2].str())) << (*it)[0];
  }
}

TEST_F(ServerTest, RequestsWithoutAValidTokenGet401ProblemJson) {
  auto none = Call("GET", "/api/v1/members", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.content_type, "application/problem+json");
  EXPECT_EQ(none.body["status"], 401);
  EXPECT_THAT(none.body["detail"].get<std::string>(), HasSubstr("API token"));
  EXPECT_THAT(none.body["detail"].get<std::string>(), HasSubstr("signed-in session"));
  EXPECT_EQ(Call("GET", "/api/v1/members", "bkn_wrong").status, 401);
  auto missing = Call("GET", "/api/v1/nothing-here", analyst_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
}

TEST_F(ServerTest, AnalystSeesAllMembersAndAMemberOnlyItsOwn) {
  auto all = Call("GET", "/api/v1/members", analyst_);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body["members"].size(), 3u);
  auto own = Call("GET", "/api/v1/members", amsterdam_);
  ASSERT_EQ(own.status, 200);
  ASSERT_EQ(own.body["members"].size(), 1u);
  EXPECT_EQ(own.body["members"][0]["code"], "GM0363");
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363", amsterdam_).body["name"], "Gemeente Amsterdam");
}

// Every endpoint that names a member answers 404 to another member's user, exactly as for a
// member that does not exist, and changes nothing.
TEST_F(ServerTest, AnotherMembersObjectsAre404OnEveryEndpoint) {
  const std::string before = Cli({"member", "export"});
  int checked = 0;
  for (const auto& route : http::Server::Routes()) {
    const std::string& path = route.openapi_path;
    if (path.find("{code}") == std::string::npos) continue;
    for (const std::string code : {"GM0599", "GM9999"}) {
      const std::string concrete = std::regex_replace(path, std::regex(R"(\{code\})"), code);
      const std::string body = path.ends_with("contacts") || path.ends_with("assets") ||
                                       path.ends_with("netblocks") || path.ends_with("domains")
                                   ? "[]"
                               : path.ends_with("asns") ? "[64999]"
                                                        : "";
      auto reply = Call(route.method, concrete, amsterdam_, body);
      EXPECT_EQ(reply.status, 404) << route.method << " " << concrete;
      EXPECT_EQ(reply.content_type, "application/problem+json") << concrete;
      EXPECT_THAT(reply.text, ::testing::Not(HasSubstr("Rotterdam")));
      ++checked;
    }
  }
  EXPECT_GE(checked, 24);
  // Claims of another member are invisible too.
  auto claims = Call("GET", "/api/v1/claims", amsterdam_);
  for (const auto& claim : claims.body["claims"]) EXPECT_EQ(claim["member"], "GM0363");
  auto rotterdam_claims = Call("GET", "/api/v1/claims", rotterdam_);
  const int rotterdam_claim = rotterdam_claims.body["claims"][0]["id"];
  EXPECT_EQ(
      Call("POST", "/api/v1/claims/" + std::to_string(rotterdam_claim) + "/approve", amsterdam_)
          .status,
      403);
  EXPECT_EQ(Cli({"member", "export"}), before);
}

TEST_F(ServerTest, AMemberEditsItsContactsAndAssets) {
  auto put = Call("PUT", "/api/v1/members/GM0363/contacts", amsterdam_,
                  R"([{"name": "SOC", "email": "soc@amsterdam.example.nl",
                       "roles": ["general", "trusted"], "language": "nl"},
                      {"name": "On call", "email": "oncall@amsterdam.example.nl",
                       "roles": ["oncall"], "language": "en"}])");
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(put.body.size(), 2u);
  auto get = Call("GET", "/api/v1/members/GM0363/contacts", amsterdam_);
  EXPECT_EQ(get.body[1]["email"], "oncall@amsterdam.example.nl");
  EXPECT_EQ(get.body[1]["language"], "en");

  auto bad = Call("PUT", "/api/v1/members/GM0363/contacts", amsterdam_,
                  R"([{"name": "x", "email": "broken", "roles": ["wizard"]}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type, "application/problem+json");
  EXPECT_THAT(bad.body["detail"].get<std::string>(), HasSubstr("GM0363: contacts[0]"));
  EXPECT_THAT(bad.body["detail"].get<std::string>(), HasSubstr("unknown role 'wizard'"));
  // Coded, so that the portal says it in the reader's language: one entry per problem.
  EXPECT_EQ(bad.body["code"], "problems.several");
  EXPECT_EQ(bad.body["params"]["count"], "2");
  ASSERT_EQ(bad.body["errors"].size(), 2u);
  EXPECT_EQ(bad.body["errors"][0]["code"], "contact.email_invalid");
  EXPECT_EQ(bad.body["errors"][0]["params"]["value"], "broken");
  EXPECT_EQ(bad.body["errors"][1]["code"], "contact.role_unknown");
  EXPECT_EQ(bad.body["errors"][1]["params"]["value"], "wizard");
  auto too_long =
      Call("PUT", "/api/v1/members/GM0363/netblocks", amsterdam_, R"(["192.0.2.0/33"])");
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.body["code"], "ip_prefix.length_too_long");
  EXPECT_EQ(too_long.body["params"]["value"], "192.0.2.0/33");
  EXPECT_EQ(too_long.body["params"]["max"], "32");
  EXPECT_EQ(Call("GET", "/api/v1/nothing-here", amsterdam_).body["code"], "not_found");
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363/contacts", amsterdam_).body.size(), 2u);
  EXPECT_EQ(Call("PUT", "/api/v1/members/GM0363/contacts", amsterdam_, "{not json").status, 400);

  auto assets = Call("PUT", "/api/v1/members/GM0363/assets", amsterdam_,
                     R"([{"name": "Gateway", "vendor": "citrix", "product": "netscaler gateway",
                          "version": "14.1", "criticality": "critical", "internet_facing": true}])");
  ASSERT_EQ(assets.status, 200) << assets.text;
  EXPECT_EQ(assets.body[0]["criticality"], "critical");

  auto audit = Call("GET", "/api/v1/audit?limit=5", analyst_);
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body["entries"][0]["action"], "assets.replace");
  EXPECT_EQ(audit.body["entries"][0]["actor"], "user:soc@amsterdam.example.nl");
  EXPECT_EQ(audit.body["entries"][0]["object"], "GM0363");
  EXPECT_EQ(Call("GET", "/api/v1/audit", amsterdam_).status, 403);
}

TEST_F(ServerTest, AMembersNewRangesWaitForAnAnalystAndRouteNothingUntilApproved) {
  // Rotterdam claims a range inside Amsterdam's approved 192.0.2.0/24, and a new one.
  auto put = Call("PUT", "/api/v1/members/GM0599/netblocks", rotterdam_,
                  R"(["198.51.100.0/24", "192.0.2.128/25", "192.0.2.64/26", "100.64.0.0/16"])");
  ASSERT_EQ(put.status, 200) << put.text;
  std::map<std::string, std::string> state;
  for (const auto& claim : put.body) state[claim["netblock"]] = claim["state"];
  EXPECT_EQ(state["198.51.100.0/24"], "approved");
  EXPECT_EQ(state["192.0.2.64/26"], "pending");
  EXPECT_EQ(state["100.64.0.0/16"], "pending");

  auto lookup = Call("GET", "/api/v1/lookup?value=192.0.2.70", analyst_);
  EXPECT_EQ(lookup.body["member"], "GM0363");  // pending routes nothing
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=100.64.1.1", analyst_).body["member"], nullptr);
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=100.64.1.1", rotterdam_).status, 403);

  auto pending = Call("GET", "/api/v1/claims?state=pending", analyst_);
  ASSERT_EQ(pending.status, 200);
  int overlap_id = 0;
  int fresh_id = 0;
  for (const auto& claim : pending.body["claims"]) {
    if (claim["value"] == "192.0.2.64/26") {
      overlap_id = claim["id"];
      ASSERT_EQ(claim["overlaps"].size(), 1u);
      EXPECT_EQ(claim["overlaps"][0], (Json{{"member", "GM0363"}, {"value", "192.0.2.0/24"}}));
    }
    if (claim["value"] == "100.64.0.0/16") {
      fresh_id = claim["id"];
      EXPECT_TRUE(claim["overlaps"].empty());
    }
  }
  ASSERT_NE(overlap_id, 0);
  ASSERT_NE(fresh_id, 0);

  // A refusal needs a reason; the member sees it.
  EXPECT_EQ(
      Call("POST", "/api/v1/claims/" + std::to_string(overlap_id) + "/refuse", analyst_).status,
      400);
  auto refused = Call("POST", "/api/v1/claims/" + std::to_string(overlap_id) + "/refuse", analyst_,
                      R"({"reason": "Deze reeks is van Amsterdam."})");
  ASSERT_EQ(refused.status, 200) << refused.text;
  EXPECT_EQ(refused.body["state"], "refused");
  auto approved = Call("POST", "/api/v1/claims/" + std::to_string(fresh_id) + "/approve", analyst_);
  ASSERT_EQ(approved.status, 200) << approved.text;
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=100.64.1.1", analyst_).body["member"], "GM0599");
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=192.0.2.70", analyst_).body["member"], "GM0363");
  auto seen = Call("GET", "/api/v1/members/GM0599/netblocks", rotterdam_);
  bool saw_reason = false;
  for (const auto& claim : seen.body) {
    if (claim["netblock"] == "192.0.2.64/26") {
      EXPECT_EQ(claim["state"], "refused");
      saw_reason = claim["reason"] == "Deze reeks is van Amsterdam.";
    }
  }
  EXPECT_TRUE(saw_reason);
}

TEST_F(ServerTest, ApprovingAValueAnotherMemberHoldsIsAConflict) {
  auto put = Call("PUT", "/api/v1/members/GM0599/asns", rotterdam_, R"([64500])");
  ASSERT_EQ(put.status, 200) << put.text;
  EXPECT_EQ(put.body[0]["state"], "pending");
  const int id = put.body[0]["id"];
  auto approve = Call("POST", "/api/v1/claims/" + std::to_string(id) + "/approve", analyst_);
  EXPECT_EQ(approve.status, 409);
  EXPECT_THAT(approve.body["detail"].get<std::string>(),
              HasSubstr("already registered for GM0363"));
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=AS64500", analyst_).body["member"], "GM0363");
  // Staff's own changes are approved at once, and clash the same way.
  auto staff = Call("PUT", "/api/v1/members/GM0599/domains", analyst_,
                    R"(["rotterdam.example.nl", "amsterdam.example.nl"])");
  EXPECT_EQ(staff.status, 409);
}

TEST_F(ServerTest, AnAnalystSendingAListBackDecidesNoClaim) {
  // Rotterdam asks for part of Amsterdam's 192.0.2.0/24, and for a range no one holds.
  auto asked = Call("PUT", "/api/v1/members/GM0599/netblocks", rotterdam_,
                    R"(["198.51.100.0/24", "192.0.2.128/25", "192.0.2.0/26", "100.64.0.0/16"])");
  ASSERT_EQ(asked.status, 200) << asked.text;
  int64_t refused_id = 0;
  for (const auto& claim : asked.body) {
    if (claim["netblock"] == "192.0.2.0/26") refused_id = claim["id"];
  }
  ASSERT_NE(refused_id, 0);
  ASSERT_EQ(Call("POST", "/api/v1/claims/" + std::to_string(refused_id) + "/refuse", analyst_,
                 R"({"reason": "Deze reeks is van Amsterdam."})")
                .status,
            200);
  // The analyst adds a range the way the portal does: the whole list, refused values too.
  auto sent_back = Call("PUT", "/api/v1/members/GM0599/netblocks", analyst_,
                        R"(["198.51.100.0/24", "192.0.2.128/25", "192.0.2.0/26", "100.64.0.0/16",
               "100.65.0.0/16"])");
  ASSERT_EQ(sent_back.status, 200) << sent_back.text;
  std::map<std::string, std::string> state;
  for (const auto& claim : sent_back.body) state[claim["netblock"]] = claim["state"];
  EXPECT_EQ(state, (std::map<std::string, std::string>{{"198.51.100.0/24", "approved"},
                                                       {"192.0.2.128/25", "approved"},
                                                       {"192.0.2.0/26", "refused"},
                                                       {"100.64.0.0/16", "pending"},
                                                       {"100.65.0.0/16", "approved"}}));
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=192.0.2.10", analyst_).body["member"], "GM0363");
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=100.64.1.1", analyst_).body["member"], nullptr);
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=100.65.1.1", analyst_).body["member"], "GM0599");
  // The one approval is in the audit log as a decision on its claim; the refusal stands.
  std::vector<std::string> approvals;
  const Reply audit = Call("GET", "/api/v1/audit?limit=1000", analyst_);
  for (const auto& entry : audit.body["entries"]) {
    if (entry["action"] == "claim.approve" && entry["detail"]["member"] == "GM0599") {
      approvals.push_back(entry["detail"]["value"]);
    }
  }
  EXPECT_EQ(approvals, std::vector<std::string>{"100.65.0.0/16"});
}

TEST_F(ServerTest, AMembersUsersSeeTheCertNotItsAnalystsAddresses) {
  auto asked = Call("PUT", "/api/v1/members/GM0599/asns", rotterdam_, R"([64496])");
  ASSERT_EQ(asked.status, 200) << asked.text;
  const std::string id = std::to_string(asked.body[0]["id"].get<int64_t>());
  ASSERT_EQ(Call("POST", "/api/v1/claims/" + id + "/refuse", analyst_,
                 R"({"reason": "Documentatie-AS."})")
                .status,
            200);
  ASSERT_EQ(Call("PUT", "/api/v1/members/GM0599/domains", analyst_,
                 R"(["rotterdam.example.nl", "wijk.rotterdam.example.nl"])")
                .status,
            200);
  for (const std::string path :
       {"/api/v1/members/GM0599", "/api/v1/members/GM0599/asns", "/api/v1/members/GM0599/domains",
        "/api/v1/members", "/api/v1/claims"}) {
    const Reply seen = Call("GET", path, rotterdam_);
    ASSERT_EQ(seen.status, 200) << path;
    EXPECT_THAT(seen.text, Not(HasSubstr("analyst@cert.example.nl"))) << path;
    EXPECT_THAT(seen.text, Not(HasSubstr("cli:"))) << path;
  }
  const Reply asns = Call("GET", "/api/v1/members/GM0599/asns", rotterdam_);
  ASSERT_EQ(asns.body.size(), 1u);
  EXPECT_EQ(asns.body[0]["decided_by"], "cert");
  EXPECT_EQ(asns.body[0]["requested_by"], "user:ciso@rotterdam.example.nl");
  const Reply domains = Call("GET", "/api/v1/members/GM0599/domains", rotterdam_);
  for (const auto& claim : domains.body) {
    EXPECT_EQ(claim["requested_by"], "cert") << claim;
    EXPECT_EQ(claim["decided_by"], "cert") << claim;
  }
  // The analysts see who did what.
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0599/asns", analyst_).body[0]["decided_by"],
            "user:analyst@cert.example.nl");
}

TEST_F(ServerTest, AMemberMayHaveAHundredClaimsWaitingAtMost) {
  const auto domains = [](int count) {
    Json list = Json::array({"rotterdam.example.nl"});
    for (int i = 0; i < count; ++i) list.push_back(fmt::format("wijk{}.example.org", i));
    return list.dump();
  };
  const Reply refused = Call("PUT", "/api/v1/members/GM0599/domains", rotterdam_, domains(101));
  EXPECT_EQ(refused.status, 409) << refused.text;
  EXPECT_THAT(refused.body["detail"].get<std::string>(), HasSubstr("at most 100"));
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0599/domains", rotterdam_).body.size(), 1u);
  const Reply accepted = Call("PUT", "/api/v1/members/GM0599/domains", rotterdam_, domains(100));
  ASSERT_EQ(accepted.status, 200) << accepted.text;
  EXPECT_EQ(accepted.body.size(), 101u);
  // Giving values up is always possible; asking for one more is not.
  EXPECT_EQ(Call("PUT", "/api/v1/members/GM0599/asns", rotterdam_, "[64496]").status, 409);
  EXPECT_EQ(Call("PUT", "/api/v1/members/GM0599/domains", rotterdam_, domains(10)).status, 200);
}

TEST_F(ServerTest, ConfirmingDataStampsTheMember) {
  auto reply = Call("POST", "/api/v1/members/GM0363/confirm", amsterdam_);
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_TRUE(reply.body.contains("data_confirmed_at"));
}

TEST(ServerStartTest, FirstStartCreatesAnAdminAndSaysHowToSignIn) {
  store::testing::TestDatabase database;
  BakenServer server(database.location());
  ASSERT_TRUE(server.running());
  EXPECT_THAT(server.banner(), HasSubstr("admin@baken.local"));
  EXPECT_THAT(server.banner(), HasSubstr("password: "));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, AnAnalystUploadsAFeedAndEachMemberSeesOnlyItsOwnEvents) {
  // 192.0.2.0/24 is Amsterdam's, 192.0.2.128/25 and 198.51.100.0/24 Rotterdam's.
  const std::string report =
      "timestamp,ip,port\n"
      "2026-11-21 01:00:00,192.0.2.20,23\n"
      "2026-11-21 01:00:00,198.51.100.20,23\n"
      "2026-11-21 01:00:00,10.9.9.9,23\n"
      "2026-11-21 01:00:00,not-an-ip,23\n";
  const std::string path = "/api/v1/reports?name=2026-11-21-scan_telnet-nl.csv";
  const Reply refused = Call("POST", path, amsterdam_, report);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.content_type, "application/problem+json");

  const Reply uploaded = Call("POST", path, analyst_, report);
  ASSERT_EQ(uploaded.status, 200) << uploaded.text;
  EXPECT_EQ(uploaded.body["parsed"], 3);
  EXPECT_EQ(uploaded.body["routed"], 2);
  EXPECT_EQ(uploaded.body["unrouted"], 1);
  EXPECT_EQ(uploaded.body["rejected"], 1);
  EXPECT_EQ(uploaded.body["errors"][0]["line"], 5);
  // The same file again adds nothing.
  EXPECT_EQ(Call("POST", path, analyst_, report).body["duplicates"], 3);

  const Reply own = Call("GET", "/api/v1/events?feed=Accessible-Telnet", amsterdam_);
  ASSERT_EQ(own.status, 200);
  ASSERT_EQ(own.body["events"].size(), 1u);
  EXPECT_EQ(own.body["events"][0]["source.ip"], "192.0.2.20");
  EXPECT_EQ(own.body["events"][0]["baken.member"], "GM0363");
  EXPECT_EQ(own.body["events"][0]["classification.identifier"], "open-telnet");
  // Asking for another member's events gives nothing; unrouted ones are for analysts.
  EXPECT_TRUE(Call("GET", "/api/v1/events?member=GM0599", amsterdam_).body["events"].empty());
  EXPECT_EQ(Call("GET", "/api/v1/events?unrouted=true", amsterdam_).status, 403);
  const Reply unrouted = Call("GET", "/api/v1/events?unrouted=true", analyst_);
  ASSERT_EQ(unrouted.status, 200);
  EXPECT_EQ(unrouted.body["events"].size(), 1u);
  const Reply all = Call("GET", "/api/v1/events?feed=Accessible-Telnet&limit=2", analyst_);
  EXPECT_EQ(all.body["events"].size(), 2u);
  ASSERT_TRUE(all.body["next_after"].is_number());
  const Reply next = Call("GET",
                          "/api/v1/events?feed=Accessible-Telnet&limit=2&after=" +
                              std::to_string(all.body["next_after"].get<int64_t>()),
                          analyst_);
  EXPECT_EQ(next.body["events"].size(), 1u);
  // Newest first, as the portal shows them: the same three events the other way round.
  std::vector<int64_t> oldest_first;
  for (const Reply* page : {&all, &next}) {
    for (const Json& event : page->body["events"]) oldest_first.push_back(event["baken.id"]);
  }
  const Reply newest =
      Call("GET", "/api/v1/events?feed=Accessible-Telnet&newest=true&limit=2", analyst_);
  ASSERT_EQ(newest.body["events"].size(), 2u) << newest.text;
  ASSERT_TRUE(newest.body["next_before"].is_number()) << newest.text;
  const Reply older = Call("GET",
                           "/api/v1/events?feed=Accessible-Telnet&newest=true&limit=2&before=" +
                               std::to_string(newest.body["next_before"].get<int64_t>()),
                           analyst_);
  ASSERT_EQ(older.body["events"].size(), 1u) << older.text;
  EXPECT_TRUE(older.body["next_before"].is_null());
  std::vector<int64_t> newest_first;
  for (const Reply* page : {&newest, &older}) {
    for (const Json& event : page->body["events"]) newest_first.push_back(event["baken.id"]);
  }
  ASSERT_EQ(oldest_first.size(), 3u);
  EXPECT_EQ(newest_first, std::vector<int64_t>(oldest_first.rbegin(), oldest_first.rend()));
  EXPECT_EQ(Call("GET", "/api/v1/events?limit=0", analyst_).status, 400);

  // Paging by count, as a person does: the true total on every page.
  const Reply second =
      Call("GET", "/api/v1/events?feed=Accessible-Telnet&newest=true&limit=2&offset=2", analyst_);
  ASSERT_EQ(second.status, 200) << second.text;
  EXPECT_EQ(second.body["total"], 3);
  ASSERT_EQ(second.body["events"].size(), 1u);
  EXPECT_EQ(second.body["events"][0]["baken.id"], oldest_first.front());
  EXPECT_EQ(
      Call("GET", "/api/v1/events?feed=Accessible-Telnet&q=198.51.100.20", analyst_).body["total"],
      1);
  EXPECT_EQ(Call("GET", "/api/v1/events?feed=Accessible-Telnet&tlp=RED", analyst_).body["total"],
            0);
  EXPECT_EQ(
      Call("GET", "/api/v1/events?feed=Accessible-Telnet&since=2999-01-01", analyst_).body["total"],
      0);
  EXPECT_EQ(Call("GET", "/api/v1/events?tlp=PURPLE", analyst_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/events?since=yesterday", analyst_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/events?offset=2&after=1", analyst_).status, 400);
  // A member counts only its own.
  EXPECT_EQ(Call("GET", "/api/v1/events?feed=Accessible-Telnet", amsterdam_).body["total"], 1);

  // One event for its detail page: another member's does not exist for a member's user.
  const std::string amsterdam_event =
      "/api/v1/events/" + std::to_string(own.body["events"][0]["baken.id"].get<int64_t>());
  const Reply detail = Call("GET", amsterdam_event, amsterdam_);
  ASSERT_EQ(detail.status, 200) << detail.text;
  EXPECT_EQ(detail.body["source.ip"], "192.0.2.20");
  EXPECT_EQ(Call("GET", amsterdam_event, rotterdam_).status, 404);
  EXPECT_EQ(Call("GET", amsterdam_event, analyst_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/events/999999999", analyst_).status, 404);

  // A file that is no report at all is refused with a code the portal words.
  const Reply unknown =
      Call("POST", "/api/v1/reports?name=export.csv", analyst_, "colour,shape\nred,round\n");
  ASSERT_EQ(unknown.status, 200) << unknown.text;
  EXPECT_EQ(unknown.body["parsed"], 0);
  ASSERT_EQ(unknown.body["errors"].size(), 1u);
  EXPECT_EQ(unknown.body["errors"][0]["code"], "feed.unrecognised");
}

TEST_F(ServerTest, AMemberSeesARedEventOnlyOnceAnAnalystReleasedItsMessage) {
  const std::string red_report =
      "timestamp,ip,port\n"
      "2026-11-21 01:00:00,192.0.2.30,23\n";
  const Reply uploaded = Call("POST", "/api/v1/reports?name=2026-11-21-scan_telnet-nl.csv&tlp=RED",
                              analyst_, red_report);
  ASSERT_EQ(uploaded.status, 200) << uploaded.text;
  ASSERT_EQ(uploaded.body["routed"], 1);
  // This test's findings (the suite shares one database) and their TLP levels.
  const auto ips = [](const Reply& reply) {
    std::map<std::string, std::string> tlp_by_ip;
    for (const Json& event : reply.body["events"]) {
      const std::string ip = event["source.ip"];
      if (ip == "192.0.2.30" || ip == "192.0.2.31") tlp_by_ip[ip] = event["tlp"];
    }
    return tlp_by_ip;
  };
  // Held for an analyst: the member's users do not see it, in any list; staff do.
  EXPECT_TRUE(ips(Call("GET", "/api/v1/events", amsterdam_)).empty());
  EXPECT_TRUE(ips(Call("GET", "/api/v1/events?member=GM0363&newest=true", amsterdam_)).empty());
  EXPECT_EQ(ips(Call("GET", "/api/v1/events?member=GM0363", analyst_)),
            (std::map<std::string, std::string>{{"192.0.2.30", "RED"}}));
  std::string red_event;
  const Reply staff_view = Call("GET", "/api/v1/events?member=GM0363", analyst_);
  for (const Json& event : staff_view.body["events"]) {
    if (event["source.ip"] == "192.0.2.30") {
      red_event = "/api/v1/events/" + std::to_string(event["baken.id"].get<int64_t>());
    }
  }
  ASSERT_FALSE(red_event.empty());
  EXPECT_EQ(Call("GET", red_event, amsterdam_).status, 404);
  // Plans the RED digest as a held message (nothing here can be delivered).
  RunBaken({"--db", db_, "notify", "--smtp", "smtp://127.0.0.1:1", "--retry-seconds", "0"});
  EXPECT_TRUE(ips(Call("GET", "/api/v1/events", amsterdam_)).empty());

  // An AMBER finding the member sees at once, marked as such.
  const Reply amber = Call("POST", "/api/v1/reports?name=2026-11-21-scan_rdp-nl.csv", analyst_,
                           "timestamp,ip,port,protocol\n2026-11-21 02:00:00,192.0.2.31,3389,tcp\n");
  ASSERT_EQ(amber.status, 200) << amber.text;
  EXPECT_EQ(ips(Call("GET", "/api/v1/events", amsterdam_)),
            (std::map<std::string, std::string>{{"192.0.2.31", "AMBER"}}));

  const Reply held = Call("GET", "/api/v1/outbox?state=held", analyst_);
  std::string id;
  for (const Json& message : held.body["messages"]) {
    if (message["member"] == "GM0363" && message["tlp"] == "RED" &&
        message["feed"] == "Accessible-Telnet") {
      id = std::to_string(message["id"].get<int64_t>());
      // Coded, so that the portal says why in the reader's language.
      EXPECT_EQ(message["reason_code"], "outbox.red_held");
    }
  }
  ASSERT_FALSE(id.empty()) << held.text;
  const Reply released = Call("POST", "/api/v1/outbox/" + id + "/release", analyst_);
  ASSERT_EQ(released.status, 200) << released.text;
  EXPECT_EQ(released.body["reason_code"], "outbox.released");
  EXPECT_EQ(released.body["reason_params"]["actor"], "analyst@cert.example.nl");
  // Released to Amsterdam: its users see it now, marked RED; Rotterdam's still do not.
  EXPECT_EQ(ips(Call("GET", "/api/v1/events", amsterdam_)),
            (std::map<std::string, std::string>{{"192.0.2.30", "RED"}, {"192.0.2.31", "AMBER"}}));
  EXPECT_TRUE(ips(Call("GET", "/api/v1/events", rotterdam_)).empty());
  EXPECT_EQ(Call("GET", red_event, amsterdam_).status, 200);
  EXPECT_EQ(Call("GET", red_event, rotterdam_).status, 404);
}

TEST_F(ServerTest, TheOutboxIsForAnalysts) {
  // A member's users see what was sent to their member (warning_test checks the content).
  const Reply own_outbox = Call("GET", "/api/v1/outbox", amsterdam_);
  EXPECT_EQ(own_outbox.status, 200) << own_outbox.text;
  EXPECT_EQ(Call("GET", "/api/v1/outbox?state=held", amsterdam_).status, 403);
  const Reply outbox = Call("GET", "/api/v1/outbox?state=held", analyst_);
  ASSERT_EQ(outbox.status, 200);
  EXPECT_TRUE(outbox.body["messages"].is_array());
  EXPECT_EQ(Call("GET", "/api/v1/outbox?state=lost", analyst_).status, 400);
}

}  // namespace
}  // namespace baken::testing

namespace baken::testing {
namespace {

// A CSAF document for the NetScaler gateway that GM0363 runs (13.1-49.13, with a CPE).
std::string NetScalerAdvisory(const std::string& version) {
  Json document = Json::parse(R"({
    "document": {"category": "csaf_security_advisory", "csaf_version": "2.0",
      "title": "NetScaler Gateway: session token leak",
      "publisher": {"category": "vendor", "name": "Citrix", "namespace": "https://www.citrix.com"},
      "distribution": {"tlp": {"label": "WHITE"}},
      "tracking": {"id": "CTX-TEST-0001", "version": "1", "status": "final",
        "initial_release_date": "2026-11-20T00:00:00Z", "current_release_date": "2026-11-20T00:00:00Z",
        "revision_history": [{"number": "1", "date": "2026-11-20T00:00:00Z", "summary": "first"}]}},
    "product_tree": {"branches": [{"category": "vendor", "name": "Citrix", "branches": [
      {"category": "product_name", "name": "NetScaler Gateway", "branches": [
        {"category": "product_version_range", "name": "vers:generic/<13.1-49.15",
         "product": {"name": "NetScaler Gateway < 13.1-49.15", "product_id": "CSAFPID-1",
           "product_identification_helper": {"cpe": "cpe:2.3:a:citrix:netscaler_gateway:*:*:*:*:*:*:*:*"}}}]}]}]},
    "vulnerabilities": [{"cve": "CVE-2026-0001", "product_status": {"known_affected": ["CSAFPID-1"]},
      "scores": [{"products": ["CSAFPID-1"], "cvss_v3": {"version": "3.1", "baseScore": 9.4,
        "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L", "baseSeverity": "CRITICAL"}}],
      "remediations": [{"category": "vendor_fix", "details": "Update to 13.1-49.15 or later.",
        "product_ids": ["CSAFPID-1"]}]}]
  })");
  document["document"]["tracking"]["version"] = version;
  return document.dump();
}

TEST_F(ServerTest, AdvisoriesAreUploadedListedAndMatchedByAnalystsOnly) {
  Reply uploaded =
      Call("POST", "/api/v1/advisories?name=ctx.json", analyst_, NetScalerAdvisory("1"));
  ASSERT_EQ(uploaded.status, 200) << uploaded.text;
  EXPECT_EQ(uploaded.body["imported"], 1);

  Reply list = Call("GET", "/api/v1/advisories", analyst_);
  ASSERT_EQ(list.status, 200);
  bool listed = false;
  for (const Json& advisory : list.body["advisories"]) listed |= advisory["id"] == "CTX-TEST-0001";
  EXPECT_TRUE(listed) << list.text;

  Reply detail = Call("GET", "/api/v1/advisories/CTX-TEST-0001", analyst_);
  ASSERT_EQ(detail.status, 200) << detail.text;
  EXPECT_EQ(detail.body["advisories"][0]["tlp"], "CLEAR");
  ASSERT_EQ(detail.body["matches"].size(), 1u) << detail.text;
  const Json& match = detail.body["matches"][0];
  EXPECT_EQ(match["member"], "GM0363");
  EXPECT_EQ(match["outcome"], "affected");
  EXPECT_EQ(match["tier"], "cpe");
  // CVSS 9.4 -> 4, no known exploitation 0, internet-facing over the network +1, high +1.
  EXPECT_EQ(match["risk"], "Hoog") << match.dump();

  // Members see warnings about their own systems (issue 4, later), not the matches of all.
  EXPECT_EQ(Call("GET", "/api/v1/advisories", amsterdam_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/advisories/CTX-TEST-0001", amsterdam_).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/advisories", amsterdam_, NetScalerAdvisory("2")).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/advisories/NO-SUCH-ADVISORY", analyst_).status, 404);

  Reply broken = Call("POST", "/api/v1/advisories", analyst_, R"({"document": {}})");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.content_type, "application/problem+json");
  EXPECT_THAT(broken.body["detail"].get<std::string>(),
              ::testing::HasSubstr("/document/tracking: missing"));
}

TEST_F(ServerTest, AMemberSeesItsOwnWarningsOnly) {
  // The suite shares one database: Amsterdam's gateway as in tests/data/registry/members.json.
  ASSERT_EQ(Call("PUT", "/api/v1/members/GM0363/assets", analyst_,
                 R"([{"name": "Remote access gateway", "vendor": "citrix",
                      "product": "netscaler gateway", "version": "13.1-49.13",
                      "cpe": "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*",
                      "criticality": "high", "internet_facing": true}])")
                .status,
            200);
  ASSERT_EQ(Call("POST", "/api/v1/advisories", analyst_, NetScalerAdvisory("1")).status, 200);
  // `baken notify` records the warnings when it plans them; the mail server is absent here,
  // so the messages wait in the outbox (which this test does not look at).
  const CommandResult notified =
      RunBaken({"--db", db_, "notify", "--smtp", "smtp://127.0.0.1:9", "--retry-seconds", "0"});
  EXPECT_THAT(notified.err + notified.out, ::testing::HasSubstr("CTX-TEST-0001"));

  Reply own = Call("GET", "/api/v1/warnings", amsterdam_);
  ASSERT_EQ(own.status, 200) << own.text;
  ASSERT_EQ(own.body["warnings"].size(), 1u) << own.text;
  const Json& warning = own.body["warnings"][0];
  EXPECT_EQ(warning["member"], "GM0363");
  EXPECT_EQ(warning["advisory"], "CTX-TEST-0001");
  EXPECT_EQ(warning["risk"], "Hoog");
  EXPECT_EQ(warning["affected"], 1);
  EXPECT_EQ(warning["tlp"], "AMBER");
  EXPECT_EQ(warning["revised"], false);

  // Rotterdam runs nothing the advisory names: it sees nothing, not even that it exists.
  Reply other = Call("GET", "/api/v1/warnings", rotterdam_);
  ASSERT_EQ(other.status, 200);
  EXPECT_TRUE(other.body["warnings"].empty()) << other.text;
  EXPECT_EQ(Call("GET", "/api/v1/warnings", analyst_).body["warnings"].size(), 1u);

  EXPECT_TRUE(
      Call("GET", "/api/v1/warnings?since=2999-01-01", amsterdam_).body["warnings"].empty());
  Reply bad = Call("GET", "/api/v1/warnings?since=yesterday", amsterdam_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body["detail"].get<std::string>(), ::testing::HasSubstr("since 'yesterday'"));
  EXPECT_EQ(Call("GET", "/api/v1/warnings", "").status, 401);

  // Paged as events are: the true total, offset and limit.
  EXPECT_EQ(own.body["total"], 1);
  EXPECT_EQ(own.body["offset"], 0);
  EXPECT_EQ(own.body["limit"], 100);
  EXPECT_EQ(warning["state"], "open");
  const std::string state_path = "/api/v1/warnings/" + warning["id"].dump() + "/state";
  // Rotterdam cannot mark Amsterdam's warning, nor learn that it exists.
  const Reply foreign = Call("POST", state_path, rotterdam_, R"({"state": "handled"})");
  EXPECT_EQ(foreign.status, 404) << foreign.text;
  EXPECT_EQ(
      Call("POST", "/api/v1/warnings/999999/state", amsterdam_, R"({"state": "handled"})").status,
      404);
  const Reply unknown = Call("POST", state_path, amsterdam_, R"({"state": "gedaan"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["code"], "warning.state_unknown");
  EXPECT_EQ(unknown.body["params"]["value"], "gedaan");
  EXPECT_EQ(Call("POST", state_path, amsterdam_, R"({"note": "no state"})").status, 400);

  const Reply marked = Call("POST", state_path, amsterdam_,
                            R"({"state": "not_applicable", "note": "Gateway staat uit"})");
  ASSERT_EQ(marked.status, 200) << marked.text;
  EXPECT_EQ(marked.body["state"], "not_applicable");
  EXPECT_EQ(marked.body["state_by"], "user:soc@amsterdam.example.nl");
  EXPECT_EQ(marked.body["state_note"], "Gateway staat uit");
  EXPECT_EQ(Call("GET", "/api/v1/warnings?state=open", amsterdam_).body["total"], 0);
  const Reply by_state = Call("GET", "/api/v1/warnings?state=not_applicable", amsterdam_);
  EXPECT_EQ(by_state.body["total"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/warnings?state=closed", amsterdam_).body["code"],
            "warning.state_unknown");
  EXPECT_EQ(Call("GET", "/api/v1/warnings?sort=oldest", amsterdam_).body["code"],
            "warning.sort_unknown");
  // The analyst's list has the member's real state, and filters by member.
  const Reply staff =
      Call("GET", "/api/v1/warnings?member=GM0363&state=not_applicable&sort=risk", analyst_);
  ASSERT_EQ(staff.body["warnings"].size(), 1u) << staff.text;
  EXPECT_EQ(staff.body["warnings"][0]["state"], "not_applicable");
  EXPECT_EQ(Call("GET", "/api/v1/warnings?member=GM0599", analyst_).body["total"], 0);
  const Reply detail = Call("GET", "/api/v1/warnings/" + warning["id"].dump(), amsterdam_);
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(detail.body["state"], "not_applicable");
  EXPECT_EQ(detail.body["findings"][0]["version_found"], "13.1-49.13");
  EXPECT_THAT(Call("GET", "/api/v1/audit?limit=5", analyst_).text, HasSubstr("warning.state"));
}

// The portal's sign-in: a session cookie, its CSRF token, the lock after repeated failures,
// and the security headers on every response.
class SessionTest : public ServerTest {
 protected:
  struct Raw {
    int status = 0;
    httplib::Headers headers;
    Json body;
  };
  static Raw Send(const std::string& method, const std::string& path,
                  const httplib::Headers& headers, const std::string& body = "") {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    httplib::Result result = method == "GET"      ? client.Get(path, headers)
                             : method == "DELETE" ? client.Delete(path, headers)
                             : method == "PUT"
                                 ? client.Put(path, headers, body, "application/json")
                                 : client.Post(path, headers, body, "application/json");
    Raw raw;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return raw;
    }
    raw.status = result->status;
    raw.headers = result->headers;
    raw.body = Json::parse(result->body, nullptr, false);
    return raw;
  }
  static Raw SignIn(const std::string& email, const std::string& password) {
    return Send("POST", "/api/v1/session", {},
                Json{{"email", email}, {"password", password}}.dump());
  }
  // "baken_session=VALUE" from a Set-Cookie header.
  static std::string CookieFrom(const Raw& reply) {
    const std::string set_cookie = reply.headers.count("Set-Cookie") != 0
                                       ? reply.headers.find("Set-Cookie")->second
                                       : std::string();
    return set_cookie.substr(0, set_cookie.find(';'));
  }
};

TEST_F(SessionTest, AMemberSignsInWorksWithTheCsrfTokenAndSignsOut) {
  const Raw signed_in = SignIn("soc@amsterdam.example.nl", "correct horse battery staple");
  ASSERT_EQ(signed_in.status, 201) << signed_in.body.dump();
  const std::string set_cookie = signed_in.headers.find("Set-Cookie")->second;
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(set_cookie, Not(HasSubstr("Secure")));  // plain http on loopback
  EXPECT_EQ(signed_in.body["member"], "GM0363");
  const std::string csrf = signed_in.body["csrf_token"];
  ASSERT_FALSE(csrf.empty());
  const httplib::Headers cookie = {{"Cookie", CookieFrom(signed_in)}};

  EXPECT_EQ(Send("GET", "/api/v1/session", cookie).body["email"], "soc@amsterdam.example.nl");
  const Raw own = Send("GET", "/api/v1/members/GM0363", cookie);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/members/GM0599", cookie).status, 404);

  // A changing request needs the CSRF token: another site's form cannot supply it.
  const std::string contacts = own.body["contacts"].dump();
  EXPECT_EQ(Send("PUT", "/api/v1/members/GM0363/contacts", cookie, contacts).status, 403);
  httplib::Headers with_csrf = cookie;
  with_csrf.emplace("X-CSRF-Token", "wrong");
  EXPECT_EQ(Send("PUT", "/api/v1/members/GM0363/contacts", with_csrf, contacts).status, 403);
  with_csrf = cookie;
  with_csrf.emplace("X-CSRF-Token", csrf);
  EXPECT_EQ(Send("PUT", "/api/v1/members/GM0363/contacts", with_csrf, contacts).status, 200);

  const Raw out = Send("DELETE", "/api/v1/session", with_csrf);
  EXPECT_EQ(out.status, 200);
  EXPECT_THAT(out.headers.find("Set-Cookie")->second, HasSubstr("Max-Age=0"));
  EXPECT_EQ(Send("GET", "/api/v1/session", cookie).status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/members/GM0363", cookie).status, 401);
}

TEST_F(SessionTest, RepeatedFailuresLockTheAccountAndEveryRefusalLooksTheSame) {
  const Raw unknown = SignIn("nobody@example.nl", "correct horse battery staple");
  EXPECT_EQ(unknown.status, 401);
  for (int attempt = 0; attempt < 5; ++attempt) {
    const Raw wrong = SignIn("ciso@rotterdam.example.nl", "wrong password, attempt");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.body["detail"], unknown.body["detail"]);
  }
  // Locked: the right password is refused too, with the same answer.
  const Raw locked = SignIn("ciso@rotterdam.example.nl", "correct horse battery staple");
  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(locked.body["detail"], unknown.body["detail"]);
  EXPECT_EQ(locked.headers.count("Set-Cookie"), 0u);
  // The lock is in the audit log for analysts.
  const Reply audit = Call("GET", "/api/v1/audit?limit=20", analyst_);
  ASSERT_EQ(audit.status, 200) << audit.text;
  EXPECT_THAT(audit.text, HasSubstr("session.locked"));
  EXPECT_THAT(audit.text, HasSubstr("127.0.0.1"));  // the source it is locked out from
  // Issue 12, finding 9: the account's API token is refused from the locked-out address too,
  // saying why.
  const Reply token_while_locked = Call("GET", "/api/v1/members/GM0599", rotterdam_);
  EXPECT_EQ(token_while_locked.status, 401);
  EXPECT_THAT(token_while_locked.body["detail"].get<std::string>(), HasSubstr("locked"));
  // An analyst lifts the lock.
  Cli({"user", "unlock", "--email", "ciso@rotterdam.example.nl"});
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0599", rotterdam_).status, 200);
  EXPECT_EQ(SignIn("ciso@rotterdam.example.nl", "correct horse battery staple").status, 201);
  EXPECT_EQ(SignIn("soc@amsterdam.example.nl", "").status, 401);
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, "not json").status, 400);
}

// The second factor over HTTP: offered with a QR code, confirmed with the app's code, then
// asked for at sign-in (and only after the right password); an analyst resets it.
TEST_F(SessionTest, TheSecondFactorIsOfferedConfirmedAndThenAskedFor) {
  const Raw signed_in = SignIn("soc@amsterdam.example.nl", "correct horse battery staple");
  ASSERT_EQ(signed_in.status, 201);
  EXPECT_EQ(signed_in.body["totp"], false);
  httplib::Headers session = {{"Cookie", CookieFrom(signed_in)},
                              {"X-CSRF-Token", signed_in.body["csrf_token"].get<std::string>()}};
  EXPECT_EQ(Send("POST", "/api/v1/session/totp", {{"Cookie", CookieFrom(signed_in)}}).status, 403);
  const Raw offer = Send("POST", "/api/v1/session/totp", session);
  ASSERT_EQ(offer.status, 201) << offer.body.dump();
  const std::string secret = offer.body["secret"];
  EXPECT_THAT(offer.body["uri"].get<std::string>(),
              HasSubstr("otpauth://totp/Baken:soc%40amsterdam.example.nl?secret=" + secret));
  EXPECT_THAT(offer.body["qr_svg"].get<std::string>(), HasSubstr("<svg"));

  const auto now = std::chrono::system_clock::now();
  const std::string password = "correct horse battery staple";
  const Raw wrong = Send(
      "POST", "/api/v1/session/totp/confirm", session,
      Json{{"password", password}, {"code", *auth::TotpCode(secret, now + std::chrono::hours(1))}}
          .dump());
  EXPECT_EQ(wrong.status, 400);
  EXPECT_THAT(wrong.body["detail"].get<std::string>(), HasSubstr("code"));
  // Issue 12, finding 8: the session cookie alone does not turn the factor on; the password
  // is asked again, and a wrong one is refused and audited.
  const Raw without_password = Send("POST", "/api/v1/session/totp/confirm", session,
                                    Json{{"code", *auth::TotpCode(secret, now)}}.dump());
  EXPECT_EQ(without_password.status, 400);
  EXPECT_THAT(without_password.body["detail"].get<std::string>(), HasSubstr("password"));
  const Raw wrong_password_on = Send(
      "POST", "/api/v1/session/totp/confirm", session,
      Json{{"password", "a stolen cookie's guess"}, {"code", *auth::TotpCode(secret, now)}}.dump());
  EXPECT_EQ(wrong_password_on.status, 400);
  EXPECT_THAT(wrong_password_on.body["detail"].get<std::string>(), HasSubstr("password"));
  EXPECT_EQ(Send("GET", "/api/v1/session", session).body["totp"], false);
  EXPECT_THAT(Call("GET", "/api/v1/audit?limit=5", analyst_).text,
              HasSubstr("user.password_refused"));
  const Raw confirmed =
      Send("POST", "/api/v1/session/totp/confirm", session,
           Json{{"password", password}, {"code", *auth::TotpCode(secret, now)}}.dump());
  ASSERT_EQ(confirmed.status, 200) << confirmed.body.dump();
  EXPECT_EQ(confirmed.body["totp"], true);

  const Raw asked = SignIn("soc@amsterdam.example.nl", "correct horse battery staple");
  EXPECT_EQ(asked.status, 401);
  EXPECT_EQ(asked.body["second_factor"], "totp");
  EXPECT_EQ(asked.headers.count("Set-Cookie"), 0u);
  const Raw wrong_password = SignIn("soc@amsterdam.example.nl", "not the password at all");
  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_FALSE(wrong_password.body.contains("second_factor"));
  // The next step's code (the app shows it within 30 s; accepted one step either way).
  const Raw with_code = Send("POST", "/api/v1/session", {},
                             Json{{"email", "soc@amsterdam.example.nl"},
                                  {"password", "correct horse battery staple"},
                                  {"code", *auth::TotpCode(secret, now + std::chrono::seconds(30))}}
                                 .dump());
  EXPECT_EQ(with_code.status, 201) << with_code.body.dump();
  EXPECT_EQ(with_code.body["totp"], true);

  const Reply audit = Call("GET", "/api/v1/audit?limit=20", analyst_);
  EXPECT_THAT(audit.text, HasSubstr("user.totp_on"));
  // Managing the factor needs the session (its CSRF token), not an API token.
  EXPECT_EQ(Send("POST", "/api/v1/session/totp/disable", {{"Cookie", CookieFrom(signed_in)}},
                 Json{{"code", "123456"}}.dump())
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/session/totp", amsterdam_).status, 403);
  const Raw wrong_disable = Send("POST", "/api/v1/session/totp/disable", session,
                                 Json{{"password", password}, {"code", "not a code"}}.dump());
  EXPECT_EQ(wrong_disable.status, 400);
  // A current code without the right password does not turn it off either.
  const Raw disable_without_password =
      Send("POST", "/api/v1/session/totp/disable", session,
           Json{{"password", "a stolen cookie's guess"},
                {"code", *auth::TotpCode(secret, now + std::chrono::seconds(60))}}
               .dump());
  EXPECT_EQ(disable_without_password.status, 400);
  EXPECT_THAT(disable_without_password.body["detail"].get<std::string>(), HasSubstr("password"));
  EXPECT_EQ(Send("GET", "/api/v1/session", session).body["totp"], true);
  Cli({"user", "reset-totp", "--email", "soc@amsterdam.example.nl"});
  EXPECT_EQ(SignIn("soc@amsterdam.example.nl", "correct horse battery staple").status, 201);
  EXPECT_THAT(Call("GET", "/api/v1/audit?limit=20", analyst_).text, HasSubstr("user.totp_reset"));
}

// Issue 12, finding 9, in the portal: a signed-in user makes (shown once), lists and revokes
// their own API tokens, and never sees or revokes another user's.
TEST_F(SessionTest, AUserManagesTheirOwnApiTokensOnly) {
  const Raw amsterdam = SignIn("soc@amsterdam.example.nl", "correct horse battery staple");
  ASSERT_EQ(amsterdam.status, 201);
  const httplib::Headers mine = {{"Cookie", CookieFrom(amsterdam)},
                                 {"X-CSRF-Token", amsterdam.body["csrf_token"].get<std::string>()}};
  const Raw made = Send("POST", "/api/v1/session/tokens", mine,
                        Json{{"label", "SIEM export"}, {"expires_in_days", 30}}.dump());
  ASSERT_EQ(made.status, 201) << made.body.dump();
  const std::string token = made.body["token"];
  const int64_t id = made.body["id"];
  EXPECT_EQ(made.body["label"], "SIEM export");
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363", token).status, 200);

  const Raw listed = Send("GET", "/api/v1/session/tokens", mine);
  ASSERT_EQ(listed.status, 200);
  bool found = false;
  for (const Json& item : listed.body["tokens"]) {
    EXPECT_FALSE(item.contains("token"));
    found = found || item["id"] == id;
  }
  EXPECT_TRUE(found) << listed.body.dump();
  EXPECT_THAT(listed.body.dump(), Not(HasSubstr(token)));

  // Another user, even an analyst, neither sees nor revokes it: these routes are the user's
  // own tokens, whatever the role (staff use `baken token`).
  const Raw analyst = SignIn("analyst@cert.example.nl", "correct horse battery staple");
  ASSERT_EQ(analyst.status, 201);
  const httplib::Headers theirs = {{"Cookie", CookieFrom(analyst)},
                                   {"X-CSRF-Token", analyst.body["csrf_token"].get<std::string>()}};
  EXPECT_THAT(Send("GET", "/api/v1/session/tokens", theirs).body.dump(),
              Not(HasSubstr("SIEM export")));
  const std::string path = "/api/v1/session/tokens/" + std::to_string(id);
  EXPECT_EQ(Send("DELETE", path, theirs).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363", token).status, 200);
  // Only in a portal session with its CSRF token; a token makes no tokens.
  EXPECT_EQ(Send("DELETE", path, {{"Cookie", CookieFrom(amsterdam)}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/session/tokens", token, "{}").status, 403);
  EXPECT_EQ(
      Send("POST", "/api/v1/session/tokens", mine, Json{{"expires_in_days", 0}}.dump()).status,
      400);

  const Raw revoked = Send("DELETE", path, mine);
  EXPECT_EQ(revoked.status, 200) << revoked.body.dump();
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363", token).status, 401);
  EXPECT_EQ(Send("DELETE", path, mine).status, 404);
  const Reply audit = Call("GET", "/api/v1/audit?limit=20", analyst_);
  EXPECT_THAT(audit.text, HasSubstr("token.revoke"));
}

// The signed-in user's password and sessions: the password changes with the current one
// (12 characters at least) and ends the user's other sessions; a session is ended by its own
// user only, and ending the current one signs out. A user of its own, so that the others'
// passwords stay as the suite has them.
TEST_F(SessionTest, APasswordChangeEndsOtherSessionsAndSessionsAreEndedOneByOne) {
  const std::string email = "wachtwoord@amsterdam.example.nl";
  const std::string old_password = "correct horse battery staple";
  Cli({"user", "add", "--email", email, "--role", "member", "--member", "GM0363",
       "--password-stdin"},
      old_password + "\n");
  const Raw office = SignIn(email, old_password);
  const Raw phone = SignIn(email, old_password);
  ASSERT_EQ(office.status, 201);
  ASSERT_EQ(phone.status, 201);
  const httplib::Headers at_office = {
      {"Cookie", CookieFrom(office)},
      {"X-CSRF-Token", office.body["csrf_token"].get<std::string>()}};
  const httplib::Headers on_phone = {{"Cookie", CookieFrom(phone)},
                                     {"X-CSRF-Token", phone.body["csrf_token"].get<std::string>()}};

  const Raw listed = Send("GET", "/api/v1/session/sessions", at_office);
  ASSERT_EQ(listed.status, 200) << listed.body.dump();
  ASSERT_EQ(listed.body["sessions"].size(), 2u);
  int current = 0;
  for (const Json& session : listed.body["sessions"]) {
    EXPECT_EQ(session["source"], "127.0.0.1");
    EXPECT_FALSE(session["created_at"].get<std::string>().empty());
    current += session["current"].get<bool>() ? 1 : 0;
  }
  EXPECT_EQ(current, 1);
  // Another user's session does not exist for this one.
  const Raw others = SignIn("ciso@rotterdam.example.nl", old_password);
  ASSERT_EQ(others.status, 201);
  const httplib::Headers rotterdam = {
      {"Cookie", CookieFrom(others)},
      {"X-CSRF-Token", others.body["csrf_token"].get<std::string>()}};
  for (const Json& session : listed.body["sessions"]) {
    EXPECT_EQ(Send("DELETE", "/api/v1/session/sessions/" + session["id"].dump(), rotterdam).status,
              404);
  }
  EXPECT_EQ(Call("GET", "/api/v1/session/sessions", amsterdam_).status, 403);

  // The password: the current one must be right, the new one long enough and different.
  const auto change = [&](const std::string& current_password, const std::string& replacement) {
    return Send("POST", "/api/v1/session/password", at_office,
                Json{{"current_password", current_password}, {"new_password", replacement}}.dump());
  };
  const Raw wrong = change("not my password", "a new long passphrase");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.body["code"], "session.password_wrong");
  const Raw short_one = change(old_password, "too short");
  EXPECT_EQ(short_one.status, 400);
  EXPECT_EQ(short_one.body["code"], "password.too_short");
  EXPECT_EQ(short_one.body["params"]["min"], "12");
  EXPECT_EQ(change(old_password, old_password).body["code"], "password.unchanged");
  EXPECT_EQ(Call("POST", "/api/v1/session/password", amsterdam_,
                 Json{{"current_password", old_password}, {"new_password", "x"}}.dump())
                .body["code"],
            "password.session_only");
  EXPECT_EQ(Send("GET", "/api/v1/session", on_phone).status, 200);  // nothing changed yet

  const Raw changed = change(old_password, "een nieuwe lange wachtzin");
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  EXPECT_EQ(Send("GET", "/api/v1/session", on_phone).status, 401);  // the other one ended
  EXPECT_EQ(Send("GET", "/api/v1/session", at_office).status, 200);
  EXPECT_EQ(SignIn(email, old_password).status, 401);
  const Raw again = SignIn(email, "een nieuwe lange wachtzin");
  ASSERT_EQ(again.status, 201);

  // Ending another of one's own sessions; then this one, which signs out here.
  const Raw two = Send("GET", "/api/v1/session/sessions", at_office);
  ASSERT_EQ(two.body["sessions"].size(), 2u) << two.body.dump();
  for (const Json& session : two.body["sessions"]) {
    if (session["current"].get<bool>()) continue;
    const Raw ended = Send("DELETE", "/api/v1/session/sessions/" + session["id"].dump(), at_office);
    EXPECT_EQ(ended.status, 200);
    EXPECT_EQ(ended.body["signed_out"], false);
  }
  EXPECT_EQ(Send("GET", "/api/v1/session", {{"Cookie", CookieFrom(again)}}).status, 401);
  const Raw one = Send("GET", "/api/v1/session/sessions", at_office);
  ASSERT_EQ(one.body["sessions"].size(), 1u);
  const Raw self =
      Send("DELETE", "/api/v1/session/sessions/" + one.body["sessions"][0]["id"].dump(), at_office);
  EXPECT_EQ(self.status, 200);
  EXPECT_EQ(self.body["signed_out"], true);
  EXPECT_THAT(self.headers.find("Set-Cookie")->second, HasSubstr("Max-Age=0"));
  EXPECT_EQ(Send("GET", "/api/v1/session", at_office).status, 401);

  const std::string audit = Call("GET", "/api/v1/audit?limit=30", analyst_).text;
  EXPECT_THAT(audit, HasSubstr("user.password_change"));
  EXPECT_THAT(audit, HasSubstr("session.revoke"));
  EXPECT_THAT(audit, HasSubstr("user.password_refused"));
}

// Issue 12, finding 9: an expired token is refused with a 401 that says so, and a disabled
// account's token, session and sign-in all stop until an analyst enables it again.
TEST_F(SessionTest, ExpiredTokensAndDisabledAccountsAreRefused) {
  const std::string expired_token = "bkn_expired-token-for-this-test";
  {
    auto store = store::Store::Open(db_);
    ASSERT_TRUE(store) << store.error().message;
    auto tx = (*store)->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    auto user = (*tx)->Accounts().FindUserByEmail("soc@amsterdam.example.nl");
    ASSERT_TRUE(user && *user);
    ASSERT_TRUE((*tx)->Accounts().AddToken(
        {0, (*user)->id, "", "", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"},
        auth::HashToken(expired_token)));
    ASSERT_TRUE((*tx)->Commit());
  }
  const Reply expired = Call("GET", "/api/v1/members/GM0363", expired_token);
  EXPECT_EQ(expired.status, 401);
  EXPECT_THAT(expired.body["detail"].get<std::string>(),
              HasSubstr("expired at 2026-01-01T00:00:00Z"));

  const Raw signed_in = SignIn("soc@amsterdam.example.nl", "correct horse battery staple");
  ASSERT_EQ(signed_in.status, 201);
  const httplib::Headers cookie = {{"Cookie", CookieFrom(signed_in)}};
  Cli({"user", "disable", "--email", "soc@amsterdam.example.nl"});
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363", amsterdam_).status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/session", cookie).status, 401);
  const Raw refused = SignIn("soc@amsterdam.example.nl", "correct horse battery staple");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body["detail"], SignIn("nobody@example.nl", "whatever it is").body["detail"]);
  Cli({"user", "enable", "--email", "soc@amsterdam.example.nl"});
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363", amsterdam_).status, 200);
  EXPECT_EQ(SignIn("soc@amsterdam.example.nl", "correct horse battery staple").status, 201);
  EXPECT_THAT(Call("GET", "/api/v1/audit?limit=20", analyst_).text, HasSubstr("user.disable"));
}

TEST_F(SessionTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const std::string path : {"/", "/api/v1/openapi.json", "/api/v1/members"}) {
    const Raw reply = Send("GET", path, {});
    const auto csp = reply.headers.find("Content-Security-Policy");
    ASSERT_NE(csp, reply.headers.end()) << path;
    EXPECT_THAT(csp->second, HasSubstr("default-src 'self'")) << path;
    EXPECT_THAT(csp->second, HasSubstr("frame-ancestors 'none'")) << path;
    EXPECT_EQ(reply.headers.find("X-Content-Type-Options")->second, "nosniff") << path;
    EXPECT_EQ(reply.headers.count("X-Content-Type-Options"), 1u) << path;
    EXPECT_EQ(reply.headers.find("Referrer-Policy")->second, "no-referrer") << path;
  }
}

// The portal uploads the inventory spreadsheet as it is (text/csv), in the format of
// `baken member import-assets`; a bad line is named and nothing is replaced.
TEST_F(ServerTest, AssetsReplacedFromTheInventoryCsv) {
  const std::string csv =
      "Name;Vendor;Product;Version;Criticality;Internet_facing\n"
      "Mailserver;Microsoft;Exchange Server;15.2.1544.4;high;ja\n"
      "Firewall;Fortinet;FortiOS;7.2.5;critical;nee\n";
  const Reply replaced =
      Call("PUT", "/api/v1/members/GM0363/assets", amsterdam_, csv, "text/csv; charset=utf-8");
  ASSERT_EQ(replaced.status, 200) << replaced.text;
  ASSERT_EQ(replaced.body.size(), 2u) << replaced.text;
  EXPECT_EQ(replaced.body[0]["name"], "Mailserver");
  EXPECT_EQ(replaced.body[0]["internet_facing"], true);
  EXPECT_EQ(replaced.body[1]["criticality"], "critical");

  const Reply bad = Call("PUT", "/api/v1/members/GM0363/assets", amsterdam_,
                         "name,vendor,product\nOnly a name,,\n", "text/csv");
  EXPECT_EQ(bad.status, 400) << bad.text;
  EXPECT_THAT(bad.body["detail"].get<std::string>(), HasSubstr("line 2"));
  EXPECT_EQ(Call("GET", "/api/v1/members/GM0363/assets", amsterdam_).body.size(), 2u);
  // Another member's user learns nothing, not even whether the file was valid.
  EXPECT_EQ(Call("PUT", "/api/v1/members/GM0363/assets", rotterdam_, csv, "text/csv").status, 404);
}

// A built portal is served at "/" with its files; its own routes (deep links) get its page,
// while missing files and unknown API paths stay 404.
TEST(PortalTest, DeepLinksGetThePortalPageAndMissingFilesStay404) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "web" / "assets");
  std::ofstream(dir.path() / "web" / "index.html") << "<!doctype html><title>portal marker</title>";
  std::ofstream(dir.path() / "web" / "assets" / "app.js") << "console.log('app')";
  store::testing::TestDatabase database;
  BakenServer server(database.location(), {"--web-root", (dir.path() / "web").string()});
  ASSERT_TRUE(server.running());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5, 0);
  for (const std::string path : {"/", "/members/GM0363", "/warnings/3"}) {
    auto page = client.Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 200) << path;
    EXPECT_THAT(page->body, HasSubstr("portal marker")) << path;
    EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html")) << path;
    EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  }
  auto script = client.Get("/assets/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->body, "console.log('app')");
  EXPECT_EQ(script->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(client.Get("/")->get_header_value("Cache-Control"), "no-cache");
  for (const std::string path : {"/assets/missing.js", "/api/v1/nothing", "/api/v1/members/x/y"}) {
    auto missing = client.Get(path);
    ASSERT_TRUE(missing) << path;
    EXPECT_EQ(missing->status, 404) << path;
    EXPECT_THAT(missing->body, Not(HasSubstr("portal marker"))) << path;
  }
}

// The build compresses the portal's files once (web/scripts/precompress.mjs): the server sends
// the compressed copy the browser takes, as it is, and the file itself to one that takes none.
TEST(PortalTest, PrecompressedFilesAreSentAsTheyAreWhenTheBrowserTakesThem) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "web" / "assets");
  std::ofstream(dir.path() / "web" / "index.html") << "<!doctype html><title>portal</title>";
  std::ofstream(dir.path() / "web" / "assets" / "app.css") << "body{color:#154273}";
  // Not real compressed data: the test checks that these bytes are sent untouched.
  std::ofstream(dir.path() / "web" / "assets" / "app.css.br") << "BROTLI-BYTES";
  std::ofstream(dir.path() / "web" / "assets" / "app.css.gz") << "GZIP-BYTES";
  store::testing::TestDatabase database;
  BakenServer server(database.location(), {"--web-root", (dir.path() / "web").string()});
  ASSERT_TRUE(server.running());
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5, 0);
  client.set_decompress(false);
  const auto get = [&](const std::string& accept) {
    httplib::Headers headers;
    if (!accept.empty()) headers.emplace("Accept-Encoding", accept);
    auto reply = client.Get("/assets/app.css", headers);
    EXPECT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_THAT(reply->get_header_value("Content-Type"), HasSubstr("text/css"));
    EXPECT_EQ(reply->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(reply->get_header_value("Vary"), "Accept-Encoding");
    return std::pair{reply->get_header_value("Content-Encoding"), reply->body};
  };
  EXPECT_EQ(get("gzip, deflate, br"), (std::pair<std::string, std::string>{"br", "BROTLI-BYTES"}));
  EXPECT_EQ(get("gzip"), (std::pair<std::string, std::string>{"gzip", "GZIP-BYTES"}));
  EXPECT_EQ(get("br;q=0, gzip;q=0.5"), (std::pair<std::string, std::string>{"gzip", "GZIP-BYTES"}));
  EXPECT_EQ(get(""), (std::pair<std::string, std::string>{"", "body{color:#154273}"}));
}

}  // namespace
}  // namespace baken::testing
