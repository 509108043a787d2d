// Researchers' reports over a real `baken serve`, real `baken notify` runs and a real SMTP
// server on loopback, with a clock the test sets (BAKEN_TEST_CLOCK), on both engines (decision
// 0020): a report about an IP address of member A and a host of member B, submitted through the
// public endpoint with its proof of work, reaches both with a notice that says nothing of the
// report; A reads only its own items, acknowledges and marks it fixed; B does not answer, gets
// a reminder, then is "no response" and the analysts are told; the reporter's status page
// follows every step, never names A or B, and shows what A said once an analyst passed it on.
// The public endpoint refuses oversized, malformed, script-carrying and rapid-fire submissions
// with a reason, and stores nothing of them. A product makes candidates an analyst confirms.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "common/time.h"
#include "disclosure/proof_of_work.h"
#include "mail/message.h"
#include "mail/openpgp.h"
#include "net/http_client.h"
#include "notify/test_mail.h"
#include "support/api_site.h"
#include "support/baken_process.h"
#include "support/gnupg_home.h"
#include "support/raw_connection.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
namespace fs = std::filesystem;
using std::chrono::hours;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + hours{9};

// Names that must never reach the reporter.
const char* const kMemberNames[] = {"GM0001",       "GM0002",        "Gemeente Aa",
                                    "Gemeente Bee", "aa.example.nl", "bee.example.nl"};

class DisclosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    clock_file_ = (site_.database().folder() / "clock").string();
    SetClock(kT0);
    ::setenv("BAKEN_TEST_CLOCK", clock_file_.c_str(), 1);
    config_ = (site_.database().folder() / "baken.json").string();
    std::ofstream(config_) << Json{{"disclosure",
                                    {{"proof_of_work_bits", 8},
                                     {"reports_per_hour", 3},
                                     {"response_days", 7},
                                     {"reminders", 1},
                                     {"security_txt_private_hosts", true}}},
                                   {"portal", {{"url", "https://baken.example"}}},
                                   {"organisation", {{"email", "analysts@cert.example"}}},
                                   {"smtp", {{"message_id_domain", "cert.example"}}}}
                                  .dump();
    site_.Cli({"member", "import", (SourceDir() / "tests/data/disclosure/members.json").string()});
    site_.AddUser("anna", "anna@cert.example.nl", "analyst");
    site_.AddUser("aa", "trusted@aa.example.nl", "member", "GM0001");
    site_.AddUser("aa-desk", "general@aa.example.nl", "member", "GM0001");
    site_.AddUser("bee", "trusted@bee.example.nl", "member", "GM0002");
    ASSERT_TRUE(site_.Serve({"--config", config_})) << "baken serve did not start";
  }
  void TearDown() override { ::unsetenv("BAKEN_TEST_CLOCK"); }

  void SetClock(std::chrono::system_clock::time_point when) {
    std::ofstream(clock_file_, std::ios::trunc) << FormatUtc(when) << "\n";
  }

  // A solved challenge, added to `report` as the public form does it.
  Json Solved(Json report) {
    const ApiReply challenge = site_.Call("GET", "/api/v1/reports/vulnerability/challenge", "");
    EXPECT_EQ(challenge.status, 200) << challenge.text;
    const std::string text = challenge.body.value("challenge", "");
    report["challenge"] = text;
    report["nonce"] = disclosure::SolveProof(text, challenge.body.value("bits", 8));
    return report;
  }
  ApiReply Submit(const Json& report) {
    return site_.Call("POST", "/api/v1/reports/vulnerability", "", Solved(report));
  }
  Json Status(const std::string& token) {
    const ApiReply status = site_.Call("POST", "/api/v1/report-status", "", {{"token", token}});
    EXPECT_EQ(status.status, 200) << status.text;
    return status.body;
  }
  // Plans what is due and delivers the outbox to the SMTP server; the mails that arrived.
  std::vector<ReceivedMail> Notify() {
    const size_t before = smtp_.ReceivedCount();
    site_.Cli({"--config", config_, "notify", "--smtp", smtp_.url(), "--retry-seconds", "0"});
    std::vector<ReceivedMail> all = smtp_.Received();
    return std::vector<ReceivedMail>(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
  }
  static std::vector<std::string> To(const std::vector<ReceivedMail>& mails) {
    std::vector<std::string> to;
    for (const ReceivedMail& mail : mails)
      to.insert(to.end(), mail.rcpt_tos.begin(), mail.rcpt_tos.end());
    std::sort(to.begin(), to.end());
    return to;
  }
  static const ReceivedMail* MailTo(const std::vector<ReceivedMail>& mails,
                                    const std::string& address) {
    for (const ReceivedMail& mail : mails) {
      if (std::find(mail.rcpt_tos.begin(), mail.rcpt_tos.end(), address) != mail.rcpt_tos.end()) {
        return &mail;
      }
    }
    return nullptr;
  }
  // The status link's token in a mail's text ("…/report-status#TOKEN").
  static std::string TokenIn(const std::string& text) {
    const size_t at = text.find("/report-status#");
    if (at == std::string::npos) return "";
    size_t end = at + 15;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '-' || text[end] == '_')) {
      ++end;
    }
    return text.substr(at + 15, end - at - 15);
  }
  static void NamesNoMember(const std::string& text, const std::string& where) {
    for (const char* name : kMemberNames) {
      EXPECT_THAT(text, Not(HasSubstr(name))) << where << " names " << name;
    }
  }

  // The whole test's mail: a busy machine (two test programs at once, sanitizers) can take
  // more than the default minute for it.
  static SmtpServerOptions LongSmtp() {
    SmtpServerOptions options;
    options.timeout_seconds = 600;
    return options;
  }

  ApiSite site_;
  SmtpServer smtp_{LongSmtp()};
  std::string clock_file_;
  std::string config_;
};

Json TwoMemberReport() {
  return Json{{"title", "Exposed management interfaces"},
              {"description",
               "The management interface answers on 192.0.2.10 and on portal.bee.example.nl "
               "without authentication."},
              {"severity", "high"},
              {"reporter_name", "R. Searcher"},
              {"reporter_email", "r.searcher@example.net"},
              {"language", "en"},
              {"wants_updates", true},
              {"ips", {"192.0.2.10"}},
              {"hosts", {"portal.bee.example.nl"}}};
}

