// The work lists over real HTTP to a real `baken serve` (issue 13): the outbox, members and
// advisories page with offset and limit and give the true total, search, sort and filter on the
// server, and a member's user never sees another member's rows in any of them.

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
  std::string text;
};

// One store for the suite: four members (tests/data/advisories/members.json), findings for
// each of them delivered to a real SMTP server, a TLP:RED digest held for Amsterdam, the CSAF
// fixtures and the warnings they gave.
class ListsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    database_ = new store::testing::TestDatabase();
    db_ = database_->location();
    Cli({"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
    // Some fixtures are refused on purpose (advisory tests); the others are what is listed.
    Cli({"advisory", "import", (SourceDir() / "tests/data/advisories/csaf").string()}, -1);
    WriteFile("2026-11-21-scan_telnet-nl.csv",
              "timestamp,ip,port\n"
              "2026-11-21 01:00:00,192.0.2.30,23\n"
              "2026-11-21 01:00:01,198.51.100.5,23\n"
              "2026-11-21 01:00:02,203.0.113.7,23\n"
              "2026-11-21 01:00:03,203.0.113.200,23\n");
    Cli({"ingest", dir_->File("2026-11-21-scan_telnet-nl.csv")});
    WriteFile("2026-11-21-scan_rdp-nl.csv",
              "timestamp,ip,port,protocol\n2026-11-21 02:00:00,192.0.2.31,3389,tcp\n");
    Cli({"ingest", "--tlp", "RED", dir_->File("2026-11-21-scan_rdp-nl.csv")});
    {
      SmtpServer smtp;
      ASSERT_TRUE(smtp.running()) << smtp.error();
      Cli({"notify", "--smtp", smtp.url(), "--retry-seconds", "0"});
    }
    analyst_ = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    amsterdam_ = AddUserWithToken("soc@amsterdam.example.nl", "member", "GM0363");
    server_ = new BakenServer(db_);
    ASSERT_TRUE(server_->running()) << "baken serve did not start";
  }
  static void TearDownTestSuite() {
    delete server_;
    delete database_;
    delete dir_;
  }

  static void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_->File(name)) << text;
  }
  // expected_exit -1: any.
  static std::string Cli(const std::vector<std::string>& args, int expected_exit = 0,
                         const std::string& input = "") {
    std::vector<std::string> full = {"--db", db_};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunBaken(full, input);
    if (expected_exit >= 0) {
      EXPECT_EQ(result.exit_code, expected_exit) << result.err;
    }
    return result.out;
  }
  static std::string AddUserWithToken(const std::string& email, const std::string& role,
                                      const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, 0, "correct horse battery staple\n");
    return Json::parse(Cli({"--json", "token", "create", "--email", email}))["token"];
  }
  static Reply Get(const std::string& path, const std::string& token) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(30, 0);
    const httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    httplib::Result result = client.Get(path, headers);
    Reply reply;
    if (!result) {
      ADD_FAILURE() << "GET " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.text = result->body;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }
  // The values of `key` in the rows of a list reply.
  static std::vector<Json> Column(const Reply& reply, const char* list, const char* key) {
    std::vector<Json> values;
    for (const Json& row : reply.body[list]) values.push_back(row[key]);
    return values;
  }

  static TempDir* dir_;
  static store::testing::TestDatabase* database_;
  static std::string db_;
  static BakenServer* server_;
  static std::string analyst_;
  static std::string amsterdam_;
};

TempDir* ListsTest::dir_ = nullptr;
store::testing::TestDatabase* ListsTest::database_ = nullptr;
std::string ListsTest::db_;
BakenServer* ListsTest::server_ = nullptr;
std::string ListsTest::analyst_;
std::string ListsTest::amsterdam_;

