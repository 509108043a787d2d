// Incidents over real HTTP to a real `baken serve`, and `baken stats incidents`
// (docs/decisions/0018-incidents.md).
//
// The access matrix: every incident route, for each role (anonymous, member A's general,
// trusted and privacy contacts, member B's trusted contact, an analyst), against an incident of
// the caller's own member and one of another member: what it may see or do, 404 otherwise.

#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "incidents/incident_service.h"
#include "store/store.h"
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

class IncidentAccessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    database_ = new store::testing::TestDatabase();
    Cli({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()});
    tokens_["analyst"] = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    tokens_["a_general"] = AddUserWithToken("general@aa.example.nl", "member", "GM0001");
    tokens_["a_trusted"] = AddUserWithToken("TRUSTED@aa.example.nl", "member", "GM0001");
    tokens_["a_privacy"] = AddUserWithToken("privacy@aa.example.nl", "member", "GM0001");
    tokens_["b_trusted"] = AddUserWithToken("trusted@bee.example.nl", "member", "GM0002");
    tokens_["anonymous"] = "";
    server_ = new BakenServer(database_->location());
    ASSERT_TRUE(server_->running()) << "baken serve did not start";
  }
  static void TearDownTestSuite() {
    delete server_;
    delete database_;
    delete dir_;
  }

  static std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", database_->location()};
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

  static Reply Call(const std::string& method, const std::string& path, const std::string& who,
                    const Json& body = Json()) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    const std::string& token = tokens_.at(who);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result result = method == "GET" ? client.Get(path, headers)
                             : method == "PUT"
                                 ? client.Put(path, headers, text, "application/json")
                                 : client.Post(path, headers, text, "application/json");
    Reply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }
  static Json Ok(const std::string& method, const std::string& path, const std::string& who,
                 const Json& body = Json()) {
    Reply reply = Call(method, path, who, body);
    EXPECT_TRUE(reply.status == 200 || reply.status == 201)
        << method << " " << path << " as " << who << ": " << reply.status << " "
        << reply.body.dump();
    return reply.body;
  }

  // An incident with everything a route may name: member `member` taking part, a task of that
  // participation and an unreleased coordination entry.
  struct Fixture {
    int64_t id = 0;
    std::string member;
    int64_t task = 0;
    int64_t entry = 0;
    int64_t attachment = 0;
  };
  static Fixture MakeIncident(const std::string& member, const std::string& reporter = "analyst") {
    Fixture fixture;
    fixture.member = member;
    const Json created =
        reporter == "analyst"
            ? Ok("POST", "/api/v1/incidents", "analyst",
                 Json{{"title", "Phishing bij " + member}, {"members", {member}}})
            : Ok("POST", "/api/v1/incidents", reporter,
                 Json{{"title", "Wij zijn gehackt"}, {"description", "Details van " + member}});
    fixture.id = created["id"];
    const std::string base = fmt::format("/api/v1/incidents/{}", fixture.id);
    fixture.task = Ok("POST", base + "/tasks", "analyst",
                      Json{{"title", "Logbestanden aanleveren"}, {"member", member}})["id"];
    fixture.entry = Ok("POST", base + "/journal", "analyst",
                       Json{{"text", "Intern: IOC's van de leverancier"}})["id"];
    Ok("PUT", fmt::format("{}/participations/{}/breach", base, member), "analyst",
       Json{{"aware_at", "2026-12-01T08:00:00Z"},
            {"ap_decision", "notify"},
            {"ap_notified_at", "2026-12-01T09:00:00Z"},
            {"ap_reference", "M-2026-0001"}});
    fixture.attachment = Ok("POST", base + "/attachments", "analyst",
                            Json{{"name", "advies.txt"},
                                 {"content_base64", "SGFsbG8="},
                                 {"tlp", "GREEN"},
                                 {"member", member}})["id"];
    return fixture;
  }

  static TempDir* dir_;
  static store::testing::TestDatabase* database_;
  static BakenServer* server_;
  static std::map<std::string, std::string> tokens_;
};