TEST_F(DisclosureTest, AReportReachesBothOwnersWithoutContentAndTheReporterFollowsEachStep) {
  const ApiReply submitted = Submit(TwoMemberReport());
  ASSERT_EQ(submitted.status, 201) << submitted.text;
  const std::string reference = submitted.body["reference"];
  const std::string token = submitted.body["status_token"];
  EXPECT_THAT(reference, ::testing::MatchesRegex("CVD-2026-[0-9]{5}"));

  Json status = Status(token);
  EXPECT_EQ(status["state"], "received");
  EXPECT_EQ(status["organisations"]["notified"], 2);
  EXPECT_EQ(status["organisations"]["seen"], 0);
  NamesNoMember(status.dump(), "the status page");

  // Each owner gets a notice that says nothing of the report; the reporter a receipt.
  const std::vector<ReceivedMail> first = Notify();
  EXPECT_EQ(To(first), (std::vector<std::string>{"r.searcher@example.net", "trusted@aa.example.nl",
                                                 "trusted@bee.example.nl"}));
  for (const char* member : {"trusted@aa.example.nl", "trusted@bee.example.nl"}) {
    const ReceivedMail* mail = MailTo(first, member);
    ASSERT_NE(mail, nullptr) << member;
    const std::string text = notify::testing::PlainText(mail->data);
    EXPECT_THAT(text, HasSubstr(reference));
    EXPECT_THAT(text, HasSubstr("https://baken.example/disclosure/notifications/"));
    for (const char* secret : {"192.0.2.10", "portal.bee", "management interface", "Exposed",
                               "R. Searcher", "example.net"}) {
      EXPECT_THAT(mail->data, Not(HasSubstr(secret))) << member << "'s notice tells " << secret;
    }
  }
  EXPECT_THAT(notify::testing::PlainText(MailTo(first, "trusted@bee.example.nl")->data),
              HasSubstr("A researcher has reported"));  // Bee's contact reads English
  const ReceivedMail* receipt = MailTo(first, "r.searcher@example.net");
  ASSERT_NE(receipt, nullptr);
  const std::string receipt_text = notify::testing::PlainText(receipt->data);
  NamesNoMember(receipt_text, "the receipt");
  const std::string mailed_token = TokenIn(receipt_text);
  ASSERT_FALSE(mailed_token.empty()) << receipt_text;
  EXPECT_NE(mailed_token, token);  // a fresh link: the first one's token is not kept
  EXPECT_EQ(Status(mailed_token)["reference"], reference);

  // A's trusted contact reads A's part only: its own address, not B's host, and not the
  // reporter's text, which names both (an analyst has not summarised it yet).
  const ApiReply list = site_.Call("GET", "/api/v1/vulnerability-notifications", "aa");
  ASSERT_EQ(list.status, 200) << list.text;
  ASSERT_EQ(list.body["notifications"].size(), 1u);
  const int64_t aa_id = list.body["notifications"][0]["id"];
  const ApiReply aa_view =
      site_.Call("GET", fmt::format("/api/v1/vulnerability-notifications/{}", aa_id), "aa");
  ASSERT_EQ(aa_view.status, 200) << aa_view.text;
  EXPECT_EQ(aa_view.body["state"], "seen");
  EXPECT_EQ(aa_view.body["items"], (Json::array({{{"kind", "ip"}, {"value", "192.0.2.10"}}})));
  EXPECT_TRUE(aa_view.body["text_withheld"].get<bool>());
  EXPECT_THAT(aa_view.text, Not(HasSubstr("portal.bee")));
  EXPECT_THAT(aa_view.text, Not(HasSubstr("r.searcher")));  // not shared by the reporter
  // Aa's general desk may not read a TLP:AMBER report's content, B's user not A's notification.
  const ApiReply desk =
      site_.Call("GET", fmt::format("/api/v1/vulnerability-notifications/{}", aa_id), "aa-desk");
  ASSERT_EQ(desk.status, 200) << desk.text;
  EXPECT_FALSE(desk.body["may_read"].get<bool>());
  EXPECT_TRUE(desk.body["items"].empty());
  EXPECT_EQ(
      site_.Call("GET", fmt::format("/api/v1/vulnerability-notifications/{}", aa_id), "bee").status,
      404);
  EXPECT_EQ(site_
                .Call("POST", fmt::format("/api/v1/vulnerability-notifications/{}/answer", aa_id),
                      "bee", {{"state", "fixed"}})
                .status,
            404);
  EXPECT_EQ(site_.Call("GET", "/api/v1/vulnerability-reports", "aa").status, 403);

  status = Status(token);
  EXPECT_EQ(status["organisations"]["seen"], 1);

  // A acknowledges, then marks it fixed, and writes to the reporter through the CERT.
  const std::string aa_path = fmt::format("/api/v1/vulnerability-notifications/{}", aa_id);
  ApiReply answered = site_.Call("POST", aa_path + "/answer", "aa", {{"state", "acknowledged"}});
  ASSERT_EQ(answered.status, 200) << answered.text;
  EXPECT_EQ(Status(token)["organisations"]["acknowledged"], 1);
  answered = site_.Call("POST", aa_path + "/answer", "aa",
                        {{"state", "fixed"}, {"note", "Interface closed at 10:00"}});
  ASSERT_EQ(answered.status, 200) << answered.text;
  EXPECT_EQ(answered.body["state"], "fixed");
  EXPECT_EQ(site_.Call("POST", aa_path + "/answer", "aa", {{"state", "acknowledged"}}).status, 400);
  const ApiReply written =
      site_.Call("POST", aa_path + "/messages", "aa",
                 {{"text", "Thank you, fixed within the hour."}, {"for_reporter", true}});
  ASSERT_EQ(written.status, 201) << written.text;
  status = Status(token);
  EXPECT_EQ(status["organisations"]["fixed"], 1);
  EXPECT_TRUE(status["messages"].empty()) << "not passed on by an analyst yet";

  const ApiReply report = site_.Call(
      "GET", fmt::format("/api/v1/vulnerability-reports/{}", submitted.body["id"].get<int64_t>()),
      "anna");
  ASSERT_EQ(report.status, 200) << report.text;
  int64_t message_id = 0;
  for (const Json& message : report.body["messages"]) {
    if (message["for_reporter"].get<bool>()) message_id = message["id"];
  }
  ASSERT_GT(message_id, 0) << report.text;
  const ApiReply released =
      site_.Call("POST",
                 fmt::format("/api/v1/vulnerability-reports/{}/messages/{}/release",
                             submitted.body["id"].get<int64_t>(), message_id),
                 "anna");
  ASSERT_EQ(released.status, 200) << released.text;
  status = Status(token);
  ASSERT_EQ(status["messages"].size(), 1u);
  EXPECT_EQ(status["messages"][0]["from"], "organisation");
  EXPECT_EQ(status["messages"][0]["text"], "Thank you, fixed within the hour.");
  NamesNoMember(status.dump(), "the status page");

  // The reporter's news: a mail with a fresh link, no names.
  const std::vector<ReceivedMail> news = Notify();
  ASSERT_FALSE(news.empty());
  for (const ReceivedMail& mail : news) {
    EXPECT_EQ(mail.rcpt_tos, std::vector<std::string>{"r.searcher@example.net"});
    NamesNoMember(notify::testing::PlainText(mail.data), "the reporter's news");
    EXPECT_EQ(Status(TokenIn(notify::testing::PlainText(mail.data)))["reference"], reference);
  }

  // B does not answer: after the response time one reminder, to B only.
  SetClock(kT0 + hours(24 * 7 + 1));
  const std::vector<ReceivedMail> reminder = Notify();
  ASSERT_EQ(To(reminder), std::vector<std::string>{"trusted@bee.example.nl"});
  EXPECT_THAT(notify::testing::PlainText(reminder[0].data), HasSubstr("reminder 1"));
  EXPECT_THAT(reminder[0].data, Not(HasSubstr("portal.bee")));
  // Nothing more until the next period has passed.
  EXPECT_TRUE(Notify().empty());

  // After the last reminder's period: no response, and the analysts are told.
  SetClock(kT0 + hours(24 * 14 + 2));
  const std::vector<ReceivedMail> told = Notify();
  ASSERT_EQ(To(told), std::vector<std::string>{"analysts@cert.example"});
  EXPECT_THAT(notify::testing::PlainText(told[0].data), HasSubstr(reference));
  const ApiReply after = site_.Call(
      "GET", fmt::format("/api/v1/vulnerability-reports/{}", submitted.body["id"].get<int64_t>()),
      "anna");
  std::map<std::string, std::string> states;
  for (const Json& notification : after.body["notifications"]) {
    states[notification["member"]] = notification["state"];
  }
  EXPECT_EQ(states,
            (std::map<std::string, std::string>{{"GM0001", "fixed"}, {"GM0002", "no_response"}}));
  status = Status(token);
  EXPECT_EQ(status["organisations"]["notified"], 2);
  EXPECT_EQ(status["organisations"]["fixed"], 1);
  NamesNoMember(status.dump(), "the status page");
  // B can still answer after "no response".
  const ApiReply bee_list = site_.Call("GET", "/api/v1/vulnerability-notifications", "bee");
  ASSERT_EQ(bee_list.body["notifications"].size(), 1u);
  const ApiReply late =
      site_.Call("POST",
                 fmt::format("/api/v1/vulnerability-notifications/{}/answer",
                             bee_list.body["notifications"][0]["id"].get<int64_t>()),
                 "bee", {{"state", "not_affected"}, {"named", true}});
  ASSERT_EQ(late.status, 200) << late.text;
  status = Status(token);
  EXPECT_EQ(status["organisations"]["not_affected"], 1);
  // Bee agreed to be named: only Bee is.
  ASSERT_EQ(status["named"].size(), 1u);
  EXPECT_EQ(status["named"][0]["name"], "Gemeente Bee");
  EXPECT_THAT(status.dump(), Not(HasSubstr("Gemeente Aa")));

  // The statistics: one report this month, two members told, Aa acknowledged and fixed it at
  // once (the clock stood still), Bee answered after 14 days and 2 hours.
  const ApiReply stats = site_.Call(
      "GET", "/api/v1/stats/vulnerability-reports?from=2026-12-01&to=2027-01-01", "anna");
  ASSERT_EQ(stats.status, 200) << stats.text;
  EXPECT_EQ(stats.body["reports"], 1);
  EXPECT_EQ(stats.body["by_month"][0]["month"], "2026-12");
  EXPECT_EQ(stats.body["by_month"][0]["received"], 1);
  EXPECT_EQ(stats.body["notifications"]["total"], 2);
  EXPECT_EQ(stats.body["notifications"]["by_state"]["fixed"], 1);
  EXPECT_EQ(stats.body["notifications"]["by_state"]["not_affected"], 1);
  EXPECT_EQ(stats.body["hours_to_acknowledge"]["count"], 2);
  EXPECT_DOUBLE_EQ(stats.body["hours_to_acknowledge"]["median"].get<double>(), (0 + 338.0) / 2);
  EXPECT_EQ(stats.body["hours_to_fix"]["count"], 1);
  EXPECT_DOUBLE_EQ(stats.body["hours_to_fix"]["median"].get<double>(), 0.0);
  EXPECT_EQ(site_.Call("GET", "/api/v1/stats/vulnerability-reports", "aa").status, 403);
  EXPECT_EQ(site_.Call("GET", "/api/v1/stats/vulnerability-reports?from=yesterday", "anna").status,
            400);
  const Json cli = Json::parse(site_.Cli({"--json", "stats", "reports", "--from", "2026-12-01"}),
                               nullptr, false);
  EXPECT_EQ(cli["reports"], 1);
  EXPECT_EQ(Json::parse(site_.Cli({"--json", "stats", "reports", "--to", "2026-12-01"}), nullptr,
                        false)["reports"],
            0);
}

