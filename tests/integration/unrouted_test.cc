// The unrouted workflow and the overview over real HTTP to a real `baken serve` on loopback:
// unrouted events grouped by network and by AS number with true totals (analysts only),
// assigning a group to a member (an approved, audited claim that routes new findings only),
// findings per week scoped to the caller's member, and "new since your last visit" kept per
// user across sign-ins. The clock is an input where the service is called directly.

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "service/events_service.h"
#include "service/session_service.h"
#include "store/store.h"
#include "store/test_database.h"
#include "support/baken_process.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
  std::string text;
  std::string set_cookie;
};

constexpr const char* kPassword = "correct horse battery staple";

class UnroutedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Cli({"member", "import", (SourceDir() / "tests/data/registry/members.json").string()});
    analyst_ = AddUser("analyst@cert.example.nl", "analyst", "");
    amsterdam_ = AddUser("soc@amsterdam.example.nl", "member", "GM0363");
    rotterdam_ = AddUser("ciso@rotterdam.example.nl", "member", "GM0599");
    server_ = std::make_unique<BakenServer>(db_);
    ASSERT_TRUE(server_->running());
  }

  void Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", db_};
    full.insert(full.end(), args.begin(), args.end());
    const auto result = RunBaken(full, input);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    last_out_ = result.out;
  }
  std::string AddUser(const std::string& email, const std::string& role,
                      const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, std::string(kPassword) + "\n");
    Cli({"--json", "token", "create", "--email", email});
    return Json::parse(last_out_)["token"];
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "", httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(60, 0);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto result = method == "GET" ? client.Get(path, headers)
                                  : client.Post(path, headers, body, "application/json");
    Reply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.text = result->body;
    reply.body = Json::parse(result->body, nullptr, false);
    reply.set_cookie = result->get_header_value("Set-Cookie");
    return reply;
  }

  // A telnet scan report; `rows` are "ip,asn" pairs, all seen at one time.
  Reply Upload(const std::string& name, const std::vector<std::string>& rows) {
    std::string report = "timestamp,ip,port,asn\n";
    for (const auto& row : rows) {
      const auto comma = row.find(',');
      report +=
          "2026-11-21 01:00:00," + row.substr(0, comma) + ",23," + row.substr(comma + 1) + "\n";
    }
    return Call("POST", "/api/v1/reports?name=" + name, analyst_, report);
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
  std::string db_ = database_.location();
  std::string last_out_;
  std::unique_ptr<BakenServer> server_;
  std::string analyst_;
  std::string amsterdam_;
  std::string rotterdam_;
};

TEST_F(UnroutedTest, AnalystsSeeUnroutedEventsGroupedWithTrueTotalsAndMembersNever) {
  // No member owns 10/8 nor AS64496/64497; 192.0.2.20 is Amsterdam's.
  const Reply uploaded =
      Upload("2026-11-21-scan_telnet-nl.csv",
             {"10.9.9.1,64496", "10.9.9.2,64496", "10.9.9.3,64497", "10.8.1.1,64496", "10.7.1.1,0",
              "192.0.2.20,64500", "2001:db8:5:1::1,64497", "2001:db8:5:ffff::2,64497"});
  ASSERT_EQ(uploaded.status, 200) << uploaded.text;
  ASSERT_EQ(uploaded.body["unrouted"], 7);

  for (const std::string& token : {amsterdam_, rotterdam_}) {
    EXPECT_EQ(Call("GET", "/api/v1/events/unrouted/groups?by=prefix", token).status, 403);
    EXPECT_EQ(Call("POST", "/api/v1/events/unrouted/assign", token,
                   R"({"member":"GM0363","kind":"netblock","value":"10.9.9.0/24"})")
                  .status,
              403);
  }

  const Reply prefixes = Call("GET", "/api/v1/events/unrouted/groups?by=prefix", analyst_);
  ASSERT_EQ(prefixes.status, 200) << prefixes.text;
  EXPECT_EQ(prefixes.body["total"], 4);
  EXPECT_EQ(prefixes.body["events"], 7);
  EXPECT_EQ(prefixes.body["without_key"], 0);
  const Json& first = prefixes.body["groups"][0];
  EXPECT_EQ(first["key"], "10.9.9.0/24");
  EXPECT_EQ(first["events"], 3);
  EXPECT_EQ(first["feeds"], Json::array({"Accessible-Telnet"}));
  EXPECT_EQ(first["types"], Json::array({"vulnerable-system"}));
  EXPECT_FALSE(first["first_seen"].get<std::string>().empty());
  EXPECT_TRUE(first["overlaps"].empty());

  // An IPv6 address groups by its /48.
  EXPECT_EQ(prefixes.body["groups"][1]["key"], "2001:db8:5::/48");
  EXPECT_EQ(prefixes.body["groups"][1]["events"], 2);

  // Paging: the total stays the number of all groups.
  const Reply third =
      Call("GET", "/api/v1/events/unrouted/groups?by=prefix&offset=2&limit=1", analyst_);
  ASSERT_EQ(third.body["groups"].size(), 1u);
  EXPECT_EQ(third.body["total"], 4);
  EXPECT_EQ(third.body["groups"][0]["key"], "10.7.1.0/24");  // equal counts: by key

  // By AS number: 10.7.1.1's AS 0 is no AS number, so that event is in no group.
  const Reply asns = Call("GET", "/api/v1/events/unrouted/groups?by=asn", analyst_);
  ASSERT_EQ(asns.status, 200) << asns.text;
  EXPECT_EQ(asns.body["total"], 2);
  EXPECT_EQ(asns.body["without_key"], 1);
  EXPECT_EQ(asns.body["groups"][0]["key"], "64496");
  EXPECT_EQ(asns.body["groups"][0]["events"], 3);
  EXPECT_EQ(asns.body["groups"][1]["key"], "64497");
  EXPECT_EQ(asns.body["groups"][1]["events"], 3);

  const Reply wrong = Call("GET", "/api/v1/events/unrouted/groups?by=city", analyst_);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_THAT(wrong.body["detail"].get<std::string>(), HasSubstr("city"));
}