TEST_F(ListsTest, TheOutboxPagesWithTheTrueTotalNewestFirst) {
  const Reply all = Get("/api/v1/outbox?limit=1000", analyst_);
  ASSERT_EQ(all.status, 200) << all.text;
  const int64_t total = all.body["total"];
  ASSERT_GE(total, 5) << "four digests, the held RED one and warnings: " << all.text;
  EXPECT_EQ(all.body["messages"].size(), static_cast<size_t>(total));
  // Newest first by when the message was made.
  const auto created = Column(all, "messages", "created_at");
  EXPECT_TRUE(std::is_sorted(created.rbegin(), created.rend())) << all.text;

  // Page by page, two at a time: the same rows in the same order, each page saying the total.
  std::vector<Json> paged;
  for (int64_t offset = 0; offset < total; offset += 2) {
    const Reply page = Get("/api/v1/outbox?limit=2&offset=" + std::to_string(offset), analyst_);
    ASSERT_EQ(page.status, 200) << page.text;
    EXPECT_EQ(page.body["total"], total);
    EXPECT_EQ(page.body["offset"], offset);
    for (const Json& id : Column(page, "messages", "id")) paged.push_back(id);
  }
  EXPECT_EQ(paged, Column(all, "messages", "id"));
  const Reply past = Get("/api/v1/outbox?limit=2&offset=" + std::to_string(total + 10), analyst_);
  EXPECT_EQ(past.body["messages"].size(), 0u);
  EXPECT_EQ(past.body["total"], total);

  // Oldest first is the same list the other way round.
  const Reply oldest = Get("/api/v1/outbox?limit=1000&sort=created", analyst_);
  auto reversed = Column(all, "messages", "created_at");
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(Column(oldest, "messages", "created_at"), reversed);
}

TEST_F(ListsTest, TheOutboxFiltersCountWhatTheySelect) {
  const Reply all = Get("/api/v1/outbox?limit=1000", analyst_);
  ASSERT_EQ(all.status, 200) << all.text;
  const auto count_where = [&](const std::function<bool(const Json&)>& keep) {
    return std::count_if(all.body["messages"].begin(), all.body["messages"].end(), keep);
  };
  const Reply amsterdam = Get("/api/v1/outbox?member=GM0363&limit=1", analyst_);
  EXPECT_EQ(amsterdam.body["total"],
            count_where([](const Json& m) { return m["member"] == "GM0363"; }));
  const Reply held = Get("/api/v1/outbox?state=held&tlp=RED", analyst_);
  ASSERT_EQ(held.body["total"], 1) << held.text;
  EXPECT_EQ(held.body["messages"][0]["feed"], "Accessible-RDP");
  const Reply telnet = Get("/api/v1/outbox?feed=Accessible-Telnet", analyst_);
  EXPECT_EQ(telnet.body["total"], 4) << telnet.text;
  // Search in the subject and in the recipients' addresses, case ignored.
  const Reply by_address = Get("/api/v1/outbox?q=CISO%40ROTTERDAM", analyst_);
  EXPECT_GE(by_address.body["total"], 1);
  for (const Json& message : by_address.body["messages"]) EXPECT_EQ(message["member"], "GM0599");
  // The period: everything was made today, nothing before 2000.
  EXPECT_EQ(Get("/api/v1/outbox?until=2000-01-01", analyst_).body["total"], 0);
  EXPECT_EQ(Get("/api/v1/outbox?since=2000-01-01", analyst_).body["total"], all.body["total"]);

  // Refused in words that name the parameter.
  const Reply bad_sort = Get("/api/v1/outbox?sort=subject", analyst_);
  EXPECT_EQ(bad_sort.status, 400);
  EXPECT_THAT(bad_sort.text, HasSubstr("sort"));
  EXPECT_EQ(Get("/api/v1/outbox?since=yesterday", analyst_).status, 400);
  EXPECT_EQ(Get("/api/v1/outbox?tlp=PURPLE", analyst_).status, 400);
  EXPECT_EQ(Get("/api/v1/outbox?offset=-1", analyst_).status, 400);
}