TempDir* IncidentAccessTest::dir_ = nullptr;
store::testing::TestDatabase* IncidentAccessTest::database_ = nullptr;
BakenServer* IncidentAccessTest::server_ = nullptr;
std::map<std::string, std::string> IncidentAccessTest::tokens_;

// One incident route as the matrix tries it: its method and path (with {id}, {entry}, {task},
// {member}), a body that is valid for the route, and what each member role gets on its own
// member's incident ({a_general, a_trusted, a_privacy, b_trusted}).
struct RouteCase {
  std::string method;
  std::string path;
  Json body;
  std::array<int, 4> own;
  int analyst;
};

std::string Fill(const std::string& path, int64_t id, int64_t entry, int64_t task,
                 const std::string& member, int64_t attachment) {
  std::string filled = path;
  const std::pair<std::string, std::string> values[] = {
      {"{id}", std::to_string(id)},
      {"{entry}", std::to_string(entry)},
      {"{task}", std::to_string(task)},
      {"{member}", member},
      {"{attachment}", std::to_string(attachment)}};
  for (const auto& [name, value] : values) {
    if (const size_t at = filled.find(name); at != std::string::npos) {
      filled.replace(at, name.size(), value);
    }
  }
  return filled;
}

TEST_F(IncidentAccessTest, EveryRouteGivesEachRoleOnlyWhatItMaySee) {
  const Fixture a = MakeIncident("GM0001", "a_general");  // A's own report
  const Fixture b = MakeIncident("GM0002");
  const Fixture merge_target = MakeIncident("SV0003");
  const std::string i = "/api/v1/incidents/{id}";
  const std::vector<RouteCase> routes = {
      {"GET", i, Json(), {200, 200, 200, 200}, 200},
      {"PUT", i, Json{{"priority", "high"}}, {403, 403, 403, 403}, 200},
      {"POST", i + "/state", Json{{"state", "in_progress"}}, {403, 403, 403, 403}, 200},
      {"GET", i + "/history", Json(), {200, 200, 200, 200}, 200},
      {"GET", i + "/journal", Json(), {200, 200, 200, 200}, 200},
      {"POST",
       i + "/journal",
       Json{{"text", "Wij hebben de server uitgezet"}},
       {201, 201, 201, 201},
       201},
      {"POST", i + "/journal/{entry}/release", Json::object(), {403, 403, 403, 403}, 200},
      {"GET", i + "/tasks", Json(), {200, 200, 200, 200}, 200},
      {"POST", i + "/tasks", Json{{"title", "Bellen"}}, {403, 403, 403, 403}, 201},
      {"PUT", i + "/tasks/{task}", Json{{"state", "done"}}, {200, 200, 200, 200}, 200},
      {"GET", i + "/links", Json(), {403, 403, 403, 403}, 200},
      {"POST", i + "/links", Json{{"kind", "event"}, {"target", "17"}}, {403, 403, 403, 403}, 201},
      {"GET", i + "/participations", Json(), {200, 200, 200, 200}, 200},
      {"POST",
       i + "/participations",
       Json{{"members", {"SV0003"}}, {"title", "Phishing"}},
       {403, 403, 403, 403},
       201},
      {"GET", i + "/participations/{member}", Json(), {200, 200, 200, 200}, 200},
      // The data-breach decision: the member's trusted and privacy contacts, not its general one.
      {"PUT", i + "/participations/{member}", Json{{"breach", "none"}}, {403, 200, 200, 200}, 200},
      {"POST",
       i + "/participations/{member}/state",
       Json{{"state", "in_progress"}},
       {403, 403, 403, 403},
       200},
      {"GET", i + "/attachments", Json(), {200, 200, 200, 200}, 200},
      {"POST",
       i + "/attachments",
       Json{{"name", "log.txt"}, {"content_base64", "SGFsbG8="}},
       {201, 201, 201, 201},
       201},
      {"GET", i + "/attachments/{attachment}", Json(), {200, 200, 200, 200}, 200},
      // The data breach and the register: trusted and privacy contacts; for a general
      // contact they do not exist.
      {"GET", i + "/participations/{member}/breach", Json(), {404, 200, 200, 200}, 200},
      {"PUT",
       i + "/participations/{member}/breach",
       Json{{"subjects_decision", "no_inform"}, {"subjects_reason", "geen hoog risico"}},
       {404, 200, 200, 200},
       200},
      {"POST",
       i + "/participations/{member}/breach/updates",
       Json{{"kind", "supplement"},
            {"sent_at", "2026-12-02T10:00:00Z"},
            {"note", "Aantal betrokkenen: 40"}},
       {404, 201, 201, 201},
       201},
      {"GET", "/api/v1/members/{member}/breaches", Json(), {404, 200, 200, 200}, 200},
      {"POST", i + "/merge", Json{{"into", merge_target.id}}, {403, 403, 403, 403}, 200},
  };
  const std::array<std::string, 4> members = {"a_general", "a_trusted", "a_privacy", "b_trusted"};
  for (const RouteCase& route : routes) {
    SCOPED_TRACE(route.method + " " + route.path);
    for (size_t role = 0; role < members.size(); ++role) {
      const std::string& who = members[role];
      const Fixture& own = who[0] == 'a' ? a : b;
      const Fixture& foreign = who[0] == 'a' ? b : a;
      const Reply mine = Call(
          route.method, Fill(route.path, own.id, own.entry, own.task, own.member, own.attachment),
          who, route.body);
      EXPECT_EQ(mine.status, route.own[role]) << who << " on its own: " << mine.body.dump();
      // Another member's incident does not exist for it, whether it names its own member or
      // the other one in the path.
      for (const std::string& member : {own.member, foreign.member}) {
        // A route of the member itself (its register) names only the member.
        if (route.path.find("{id}") == std::string::npos && member == own.member) continue;
        const Reply theirs = Call(
            route.method,
            Fill(route.path, foreign.id, foreign.entry, foreign.task, member, foreign.attachment),
            who, route.body);
        EXPECT_EQ(theirs.status, 404) << who << " on another member's: " << theirs.body.dump();
        EXPECT_EQ(theirs.body.value("code", ""), "not_found");
      }
    }
    const Reply anonymous =
        Call(route.method, Fill(route.path, a.id, a.entry, a.task, a.member, a.attachment),
             "anonymous", route.body);
    EXPECT_EQ(anonymous.status, 401);
    // An analyst may do everything, on an incident of its own so that the routes that change
    // one do not disturb the others.
    const Fixture fresh = MakeIncident("GM0002");
    const Reply analyst =
        Call(route.method,
             Fill(route.path, fresh.id, fresh.entry, fresh.task, fresh.member, fresh.attachment),
             "analyst", route.body);
    EXPECT_EQ(analyst.status, route.analyst) << analyst.body.dump();
  }
}

