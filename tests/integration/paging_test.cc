// Paging over a real `baken serve` and real `baken job run escalate` runs (decision 0019), with
// a clock the test sets (BAKEN_TEST_CLOCK), a real SMTP server and a real webhook receiver on
// loopback, on both engines: an urgent incident pages the analyst on duty by webhook (signed,
// retried) at once and by e-mail five minutes later, moves to the next step when nobody
// acknowledges it, stops when acknowledged through the one-time link, and pages again after
// the acknowledgement timeout; a page by hand does the same by e-mail and by the API; a daily
// feed that stays away pages once and its return resolves the page; nothing
// is planned twice when the engine runs twice at the same time; the same problem pages once;
// neither e-mail nor webhook says what the page is about; a member's user gets none of it.

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "notify/test_mail.h"
#include "support/api_site.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"
#include "support/webhook_receiver.h"

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
  // One run of the engine, as the scheduler starts it (with the configuration file, when the
  // test wrote one); its summary.
  Json Escalate() {
    std::vector<std::string> args = {"--json",      "job", "run", "escalate", "--message-id-domain",
                                     "cert.example"};
    if (!config_.empty()) args.insert(args.begin(), {"--config", config_});
    return Json::parse(site_.Cli(args), nullptr, false);
  }
  void WriteConfig(const Json& config) {
    config_ = (site_.database().folder() / "baken.json").string();
    std::ofstream(config_) << config.dump(2);
  }
  // A daily piket with Anna alone in it, since before the test's clock: she is on duty.
  int64_t AnnasRotation() {
    const ApiReply rotation = site_.Call("POST", "/api/v1/rosters", "anna",
                                         {{"name", "IBD-piket"},
                                          {"shift", "daily"},
                                          {"start_date", "2026-12-01"},
                                          {"participants", {"anna@cert.example.nl"}}});
    EXPECT_EQ(rotation.status, 201) << rotation.text;
    return rotation.status == 201 ? rotation.body["id"].get<int64_t>() : 0;
  }
  // The one-time link's token in a text ("…/page-link#TOKEN").
  static std::string TokenIn(const std::string& text) {
    const size_t at = text.find("/page-link#");
    if (at == std::string::npos) return "";
    const size_t start = at + 11;
    size_t end = start;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '-' || text[end] == '_')) {
      ++end;
    }
    return text.substr(start, end - start);
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
  std::string config_;
};

