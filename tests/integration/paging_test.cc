// Paging over a real `baken serve` and real `baken job run escalate` runs (decision 0019), with
// a clock the test sets (BAKEN_TEST_CLOCK) and a real SMTP server on loopback, on both
// engines: a page reaches the analyst on duty by e-mail, moves to the next step when nobody
// acknowledges it, stops when acknowledged, pages again after the acknowledgement timeout, and
// plans nothing twice when the engine runs twice at the same time; the same problem pages
// once; the e-mail says nothing of what the page is about; a member's user gets none of it.

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "support/api_site.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using std::chrono::minutes;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + std::chrono::hours{22};

class PagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    clock_file_ = (site_.database().folder() / "clock").string();
    SetClock(kT0);
    ::setenv("BAKEN_TEST_CLOCK", clock_file_.c_str(), 1);
    site_.Cli({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()});
    site_.AddUser("anna", "anna@cert.example.nl", "analyst");
    site_.AddUser("lead", "teamlead@cert.example.nl", "admin");
    site_.AddUser("member", "trusted@aa.example.nl", "member", "GM0001");
    ASSERT_TRUE(site_.Serve()) << "baken serve did not start";
  }
  void TearDown() override { ::unsetenv("BAKEN_TEST_CLOCK"); }

  void SetClock(std::chrono::system_clock::time_point when) {
    std::ofstream(clock_file_, std::ios::trunc) << FormatUtc(when) << "\n";
  }
  // One run of the engine, as the scheduler starts it; its summary.
  Json Escalate() {
    return Json::parse(
        site_.Cli({"--json", "job", "run", "escalate", "--message-id-domain", "cert.example"}),
        nullptr, false);
  }
  // Everything in the outbox delivered to the SMTP server.
  void Deliver() {
    site_.Cli({"notify", "--smtp", smtp_.url(), "--retry-seconds", "0", "--message-id-domain",
               "cert.example"});
  }
  // The recipients of the mails received so far, in order.
  std::vector<std::string> Recipients() const {
    std::vector<std::string> to;
    for (const ReceivedMail& mail : smtp_.Received()) {
      for (const std::string& address : mail.rcpt_tos) to.push_back(address);
    }
    return to;
  }

  ApiSite site_;
  SmtpServer smtp_;
  std::string clock_file_;
};