TEST_F(IncidentAccessTest, ASharedIncidentShowsEachMemberItsOwnPartAndTheReleasedNotes) {
  const Json shared =
      Ok("POST", "/api/v1/incidents", "analyst",
         Json{{"title", "Leverancier X gehackt"}, {"members", {"GM0001", "GM0002"}}});
  const std::string base = fmt::format("/api/v1/incidents/{}", shared["id"].get<int64_t>());
  const int64_t amber = Ok("POST", base + "/journal", "analyst",
                           Json{{"text", "IOC: 198.51.100.7"}, {"tlp", "AMBER"}})["id"];
  const int64_t green = Ok("POST", base + "/journal", "analyst",
                           Json{{"text", "Leverancier X onderzoekt het"}, {"tlp", "GREEN"}})["id"];
  Ok("POST", base + "/journal", "a_trusted", Json{{"text", "Bij Aa draait versie 3"}});
  const auto texts = [&](const std::string& who) {
    std::set<std::string> seen;
    const Json journal = Ok("GET", base + "/journal", who);
    for (const auto& entry : journal["journal"]) {
      seen.insert(entry["text"].get<std::string>());
    }
    return seen;
  };
  EXPECT_EQ(texts("b_trusted"), std::set<std::string>{});
  Ok("POST", fmt::format("{}/journal/{}/release", base, amber), "analyst", Json::object());
  Ok("POST", fmt::format("{}/journal/{}/release", base, green), "analyst", Json::object());
  EXPECT_EQ(texts("b_trusted"),
            (std::set<std::string>{"IOC: 198.51.100.7", "Leverancier X onderzoekt het"}));
  EXPECT_EQ(texts("a_general"), std::set<std::string>{"Leverancier X onderzoekt het"});
  EXPECT_EQ(texts("a_trusted"),
            (std::set<std::string>{"IOC: 198.51.100.7", "Leverancier X onderzoekt het",
                                   "Bij Aa draait versie 3"}));
  // Each sees its own participation only, and the other's not at all.
  const Json as_b = Ok("GET", base + "/participations", "b_trusted");
  ASSERT_EQ(as_b["participations"].size(), 1u);
  EXPECT_EQ(as_b["participations"][0]["member"], "GM0002");
  EXPECT_EQ(Call("GET", base + "/participations/GM0001", "b_trusted").status, 404);
  EXPECT_EQ(
      Call("PUT", base + "/participations/GM0001", "b_trusted", Json{{"breach", "none"}}).status,
      404);
  EXPECT_TRUE(Ok("GET", base, "b_trusted")["participants"].empty());
  // The breach decision is shown to trusted and privacy contacts only.
  EXPECT_TRUE(Ok("GET", base + "/participations/GM0001", "a_general")["breach"].is_null());
  EXPECT_EQ(Ok("GET", base + "/participations/GM0001", "a_privacy")["breach"], "undecided");

  // Lists and figures: a member's own incidents only.
  std::set<int64_t> listed;
  const Json b_list = Ok("GET", "/api/v1/incidents?limit=500", "b_trusted");
  for (const auto& incident : b_list["incidents"]) {
    listed.insert(incident["id"].get<int64_t>());
    EXPECT_FALSE(incident.contains("description"));
  }
  EXPECT_TRUE(listed.contains(shared["id"].get<int64_t>()));
  const Json all = Ok("GET", "/api/v1/incidents?limit=500", "analyst");
  for (const auto& incident : all["incidents"]) {
    const Json participations =
        Ok("GET", fmt::format("/api/v1/incidents/{}/participations", incident["id"].get<int64_t>()),
           "analyst");
    bool has_b = false;
    for (const auto& participation : participations["participations"]) {
      has_b = has_b || participation["member"] == "GM0002";
    }
    EXPECT_EQ(listed.contains(incident["id"].get<int64_t>()), has_b) << incident.dump();
  }
  const Json figures = Ok("GET", "/api/v1/stats/incidents", "b_trusted");
  EXPECT_EQ(figures["member"], "GM0002");
  EXPECT_EQ(figures["total"], listed.size());
  EXPECT_EQ(Call("GET", "/api/v1/stats/incidents", "anonymous").status, 401);
}

