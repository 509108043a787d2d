// `baken migrate --from sqlite:PATH --to postgresql://…` (issue 14): a SQLite installation made
// by the real program (members, accounts, tokens, events, sent messages, advisories, warnings)
// is copied into a fresh PostgreSQL database, and `baken serve` on either answers the same.
//
// The copy needs a PostgreSQL server, so those tests run in the `.postgresql` variant only
// (ctest starts the server; store::testing::TestDatabase makes the target database); in the
// SQLite run they are skipped, and what needs no server (refusing arguments that are not SQLite
// to PostgreSQL, a source that does not exist) runs in both.

#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "store/store.h"
#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

// Routed to GM0363 (192.0.2.0/24) and GM0599 (198.51.100.0/24) of
// tests/data/advisories/members.json, and one address no member owns.
constexpr std::string_view kRdp =
    "timestamp,ip,port,protocol\n"
    "2026-11-22 01:00:00,192.0.2.10,3389,tcp\n"
    "2026-11-22 01:00:01,192.0.2.11,3389,tcp\n"
    "2026-11-22 01:00:02,198.51.100.20,3389,tcp\n"
    "2026-11-22 01:00:04,172.16.0.1,3389,tcp\n";

constexpr std::string_view kLater =
    "timestamp,ip,port,protocol\n"
    "2026-11-23 01:00:00,192.0.2.99,3389,tcp\n";

constexpr std::string_view kPassword = "correct horse battery staple\n";

CommandResult BakenOn(const std::string& db, std::vector<std::string> args,
                      const std::string& input = "") {
  args.insert(args.begin(), {"--db", db});
  return RunBaken(args, input);
}

Json RunJson(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), "--json");
  const CommandResult result = BakenOn(db, args);
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  return Json::parse(result.out, nullptr, false);
}

std::string WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

struct Reply {
  int status = 0;
  Json body;
};

Reply Get(const BakenServer& server, const std::string& path, const std::string& token) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(30, 0);
  httplib::Result result = client.Get(path, {{"Authorization", "Bearer " + token}});
  if (!result) {
    ADD_FAILURE() << "GET " << path << ": no response";
    return {};
  }
  return Reply{result->status, Json::parse(result->body, nullptr, false)};
}

// Needs no server: the arguments are refused before anything is opened.
TEST(MigrateArguments, RefusesWhatIsNotSqliteToPostgresql) {
  TempDir dir;
  const std::string source = dir.File("baken.db");
  const std::string target = "postgresql://baken:s3cret@127.0.0.1:1/baken";

  const auto plain_path = RunBaken({"migrate", "--from", source, "--to", target});
  EXPECT_EQ(plain_path.exit_code, 2);
  EXPECT_THAT(plain_path.err, HasSubstr("--from '" + source + "' must be sqlite:PATH"));

  const auto empty_path = RunBaken({"migrate", "--from", "sqlite:", "--to", target});
  EXPECT_EQ(empty_path.exit_code, 2);
  EXPECT_THAT(empty_path.err, HasSubstr("must be sqlite:PATH"));

  const auto sqlite_target =
      RunBaken({"migrate", "--from", "sqlite:" + source, "--to", "sqlite:" + dir.File("b.db")});
  EXPECT_EQ(sqlite_target.exit_code, 2);
  EXPECT_THAT(sqlite_target.err, HasSubstr("must be a postgresql:// URL"));

  // A URL of another kind is named without its password.
  const auto other_url = RunBaken(
      {"migrate", "--from", "sqlite:" + source, "--to", "mysql://baken:s3cret@db.example/x"});
  EXPECT_EQ(other_url.exit_code, 2);
  EXPECT_THAT(other_url.err, HasSubstr("--to 'mysql://baken@db.example/x'"));
  EXPECT_THAT(other_url.err, Not(HasSubstr("s3cret")));

  const auto missing_to = RunBaken({"migrate", "--from", "sqlite:" + source});
  EXPECT_EQ(missing_to.exit_code, 2);
  EXPECT_THAT(missing_to.err, HasSubstr("--to"));

  // A source that does not exist is not created (as opening a store would): nothing to copy.
  const auto missing = RunBaken({"migrate", "--from", "sqlite:" + source, "--to", target});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("sqlite:" + source + ": no such file"));
  EXPECT_FALSE(std::filesystem::exists(source));

  // A server that cannot be reached is named, without the password the URL holds.
  const auto created = BakenOn(
      source, {"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto unreachable = RunBaken({"migrate", "--from", "sqlite:" + source, "--to", target});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_THAT(unreachable.err,
              HasSubstr("cannot connect to PostgreSQL at postgresql://baken@127.0.0.1:1/baken"));
  EXPECT_THAT(unreachable.err, Not(HasSubstr("s3cret")));
}