TEST_F(PagingTest, APageEscalatesUntilAcknowledgedAndPagesAgainAfterTheTimeout) {
  const int64_t rotation = AnnasRotation();
  ASSERT_NE(rotation, 0);
  const ApiReply policy = site_.Call(
      "POST", "/api/v1/escalation-policies", "anna",
      {{"name", "Spoed"},
       {"steps",
        {{{"delay_minutes", 0}, {"targets", {{{"kind", "on_duty"}, {"rotation", rotation}}}}},
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
  // (Each notification is in the history when it went, after what the run found due.)
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"created", "absorbed", "notified", "exhausted", "notified",
                                      "acknowledged", "retriggered", "notified", "resolved"}));
  EXPECT_EQ(history.body["history"][4]["person"], "teamlead@cert.example.nl");
  EXPECT_EQ(history.body["history"][4]["channel"], "email");
  EXPECT_EQ(history.body["history"][4]["at"], FormatUtc(kT0 + minutes{10}));
  EXPECT_EQ(history.body["history"][5]["channel"], "api");
  EXPECT_EQ(history.body["history"][5]["person"], "anna@cert.example.nl");

  // Open pages only by default; all with state=all.
  EXPECT_TRUE(site_.Call("GET", "/api/v1/pages", "anna").body["pages"].empty());
  EXPECT_EQ(site_.Call("GET", "/api/v1/pages?state=all", "anna").body["pages"].size(), 1u);
}

TEST_F(PagingTest, AnUrgentIncidentPagesByWebhookAndMailUntilAcknowledgedByTheLink) {
  WriteConfig({{"portal", {{"url", "https://baken.cert.example"}}}});
  WebhookReceiver gateway;
  const int64_t rotation = AnnasRotation();
  ASSERT_NE(rotation, 0);
  const ApiReply policy = site_.Call(
      "POST", "/api/v1/escalation-policies", "lead",
      {{"name", "Spoed"},
       {"default", true},
       {"steps",
        {{{"delay_minutes", 0}, {"targets", {{{"kind", "on_duty"}, {"rotation", rotation}}}}},
         {{"delay_minutes", 10},
          {"targets", {{{"kind", "person"}, {"person", "teamlead@cert.example.nl"}}}}}}},
       {"ack_timeout_minutes", 30}});
  ASSERT_EQ(policy.status, 201) << policy.text;
  EXPECT_EQ(policy.body["default"], true);

  // Anna's SMS gateway: usable once the code it received is typed back.
  const ApiReply method = site_.Call("POST", "/api/v1/contact-methods", "anna",
                                     {{"label", "SMS-gateway"}, {"url", gateway.url()}});
  ASSERT_EQ(method.status, 201) << method.text;
  EXPECT_EQ(method.body["code_sent"], true) << method.text;
  const std::string secret = method.body["secret"];
  const std::string channel = method.body["channel"];
  ASSERT_EQ(gateway.calls().size(), 1u);
  const WebhookCall verification = gateway.calls()[0];
  EXPECT_TRUE(WebhookReceiver::Signed(verification, secret));
  EXPECT_FALSE(WebhookReceiver::Signed(verification, secret + "x"));
  EXPECT_EQ(verification.json()["type"], "verification");
  ASSERT_TRUE(verification.json()["code"].is_string()) << verification.body;
  const std::string code = verification.json()["code"];
  const std::string verify =
      fmt::format("/api/v1/contact-methods/{}/verify", method.body["id"].get<int64_t>());
  // Not usable in a rule before it is verified; a wrong code says how many tries are left.
  EXPECT_EQ(site_
                .Call("PUT", "/api/v1/notification-rules", "anna",
                      {{"rules", {{{"channel", channel}, {"delay_minutes", 0}}}}})
                .body["code"],
            "oncall.method_unknown");
  const ApiReply wrong =
      site_.Call("POST", verify, "anna", {{"code", code == "000000" ? "1" : "0"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.body["code"], "oncall.code_wrong");
  EXPECT_EQ(wrong.body["params"]["left"], "4");
  EXPECT_EQ(site_.Call("POST", verify, "lead", {{"code", code}}).status, 404);  // not lead's
  const ApiReply verified = site_.Call("POST", verify, "anna", {{"code", code}});
  ASSERT_EQ(verified.status, 200) << verified.text;
  EXPECT_FALSE(verified.body["verified_at"].is_null());
  // SMS at once, e-mail after 5 minutes.
  const ApiReply rules = site_.Call("PUT", "/api/v1/notification-rules", "anna",
                                    {{"rules",
                                      {{{"channel", channel}, {"delay_minutes", 0}},
                                       {{"channel", "email"}, {"delay_minutes", 5}}}}});
  ASSERT_EQ(rules.status, 200) << rules.text;
  EXPECT_EQ(rules.body["rules"].size(), 2u);

  // An urgent incident: Baken pages by itself, once.
  const ApiReply incident = site_.Call(
      "POST", "/api/v1/incidents", "anna",
      {{"title", "Ransomware bij Gemeente Aa"}, {"priority", "urgent"}, {"members", {"GM0001"}}});
  ASSERT_EQ(incident.status, 201) << incident.text;
  gateway.RefuseNext(1);  // the gateway is briefly down
  Json run = Escalate();
  EXPECT_EQ(run["raised"], 1) << run.dump();
  EXPECT_EQ(run["planned"], 2);  // the webhook now, the e-mail at +5
  EXPECT_EQ(run["retried"], 1);
  EXPECT_EQ(run["notified"], 0);
  const ApiReply pages = site_.Call("GET", "/api/v1/pages", "anna");
  ASSERT_EQ(pages.body["pages"].size(), 1u);
  const Json page = pages.body["pages"][0];
  EXPECT_EQ(page["source"], "incident");
  EXPECT_EQ(page["dedup_key"], fmt::format("incident:{}", incident.body["id"].get<int64_t>()));
  const int64_t id = page["id"];

  // Retried after 30 seconds, with the same delivery id: delivered, signed, content-free.
  SetClock(kT0 + std::chrono::seconds{29});
  EXPECT_EQ(Escalate()["notified"], 0);
  SetClock(kT0 + std::chrono::seconds{30});
  run = Escalate();
  EXPECT_EQ(run["notified"], 1) << run.dump();
  EXPECT_EQ(run["raised"], nullptr);  // the same incident pages once
  std::vector<WebhookCall> calls = gateway.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].answered, 503);
  EXPECT_EQ(calls[2].answered, 200);
  EXPECT_EQ(calls[1].json()["delivery"], calls[2].json()["delivery"]);
  const Json paged = calls[2].json();
  EXPECT_TRUE(WebhookReceiver::Signed(calls[2], secret));
  EXPECT_EQ(paged["type"], "page");
  EXPECT_EQ(paged["page"], id);
  EXPECT_EQ(paged["severity"], "critical");
  EXPECT_EQ(paged["source"], "incident");
  EXPECT_THAT(calls[2].body, Not(HasSubstr("Ransomware")));
  const std::string webhook_token = TokenIn(paged.value("link", ""));
  ASSERT_FALSE(webhook_token.empty()) << paged.dump();

  // Nobody answered in five minutes: the e-mail too, with a link of its own.
  SetClock(kT0 + minutes{5});
  run = Escalate();
  EXPECT_EQ(run["notified"], 1) << run.dump();
  Deliver();
  ASSERT_EQ(Recipients(), (std::vector<std::string>{"anna@cert.example.nl"}));
  const std::string mail_text = notify::testing::PlainText(smtp_.Received()[0].data);
  EXPECT_THAT(mail_text, HasSubstr(fmt::format("Pagina {} vraagt om uw aandacht", id)));
  EXPECT_THAT(mail_text, Not(HasSubstr("Ransomware")));
  const std::string mail_token = TokenIn(mail_text);
  ASSERT_FALSE(mail_token.empty()) << mail_text;
  EXPECT_NE(mail_token, webhook_token);

  // Ten minutes: the next step, the team lead (no rules of his own: e-mail at once).
  SetClock(kT0 + minutes{10});
  EXPECT_EQ(Escalate()["notified"], 1);
  Deliver();
  EXPECT_EQ(Recipients().back(), "teamlead@cert.example.nl");

  // Anna opens the link from the SMS: what it is for, then acknowledges; once only.
  SetClock(kT0 + minutes{12});
  const ApiReply inspected =
      site_.Call("POST", "/api/v1/page-links/inspect", "", {{"token", webhook_token}});
  ASSERT_EQ(inspected.status, 200) << inspected.text;
  EXPECT_EQ(inspected.body["page"], id);
  EXPECT_EQ(inspected.body["state"], "triggered");
  EXPECT_FALSE(inspected.body.contains("subject"));
  EXPECT_EQ(site_.Call("POST", "/api/v1/page-links/inspect", "", {{"token", "bogus"}}).body["code"],
            "oncall.link_unknown");
  const ApiReply acknowledged = site_.Call("POST", "/api/v1/page-links/answer", "",
                                           {{"token", webhook_token}, {"action", "acknowledge"}});
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.text;
  EXPECT_EQ(acknowledged.body["state"], "acknowledged");
  EXPECT_EQ(acknowledged.body["acknowledged_by"], "anna@cert.example.nl");
  const ApiReply again = site_.Call("POST", "/api/v1/page-links/answer", "",
                                    {{"token", webhook_token}, {"action", "resolve"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["code"], "oncall.link_used");

  // Acknowledged: nothing more until the timeout, then the person on duty again, both ways.
  SetClock(kT0 + minutes{41});
  EXPECT_EQ(Escalate()["notified"], 0);
  SetClock(kT0 + minutes{42});
  run = Escalate();
  EXPECT_EQ(run["retriggered"], 1) << run.dump();
  EXPECT_EQ(run["notified"], 1);  // the webhook; the e-mail waits five minutes
  EXPECT_EQ(gateway.calls().size(), 4u);
  // Resolved through the e-mail's link before those five minutes: the e-mail never goes.
  const ApiReply resolved = site_.Call("POST", "/api/v1/page-links/answer", "",
                                       {{"token", mail_token}, {"action", "resolve"}});
  ASSERT_EQ(resolved.status, 200) << resolved.text;
  EXPECT_EQ(resolved.body["state"], "resolved");
  SetClock(kT0 + minutes{60});
  run = Escalate();
  EXPECT_EQ(run["notified"], 0) << run.dump();
  EXPECT_EQ(run["raised"], nullptr);  // still urgent, but paged once already
  Deliver();
  EXPECT_EQ(Recipients().size(), 2u);
  // An expired link says so.
  SetClock(kT0 + std::chrono::hours{25});
  const std::string late_token = TokenIn(gateway.calls().back().json().value("link", ""));
  EXPECT_EQ(
      site_.Call("POST", "/api/v1/page-links/inspect", "", {{"token", late_token}}).body["code"],
      "oncall.link_expired");

  const ApiReply history = site_.Call("GET", fmt::format("/api/v1/pages/{}", id), "anna");
  std::vector<std::string> seen;
  for (const Json& event : history.body["history"]) {
    seen.push_back(event["kind"].get<std::string>() + "/" +
                   event.value("channel", Json("")).dump());
  }
  EXPECT_THAT(seen, ::testing::Contains(fmt::format("notified/\"{}\"", channel)));
  EXPECT_THAT(seen, ::testing::Contains("acknowledged/\"link\""));
  EXPECT_THAT(seen, ::testing::Contains("resolved/\"link\""));
}

TEST_F(PagingTest, AMissingDailyFeedPagesOnceAndItsReturnResolvesThePage) {
  const int64_t rotation = AnnasRotation();
  ASSERT_NE(rotation, 0);
  // Without a default policy Baken has nobody to page for its own problems, and says so.
  EXPECT_EQ(Escalate()["no_default_policy"], true);
  const ApiReply policy = site_.Call(
      "POST", "/api/v1/escalation-policies", "lead",
      {{"name", "Piket"},
       {"default", true},
       {"steps",
        {{{"delay_minutes", 0}, {"targets", {{{"kind", "on_duty"}, {"rotation", rotation}}}}}}}});
  ASSERT_EQ(policy.status, 201) << policy.text;

  // The daily report arrives at T0; the configuration expects it within 26 hours.
  const std::string report = (site_.database().folder() / "2026-12-06-scan_rdp-nl.csv").string();
  std::ofstream(report) << "timestamp,ip,port,protocol\n2026-12-06 01:00:00,192.0.2.10,3389,tcp\n";
  site_.Cli({"ingest", report, "--feed", "shadowserver", "--report", "scan_rdp"});
  const Json events = Json::parse(site_.Cli({"events", "list", "--json"}), nullptr, false);
  ASSERT_EQ(events["events"].size(), 1u) << events.dump();
  const std::string feed = events["events"][0]["feed.name"];
  WriteConfig({{"oncall", {{"heartbeats", {{feed, 26}}}}}});

  SetClock(kT0 + std::chrono::hours{26});
  EXPECT_EQ(Escalate()["raised"], nullptr);
  // Late: one page, not one per check.
  SetClock(kT0 + std::chrono::hours{26} + std::chrono::seconds{1});
  Json run = Escalate();
  EXPECT_EQ(run["raised"], 1) << run.dump();
  EXPECT_EQ(run["notified"], 1);
  for (int check = 1; check <= 3; ++check) {
    SetClock(kT0 + std::chrono::hours{26} + minutes{check});
    EXPECT_EQ(Escalate()["raised"], nullptr) << "check " << check;
  }
  ApiReply pages = site_.Call("GET", "/api/v1/pages", "anna");
  ASSERT_EQ(pages.body["pages"].size(), 1u);
  EXPECT_EQ(pages.body["pages"][0]["source"], "heartbeat");
  EXPECT_EQ(pages.body["pages"][0]["severity"], "high");
  const int64_t id = pages.body["pages"][0]["id"];
  Deliver();
  EXPECT_EQ(Recipients(), (std::vector<std::string>{"anna@cert.example.nl"}));

  // The feed comes again (the same rows: it came all the same): Baken resolves the page.
  SetClock(kT0 + std::chrono::hours{30});
  site_.Cli({"ingest", report, "--feed", "shadowserver", "--report", "scan_rdp"});
  run = Escalate();
  EXPECT_EQ(run["settled"], 1) << run.dump();
  const ApiReply settled = site_.Call("GET", fmt::format("/api/v1/pages/{}", id), "anna");
  EXPECT_EQ(settled.body["state"], "resolved");
  EXPECT_EQ(settled.body["resolved_by"], "baken");
  EXPECT_EQ(settled.body["history"].back()["channel"], "feed_arrived");
  EXPECT_TRUE(site_.Call("GET", "/api/v1/pages", "anna").body["pages"].empty());

  // Away again after that: a new page, once.
  SetClock(kT0 + std::chrono::hours{30 + 27});
  EXPECT_EQ(Escalate()["raised"], 1);
  SetClock(kT0 + std::chrono::hours{30 + 28});
  EXPECT_EQ(Escalate()["raised"], nullptr);
  EXPECT_EQ(site_.Call("GET", "/api/v1/pages?state=all", "anna").body["pages"].size(), 2u);
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
                                                        {"POST", "/api/v1/pages/1/acknowledge"},
                                                        {"GET", "/api/v1/contact-methods"},
                                                        {"POST", "/api/v1/contact-methods"},
                                                        {"PUT", "/api/v1/notification-rules"}}) {
    EXPECT_EQ(site_.Call(method, path, "member", Json::object()).status, 403) << path;
  }
}

}  // namespace
}  // namespace baken::testing