// The one role rule (auth::ContactRolesOf) as the portal learns it: the session names the roles
// of the member's contact with the user's address, whatever its case; none for staff.
TEST_F(IncidentAccessTest, TheSessionNamesTheRolesOfTheUsersContact) {
  const std::map<std::string, Json> expected = {{"a_general", Json::array({"general"})},
                                                {"a_trusted", Json::array({"trusted", "ciso"})},
                                                {"a_privacy", Json::array({"privacy"})},
                                                {"b_trusted", Json::array({"general", "trusted"})},
                                                {"analyst", Json::array()}};
  for (const auto& [who, roles] : expected) {
    const Reply session = Call("GET", "/api/v1/session", who);
    EXPECT_EQ(session.status, 200) << who;
    EXPECT_EQ(session.body["contact_roles"], roles) << who << ": " << session.body.dump();
  }
}

TEST_F(IncidentAccessTest, RefusalsAreProblemsThatNameTheField) {
  const Json created =
      Ok("POST", "/api/v1/incidents", "analyst", Json{{"title", "Scan"}, {"members", {"GM0001"}}});
  const std::string base = fmt::format("/api/v1/incidents/{}", created["id"].get<int64_t>());
  const Reply classification =
      Call("PUT", base, "analyst",
           Json{{"classification", "information-gathering"}, {"type", "phishing"}});
  EXPECT_EQ(classification.status, 400);
  EXPECT_EQ(classification.body["code"], "incident.classification_unknown");
  EXPECT_EQ(classification.body["params"]["field"], "type");
  const Reply transition = Call("POST", base + "/state", "analyst", Json{{"state", "closed"}});
  EXPECT_EQ(transition.status, 400);
  EXPECT_EQ(transition.body["code"], "incident.transition_refused");
  EXPECT_EQ(transition.body["params"]["to"], "closed");
  const Reply time =
      Call("POST", base + "/tasks", "analyst", Json{{"title", "Bel"}, {"due_at", "2026-13-01"}});
  EXPECT_EQ(time.status, 400);
  EXPECT_EQ(time.body["code"], "field.time_invalid");
  EXPECT_EQ(time.body["params"]["field"], "due_at");
  // An attachment a few bytes over 10 MiB once decoded: refused naming the field (a body
  // far beyond that is refused unread, as hostile_http_test shows for every route).
  const Reply oversized =
      Call("POST", base + "/attachments", "analyst",
           Json{{"name", "schijf.dd"}, {"content_base64", std::string(4 * 3'495'254, 'A')}});
  EXPECT_EQ(oversized.status, 400);
  EXPECT_EQ(oversized.body["code"], "incident.attachment_too_large");
  EXPECT_EQ(oversized.body["params"]["field"], "content_base64");
  EXPECT_EQ(oversized.body["params"]["size"], "10485762");
  const Reply several = Call("POST", "/api/v1/incidents", "a_general",
                             Json{{"title", 7}, {"tlp", "orange"}, {"priority", "high"}});
  EXPECT_EQ(several.status, 400);
  ASSERT_EQ(several.body["errors"].size(), 3u) << several.body.dump();
  std::set<std::string> fields;
  for (const auto& error : several.body["errors"]) fields.insert(error["params"]["field"]);
  // A member's short form has no priority: that is the CERT's to set.
  EXPECT_EQ(fields, (std::set<std::string>{"priority", "title", "tlp"}));
  // Escalation: an event that does not exist is named by its place; looking up by link wants
  // KIND:ID and is the analysts' (links are).
  const Reply no_event = Call("POST", "/api/v1/incidents", "analyst",
                              Json{{"title", "Besmet"}, {"events", {999'999'999}}});
  EXPECT_EQ(no_event.status, 400);
  EXPECT_EQ(no_event.body["code"], "incident.source_unknown");
  EXPECT_EQ(no_event.body["params"]["field"], "events[0]");
  const Reply bad_link = Call("GET", "/api/v1/incidents?linked=melding:7", "analyst");
  EXPECT_EQ(bad_link.status, 400);
  EXPECT_EQ(bad_link.body["code"], "incident.linked_invalid");
  EXPECT_EQ(Call("GET", "/api/v1/incidents?linked=event:1", "a_trusted").status, 403);
  const Reply none = Call("GET", "/api/v1/incidents?linked=event:999999999", "analyst");
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.body["total"], 0);
}