TEST_F(PagingTest, APageEscalatesUntilAcknowledgedAndPagesAgainAfterTheTimeout) {
  const ApiReply rotation = site_.Call("POST", "/api/v1/rosters", "anna",
                                       {{"name", "IBD-piket"},
                                        {"shift", "daily"},
                                        {"start_date", "2026-12-01"},
                                        {"participants", {"anna@cert.example.nl"}}});
  ASSERT_EQ(rotation.status, 201) << rotation.text;
  const ApiReply policy =
      site_.Call("POST", "/api/v1/escalation-policies", "anna",
                 {{"name", "Spoed"},
                  {"steps",
                   {{{"delay_minutes", 0},
                     {"targets", {{{"kind", "on_duty"}, {"rotation", rotation.body["id"]}}}}},
                    {{"delay_minutes", 10},
                     {"targets", {{{"kind", "person"}, {"person", "TeamLead@cert.example.nl"}}}}}}},
                  {"ack_timeout_minutes", 30}});
  ASSERT_EQ(policy.status, 201) << policy.text;
  EXPECT_EQ(policy.body["steps"][1]["targets"][0]["person"], "teamlead@cert.example.nl");

  const Json request = {{"policy", policy.body["id"]},
                        {"severity", "critical"},
                        {"subject", "Ransomware bij Gemeente Aa"},
                        {"dedup_key", "ransomware-aa"}};
  const ApiReply page = site_.Call("POST", "/api/v1/pages", "anna", request);
  ASSERT_EQ(page.status, 201) << page.text;
  const int64_t id = page.body["id"];
  // The same problem again: the open page takes it in, nobody is paged twice.
  const ApiReply again = site_.Call("POST", "/api/v1/pages", "lead", request);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body["id"], id);

  // The person on duty, by e-mail, at once; twice at the same moment plans nothing twice.
  EXPECT_EQ(Escalate()["notified"], 1);
  EXPECT_EQ(Escalate()["notified"], 0);
  Deliver();
  ASSERT_EQ(Recipients(), (std::vector<std::string>{"anna@cert.example.nl"}));
  const ReceivedMail first = smtp_.Received()[0];
  EXPECT_THAT(first.data, HasSubstr(fmt::format("Pagina {} vraagt om uw aandacht", id)));
  EXPECT_THAT(first.data, HasSubstr("Ernst: kritiek"));
  EXPECT_THAT(first.data, HasSubstr("Message-ID: <baken.page-"));
  EXPECT_THAT(first.data, HasSubstr("@cert.example>"));
  EXPECT_THAT(first.data, Not(HasSubstr("Ransomware")));

  // Nobody acknowledges: ten minutes on, the team lead.
  SetClock(kT0 + minutes{9});
  EXPECT_EQ(Escalate()["notified"], 0);
  SetClock(kT0 + minutes{10});
  EXPECT_EQ(Escalate()["notified"], 1);
  Deliver();
  EXPECT_EQ(Recipients(),
            (std::vector<std::string>{"anna@cert.example.nl", "teamlead@cert.example.nl"}));

  // Acknowledged by the API: no more steps.
  SetClock(kT0 + minutes{11});
  const ApiReply acknowledged =
      site_.Call("POST", fmt::format("/api/v1/pages/{}/acknowledge", id), "anna");
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.text;
  EXPECT_EQ(acknowledged.body["state"], "acknowledged");
  EXPECT_EQ(acknowledged.body["acknowledged_by"], "anna@cert.example.nl");
  SetClock(kT0 + minutes{40});
  EXPECT_EQ(Escalate()["notified"], 0);
  // Not resolved 30 minutes after the acknowledgement: the person on duty again.
  SetClock(kT0 + minutes{41});
  const Json retriggered = Escalate();
  EXPECT_EQ(retriggered["retriggered"], 1);
  EXPECT_EQ(retriggered["notified"], 1);
  Deliver();
  EXPECT_EQ(Recipients().size(), 3u);
  EXPECT_EQ(Recipients().back(), "anna@cert.example.nl");

  // Resolved: no more, and not twice.
  EXPECT_EQ(site_.Call("POST", fmt::format("/api/v1/pages/{}/resolve", id), "lead").status, 200);
  EXPECT_EQ(site_.Call("POST", fmt::format("/api/v1/pages/{}/resolve", id), "lead").status, 409);
  SetClock(kT0 + minutes{500});
  EXPECT_EQ(Escalate()["pages"], 0);

  // The history tells it all, in order.
  const ApiReply history = site_.Call("GET", fmt::format("/api/v1/pages/{}", id), "anna");
  ASSERT_EQ(history.status, 200);
  std::vector<std::string> kinds;
  for (const Json& event : history.body["history"]) kinds.push_back(event["kind"]);
  // (After the team lead the policy had no step left: exhausted, waiting for an answer.)
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"created", "absorbed", "notified", "notified", "exhausted",
                                      "acknowledged", "retriggered", "notified", "resolved"}));
  EXPECT_EQ(history.body["history"][3]["person"], "teamlead@cert.example.nl");
  EXPECT_EQ(history.body["history"][3]["at"], FormatUtc(kT0 + minutes{10}));
  EXPECT_EQ(history.body["history"][5]["channel"], "api");
  EXPECT_EQ(history.body["history"][5]["person"], "anna@cert.example.nl");

  // Open pages only by default; all with state=all.
  EXPECT_TRUE(site_.Call("GET", "/api/v1/pages", "anna").body["pages"].empty());
  EXPECT_EQ(site_.Call("GET", "/api/v1/pages?state=all", "anna").body["pages"].size(), 1u);
}

TEST_F(PagingTest, RefusalsNameTheirFieldAndMembersGetNothing) {
  const ApiReply policy =
      site_.Call("POST", "/api/v1/escalation-policies", "anna",
                 {{"name", "Leeg"},
                  {"steps",
                   {{{"delay_minutes", -1}, {"targets", {{{"kind", "on_duty"}, {"rotation", 99}}}}},
                    {{"targets", {{{"kind", "person"}, {"person", "trusted@aa.example.nl"}}}}}}},
                  {"repeat", 11}});
  ASSERT_EQ(policy.status, 400) << policy.text;
  std::vector<std::string> fields;
  for (const Json& error : policy.body["errors"]) fields.push_back(error["params"]["field"]);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("steps[0].delay_minutes",
                                                      "steps[0].targets[0].rotation",
                                                      "steps[1].targets[0].person", "repeat"));
  const ApiReply no_policy =
      site_.Call("POST", "/api/v1/pages", "anna",
                 {{"policy", 42}, {"severity", "critical"}, {"subject", "test"}});
  EXPECT_EQ(no_policy.status, 400);
  EXPECT_EQ(no_policy.body["code"], "oncall.policy_unknown");
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/pages"},
                                                        {"GET", "/api/v1/escalation-policies"},
                                                        {"POST", "/api/v1/pages"},
                                                        {"POST", "/api/v1/pages/1/acknowledge"}}) {
    EXPECT_EQ(site_.Call(method, path, "member", Json::object()).status, 403) << path;
  }
}

}  // namespace
}  // namespace baken::testing