TEST_F(DisclosureTest, ThePublicEndpointRefusesHostileSubmissionsAndStoresNothingOfThem) {
  const auto code = [](const ApiReply& reply) { return reply.body.value("code", std::string()); };
  Json report = TwoMemberReport();
  // Without a challenge, with a wrong proof (which uses the challenge up), with markup.
  ApiReply refused = site_.Call("POST", "/api/v1/reports/vulnerability", "", report);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(code(refused), "report.challenge_unknown") << refused.text;
  Json wrong = Solved(report);
  wrong["nonce"] = "not-the-answer";
  while (disclosure::ProofHolds(wrong["challenge"].get<std::string>(),
                                wrong["nonce"].get<std::string>(), 8)) {
    wrong["nonce"] = wrong["nonce"].get<std::string>() + "x";
  }
  refused = site_.Call("POST", "/api/v1/reports/vulnerability", "", wrong);
  EXPECT_EQ(code(refused), "report.proof_wrong") << refused.text;
  wrong["nonce"] = disclosure::SolveProof(wrong["challenge"].get<std::string>(), 8);
  refused = site_.Call("POST", "/api/v1/reports/vulnerability", "", wrong);
  EXPECT_EQ(code(refused), "report.challenge_unknown")
      << "a challenge is used once: " << refused.text;

  Json scripted = Solved(report);
  scripted["description"] = "Proof: <img src=x onerror=alert(document.cookie)>";
  refused = site_.Call("POST", "/api/v1/reports/vulnerability", "", scripted);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(code(refused), "report.script") << refused.text;
  EXPECT_THAT(refused.text, HasSubstr("attachment"));
  scripted["title"] = "<script>alert(1)</script>";
  scripted["urls"] = {"javascript:alert(1)"};
  scripted["ips"] = {"192.0.2.300"};
  refused = site_.Call("POST", "/api/v1/reports/vulnerability", "", scripted);
  EXPECT_EQ(refused.status, 400);
  EXPECT_GE(refused.body["errors"].size(), 3u) << "every problem is named: " << refused.text;

  // Malformed, deeply nested and oversized bodies, over a plain socket: a body refused for its
  // size is not read, and the connection closes under the sender.
  const auto post = [&](const std::string& body, const char* from = "127.0.0.4") {
    return Exchange(site_.server().port(),
                    fmt::format("POST /api/v1/reports/vulnerability HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: {}\r\n"
                                "Connection: close\r\n\r\n{}",
                                body.size(), body),
                    from);
  };
  EXPECT_THAT(post("{\"title\": "), ::testing::StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(post(std::string(5000, '[') + std::string(5000, ']')),
              ::testing::StartsWith("HTTP/1.1 400"));
  Json huge = Solved(report);
  huge["description"] = std::string(3 << 20, 'a');
  EXPECT_THAT(post(huge.dump()), ::testing::StartsWith("HTTP/1.1 413"));
  Json big_file = Solved(report);
  big_file["attachments"] = {
      {{"name", "dump.bin"}, {"content_base64", std::string(700 << 10, 'A')}}};
  refused = site_.Call("POST", "/api/v1/reports/vulnerability", "", big_file);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(code(refused), "report.attachment_too_large") << refused.text.substr(0, 300);

  // The good one, after all that: the scripted one's challenge was not used up by its refusal.
  scripted["title"] = "Exposed management interfaces";
  scripted["description"] = "See the attachment.";
  scripted["urls"] = {"https://portal.bee.example.nl/admin"};
  scripted["ips"] = {"192.0.2.10"};
  scripted["attachments"] = {{{"name", "poc.html"},
                              {"media_type", "text/html"},
                              {"content_base64", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}}};
  const ApiReply accepted = site_.Call("POST", "/api/v1/reports/vulnerability", "", scripted);
  ASSERT_EQ(accepted.status, 201) << accepted.text;

  // Rapid fire: at most three an hour from one address (the limit in the configuration).
  ASSERT_EQ(Submit(report).status, 201);
  ASSERT_EQ(Submit(report).status, 201);
  refused = Submit(report);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(code(refused), "report.too_many_reports") << refused.text;
  // Per address: another one may still send, with its own challenge.
  const std::string other = post(Solved(report).dump(), "127.0.0.9");
  EXPECT_THAT(other, ::testing::StartsWith("HTTP/1.1 201")) << other.substr(0, 300);
  SetClock(kT0 + hours(1) + std::chrono::minutes(1));
  EXPECT_EQ(Submit(report).status, 201) << "the limit is per hour";

  // Nothing of the refused ones was stored.
  const ApiReply queue = site_.Call("GET", "/api/v1/vulnerability-reports", "anna");
  ASSERT_EQ(queue.status, 200) << queue.text;
  EXPECT_EQ(queue.body["total"], 5);

  // The evidence is a download, never shown inline, with its hash.
  const int64_t id = accepted.body["id"];
  const ApiReply full =
      site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}", id), "anna");
  ASSERT_EQ(full.body["attachments"].size(), 1u);
  const int64_t attachment = full.body["attachments"][0]["id"];
  const ApiReply anonymous = site_.Call(
      "GET", fmt::format("/api/v1/vulnerability-reports/{}/attachments/{}", id, attachment), "");
  EXPECT_EQ(anonymous.status, 401);
  const ApiReply file = site_.Call(
      "GET", fmt::format("/api/v1/vulnerability-reports/{}/attachments/{}", id, attachment),
      "anna");
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.text, "<script>alert(1)</script>");
}