// `baken stats incidents` reproduces the threat report's table (tests/data/incidents/).
class IncidentStatsTest : public CliTest {};

TEST_F(IncidentStatsTest, TheThreatReportTableIsReproducedFromItsSeed) {
  ASSERT_EQ(
      Baken({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()})
          .exit_code,
      0);
  std::map<std::string, int64_t> types, causes, impacts;
  int64_t total = 0;
  {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    // Inside the report's period, October 2017 to July 2018.
    const auto when = std::chrono::sys_days{std::chrono::year{2018} / 3 / 1};
    incidents::IncidentService service(**store, [&] { return when; });
    std::ifstream seed(SourceDir() / "tests/data/incidents/threat-report-2019-2020.csv");
    std::string line;
    int rows = 0;
    while (std::getline(seed, line)) {
      if (line.empty() || line[0] == '#' || line.rfind("classification,", 0) == 0) continue;
      std::stringstream cells(line);
      std::string classification, type, cause, impact, count;
      std::getline(cells, classification, ',');
      std::getline(cells, type, ',');
      std::getline(cells, cause, ',');
      std::getline(cells, impact, ',');
      std::getline(cells, count, ',');
      ++rows;
      for (int n = 0; n < std::stoi(count); ++n) {
        auto created = service.Create(auth::CommandLineOperator(),
                                      incidents::Json{{"title", "Seed"},
                                                      {"classification", classification},
                                                      {"type", type},
                                                      {"cause", cause},
                                                      {"impact", impact},
                                                      {"members", {"GM0001"}}});
        ASSERT_TRUE(created) << line << ": " << created.error().message;
      }
      types[classification + ":" + type] += std::stoi(count);
      causes[cause] += std::stoi(count);
      impacts[impact] += std::stoi(count);
      total += std::stoi(count);
    }
    ASSERT_GT(rows, 10);
  }
  const Json stats =
      BakenJson({"stats", "incidents", "--from", "2017-10-01", "--to", "2018-08-01"});
  ASSERT_TRUE(stats.is_object()) << stats;
  EXPECT_EQ(stats["total"], total);
  const auto counted = [](const Json& rows, const std::function<std::string(const Json&)>& key) {
    std::map<std::string, int64_t> counts;
    for (const auto& row : rows) counts[key(row)] = row["count"];
    return counts;
  };
  EXPECT_EQ(counted(stats["by_type"],
                    [](const Json& row) {
                      return row["classification"].get<std::string>() + ":" +
                             row["type"].get<std::string>();
                    }),
            types);
  EXPECT_EQ(
      counted(stats["by_cause"], [](const Json& row) { return row["cause"].get<std::string>(); }),
      causes);
  EXPECT_EQ(
      counted(stats["by_impact"], [](const Json& row) { return row["impact"].get<std::string>(); }),
      impacts);

  // And so the figures the report published: 429 incidents; the nine named types; by whom
  // 49 % third party and 20 % employee unaware; impact 84 % low, 12 % medium, 4 % high.
  EXPECT_EQ(total, 429);
  const std::map<std::string, int64_t> published = {
      {"information-content-security:unauthorised-information-access", 70},
      {"fraud:phishing", 27},
      {"intrusions:application-compromise", 35},
      {"intrusions:unprivileged-account-compromise", 16},
      {"information-gathering:scanner", 16},
      {"availability:ddos", 10},
      {"abusive-content:spam", 10},
      {"intrusion-attempts:ids-alert", 8},
      {"fraud:unauthorised-use-of-resources", 8}};
  for (const auto& [type, count] : published) EXPECT_EQ(types[type], count) << type;
  const auto share = [](const Json& rows, const std::string& key, const std::string& value) {
    for (const auto& row : rows) {
      if (row[key] == value) return static_cast<int>(std::lround(row["share"].get<double>()));
    }
    return -1;
  };
  EXPECT_EQ(share(stats["by_cause"], "cause", "third_party"), 49);
  EXPECT_EQ(share(stats["by_cause"], "cause", "employee_unaware"), 20);
  EXPECT_EQ(share(stats["by_impact"], "impact", "low"), 84);
  EXPECT_EQ(share(stats["by_impact"], "impact", "medium"), 12);
  EXPECT_EQ(share(stats["by_impact"], "impact", "high"), 4);
  EXPECT_EQ(stats["by_member_kind"][0]["member_kind"], "gemeente");
  EXPECT_EQ(stats["by_member_kind"][0]["count"], 429);

  // Outside the period nothing counts; a period of the wrong form is refused naming it.
  EXPECT_EQ(BakenJson({"stats", "incidents", "--from", "2018-08-01"})["total"], 0);
  const CommandResult bad = Baken({"stats", "incidents", "--to", "juli 2018"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("to: 'juli 2018'"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace baken::testing