class MigrateToPostgresql : public ::testing::Test {
 protected:
  void SetUp() override {
    // Registered only in the .postgresql variant (tests/CMakeLists.txt, SQLITE_FILTER).
    ASSERT_TRUE(target_.postgresql()) << "needs the PostgreSQL test server";
    source_ = (target_.folder() / "baken.db").string();
  }

  // An installation made by the real program: members with claims and assets, an analyst and
  // a member's user with API tokens (one revoked, so that ids have a gap), events of three
  // ingests, messages sent to a real SMTP server, advisories and the warnings they gave.
  void Populate() {
    SmtpServer smtp;
    ASSERT_TRUE(smtp.running()) << smtp.error();
    const auto imported = BakenOn(
        source_,
        {"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    for (const auto& [email, role, member] :
         {std::tuple{"analyst@cert.example.nl", "analyst", ""},
          std::tuple{"soc@amsterdam.example.nl", "member", "GM0363"}}) {
      std::vector<std::string> args = {"user",   "add", "--email",         email,
                                       "--role", role,  "--password-stdin"};
      if (*member != '\0') args.insert(args.end(), {"--member", member});
      const auto added = BakenOn(source_, args, std::string(kPassword));
      ASSERT_EQ(added.exit_code, 0) << added.err;
    }
    const Json revoked =
        RunJson(source_, {"token", "create", "--email", "analyst@cert.example.nl"});
    analyst_ = RunJson(source_, {"token", "create", "--email", "analyst@cert.example.nl", "--label",
                                 "migrate test"})["token"];
    member_ = RunJson(source_, {"token", "create", "--email", "soc@amsterdam.example.nl"})["token"];
    ASSERT_EQ(BakenOn(source_, {"token", "revoke", std::to_string(revoked["id"].get<int64_t>())})
                  .exit_code,
              0);

    const std::filesystem::path folder = target_.folder();
    std::filesystem::copy_file(SourceDir() / "tests/data/shadowserver/scan_dns.csv",
                               folder / "2026-11-22-scan_dns-nl.csv");
    for (const std::string& file : {(folder / "2026-11-22-scan_dns-nl.csv").string(),
                                    WriteFile(folder / "2026-11-22-scan_rdp-nl.csv", kRdp)}) {
      const Json ingested = RunJson(source_, {"ingest", file});
      ASSERT_GT(ingested["routed"].get<int>(), 0) << ingested.dump();
    }
    const Json advisories = RunJson(
        source_, {"advisory", "import", (SourceDir() / "tests/data/advisories/csaf").string()});
    ASSERT_GT(advisories["imported"].get<int>(), 0) << advisories.dump();
    RunJson(source_, {"notify", "--smtp", smtp.url(), "--retry-seconds", "0"});
    ASSERT_GT(smtp.ReceivedCount(), 0u);
    // A later ingest whose digest is still open, with messages not yet made.
    RunJson(source_, {"ingest", WriteFile(folder / "2026-11-23-scan_rdp-nl.csv", kLater)});
  }

  // Adds an event block and removes it again (retention), as happens every day: SQLite's
  // AUTOINCREMENT remembers its id, which must never be given out again.
  void AddAndExpireNewestBlock() {
    auto store = store::Store::Open(source_);
    ASSERT_TRUE(store) << store.error().message;
    auto tx = (*store)->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx) << tx.error().message;
    store::EventRecord event;
    event.dedup_key = "-|open-rdp|172.16.9.9|3389|2000-01-01";
    event.feed_name = "Accessible-RDP";
    event.classification_type = "vulnerable-system";
    event.classification_identifier = "open-rdp";
    event.source_ip = "172.16.9.9";
    event.time_source = "2000-01-01T00:00:00+00:00";
    event.time_observation = "2000-01-01T00:00:00+00:00";
    event.tlp = "AMBER";
    event.data = R"({"source.ip":"172.16.9.9"})";
    const store::EventRecord* events[] = {&event};
    auto added = (*tx)->Events().AddNew(events);
    ASSERT_TRUE(added && added->at(0));
    auto removed = (*tx)->Events().DeleteObservedBefore("2001-01-01T00:00:00+00:00");
    ASSERT_TRUE(removed) << removed.error().message;
    ASSERT_EQ(*removed, 1);
    ASSERT_TRUE((*tx)->Commit());
  }