TEST_F(ListsTest, AnAnalystReadsAMessageBeforeReleasingItAndAMemberCannot) {
  const Reply held = Get("/api/v1/outbox?state=held", analyst_);
  ASSERT_EQ(held.body["total"], 1) << held.text;
  const std::string id = std::to_string(held.body["messages"][0]["id"].get<int64_t>());
  const Reply message = Get("/api/v1/outbox/" + id, analyst_);
  ASSERT_EQ(message.status, 200) << message.text;
  EXPECT_EQ(message.body["state"], "held");
  // The text as the recipients would read it: decoded, with the finding in it.
  EXPECT_THAT(message.body["text"].get<std::string>(), HasSubstr("192.0.2.31"));
  EXPECT_THAT(message.body["text"].get<std::string>(), ::testing::Not(HasSubstr("=\r\n")));
  EXPECT_EQ(Get("/api/v1/outbox/999999", analyst_).status, 404);
  EXPECT_EQ(Get("/api/v1/outbox/" + id, amsterdam_).status, 403);
}

TEST_F(ListsTest, AMembersUserSeesOnlyItsOwnSentMessagesWithoutDeliveryDetails) {
  const Reply own = Get("/api/v1/outbox?limit=1000", amsterdam_);
  ASSERT_EQ(own.status, 200) << own.text;
  const Reply staff_view = Get("/api/v1/outbox?member=GM0363&state=sent&limit=1000", analyst_);
  int64_t sent_not_red = 0;
  for (const Json& message : staff_view.body["messages"]) sent_not_red += message["tlp"] != "RED";
  ASSERT_GT(sent_not_red, 0);
  EXPECT_EQ(own.body["total"], sent_not_red);
  for (const Json& message : own.body["messages"]) {
    EXPECT_EQ(message["member"], "GM0363");
    EXPECT_EQ(message["state"], "sent");
    EXPECT_FALSE(message.contains("next_attempt_at"));
    EXPECT_FALSE(message.contains("attempts"));
  }
  // Asking for another member, or searching for it, finds nothing.
  EXPECT_EQ(Get("/api/v1/outbox?member=GM0599", amsterdam_).body["total"], 0);
  EXPECT_EQ(Get("/api/v1/outbox?q=rotterdam", amsterdam_).body["total"], 0);
  EXPECT_EQ(Get("/api/v1/outbox?state=held", amsterdam_).status, 403);
}

TEST_F(ListsTest, MembersAreSearchedSortedAndPaged) {
  // Without a limit every member, as clients that never paged expect.
  const Reply all = Get("/api/v1/members", analyst_);
  ASSERT_EQ(all.status, 200) << all.text;
  EXPECT_EQ(all.body["total"], 4);
  EXPECT_EQ(Column(all, "members", "code"),
            (std::vector<Json>{"GM0014", "GM0363", "GM0599", "SV0001"}));
  EXPECT_TRUE(all.body["limit"].is_null());

  const Reply second = Get("/api/v1/members?limit=3&offset=3", analyst_);
  EXPECT_EQ(Column(second, "members", "code"), std::vector<Json>{"SV0001"});
  EXPECT_EQ(second.body["total"], 4);
  EXPECT_EQ(Get("/api/v1/members?limit=3&offset=30", analyst_).body["members"].size(), 0u);

  EXPECT_EQ(Column(Get("/api/v1/members?q=GRONINGEN", analyst_), "members", "code"),
            std::vector<Json>{"GM0014"});
  EXPECT_EQ(Column(Get("/api/v1/members?q=west.example", analyst_), "members", "code"),
            std::vector<Json>{"SV0001"});
  EXPECT_EQ(Get("/api/v1/members?kind=gemeente", analyst_).body["total"], 3);
  EXPECT_EQ(Column(Get("/api/v1/members?sort=-name&limit=2", analyst_), "members", "code"),
            (std::vector<Json>{"GM0599", "GM0014"}));  // Rotterdam, Groningen
  EXPECT_EQ(Get("/api/v1/members?never_confirmed=true", analyst_).body["total"], 4);
  EXPECT_EQ(Get("/api/v1/members?confirmed_before=2000-01-01", analyst_).body["total"], 4);
  EXPECT_EQ(Get("/api/v1/members?kind=stad", analyst_).status, 400);
  EXPECT_EQ(Get("/api/v1/members?sort=size", analyst_).status, 400);

  // A member's user: its own member, however it asks.
  const Reply own = Get("/api/v1/members?limit=50", amsterdam_);
  EXPECT_EQ(own.body["total"], 1);
  EXPECT_EQ(Column(own, "members", "code"), std::vector<Json>{"GM0363"});
  EXPECT_EQ(Get("/api/v1/members?q=rotterdam", amsterdam_).body["total"], 0);

  // Names only, for choices: every member's code, name and kind and nothing of its lists, and
  // for a member's user still only its own.
  const Reply names = Get("/api/v1/members?fields=names", analyst_);
  ASSERT_EQ(names.status, 200) << names.text;
  EXPECT_EQ(Column(names, "members", "code"),
            (std::vector<Json>{"GM0014", "GM0363", "GM0599", "SV0001"}));
  EXPECT_EQ(
      names.body["members"][1],
      (Json{{"code", "GM0363"}, {"name", all.body["members"][1]["name"]}, {"kind", "gemeente"}}));
  EXPECT_EQ(Column(Get("/api/v1/members?fields=names", amsterdam_), "members", "code"),
            std::vector<Json>{"GM0363"});
  EXPECT_EQ(Get("/api/v1/members?fields=everything", analyst_).status, 400);
}