TEST_F(UnroutedTest, AssigningAGroupApprovesAClaimThatRoutesNewFindingsOnly) {
  ASSERT_EQ(Upload("2026-11-21-scan_telnet-nl.csv", {"10.9.9.1,64496", "10.9.9.2,64496"}).status,
            200);
  const Reply assigned = Call("POST", "/api/v1/events/unrouted/assign", analyst_,
                              R"({"member":"GM0599","kind":"netblock","value":"10.9.9.0/24"})");
  ASSERT_EQ(assigned.status, 200) << assigned.text;
  bool approved = false;
  for (const Json& claim : assigned.body["claims"]) {
    approved |= claim["netblock"] == "10.9.9.0/24" && claim["state"] == "approved";
  }
  EXPECT_TRUE(approved) << assigned.text;

  // Audited as an approval, naming the way it came.
  const Reply audit = Call("GET", "/api/v1/audit?limit=10", analyst_);
  bool audited = false;
  for (const Json& entry : audit.body["entries"]) {
    audited |= entry["action"] == "claim.approve" && entry["detail"]["via"] == "unrouted" &&
               entry["detail"]["value"] == "10.9.9.0/24" && entry["detail"]["member"] == "GM0599";
  }
  EXPECT_TRUE(audited) << audit.text;

  // The lookup routes the range at once; the events already stored stay unrouted.
  EXPECT_EQ(Call("GET", "/api/v1/lookup?value=10.9.9.7", analyst_).body["member"], "GM0599");
  const Reply still = Call("GET", "/api/v1/events/unrouted/groups?by=prefix", analyst_);
  ASSERT_EQ(still.body["total"], 1);
  EXPECT_EQ(still.body["groups"][0]["events"], 2);
  EXPECT_EQ(still.body["groups"][0]["overlaps"][0]["member"], "GM0599");
  EXPECT_EQ(Call("GET", "/api/v1/events?q=10.9.9.", rotterdam_).body["total"], 0);

  // A new finding in the range goes to Rotterdam.
  const Reply next = Upload("2026-11-22-scan_telnet-nl.csv", {"10.9.9.3,64496"});
  EXPECT_EQ(next.body["routed"], 1) << next.text;
  const Reply own = Call("GET", "/api/v1/events?q=10.9.9.3", rotterdam_);
  ASSERT_EQ(own.body["events"].size(), 1u) << own.text;
  EXPECT_EQ(own.body["events"][0]["baken.member"], "GM0599");

  // Assigning it again, or a value another member holds, is a conflict.
  const Reply again = Call("POST", "/api/v1/events/unrouted/assign", analyst_,
                           R"({"member":"GM0599","kind":"netblock","value":"10.9.9.0/24"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["code"], "claim.already_held");
  EXPECT_EQ(Call("POST", "/api/v1/events/unrouted/assign", analyst_,
                 R"({"member":"GM0363","kind":"netblock","value":"10.9.9.0/24"})")
                .status,
            409);
  // Hostile or wrong input is refused, naming the input.
  const Reply bad = Call("POST", "/api/v1/events/unrouted/assign", analyst_,
                         R"({"member":"GM0363","kind":"netblock","value":"10.9.9.1/24"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.text, HasSubstr("10.9.9.1/24"));
  EXPECT_EQ(Call("POST", "/api/v1/events/unrouted/assign", analyst_,
                 R"({"member":"GM0363","kind":"domain","value":"example.org"})")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/events/unrouted/assign", analyst_,
                 R"({"member":"GM9999","kind":"asn","value":"64496"})")
                .status,
            404);
  EXPECT_EQ(Call("POST", "/api/v1/events/unrouted/assign", analyst_, R"({"member":1})").status,
            400);
}

TEST_F(UnroutedTest, TheOverviewCountsOnlyTheCallersOwnFindingsPerWeek) {
  ASSERT_EQ(Upload("2026-11-21-scan_telnet-nl.csv",
                   {"192.0.2.20,64500", "192.0.2.21,64500", "198.51.100.9,1", "10.9.9.1,64496"})
                .status,
            200);
  const Reply own = Call("GET", "/api/v1/overview?weeks=4", amsterdam_);
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_EQ(own.body["member"], "GM0363");
  ASSERT_EQ(own.body["weeks"].size(), 4u);
  // Ingest observes events now, so they are this week's: the last entry.
  EXPECT_EQ(own.body["weeks"][3]["events"], 2);
  EXPECT_EQ(own.body["weeks"][0]["events"], 0);
  EXPECT_EQ(Call("GET", "/api/v1/overview?member=GM0599", amsterdam_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/overview", rotterdam_).body["weeks"].back()["events"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/overview", analyst_).body["weeks"].back()["events"], 4);
  EXPECT_EQ(Call("GET", "/api/v1/overview?member=GM0599", analyst_).body["weeks"].back()["events"],
            1);
  EXPECT_EQ(Call("GET", "/api/v1/overview?weeks=0", analyst_).status, 400);
}

TEST_F(UnroutedTest, NewSinceTheLastVisitCountsFromThePreviousSignIn) {
  const std::string sign_in =
      Json{{"email", "soc@amsterdam.example.nl"}, {"password", kPassword}}.dump();
  const Reply first = Call("POST", "/api/v1/session", "", sign_in);
  ASSERT_EQ(first.status, 201) << first.text;
  const httplib::Headers cookie = {
      {"Cookie", first.set_cookie.substr(0, first.set_cookie.find(';'))}};
  const Reply none = Call("GET", "/api/v1/overview", "", "", cookie);
  ASSERT_EQ(none.status, 200) << none.text;
  EXPECT_TRUE(none.body["previous_visit"].is_null());

  const Reply second = Call("POST", "/api/v1/session", "", sign_in);
  ASSERT_EQ(second.status, 201);
  ASSERT_EQ(Upload("2026-11-21-scan_telnet-nl.csv", {"192.0.2.20,64500"}).status, 200);
  // Another browser (the second session) sees the same previous visit: the first sign-in.
  const httplib::Headers other = {
      {"Cookie", second.set_cookie.substr(0, second.set_cookie.find(';'))}};
  const Reply later = Call("GET", "/api/v1/overview", "", "", other);
  ASSERT_TRUE(later.body["previous_visit"].is_string()) << later.text;
  EXPECT_EQ(later.body["new_events"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/overview", "", "", cookie).body["previous_visit"],
            later.body["previous_visit"]);
}

// The service with its clock as an input: sign-ins at set times, and weeks counted back from a
// set "now".
TEST_F(UnroutedTest, TheClockDecidesThePreviousVisitAndTheWeeks) {
  server_.reset();
  auto store = store::Store::Open(db_);
  ASSERT_TRUE(store) << store.error().message;
  using std::chrono::sys_days;
  using namespace std::chrono_literals;
  auto now = sys_days{std::chrono::year{2026} / 12 / 5} + 9h;
  service::SessionService sessions(**store, [&] { return now; });
  ASSERT_TRUE(sessions.SignIn("soc@amsterdam.example.nl", kPassword, "", "127.0.0.1"));
  now += 48h;
  auto signed_in = sessions.SignIn("soc@amsterdam.example.nl", kPassword, "", "127.0.0.1");
  ASSERT_TRUE(signed_in && signed_in->signed_in);
  service::EventsService events(**store);
  auto overview = events.GetOverview(signed_in->signed_in->principal, std::nullopt, 3, now);
  ASSERT_TRUE(overview) << overview.error().message;
  EXPECT_EQ(overview->previous_visit, "2026-12-05T09:00:00Z");
  ASSERT_EQ(overview->weeks.size(), 3u);
  EXPECT_EQ(overview->weeks[0].week, "2026-11-23");
  EXPECT_EQ(overview->weeks[2].week, "2026-12-07");  // Monday 7 December, "now"'s week
  EXPECT_EQ(overview->member, "GM0363");
}

}  // namespace
}  // namespace baken::testing