  Json Migrate(int expected_exit = 0, std::string* err = nullptr) {
    const auto result =
        RunBaken({"--json", "migrate", "--from", "sqlite:" + source_, "--to", target_.location()});
    EXPECT_EQ(result.exit_code, expected_exit) << result.err << result.out;
    if (err != nullptr) *err = result.err;
    return Json::parse(result.out, nullptr, false);
  }

  store::testing::TestDatabase target_;
  std::string source_;
  std::string analyst_;
  std::string member_;
};

int64_t MaxId(const Json& list, const std::string& key = "id") {
  int64_t largest = 0;
  for (const Json& item : list) largest = std::max(largest, item.value(key, int64_t{0}));
  return largest;
}

TEST_F(MigrateToPostgresql, CopiesEverythingAndTheApiAnswersTheSame) {
  Populate();
  if (HasFatalFailure()) return;
  AddAndExpireNewestBlock();
  if (HasFatalFailure()) return;

  const Json report = Migrate();
  ASSERT_TRUE(report.is_object());
  for (const char* table :
       {"members", "claims", "assets", "contacts", "users", "api_tokens", "audit_log", "digests",
        "event_blocks", "event_block_data", "event_keys", "outbox", "advisories", "warnings"}) {
    ASSERT_TRUE(report["tables"].contains(table)) << table << " in " << report.dump();
    EXPECT_GT(report["tables"][table].get<int64_t>(), 0) << table << " in " << report.dump();
  }
  int64_t sum = 0;
  for (const auto& [table, rows] : report["tables"].items()) sum += rows.get<int64_t>();
  EXPECT_EQ(report["rows"], sum);
  EXPECT_EQ(report["tables"]["members"], 4);
  EXPECT_EQ(report["tables"]["users"], 2);
  EXPECT_EQ(report["tables"]["api_tokens"], 2);

  BakenServer on_sqlite(source_);
  BakenServer on_postgresql(target_.location());
  ASSERT_TRUE(on_sqlite.running() && on_postgresql.running());

  // Both sides answer every request alike, ids included (events, messages, warnings, tokens).
  const auto same = [&](const std::string& path, const std::string& token) {
    const Reply a = Get(on_sqlite, path, token);
    const Reply b = Get(on_postgresql, path, token);
    EXPECT_EQ(a.status, b.status) << path;
    EXPECT_EQ(a.body, b.body) << path << "\nSQLite:     " << a.body.dump().substr(0, 2000)
                              << "\nPostgreSQL: " << b.body.dump().substr(0, 2000);
    return a;
  };
  for (const std::string path :
       {"/api/v1/members", "/api/v1/members/GM0363", "/api/v1/members/GM0599/assets",
        "/api/v1/members/GM0363/contacts", "/api/v1/members/GM0363/netblocks", "/api/v1/claims",
        "/api/v1/lookup?value=192.0.2.10", "/api/v1/events?limit=1000",
        "/api/v1/events?unrouted=true", "/api/v1/events/unrouted/groups?by=prefix",
        "/api/v1/outbox?limit=200", "/api/v1/advisories?limit=200", "/api/v1/warnings?limit=200"}) {
    EXPECT_EQ(same(path, analyst_).status, 200) << path;
  }
  // Events page by id; every page alike.
  const Reply first_page = same("/api/v1/events?limit=10", analyst_);
  ASSERT_EQ(first_page.body["events"].size(), 10u);
  const Json next = first_page.body["next_after"];
  ASSERT_TRUE(next.is_number()) << first_page.body.dump();
  const Reply second_page =
      same(fmt::format("/api/v1/events?limit=10&after={}", next.get<int64_t>()), analyst_);
  ASSERT_FALSE(second_page.body["events"].empty());
  const Json event_list = same("/api/v1/events?limit=1000", analyst_).body["events"];
  const int64_t last_event = MaxId(event_list, "baken.id");
  ASSERT_GT(event_list.size(), 80u);
  same(fmt::format("/api/v1/events/{}", last_event), analyst_);

  const Json messages = same("/api/v1/outbox?limit=200", analyst_).body["messages"];
  ASSERT_FALSE(messages.empty());
  std::set<std::string> states;
  for (const Json& message : messages) {
    states.insert(message["state"].get<std::string>());
    same(fmt::format("/api/v1/outbox/{}", message["id"].get<int64_t>()), analyst_);
  }
  EXPECT_TRUE(states.contains("sent")) << messages.dump().substr(0, 2000);
  const Json warnings = same("/api/v1/warnings?limit=200", analyst_).body["warnings"];
  ASSERT_FALSE(warnings.empty());
  same(fmt::format("/api/v1/warnings/{}", warnings[0]["id"].get<int64_t>()), analyst_);
  const Json advisories = same("/api/v1/advisories?limit=200", analyst_).body["advisories"];
  ASSERT_FALSE(advisories.empty());
  same(fmt::format("/api/v1/advisories/{}", advisories[0]["id"].get<std::string>()), analyst_);

  // A member's user sees its own member only, on both.
  for (const std::string path :
       {"/api/v1/members", "/api/v1/members/GM0363", "/api/v1/events?limit=1000", "/api/v1/outbox",
        "/api/v1/warnings"}) {
    EXPECT_EQ(same(path, member_).status, 200) << path;
  }
  EXPECT_EQ(same("/api/v1/members/GM0599", member_).status, 404);
  int64_t rotterdam_event = 0;
  for (const Json& event : event_list) {
    if (event["baken.member"] == "GM0599") rotterdam_event = event["baken.id"];
  }
  ASSERT_NE(rotterdam_event, 0);
  EXPECT_EQ(same(fmt::format("/api/v1/events/{}", rotterdam_event), member_).status, 404);
  EXPECT_EQ(same("/api/v1/audit", member_).status, 403);
  const Json own_events = same("/api/v1/events?limit=1000", member_).body["events"];
  ASSERT_FALSE(own_events.empty());
  for (const Json& event : own_events) EXPECT_EQ(event["baken.member"], "GM0363");

  // The audit log is the same, plus the migration itself, newest, on the target.
  const Json audit_sqlite = Get(on_sqlite, "/api/v1/audit?limit=1000", analyst_).body["entries"];
  const Json audit_postgresql =
      Get(on_postgresql, "/api/v1/audit?limit=1000", analyst_).body["entries"];
  ASSERT_EQ(audit_postgresql.size(), audit_sqlite.size() + 1) << audit_postgresql.dump();
  EXPECT_EQ(audit_postgresql[0]["action"], "store.migrate");
  EXPECT_THAT(audit_postgresql[0]["actor"].get<std::string>(), ::testing::StartsWith("cli:"));
  EXPECT_EQ(audit_postgresql[0]["detail"]["rows"], report["rows"]);
  EXPECT_EQ(Json(std::vector<Json>(audit_postgresql.begin() + 1, audit_postgresql.end())),
            audit_sqlite);
  ASSERT_EQ(on_postgresql.Stop(), 0);
  ASSERT_EQ(on_sqlite.Stop(), 0);

  // New rows on PostgreSQL get new ids: past the largest copied, and for event blocks past the
  // one SQLite gave out and removed again (ids are block id × 65536 + position).
  const Json token =
      RunJson(target_.location(), {"token", "create", "--email", "soc@amsterdam.example.nl"});
  const Json tokens = RunJson(source_, {"token", "list"})["tokens"];
  EXPECT_GT(token["id"].get<int64_t>(), MaxId(tokens));
  const auto added = BakenOn(target_.location(),
                             {"--json", "user", "add", "--email", "x@cert.example.nl", "--role",
                              "analyst", "--password-stdin"},
                             std::string(kPassword));
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(Json::parse(added.out)["id"], 3);  // after the two accounts copied
  RunJson(target_.location(), {"ingest", WriteFile(target_.folder() / "2026-11-24-scan_rdp-nl.csv",
                                                   "timestamp,ip,port,protocol\n"
                                                   "2026-11-24 01:00:00,192.0.2.77,3389,tcp\n")});
  BakenServer after(target_.location());
  ASSERT_TRUE(after.running());
  const Json newest = Get(after, "/api/v1/events?newest=true&limit=1", analyst_).body["events"];
  ASSERT_EQ(newest.size(), 1u);
  const int64_t new_event = newest[0]["baken.id"].get<int64_t>();
  EXPECT_GT(new_event, last_event);
  EXPECT_GE(new_event / 65536, last_event / 65536 + 2) << "the expired block's id was reused";
}