TEST_F(DisclosureTest, AProductMakesCandidatesThatAnAnalystConfirmsAndAnInvalidReportIsWithdrawn) {
  const ApiReply submitted =
      Submit({{"title", "Authentication bypass"},
              {"description", "NetScaler ADC before 14.1-12 lets anyone in."},
              {"products", {{{"vendor", "Citrix"}, {"product", "NetScaler ADC"}}}}});
  ASSERT_EQ(submitted.status, 201) << submitted.text;
  const int64_t id = submitted.body["id"];
  const std::string path = fmt::format("/api/v1/vulnerability-reports/{}", id);
  // Candidates only: no member is told, and no member sees it yet.
  ApiReply report = site_.Call("GET", path, "anna");
  ASSERT_EQ(report.status, 200) << report.text;
  std::map<std::string, std::string> states;
  for (const Json& notification : report.body["notifications"]) {
    states[notification["member"]] = notification["state"];
  }
  EXPECT_EQ(states,
            (std::map<std::string, std::string>{{"GM0001", "proposed"}, {"GM0002", "proposed"}}));
  EXPECT_TRUE(
      site_.Call("GET", "/api/v1/vulnerability-notifications", "aa").body["notifications"].empty());
  EXPECT_TRUE(Notify().empty());
  EXPECT_EQ(Status(submitted.body["status_token"])["organisations"]["notified"], 0);

  // The analyst confirms Aa and withdraws Bee.
  ASSERT_EQ(site_.Call("POST", path + "/notifications", "anna", {{"member", "GM0001"}}).status,
            200);
  ASSERT_EQ(site_.Call("POST", path + "/notifications/GM0002/withdraw", "anna").status, 200);
  EXPECT_EQ(To(Notify()), std::vector<std::string>{"trusted@aa.example.nl"});
  ApiReply aa_list = site_.Call("GET", "/api/v1/vulnerability-notifications", "aa");
  ASSERT_EQ(aa_list.body["notifications"].size(), 1u);
  EXPECT_TRUE(site_.Call("GET", "/api/v1/vulnerability-notifications", "bee")
                  .body["notifications"]
                  .empty());
  // One member: it reads the reporter's own text and the product.
  const ApiReply view =
      site_.Call("GET",
                 fmt::format("/api/v1/vulnerability-notifications/{}",
                             aa_list.body["notifications"][0]["id"].get<int64_t>()),
                 "aa");
  EXPECT_FALSE(view.body["text_withheld"].get<bool>());
  EXPECT_EQ(view.body["title"], "Authentication bypass");
  ASSERT_EQ(view.body["items"].size(), 1u);
  EXPECT_EQ(view.body["items"][0]["product"], "NetScaler ADC");

  // States move only as the machine says; invalid withdraws what was not answered yet.
  ApiReply moved = site_.Call("POST", path + "/state", "anna", {{"state", "accepted"}});
  EXPECT_EQ(moved.status, 400);
  EXPECT_EQ(moved.body.value("code", ""), "report.state_move");
  moved = site_.Call("POST", path + "/state", "anna",
                     {{"state", "invalid"}, {"reason", "not reproducible"}});
  ASSERT_EQ(moved.status, 200) << moved.text;
  states.clear();
  for (const Json& notification : moved.body["notifications"]) {
    states[notification["member"]] = notification["state"];
  }
  EXPECT_EQ(states,
            (std::map<std::string, std::string>{{"GM0001", "withdrawn"}, {"GM0002", "withdrawn"}}));
  EXPECT_TRUE(
      site_.Call("GET", "/api/v1/vulnerability-notifications", "aa").body["notifications"].empty());
  EXPECT_EQ(Status(submitted.body["status_token"])["state"], "invalid");
}