TEST_F(ListsTest, AdvisoriesAreSearchedByCveFilteredAndNewestFirst) {
  const Reply all = Get("/api/v1/advisories", analyst_);
  ASSERT_EQ(all.status, 200) << all.text;
  const int64_t total = all.body["total"];
  ASSERT_GE(total, 10);
  const auto released = Column(all, "advisories", "current_release");
  EXPECT_TRUE(std::is_sorted(released.rbegin(), released.rend())) << all.text;

  const Reply page = Get("/api/v1/advisories?limit=5&offset=5", analyst_);
  EXPECT_EQ(page.body["total"], total);
  const auto ids = Column(all, "advisories", "id");
  EXPECT_EQ(Column(page, "advisories", "id"), std::vector<Json>(ids.begin() + 5, ids.begin() + 10));

  // A CVE id finds the advisories that name it, and only those.
  const Reply log4j = Get("/api/v1/advisories?q=cve-2021-44228", analyst_);
  ASSERT_GE(log4j.body["total"], 1) << log4j.text;
  EXPECT_LT(log4j.body["total"], total);
  for (const Json& id : Column(log4j, "advisories", "id")) {
    const Reply detail = Get("/api/v1/advisories/" + id.get<std::string>(), analyst_);
    EXPECT_THAT(detail.text, HasSubstr("CVE-2021-44228")) << id;
  }

  // With warnings: those a member was warned of, each with its count.
  const Reply warned = Get("/api/v1/advisories?warned=true", analyst_);
  ASSERT_GE(warned.body["total"], 1) << warned.text;
  EXPECT_LT(warned.body["total"], total);
  for (const Json& advisory : warned.body["advisories"]) EXPECT_GE(advisory["warnings"], 1);

  const std::string publisher = all.body["advisories"][0]["publisher"];
  const Reply by_publisher = Get(
      "/api/v1/advisories?publisher=" + httplib::detail::encode_query_param(publisher), analyst_);
  ASSERT_GE(by_publisher.body["total"], 1);
  for (const Json& advisory : by_publisher.body["advisories"]) {
    EXPECT_EQ(advisory["publisher"], publisher);
  }
  EXPECT_EQ(Get("/api/v1/advisories?until=1990-01-01", analyst_).body["total"], 0);
  EXPECT_EQ(Get("/api/v1/advisories", amsterdam_).status, 403);
}

}  // namespace
}  // namespace baken::testing