TEST_F(MigrateToPostgresql, RefusesANonEmptyTargetAndWritesNothing) {
  Populate();
  if (HasFatalFailure()) return;
  Migrate();
  // Something happens on the target after the first copy.
  RunJson(target_.location(), {"token", "create", "--email", "analyst@cert.example.nl"});
  BakenServer before_server(target_.location());
  const Json before = Get(before_server, "/api/v1/audit?limit=1000", analyst_).body;
  const Json tokens_before = Get(before_server, "/api/v1/session/tokens", analyst_).body;
  ASSERT_EQ(before_server.Stop(), 0);

  std::string err;
  Migrate(/*expected_exit=*/1, &err);
  EXPECT_THAT(err, HasSubstr("is not empty"));
  EXPECT_THAT(err, HasSubstr("table members has 4 rows"));
  EXPECT_THAT(err, HasSubstr("wrote nothing"));
  // The target is named without anything secret, as the URL was given (no password here).
  EXPECT_THAT(err, HasSubstr(target_.location()));

  BakenServer after_server(target_.location());
  EXPECT_EQ(Get(after_server, "/api/v1/audit?limit=1000", analyst_).body, before);
  EXPECT_EQ(Get(after_server, "/api/v1/session/tokens", analyst_).body, tokens_before);
}