TEST_F(DisclosureTest, ADuplicateJoinsTheEarlierReportAndAReportBecomesAnIncident) {
  // The first report reaches Aa; the second names the same address and Bee's portal.
  ApiReply first = Submit({{"title", "Open management interface"},
                           {"description", "The interface on 192.0.2.10 needs no password."},
                           {"ips", {"192.0.2.10"}}});
  ASSERT_EQ(first.status, 201) << first.text;
  Json second_report = TwoMemberReport();
  second_report["reporter_email"] = "second@example.net";
  ApiReply second = Submit(second_report);
  ASSERT_EQ(second.status, 201) << second.text;
  const int64_t original = first.body["id"];
  const int64_t duplicate = second.body["id"];
  const std::string original_path = fmt::format("/api/v1/vulnerability-reports/{}", original);
  const std::string duplicate_path = fmt::format("/api/v1/vulnerability-reports/{}", duplicate);
  EXPECT_EQ(To(Notify()),
            (std::vector<std::string>{"second@example.net", "trusted@aa.example.nl",
                                      "trusted@aa.example.nl", "trusted@bee.example.nl"}));
  const std::string second_token = second.body["status_token"];

  // Bee acknowledges the second report and writes to the CERT before the merge.
  ApiReply bee_list = site_.Call("GET", "/api/v1/vulnerability-notifications", "bee");
  ASSERT_EQ(bee_list.body["notifications"].size(), 1u) << bee_list.text;
  const int64_t bee_notification = bee_list.body["notifications"][0]["id"];
  const std::string bee_path =
      fmt::format("/api/v1/vulnerability-notifications/{}", bee_notification);
  ASSERT_EQ(site_.Call("POST", bee_path + "/answer", "bee", {{"state", "acknowledged"}}).status,
            200);
  ASSERT_EQ(site_.Call("POST", bee_path + "/messages", "bee", {{"text", "We are on it."}}).status,
            201);

  // Only analysts merge, and never a report into itself.
  EXPECT_EQ(site_.Call("POST", duplicate_path + "/merge", "aa", {{"into", original}}).status, 403);
  ApiReply refused = site_.Call("POST", duplicate_path + "/merge", "anna", {{"into", duplicate}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body.value("code", ""), "report.merge_refused");

  ApiReply merged = site_.Call("POST", duplicate_path + "/merge", "anna",
                               {{"into", original}, {"reason", "same interface"}});
  ASSERT_EQ(merged.status, 200) << merged.text;
  EXPECT_EQ(merged.body["id"], original);
  // The original now names Bee's portal too, and each member has one live notification there:
  // Aa's own, and Bee's moved with its answer and its thread.
  std::vector<std::string> values;
  for (const Json& item : merged.body["items"]) values.push_back(item["value"]);
  EXPECT_THAT(values, ::testing::UnorderedElementsAre("192.0.2.10", "portal.bee.example.nl"));
  std::map<std::string, std::string> states;
  for (const Json& notification : merged.body["notifications"]) {
    states[notification["member"]] = notification["state"];
    if (notification["member"] == "GM0002") {
      EXPECT_EQ(notification["id"], bee_notification);
    }
  }
  EXPECT_EQ(states, (std::map<std::string, std::string>{{"GM0001", "notified"},
                                                        {"GM0002", "acknowledged"}}));
  ASSERT_EQ(merged.body["messages"].size(), 1u) << merged.body["messages"].dump();
  EXPECT_EQ(merged.body["messages"][0]["text"], "We are on it.");
  ASSERT_EQ(merged.body["duplicates"].size(), 1u);
  EXPECT_EQ(merged.body["duplicates"][0]["id"], duplicate);

  const ApiReply closed = site_.Call("GET", duplicate_path, "anna");
  EXPECT_EQ(closed.body["state"], "closed");
  EXPECT_EQ(closed.body["state_reason"], "same interface");
  EXPECT_EQ(closed.body["merged_into"]["id"], original);
  EXPECT_TRUE(closed.body["next_states"].empty());
  ASSERT_EQ(closed.body["notifications"].size(), 1u) << closed.body["notifications"].dump();
  EXPECT_EQ(closed.body["notifications"][0]["state"], "withdrawn");
  // No member is told again; the second reporter hears that the report was closed.
  EXPECT_EQ(To(Notify()), std::vector<std::string>{"second@example.net"});
  EXPECT_EQ(
      site_.Call("GET", "/api/v1/vulnerability-notifications", "aa").body["notifications"].size(),
      1u);
  const ApiReply bee_view = site_.Call("GET", bee_path, "bee");
  EXPECT_EQ(bee_view.body["report"], original);
  EXPECT_EQ(bee_view.body["messages"].size(), 1u);

  // The second reporter follows the organisations of the original, without learning which
  // they are or which report it joined.
  const Json status = Status(second_token);
  EXPECT_TRUE(status["duplicate"].get<bool>());
  EXPECT_EQ(status["state"], "closed");
  EXPECT_EQ(status["organisations"]["notified"], 2);
  EXPECT_EQ(status["organisations"]["acknowledged"], 1);
  NamesNoMember(status.dump(), "the status page of a duplicate");
  EXPECT_THAT(status.dump(), Not(HasSubstr(first.body["reference"].get<std::string>())));
  refused = site_.Call("POST", duplicate_path + "/merge", "anna", {{"into", original}});
  EXPECT_EQ(refused.body.value("code", ""), "report.merge_refused");
  refused = site_.Call("POST", duplicate_path + "/state", "anna", {{"state", "accepted"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body.value("code", ""), "report.closed");

  // The original becomes an incident both members take part in, once.
  EXPECT_EQ(site_.Call("POST", original_path + "/incident", "aa", Json::object()).status, 403);
  ApiReply opened = site_.Call("POST", original_path + "/incident", "anna",
                               {{"priority", "high"}, {"members", {"GM0001"}}});
  ASSERT_EQ(opened.status, 200) << opened.text;
  ASSERT_TRUE(opened.body["incident"].is_number_integer()) << opened.text;
  const int64_t incident = opened.body["incident"];
  const ApiReply case_file =
      site_.Call("GET", fmt::format("/api/v1/incidents/{}", incident), "anna");
  ASSERT_EQ(case_file.status, 200) << case_file.text;
  EXPECT_EQ(case_file.body["title"], "Open management interface");
  EXPECT_EQ(case_file.body["source"], "analyst");
  EXPECT_EQ(case_file.body["source_ref"], first.body["reference"]);
  EXPECT_EQ(case_file.body["tlp"], "AMBER");
  EXPECT_EQ(case_file.body["priority"], "high");
  // The researcher's own words stay with the report.
  EXPECT_THAT(case_file.text, Not(HasSubstr("needs no password")));
  std::vector<std::string> taking_part;
  for (const Json& participation : case_file.body["participations"]) {
    taking_part.push_back(participation["member"]);
  }
  EXPECT_THAT(taking_part, ::testing::UnorderedElementsAre("GM0001", "GM0002"));
  EXPECT_EQ(site_.Call("GET", fmt::format("/api/v1/incidents/{}", incident), "bee").status, 200);
  ApiReply again = site_.Call("POST", original_path + "/incident", "anna", Json::object());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body.value("code", ""), "report.incident_exists");
  again = site_.Call("POST", duplicate_path + "/incident", "anna", Json::object());
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body.value("code", ""), "report.incident_refused");
}

// A host on loopback with a (cleartext-signed) security.txt, counting the requests it answers.
class SecurityTxtHost {
 public:
  SecurityTxtHost() {
    server_.Get("/.well-known/security.txt",
                [this](const httplib::Request&, httplib::Response& response) {
                  ++requests_;
                  response.set_content(
                      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                      "# Our security contact\nContact: mailto:security@host.example\n"
                      "Contact: https://host.example/report\nExpires: 2027-12-31T23:00:00Z\n"
                      "Preferred-Languages: nl, en\n-----BEGIN PGP SIGNATURE-----\n\nabc\n"
                      "-----END PGP SIGNATURE-----\n",
                      "text/plain");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~SecurityTxtHost() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  int requests() const { return requests_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

TEST_F(DisclosureTest, AReportForNoMemberWaitsInTheQueueWithTheHostsSecurityTxtContact) {
  SecurityTxtHost host;
  ASSERT_GT(host.port(), 0);
  const std::string url = fmt::format("http://127.0.0.1:{}/login", host.port());
  const ApiReply submitted = Submit({{"title", "Login page leaks sessions"},
                                     {"description", "The session id is in the URL."},
                                     {"urls", {url}}});
  ASSERT_EQ(submitted.status, 201) << submitted.text;
  const int64_t id = submitted.body["id"];
  // Nobody is told; the lookup happens with the notify run, once.
  EXPECT_TRUE(Notify().empty());
  EXPECT_TRUE(Notify().empty());
  EXPECT_EQ(host.requests(), 1) << "a host is asked once per report";

  const ApiReply queue = site_.Call("GET", "/api/v1/vulnerability-reports?unrouted=true", "anna");
  ASSERT_EQ(queue.status, 200) << queue.text;
  ASSERT_EQ(queue.body["reports"].size(), 1u);
  EXPECT_EQ(queue.body["reports"][0]["id"], id);
  const ApiReply report =
      site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}", id), "anna");
  ASSERT_EQ(report.body["suggestions"].size(), 1u) << report.text;
  const Json& suggestion = report.body["suggestions"][0];
  EXPECT_EQ(suggestion["source"], "security.txt");
  EXPECT_EQ(suggestion["item"], url);
  EXPECT_EQ(suggestion["location"],
            fmt::format("http://127.0.0.1:{}/.well-known/security.txt", host.port()));
  EXPECT_EQ(suggestion["contacts"],
            (Json::array({"mailto:security@host.example", "https://host.example/report"})));
  const Json detail = Json::parse(suggestion["detail"].get<std::string>(), nullptr, false);
  EXPECT_EQ(detail.value("expires", ""), "2027-12-31T23:00:00Z");
  EXPECT_TRUE(detail.value("signed", false));
  EXPECT_EQ(Status(submitted.body["status_token"])["organisations"]["notified"], 0);

  // Without the configuration's permission, a host on a private address is not asked at all:
  // the connection is refused before it is made.
  net::HttpOptions public_only;
  public_only.public_addresses_only = true;
  public_only.timeout_seconds = 5;
  const auto refused = net::HttpGet(
      fmt::format("http://127.0.0.1:{}/.well-known/security.txt", host.port()), public_only);
  EXPECT_FALSE(refused);
  EXPECT_EQ(host.requests(), 1);
}

// The RIPE database's abuse contact (decision 0022): loaded from dump files with `baken ripe
// load` (a gzip file among them), shown by `baken ripe lookup`, and suggested with the notify
// run for a report whose address no member registered; a file that cannot be read loads
// nothing and is named. The test's dump places the ranges on loopback, so that the security.txt
// lookup that also runs stays on this machine.
TEST_F(DisclosureTest, AReportForNoMemberGetsTheRipeAbuseContactOfItsAddress) {
  const fs::path folder = site_.database().folder();
  std::ofstream(folder / "ripe.db.inetnum") << "inetnum:        127.0.0.0 - 127.0.255.255\n"
                                               "org:            ORG-LIR1-RIPE\n"
                                               "mnt-by:         RIPE-NCC-HM-MNT\n"
                                               "source:         RIPE\n\n"
                                               "inetnum:        127.0.1.0 - 127.0.1.255\n"
                                               "abuse-c:        CUST1-RIPE\n"
                                               "source:         RIPE\n";
  std::ofstream(folder / "ripe.db.organisation") << "organisation:   ORG-LIR1-RIPE\n"
                                                    "abuse-c:        LIRA1-RIPE\n"
                                                    "source:         RIPE\n";
  std::ofstream(folder / "ripe.db.role") << "role:           LIR Abuse\n"
                                            "abuse-mailbox:  abuse@lir.example\n"
                                            "nic-hdl:        LIRA1-RIPE\n"
                                            "source:         RIPE\n\n"
                                            "role:           Customer Abuse\n"
                                            "abuse-mailbox:  security@customer.example\n"
                                            "nic-hdl:        CUST1-RIPE\n"
                                            "source:         RIPE\n";
  ASSERT_EQ(std::system(fmt::format("gzip -f '{}'", (folder / "ripe.db.role").string()).c_str()),
            0);
  const Json loaded =
      Json::parse(site_.Cli({"--json", "ripe", "load", (folder / "ripe.db.inetnum").string(),
                             (folder / "ripe.db.organisation").string(),
                             (folder / "ripe.db.role.gz").string()}),
                  nullptr, false);
  EXPECT_EQ(loaded.value("ranges", 0), 2) << loaded.dump();
  EXPECT_EQ(loaded.value("roles", 0), 2);
  const Json lookup =
      Json::parse(site_.Cli({"--json", "ripe", "lookup", "127.0.7.1"}), nullptr, false);
  EXPECT_EQ(lookup.value("mailbox", ""), "abuse@lir.example") << lookup.dump();
  EXPECT_EQ(lookup.value("org", ""), "ORG-LIR1-RIPE");

  const CommandResult missing = RunBaken(
      {"--db", site_.database().location(), "ripe", "load", (folder / "absent.gz").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("absent.gz"), std::string::npos) << missing.err;

  const ApiReply submitted = Submit({{"title", "Open database"},
                                     {"description", "The database answers without a password."},
                                     {"ips", {"127.0.1.77"}}});
  ASSERT_EQ(submitted.status, 201) << submitted.text;
  const int64_t id = submitted.body["id"];
  EXPECT_TRUE(Notify().empty()) << "nobody is told: the analysts decide";
  const ApiReply report =
      site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}", id), "anna");
  ASSERT_EQ(report.status, 200) << report.text;
  // Beside the host's security.txt (nothing listens there: refused at once).
  Json suggestion;
  for (const Json& each : report.body["suggestions"]) {
    if (each["source"] == "ripe") {
      EXPECT_TRUE(suggestion.is_null()) << "one RIPE suggestion per item: " << report.text;
      suggestion = each;
    }
  }
  ASSERT_FALSE(suggestion.is_null()) << report.text;
  EXPECT_EQ(suggestion["item"], "127.0.1.77");
  EXPECT_EQ(suggestion["location"], "inetnum 127.0.1.0 - 127.0.1.255");
  EXPECT_EQ(suggestion["contacts"], Json::array({"security@customer.example"}));
  // The analysts' view of a report, suggestions and all, is not a member's.
  EXPECT_EQ(site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}", id), "aa").status,
            403);
}

// The researcher's report of the first test as e-mail: the plain mail an MTA pipes in, the same
// mail again (one report), the mail encrypted to the CERT's key, X-ARF 0.2 and v4 from machine
// senders (one source each, as X-ARF has it), and a Maildir folder; each routed as the form's,
// and a refused message stores nothing.
std::string PlainMail(const std::string& message_id) {
  return "From: R. Searcher <r.searcher@example.net>\r\n"
         "To: cert@cert.example\r\n"
         "Subject: Exposed management interfaces\r\n"
         "Message-ID: <" +
         message_id +
         "@example.net>\r\n"
         "Date: Mon, 07 Dec 2026 09:00:00 +0000\r\n"
         "Content-Language: en\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n"
         "\r\n"
         "Hello,\r\n\r\n"
         "The management interface answers on 192.0.2.10 and on portal.bee.example.nl\r\n"
         "without authentication.\r\n\r\n"
         "Regards, R. Searcher (https://research.example.net)\r\n";
}

TEST_F(DisclosureTest, TheSameReportByEmailPlainXarfOrEncryptedIsTakenInTheSameWay) {
  GnupgHome cert;
  GnupgHome researcher;
  const std::string cert_key = cert.NewKey("CERT <cert@cert.example>");
  researcher.NewKey("R. Searcher <r.searcher@example.net>");
  researcher.Import(cert.ExportPublic(cert_key));
  std::ofstream(config_, std::ios::trunc) << Json{
      {"disclosure", {{"response_days", 7}, {"reminders", 1}}},
      {"portal", {{"url", "https://baken.example"}}},
      {"organisation", {{"email", "analysts@cert.example"}}},
      {"smtp", {{"message_id_domain", "cert.example"}}},
      {"openpgp", {{"home", cert.path()}}}}.dump();
  const auto intake = [&](const std::string& mail, int expected_exit = 0) {
    const CommandResult result = RunBaken(
        {"--db", site_.database().location(), "--config", config_, "--json", "intake", "mail"},
        mail);
    EXPECT_EQ(result.exit_code, expected_exit) << result.err << result.out;
    return Json::parse(result.out.empty() ? "{}" : result.out, nullptr, false);
  };
  const auto members_of = [&](int64_t id) {
    const ApiReply report =
        site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}", id), "anna");
    EXPECT_EQ(report.status, 200) << report.text;
    std::vector<std::string> members;
    for (const Json& notification : report.body["notifications"]) {
      EXPECT_EQ(notification["state"], "notified");
      members.push_back(notification["member"]);
    }
    std::sort(members.begin(), members.end());
    return members;
  };
  const std::vector<std::string> both = {"GM0001", "GM0002"};

  // Plain: both owners, a content-free notice each, a receipt with a status link that names
  // neither; the reporter's own domain (research.example.net) is not taken as a subject.
  const Json plain = intake(PlainMail("first"));
  EXPECT_EQ(plain["format"], "plain");
  EXPECT_FALSE(plain["duplicate"].get<bool>());
  const int64_t plain_id = plain["report"];
  EXPECT_EQ(members_of(plain_id), both);
  const std::vector<ReceivedMail> first = Notify();
  EXPECT_EQ(To(first), (std::vector<std::string>{"r.searcher@example.net", "trusted@aa.example.nl",
                                                 "trusted@bee.example.nl"}));
  for (const char* member : {"trusted@aa.example.nl", "trusted@bee.example.nl"}) {
    EXPECT_THAT(MailTo(first, member)->data, Not(HasSubstr("192.0.2.10"))) << member;
  }
  const std::string token =
      TokenIn(notify::testing::PlainText(MailTo(first, "r.searcher@example.net")->data));
  ASSERT_FALSE(token.empty());
  const Json status = Status(token);
  EXPECT_EQ(status["reference"], plain["reference"]);
  EXPECT_EQ(status["organisations"]["notified"], 2);
  NamesNoMember(status.dump(), "the status page of a mailed report");
  const ApiReply report =
      site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}", plain_id), "anna");
  EXPECT_EQ(report.body["channel"], "mail");
  ASSERT_EQ(report.body["mails"].size(), 1u) << report.text;
  EXPECT_EQ(report.body["mails"][0]["sender"], "r.searcher@example.net");
  EXPECT_EQ(report.body["mails"][0]["message_id"], "first@example.net");
  // The message as it arrived is the analysts' to download, never a member's.
  const std::string mail_path = fmt::format("/api/v1/vulnerability-reports/{}/mails/{}", plain_id,
                                            report.body["mails"][0]["id"].get<int64_t>());
  const ApiReply raw = site_.Call("GET", mail_path, "anna");
  EXPECT_EQ(raw.status, 200);
  EXPECT_EQ(raw.text, PlainMail("first"));
  EXPECT_EQ(site_.Call("GET", mail_path, "aa").status, 403);
  EXPECT_EQ(
      site_.Call("GET", fmt::format("/api/v1/vulnerability-reports/{}/mails/999", plain_id), "anna")
          .status,
      404);
  for (const Json& item : report.body["items"]) {
    EXPECT_THAT(item["value"].get<std::string>(), Not(HasSubstr("research.example.net")));
  }
  EXPECT_EQ(report.body["items"].size(), 2u) << report.body["items"].dump();

  // An MTA that delivers the same message twice makes one report.
  const Json again = intake(PlainMail("first"));
  EXPECT_TRUE(again["duplicate"].get<bool>());
  EXPECT_EQ(again["report"], plain_id);

  // Encrypted to the CERT's key (PGP/MIME) and signed by a key the CERT does not know.
  const std::string entity =
      "Content-Type: text/plain; charset=utf-8\r\n\r\n"
      "The management interface answers on 192.0.2.10 and on portal.bee.example.nl.\r\n";
  const GpgResult encrypted = researcher.Gpg(
      "--armor --trust-model always --encrypt --sign --recipient " + cert_key, entity);
  ASSERT_EQ(encrypted.exit_code, 0) << encrypted.err;
  const Json opened = intake(
      "From: R. Searcher <r.searcher@example.net>\r\nSubject: Encrypted report\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; "
      "protocol=\"application/pgp-encrypted\"; boundary=\"e\"\r\n\r\n--e\r\n"
      "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--e\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      encrypted.out + "\r\n--e--\r\n");
  EXPECT_TRUE(opened["encrypted"].get<bool>());
  EXPECT_EQ(opened["signature"], "unknown_key");
  EXPECT_EQ(members_of(opened["report"]), both);

  // X-ARF 0.2 from a machine (blocklist.de's layout): its Source decides, and a machine gets
  // no receipt. X-ARF v4 (xarf.json) likewise.
  const Json xarf = intake(
      "From: \"Abuse-Team (auto-generated)\" <autogenerated@blocklist.example>\r\n"
      "Subject: abuse report about 192.0.2.10\r\nAuto-Submitted: auto-generated\r\n"
      "X-XARF: PLAIN\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"Abuse-1\"\r\n\r\n--Abuse-1\r\n"
      "Content-Type: text/plain; charset=utf-8;\r\n\r\nYour server 192.0.2.10 attacked us.\r\n"
      "--Abuse-1\r\nContent-Type: text/plain; charset=utf-8; name=\"report.txt\";\r\n\r\n---\r\n"
      "Reported-From: abuse-team@blocklist.example\r\nCategory: abuse\r\nReport-Type: regbot\r\n"
      "Version: 0.2\r\nSource-Type: ip-address\r\nSource: 192.0.2.10\r\nPort: 80\r\n"
      "Report-ID: @blocklist.example\r\n\r\n--Abuse-1\r\n"
      "Content-Type: text/plain; charset=utf-8; name=\"logfile.log\";\r\n\r\n"
      "192.0.2.10 - - [07/Dec/2026:09:00:00 +0100] \"POST /profile.php HTTP/1.0\" 200\r\n"
      "--Abuse-1--\r\n");
  EXPECT_EQ(xarf["format"], "xarf-0.2");
  EXPECT_EQ(members_of(xarf["report"]), (std::vector<std::string>{"GM0001"}));
  const std::string xarf4 = Json{
      {"xarf_version", "4.2.0"},
      {"report_id", "56c915c2-19bc-46e1-868f-2ee9222bc149"},
      {"timestamp", "2026-12-07T08:00:00Z"},
      {"reporter", {{"org", "Scanner"}, {"contact", "v@scan.example"}, {"domain", "scan.example"}}},
      {"source_identifier", "portal.bee.example.nl"},
      {"category", "vulnerability"},
      {"type", "misconfiguration"},
      {"service", "http"},
      {"severity", "medium"}}.dump();
  const Json v4 = intake(
      "From: reports@scan.example\r\nSubject: XARF report\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=feedback-report; boundary=\"r\"\r\n\r\n"
      "--r\r\nContent-Type: text/plain\r\n\r\nA misconfiguration.\r\n--r\r\n"
      "Content-Type: message/feedback-report\r\n\r\nFeedback-Type: xarf\r\n\r\n--r\r\n"
      "Content-Type: application/json; name=xarf.json\r\nContent-Disposition: attachment; "
      "filename=xarf.json\r\n\r\n" +
      xarf4 + "\r\n--r--\r\n");
  EXPECT_EQ(v4["format"], "xarf-4");
  EXPECT_EQ(members_of(v4["report"]), (std::vector<std::string>{"GM0002"}));
  const std::vector<ReceivedMail> machine = Notify();
  for (const std::string& to : To(machine)) {
    EXPECT_TRUE(to == "trusted@aa.example.nl" || to == "trusted@bee.example.nl" ||
                to == "r.searcher@example.net")
        << "a machine sender got mail: " << to;
  }

  // Refused: not a message, and an encrypted one the CERT cannot open; nothing is stored.
  const size_t reports_before =
      site_.Call("GET", "/api/v1/vulnerability-reports", "anna").body["reports"].size();
  const CommandResult garbage = RunBaken(
      {"--db", site_.database().location(), "--config", config_, "intake", "mail"}, "garbage");
  EXPECT_EQ(garbage.exit_code, 65);
  EXPECT_THAT(garbage.err, HasSubstr("standard input: not an e-mail message"));
  const GpgResult not_for_us = researcher.Gpg(
      "--armor --trust-model always --encrypt --recipient r.searcher@example.net", entity);
  const CommandResult closed =
      RunBaken({"--db", site_.database().location(), "--config", config_, "intake", "mail"},
               "From: r.searcher@example.net\r\nSubject: x\r\n\r\n" + not_for_us.out);
  EXPECT_EQ(closed.exit_code, 65);
  EXPECT_THAT(closed.err, HasSubstr("not encrypted to a key of the CERT"));
  EXPECT_EQ(site_.Call("GET", "/api/v1/vulnerability-reports", "anna").body["reports"].size(),
            reports_before);

  // A Maildir folder: the good message is seen, the bad one flagged for an analyst.
  const std::filesystem::path maildir = site_.database().folder() / "Maildir";
  for (const char* sub : {"new", "cur", "tmp"}) std::filesystem::create_directories(maildir / sub);
  std::ofstream(maildir / "new" / "1.good") << PlainMail("maildir");
  std::ofstream(maildir / "new" / "2.bad") << "no message at all";
  const CommandResult folder = RunBaken({"--db", site_.database().location(), "--config", config_,
                                         "intake", "mail", "--maildir", maildir.string()});
  EXPECT_EQ(folder.exit_code, 1) << folder.err;
  EXPECT_THAT(folder.err, HasSubstr("2.bad: not an e-mail message"));
  EXPECT_TRUE(std::filesystem::exists(maildir / "cur" / "1.good:2,S"));
  EXPECT_TRUE(std::filesystem::exists(maildir / "cur" / "2.bad:2,F"));
  EXPECT_TRUE(std::filesystem::is_empty(maildir / "new"));
}

// Outgoing mail with the CERT's key (decision 0021): every message is signed, and one whose
// recipients all have a key on file (`baken openpgp import`) is encrypted to them. The
// receiving sides check it with their own gpg and keys.
TEST_F(DisclosureTest, OutgoingMailIsSignedAndEncryptedForContactsWithAKeyOnFile) {
  GnupgHome cert;
  GnupgHome aa;
  GnupgHome bee;
  const std::string cert_key = cert.NewKey("CERT <cert@cert.example>");
  const std::string aa_key = aa.NewKey("CISO Aa <trusted@aa.example.nl>");
  for (const GnupgHome* side : {&aa, &bee}) side->Import(cert.ExportPublic(cert_key));
  std::ofstream(config_, std::ios::trunc)
      << Json{{"disclosure", {{"response_days", 7}, {"reminders", 1}}},
              {"portal", {{"url", "https://baken.example"}}},
              {"organisation", {{"email", "analysts@cert.example"}}},
              {"smtp", {{"message_id_domain", "cert.example"}}},
              {"openpgp", {{"home", cert.path()}, {"sign_as", "cert@cert.example"}}}}
             .dump();
  const std::string aa_file = (site_.database().folder() / "aa.asc").string();
  std::ofstream(aa_file) << aa.ExportPublic(aa_key);
  EXPECT_THAT(site_.Cli({"--config", config_, "openpgp", "import", aa_file}),
              HasSubstr("trusted@aa.example.nl: " + aa_key));
  // A key that is not a key is refused by name.
  const std::string junk = (site_.database().folder() / "junk.asc").string();
  std::ofstream(junk) << "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnonsense\n";
  const CommandResult refused = RunBaken(
      {"--db", site_.database().location(), "--config", config_, "openpgp", "import", junk});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("junk.asc"));

  const ApiReply submitted = Submit(TwoMemberReport());
  ASSERT_EQ(submitted.status, 201) << submitted.text;
  const std::vector<ReceivedMail> mails = Notify();
  ASSERT_EQ(To(mails), (std::vector<std::string>{"r.searcher@example.net", "trusted@aa.example.nl",
                                                 "trusted@bee.example.nl"}));
  const std::string reference = submitted.body["reference"];

  // A's notice: encrypted to A's key, signed inside; only A's key opens it.
  const std::string& to_aa = MailTo(mails, "trusted@aa.example.nl")->data;
  EXPECT_THAT(to_aa, HasSubstr("multipart/encrypted"));
  EXPECT_THAT(to_aa, Not(HasSubstr("https://baken.example/disclosure")));
  const mail::OpenPgp aa_side(aa.path());
  auto opened = mail::ReadMessage(to_aa, &aa_side);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(opened->encrypted);
  EXPECT_EQ(opened->signature.state, "good");
  EXPECT_EQ(opened->signature.signer, cert_key);
  EXPECT_THAT(opened->text, HasSubstr(reference));
  const mail::OpenPgp bee_side(bee.path());
  EXPECT_FALSE(mail::ReadMessage(to_aa, &bee_side));

  // B has no key on file, nor has the reporter: signed, readable, and gpg agrees.
  for (const char* address : {"trusted@bee.example.nl", "r.searcher@example.net"}) {
    const std::string& mail = MailTo(mails, address)->data;
    EXPECT_THAT(mail, HasSubstr("multipart/signed")) << address;
    const GpgResult verified = bee.VerifySignedMessage(mail);
    EXPECT_EQ(verified.exit_code, 0) << address << ": " << verified.err;
    EXPECT_THAT(verified.err, HasSubstr("Good signature from \"CERT <cert@cert.example>\""));
    EXPECT_NE(bee.VerifySignedMessage(mail, /*tamper=*/true).exit_code, 0);
  }
  auto to_bee = mail::ReadMessage(MailTo(mails, "trusted@bee.example.nl")->data, &bee_side);
  ASSERT_TRUE(to_bee) << to_bee.error().message;
  EXPECT_EQ(to_bee->signature.state, "good");
  EXPECT_THAT(to_bee->text, HasSubstr(reference));
}

// A partner's reports in bulk: each good one taken in on channel "partner", a bad one named by
// its place and not stored.
TEST_F(DisclosureTest, PartnersReportsInBulkAreTakenInOneByOne) {
  Json good = TwoMemberReport();
  Json bad = TwoMemberReport();
  bad["ips"] = {"not-an-address"};
  const std::string file = (site_.database().folder() / "partner.json").string();
  std::ofstream(file) << Json{{"reports", {good, bad}}}.dump();
  const CommandResult result = RunBaken(
      {"--db", site_.database().location(), "--config", config_, "--json", "intake", "json", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("reports[1]"));
  EXPECT_THAT(result.err, HasSubstr("not-an-address"));
  const Json out = Json::parse(result.out, nullptr, false);
  ASSERT_EQ(out.size(), 1u) << result.out;
  const ApiReply report = site_.Call(
      "GET", fmt::format("/api/v1/vulnerability-reports/{}", out[0]["report"].get<int64_t>()),
      "anna");
  EXPECT_EQ(report.body["channel"], "partner");
  EXPECT_EQ(report.body["notifications"].size(), 2u);
  EXPECT_EQ(site_.Call("GET", "/api/v1/vulnerability-reports", "anna").body["reports"].size(), 1u);
}

}  // namespace
}  // namespace baken::testing