// A copy that fails half-way leaves the target as it was: here a text PostgreSQL cannot hold
// (a NUL character) in the audit log, which is copied after the advisories.
TEST_F(MigrateToPostgresql, AFailureHalfWayLeavesTheTargetEmpty) {
  const auto imported = BakenOn(
      source_, {"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  RunJson(source_, {"advisory", "import", (SourceDir() / "tests/data/advisories/csaf").string()});
  {
    auto store = store::Store::Open(source_);
    ASSERT_TRUE(store) << store.error().message;
    auto tx = (*store)->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Audit().Record(store::AuditEntry{0, "2026-12-01T00:00:00Z", "cli:test",
                                                        "test", std::string("a\0b", 3), "{}"}));
    ASSERT_TRUE((*tx)->Commit());
  }
  std::string err;
  const Json report = Migrate(/*expected_exit=*/1, &err);
  EXPECT_FALSE(report.is_object());
  EXPECT_THAT(err, HasSubstr("copying table audit_log from sqlite:" + source_));
  EXPECT_THAT(err, HasSubstr("nothing was written"));

  // The advisories copied before it are gone with the rest.
  EXPECT_EQ(RunJson(target_.location(), {"advisory", "list"}), Json::array());
  EXPECT_EQ(RunJson(target_.location(), {"member", "list"})["members"], Json::array());
  EXPECT_FALSE(RunJson(source_, {"advisory", "list"}).empty());
}

// The tables to copy come from the two schemas, so a table or column only one side has (made
// by hand, or by a newer baken on one side) is refused rather than left behind.
TEST_F(MigrateToPostgresql, RefusesSchemasThatDiffer) {
  const auto imported = BakenOn(
      source_, {"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(source_.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  const int changed = sqlite3_exec(db,
                                   "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT) STRICT; "
                                   "ALTER TABLE members ADD COLUMN motto TEXT; "
                                   "DROP TABLE user_visits;",
                                   nullptr, nullptr, &message);
  EXPECT_EQ(changed, SQLITE_OK) << (message != nullptr ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);

  std::string err;
  Migrate(/*expected_exit=*/1, &err);
  EXPECT_THAT(err, HasSubstr("do not have the same tables and columns, so nothing was copied"));
  EXPECT_THAT(err, HasSubstr("table notes is missing in " + target_.location()));
  EXPECT_THAT(err, HasSubstr("column members.motto is missing in " + target_.location()));
  EXPECT_THAT(err, HasSubstr("table user_visits is missing in sqlite:" + source_));
  EXPECT_EQ(RunJson(target_.location(), {"member", "list"})["members"], Json::array());
}

}  // namespace
}  // namespace baken::testing
