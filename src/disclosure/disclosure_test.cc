// Researchers' reports (decision 0020) without a store: the report's and the notification's
// state machines; reading a submission, hostile input refused with every problem named; the
// markup that could run; the proof of work; routing a report's items through the constituency
// snapshot and its products through the members' inventories.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "disclosure/mail_report.h"
#include "disclosure/proof_of_work.h"
#include "disclosure/report.h"
#include "disclosure/report_routing.h"
#include "disclosure/security_txt.h"
#include "disclosure/submission.h"
#include "disclosure/xarf.h"
#include "net/http_client.h"
#include "net/ip_address.h"
#include "registry/member.h"
#include "routing/constituency.h"

namespace baken::disclosure {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// ---------------------------------------------------------------------------------------------
// Helpers

std::string Param(const Error& error, std::string_view name) {
  for (const auto& [key, value] : error.params) {
    if (key == name) return value;
  }
  return {};
}

// Each problem of a refusal as "key field": the refusal itself when it is one problem, else
// each of its causes.
std::vector<std::string> Problems(const Error& error) {
  std::vector<std::string> problems;
  if (error.causes.empty()) {
    problems.push_back(error.key + " " + Param(error, "field"));
  }
  for (const Error& cause : error.causes)
    problems.push_back(cause.key + " " + Param(cause, "field"));
  return problems;
}

// The one problem of a refusal that is expected to have exactly one.
Error OnlyProblem(const Result<Submission>& read) {
  EXPECT_FALSE(read.has_value());
  if (read.has_value()) return Error();
  EXPECT_TRUE(read.error().causes.empty()) << read.error().message;
  return read.error();
}

std::vector<std::string> ItemTexts(const Submission& submission) {
  std::vector<std::string> texts;
  for (const NamedItem& item : submission.items) texts.push_back(item.kind + " " + item.value);
  return texts;
}

std::string Base64(std::string_view bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.find('\0'));
  return text;
}

std::string Sha256HexOf(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

// A submission that is accepted as it is; each refusal test breaks one thing of it.
Json GoodBody() {
  return Json{{"title", "Open RDP on a municipal server"},
              {"description", "Port 3389 answers from the internet."},
              {"ips", {"192.0.2.10"}}};
}

// ---------------------------------------------------------------------------------------------
// The report's states

TEST(DisclosureReportStateTest, OnlyTheMovesOfTheDecisionAreAllowed) {
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"received", "valid"}, {"received", "invalid"}, {"valid", "accepted"},
      {"valid", "invalid"},  {"valid", "closed"},     {"invalid", "valid"},
      {"invalid", "closed"}, {"accepted", "closed"},  {"closed", "accepted"},
  };
  ASSERT_EQ(ReportStates().size(), 5u);
  for (const std::string_view from : ReportStates()) {
    for (const std::string_view to : ReportStates()) {
      const bool expected = allowed.count({std::string(from), std::string(to)}) > 0;
      EXPECT_EQ(MayMoveReport(from, to), expected) << from << " -> " << to;
    }
  }
}

TEST(DisclosureReportStateTest, AReceivedReportIsNotAcceptedBeforeItIsFoundValid) {
  EXPECT_FALSE(MayMoveReport(kReceived, kAccepted));
  EXPECT_FALSE(MayMoveReport(kReceived, kClosed));
  EXPECT_FALSE(MayMoveReport(kInvalid, kAccepted));
  EXPECT_FALSE(MayMoveReport(kAccepted, kReceived));
  EXPECT_FALSE(MayMoveReport(kReceived, kReceived));
}

TEST(DisclosureReportStateTest, AClosedReportMayBeReopenedAsAccepted) {
  EXPECT_TRUE(MayMoveReport(kClosed, kAccepted));
  EXPECT_FALSE(MayMoveReport(kClosed, kValid));
  EXPECT_FALSE(MayMoveReport(kClosed, kReceived));
}

TEST(DisclosureReportStateTest, NextStatesAreTheAllowedMovesFromAState) {
  EXPECT_THAT(NextReportStates(kReceived), UnorderedElementsAre(kValid, kInvalid));
  EXPECT_THAT(NextReportStates(kClosed), ElementsAre(kAccepted));
  EXPECT_TRUE(NextReportStates("unknown").empty());
  for (const std::string_view from : ReportStates()) {
    for (const std::string_view to : NextReportStates(from)) {
      EXPECT_TRUE(MayMoveReport(from, to)) << from << " -> " << to;
    }
  }
}

TEST(DisclosureReportStateTest, UnknownStatesMoveNowhere) {
  EXPECT_FALSE(MayMoveReport("reopened", kAccepted));
  EXPECT_FALSE(MayMoveReport(kReceived, "notified"));
  EXPECT_FALSE(MayMoveReport("", ""));
}

// ---------------------------------------------------------------------------------------------
// A member's notification

TEST(DisclosureNotificationStateTest, ReportAndNotificationStatesAreSeparateLists) {
  for (const std::string_view report_state : ReportStates()) {
    EXPECT_EQ(std::count(NotificationStates().begin(), NotificationStates().end(), report_state), 0)
        << report_state;
  }
  for (const std::string_view answer : MemberAnswers()) {
    EXPECT_EQ(std::count(NotificationStates().begin(), NotificationStates().end(), answer), 1)
        << answer;
  }
  EXPECT_THAT(std::vector<std::string_view>(MemberAnswers().begin(), MemberAnswers().end()),
              UnorderedElementsAre(kAcknowledged, kFixed, kNotAffected, kDisputed));
}

TEST(DisclosureNotificationStateTest, AMemberAnswersANotifiedSeenOrUnansweredNotification) {
  for (const std::string_view from : {kNotified, kSeen, kNoResponse}) {
    for (const std::string_view answer : MemberAnswers()) {
      EXPECT_TRUE(MayAnswer(from, answer)) << from << " -> " << answer;
    }
  }
}

TEST(DisclosureNotificationStateTest, AMemberNeverAnswersAProposedOrWithdrawnNotification) {
  for (const std::string_view from : {kProposed, kWithdrawn}) {
    for (const std::string_view answer : MemberAnswers()) {
      EXPECT_FALSE(MayAnswer(from, answer)) << from << " -> " << answer;
    }
  }
}

TEST(DisclosureNotificationStateTest, AcknowledgedDoesNotFollowAnAnswer) {
  for (const std::string_view from : {kAcknowledged, kFixed, kNotAffected, kDisputed}) {
    EXPECT_FALSE(MayAnswer(from, kAcknowledged)) << from;
  }
}

TEST(DisclosureNotificationStateTest, AMemberMayChangeItsAnswerButNotRepeatIt) {
  EXPECT_TRUE(MayAnswer(kAcknowledged, kFixed));
  EXPECT_TRUE(MayAnswer(kAcknowledged, kNotAffected));
  EXPECT_TRUE(MayAnswer(kAcknowledged, kDisputed));
  EXPECT_TRUE(MayAnswer(kFixed, kDisputed));
  EXPECT_TRUE(MayAnswer(kDisputed, kFixed));
  EXPECT_FALSE(MayAnswer(kFixed, kFixed));
  EXPECT_FALSE(MayAnswer(kNotAffected, kNotAffected));
  EXPECT_FALSE(MayAnswer(kDisputed, kDisputed));
}

TEST(DisclosureNotificationStateTest, OnlyTheFourAnswersAreAnswers) {
  for (const std::string_view state : NotificationStates()) {
    const bool answer = std::count(MemberAnswers().begin(), MemberAnswers().end(), state) > 0;
    if (!answer) {
      EXPECT_FALSE(MayAnswer(kNotified, state)) << state;
    }
  }
  EXPECT_FALSE(MayAnswer(kNotified, "closed"));
  EXPECT_FALSE(MayAnswer(kSeen, ""));
}

TEST(DisclosureNotificationStateTest, AnAnalystWithdrawsOnlyBeforeTheMemberAnswered) {
  std::vector<std::string_view> withdrawable;
  for (const std::string_view state : NotificationStates()) {
    if (MayWithdraw(state)) withdrawable.push_back(state);
  }
  EXPECT_THAT(withdrawable, UnorderedElementsAre(kProposed, kNotified, kSeen, kNoResponse));
}

TEST(DisclosureNotificationStateTest, OnlyNotifiedAndSeenNotificationsAwaitAnAnswer) {
  std::vector<std::string_view> waiting;
  for (const std::string_view state : NotificationStates()) {
    if (AwaitsAnswer(state)) waiting.push_back(state);
  }
  EXPECT_THAT(waiting, UnorderedElementsAre(kNotified, kSeen));
}

// ---------------------------------------------------------------------------------------------
// Reading a submission

TEST(DisclosureSubmissionTest, AGoodSubmissionGivesCanonicalItemsEachOnce) {
  constexpr char kPoc[] = "GET / HTTP/1.1\r\n\0\x01\xff";
  const std::string poc(kPoc, sizeof kPoc - 1);  // with a NUL and bytes that are no UTF-8
  const Json body = {
      {"title", "Outdated Exchange at a municipality"},
      {"description", "The server answers with version 15.2.\nSee the attachment."},
      {"severity", "high"},
      {"reporter_name", "Ada Researcher"},
      {"reporter_email", "ada@researcher.example"},
      {"language", "en"},
      {"share_details", true},
      {"wants_updates", true},
      {"ips", {"192.0.2.10", "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"}},
      {"hosts", {"Mail.Example.NL", "mail.example.nl."}},
      {"urls", {"https://mail.example.nl/owa/", "http://[2001:db8::5]/admin"}},
      {"email_domains", {"security@Gemeente.Example", "gemeente.example"}},
      {"products",
       {{{"vendor", "Microsoft"}, {"product", "Exchange Server"}, {"version", "2019"}},
        {{"cpe", "cpe:2.3:a:fortinet:fortios:7.2.4:*:*:*:*:*:*:*"}}}},
      {"attachments", {{{"name", "poc.txt"}, {"content_base64", Base64(poc)}}}},
      {"challenge", "abc"},
      {"nonce", "123"},
  };
  const auto read = ReadSubmission(body);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_THAT(ItemTexts(*read),
              ElementsAre("ip 192.0.2.10", "ip 2001:db8::1", "host mail.example.nl",
                          "url https://mail.example.nl/owa/", "url http://[2001:db8::5]/admin",
                          "email_domain gemeente.example", "product Microsoft|Exchange Server|2019",
                          "product fortinet|fortios|7.2.4"));
  const store::VulnerabilityReport& report = read->report;
  EXPECT_EQ(report.title, "Outdated Exchange at a municipality");
  EXPECT_EQ(report.description, "The server answers with version 15.2.\nSee the attachment.");
  EXPECT_EQ(report.severity, "high");
  EXPECT_EQ(report.reporter_name, "Ada Researcher");
  EXPECT_EQ(report.reporter_email, "ada@researcher.example");
  EXPECT_EQ(report.reporter_language, "en");
  EXPECT_TRUE(report.share_details);
  EXPECT_TRUE(report.wants_updates);
  EXPECT_FALSE(report.credit);
  ASSERT_EQ(read->attachments.size(), 1u);
  const store::ReportAttachment& attachment = read->attachments[0];
  EXPECT_EQ(attachment.name, "poc.txt");
  EXPECT_EQ(attachment.media_type, "application/octet-stream");
  EXPECT_EQ(attachment.content, poc);
  EXPECT_EQ(attachment.size, static_cast<int64_t>(poc.size()));
  EXPECT_EQ(attachment.sha256, Sha256HexOf(poc));
}

TEST(DisclosureSubmissionTest, LeftOutFieldsTakeTheirDefaults) {
  const auto read = ReadSubmission(GoodBody());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->report.severity, "unknown");
  EXPECT_EQ(read->report.reporter_language, "nl");
  EXPECT_FALSE(read->report.reporter_email);
  EXPECT_FALSE(read->report.wants_updates);
  EXPECT_FALSE(read->report.share_details);
  EXPECT_TRUE(read->attachments.empty());
}

TEST(DisclosureSubmissionTest, AProductNamedByACpeIsReadAsVendorProductAndVersion) {
  Json body = GoodBody();
  body.erase("ips");
  body["products"] = {{{"cpe", "cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*"}},
                      {{"cpe", "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*"}}};
  const auto read = ReadSubmission(body);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_THAT(ItemTexts(*read),
              ElementsAre("product microsoft|exchange server|2019", "product openbsd|openssh|"));
  const ProductName name = SplitProduct(read->items[0].value);
  EXPECT_EQ(name.vendor, "microsoft");
  EXPECT_EQ(name.product, "exchange server");
  EXPECT_EQ(name.version, "2019");
}

TEST(DisclosureSubmissionTest, AMissingTitleIsRefusedByName) {
  Json body = GoodBody();
  body.erase("title");
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "field.required");
  EXPECT_EQ(Param(problem, "field"), "title");
  body["title"] = "   ";
  EXPECT_THAT(Problems(ReadSubmission(body).error()), ElementsAre("field.required title"));
}

TEST(DisclosureSubmissionTest, AnUnknownFieldIsRefusedByName) {
  Json body = GoodBody();
  body["colour"] = "red";
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "field.unknown");
  EXPECT_EQ(Param(problem, "field"), "colour");
}

TEST(DisclosureSubmissionTest, ATitleLongerThanTheMaximumIsRefused) {
  Json body = GoodBody();
  body["title"] = std::string(kMaxTitle, 't');
  EXPECT_TRUE(ReadSubmission(body));
  body["title"] = std::string(kMaxTitle + 1, 't');
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "field.too_long");
  EXPECT_EQ(Param(problem, "field"), "title");
  EXPECT_EQ(Param(problem, "max"), std::to_string(kMaxTitle));
}

TEST(DisclosureSubmissionTest, ControlCharactersAreRefusedButNewLinesAndTabsAreText) {
  Json body = GoodBody();
  body["description"] = "line one\nline two\r\n\tindented";
  EXPECT_TRUE(ReadSubmission(body));
  body["description"] = std::string("bell \x07 here");
  EXPECT_THAT(Problems(ReadSubmission(body).error()), ElementsAre("field.too_long description"));
  body = GoodBody();
  body["hosts"] = {std::string("example.nl\x1b[31m")};
  EXPECT_THAT(Problems(ReadSubmission(body).error()), ElementsAre("field.too_long hosts[0]"));
}

TEST(DisclosureSubmissionTest, AnInvalidIpAddressIsRefusedWithItsPlaceAndValue) {
  Json body = GoodBody();
  body["ips"] = {"192.0.2.1", "192.0.2.300"};
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.item_invalid");
  EXPECT_EQ(Param(problem, "field"), "ips[1]");
  EXPECT_EQ(Param(problem, "value"), "192.0.2.300");
}

TEST(DisclosureSubmissionTest, AnInvalidHostNameIsRefused) {
  for (const char* host : {"exa mple.nl", "-bad.example.nl", "192.0.2.1", "münchen.de"}) {
    Json body = GoodBody();
    body["hosts"] = {host};
    const auto read = ReadSubmission(body);
    ASSERT_FALSE(read) << host;
    EXPECT_THAT(Problems(read.error()), ElementsAre("report.item_invalid hosts[0]")) << host;
  }
}

TEST(DisclosureSubmissionTest, OnlyPlainHttpAndHttpsUrlsAreTaken) {
  for (const char* url : {"javascript:alert(1)", "ftp://example.nl/file", "file:///etc/passwd",
                          "https://user:secret@example.nl/", "example.nl/login"}) {
    Json body = GoodBody();
    body["urls"] = {url};
    const auto read = ReadSubmission(body);
    ASSERT_FALSE(read) << url;
    EXPECT_THAT(Problems(read.error()), ElementsAre("report.item_invalid urls[0]")) << url;
  }
}

TEST(DisclosureSubmissionTest, AUrlCarryingScriptIsRefusedAsScript) {
  Json body = GoodBody();
  body["urls"] = {"https://example.nl/?next=javascript:alert(1)"};
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.script");
  EXPECT_EQ(Param(problem, "field"), "urls[0]");
  EXPECT_EQ(Param(problem, "what"), "javascript:");
}

TEST(DisclosureSubmissionTest, AListOfMoreThanTheMaximumEntriesIsRefused) {
  Json body = GoodBody();
  Json ips = Json::array();
  for (size_t i = 0; i < kMaxItems; ++i) ips.push_back(fmt::format("10.0.{}.{}", i / 256, i % 256));
  body["ips"] = ips;
  const auto full = ReadSubmission(body);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->items.size(), kMaxItems);
  body["ips"].push_back("10.1.0.0");
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.too_many");
  EXPECT_EQ(Param(problem, "field"), "ips");
  EXPECT_EQ(Param(problem, "max"), std::to_string(kMaxItems));
}

TEST(DisclosureSubmissionTest, MoreThanThreeAttachmentsAreRefused) {
  Json body = GoodBody();
  const Json file = {{"name", "a.txt"}, {"content_base64", Base64("a")}};
  body["attachments"] = Json::array();
  for (size_t i = 0; i < kMaxAttachments; ++i) body["attachments"].push_back(file);
  const auto three = ReadSubmission(body);
  ASSERT_TRUE(three) << three.error().message;
  EXPECT_EQ(three->attachments.size(), kMaxAttachments);
  body["attachments"].push_back(file);
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.too_many");
  EXPECT_EQ(Param(problem, "field"), "attachments");
}

TEST(DisclosureSubmissionTest, AnAttachmentOfMoreThan512KiBIsRefused) {
  const auto limit = static_cast<size_t>(kMaxAttachmentBytes);
  ASSERT_EQ(limit, size_t{512} * 1024);
  Json body = GoodBody();
  body["attachments"] = {
      {{"name", "dump.bin"}, {"content_base64", Base64(std::string(limit, 'x'))}}};
  const auto at_limit = ReadSubmission(body);
  ASSERT_TRUE(at_limit) << at_limit.error().message;
  EXPECT_EQ(at_limit->attachments.at(0).size, kMaxAttachmentBytes);
  body["attachments"][0]["content_base64"] = Base64(std::string(limit + 1, 'x'));
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.attachment_too_large");
  EXPECT_EQ(Param(problem, "field"), "attachments[0]");
  EXPECT_EQ(Param(problem, "max"), std::to_string(kMaxAttachmentBytes));
}

TEST(DisclosureSubmissionTest, AnAttachmentThatIsNotBase64IsRefused) {
  Json body = GoodBody();
  body["attachments"] = {{{"name", "poc.txt"}, {"content_base64", "not base64!"}}};
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.attachment_not_base64");
  EXPECT_EQ(Param(problem, "field"), "attachments[0].content_base64");
}

// Base64 as the `base64` tool writes it: lines of 76 characters.
std::string WrappedBase64(std::string_view bytes) {
  const std::string encoded = Base64(bytes);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
  return wrapped;
}

TEST(DisclosureSubmissionTest, AnAttachmentInLinesIsMeasuredByItsBytesNotItsLineBreaks) {
  const std::string file(500 * 1024, 'y');
  Json body = GoodBody();
  body["attachments"] = {{{"name", "dump.bin"}, {"content_base64", WrappedBase64(file)}}};
  const auto read = ReadSubmission(body);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->attachments.at(0).content, file);
  const auto too_large = static_cast<size_t>(kMaxAttachmentBytes) + 1;
  body["attachments"][0]["content_base64"] = WrappedBase64(std::string(too_large, 'y'));
  const Error problem = OnlyProblem(ReadSubmission(body));
  EXPECT_EQ(problem.key, "report.attachment_too_large");
  EXPECT_EQ(Param(problem, "size"), std::to_string(too_large));
}

TEST(DisclosureSubmissionTest, ScriptInAnAttachmentsNameOrAProductIsRefused) {
  Json body = GoodBody();
  body["attachments"] = {{{"name", "<script>alert(1)</script>.txt"}, {"content_base64", "YQ=="}}};
  EXPECT_THAT(Problems(ReadSubmission(body).error()),
              ElementsAre("report.script attachments[0].name"));
  body = GoodBody();
  body["products"] = {{{"vendor", "<img src=x onerror=alert(1)>"}, {"product", "Portal"}},
                      {{"vendor", "Acme"}, {"product", "Portal"}, {"version", "<svg onload=x>"}}};
  EXPECT_THAT(Problems(ReadSubmission(body).error()),
              ElementsAre("report.script products[0].vendor", "report.script products[1].version"));
  body["products"] = {{{"vendor", "Acme <Labs>"}, {"product", "Portal < 2"}}};
  const auto plain = ReadSubmission(body);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_THAT(ItemTexts(*plain), ElementsAre("ip 192.0.2.10", "product Acme <Labs>|Portal < 2|"));
}

TEST(DisclosureSubmissionTest, UpdatesNeedAnEmailAddress) {
  Json body = GoodBody();
  body["wants_updates"] = true;
  EXPECT_EQ(OnlyProblem(ReadSubmission(body)).key, "report.updates_need_email");
  body["reporter_email"] = "not an address";
  EXPECT_THAT(
      Problems(ReadSubmission(body).error()),
      UnorderedElementsAre("report.email_invalid reporter_email", "report.updates_need_email "));
  body["reporter_email"] = "ada@researcher.example";
  EXPECT_TRUE(ReadSubmission(body));
}

TEST(DisclosureSubmissionTest, ASubmissionThatNamesNothingIsRefused) {
  Json body = GoodBody();
  body.erase("ips");
  EXPECT_EQ(OnlyProblem(ReadSubmission(body)).key, "report.nothing_named");
  body["ips"] = Json::array();
  body["hosts"] = nullptr;
  EXPECT_EQ(OnlyProblem(ReadSubmission(body)).key, "report.nothing_named");
}

TEST(DisclosureSubmissionTest, EveryProblemIsNamedAtOnce) {
  Json body = GoodBody();
  body.erase("title");
  body["ips"] = {"192.0.2.300"};
  body["hosts"] = {"bad host"};
  body["extra"] = 1;
  const auto read = ReadSubmission(body);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().key, "problems.several");
  EXPECT_EQ(Param(read.error(), "count"), "4");
  EXPECT_THAT(Problems(read.error()),
              UnorderedElementsAre("field.unknown extra", "field.required title",
                                   "report.item_invalid ips[0]", "report.item_invalid hosts[0]"));
}

TEST(DisclosureSubmissionTest, ABodyThatIsNoObjectIsRefused) {
  const auto read = ReadSubmission(Json::array({1, 2}));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().key, "field.type");
  EXPECT_EQ(Param(read.error(), "field"), "body");
}

TEST(DisclosureSubmissionTest, ScriptInTheFreeTextIsRefusedWithTheScriptCode) {
  for (const char* field : {"title", "description", "reporter_name"}) {
    for (const char* text :
         {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "click javascript:alert(1)",
          "<IFRAME SRC=//evil.example>", "<a href=# onmouseover = 'x()'>hi</a>"}) {
      Json body = GoodBody();
      body[field] = text;
      const auto read = ReadSubmission(body);
      ASSERT_FALSE(read) << field << ": " << text;
      EXPECT_THAT(Problems(read.error()), ElementsAre(fmt::format("report.script {}", field)))
          << text;
      EXPECT_FALSE(Param(read.error(), "what").empty());
    }
  }
}

TEST(DisclosureSubmissionTest, OrdinaryTextWithALessThanSignIsAccepted) {
  for (const char* text : {"a < b", "if x<3 then y>2", "versions <= 15.2 and >= 14", "1<2>0",
                           "mail <soc@example.nl>", "the onload= attribute is set"}) {
    Json body = GoodBody();
    body["title"] = text;
    body["description"] = text;
    body["reporter_name"] = text;
    const auto read = ReadSubmission(body);
    ASSERT_TRUE(read) << text << ": " << read.error().message;
    EXPECT_EQ(read->report.title, text);
    EXPECT_EQ(read->report.reporter_name, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Markup that could run

TEST(DisclosureScriptInTest, NamesTheMarkupThatCouldRun) {
  EXPECT_EQ(ScriptIn("<ScRiPt src=//x></script>"), "<script");
  EXPECT_EQ(ScriptIn("go to JavaScript:void(0)"), "javascript:");
  EXPECT_EQ(ScriptIn("<svg/onload=alert(1)>"), "<svg");
  EXPECT_EQ(ScriptIn("see data:text/html;base64,PHNjcmlwdD4="), "data:text/html");
  EXPECT_EQ(ScriptIn("<a href=x onmouseover=alert(1)>"), "on…= in a tag");
  EXPECT_EQ(ScriptIn("<p style=\"\"onclick = go()>"), "on…= in a tag");
  EXPECT_EQ(ScriptIn("<div/onfocus=x>"), "on…= in a tag");
}

TEST(DisclosureScriptInTest, FindsNothingInOrdinaryText) {
  EXPECT_EQ(ScriptIn(""), std::nullopt);
  EXPECT_EQ(ScriptIn("a < b"), std::nullopt);
  EXPECT_EQ(ScriptIn("if x<3"), std::nullopt);
  EXPECT_EQ(ScriptIn("<b>bold</b> and <i>italic</i>"), std::nullopt);
  EXPECT_EQ(ScriptIn("the button's onclick= handler"), std::nullopt);
  EXPECT_EQ(ScriptIn("a description of scripts and javascript"), std::nullopt);
}

// The same texts of the longest description, which a pattern with backtracking reads in time
// that grows with the square of their length.
TEST(DisclosureScriptInTest, ALongTextIsReadInOnePass) {
  const auto repeat = [](std::string_view part) {
    std::string text;
    while (text.size() + part.size() <= kMaxDescription) text += part;
    return text;
  };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ScriptIn(repeat("<a ")), std::nullopt);
  EXPECT_EQ(ScriptIn(repeat("<a o")), std::nullopt);
  EXPECT_EQ(ScriptIn(repeat("<a/on ")), std::nullopt);
  EXPECT_EQ(ScriptIn(repeat("<a ") + " onclick=x"), "on…= in a tag");
  Json body = GoodBody();
  body["description"] = repeat("<a ");
  EXPECT_TRUE(ReadSubmission(body));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(1));  // the pattern took 20 seconds and more
}

// The one-pass reading finds an event handler in a tag exactly where the pattern
// <[a-z][^>]*[\s/"']on[a-z]+\s*= does, on many short texts of the characters that matter.
TEST(DisclosureScriptInTest, FindsAHandlerInATagExactlyWhereThePatternDoes) {
  static const std::regex kHandler(R"(<[a-z][^>]*[\s/"']on[a-z]+\s*=)");
  // Pieces rather than single characters, so that tags with handlers are frequent.
  constexpr std::string_view kPieces[] = {"<a", "<B ", "<",   ">",    " ", "/", "\"",
                                          "'",  "on",  "onx", " onx", "x", "B", "=",
                                          " =", "\n",  "\t",  "o",    "n"};
  std::mt19937 random(20);
  std::uniform_int_distribution<size_t> length(0, 7);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  int found = 0;
  for (int sample = 0; sample < 100000; ++sample) {
    std::string text;
    for (size_t n = length(random); n > 0; --n) text += kPieces[pick(random)];
    std::string lower = text;
    std::replace(lower.begin(), lower.end(), 'B', 'b');
    const bool expected = std::regex_search(lower, kHandler);
    found += expected ? 1 : 0;
    ASSERT_EQ(ScriptIn(text).has_value(), expected) << "'" << text << "'";
  }
  EXPECT_GT(found, 300);  // the samples hold handlers, not only harmless text
}

// ---------------------------------------------------------------------------------------------
// The proof of work

// The leading zero bits of SHA-256(challenge ":" nonce), computed here bit by bit.
int LeadingZeroBits(const std::string& challenge, const std::string& nonce) {
  const std::string input = challenge + ":" + nonce;
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size());
  int zeros = 0;
  for (size_t i = 0; i < digest.size() * 8; ++i) {
    const unsigned bit = (static_cast<unsigned>(digest[i / 8]) >> (7 - i % 8)) & 1u;
    if (bit != 0) break;
    ++zeros;
  }
  return zeros;
}

TEST(DisclosureProofOfWorkTest, ProofBitsCountsTheLeadingZeroBitsOfTheDigest) {
  // Enough nonces to meet digests with 0 to about 12 leading zero bits.
  int most = 0;
  for (int n = 0; n < 5000; ++n) {
    const std::string nonce = std::to_string(n);
    const int expected = LeadingZeroBits("challenge-1", nonce);
    most = std::max(most, expected);
    ASSERT_EQ(ProofBits("challenge-1", nonce), expected) << nonce;
  }
  EXPECT_GE(most, 8);  // a digest with a whole zero byte was among them
}

TEST(DisclosureProofOfWorkTest, TheSolutionHoldsAndIsTheFirstNonceThatDoes) {
  const std::string challenge = "6f1ed002ab5595859014ebf0951522d9";
  const std::string nonce = SolveProof(challenge, 16);
  EXPECT_TRUE(ProofHolds(challenge, nonce, 16));
  EXPECT_GE(ProofBits(challenge, nonce), 16);
  EXPECT_GE(LeadingZeroBits(challenge, nonce), 16);
  // Counting up from 0: every smaller nonce fails, by the independent count too.
  const auto solution = std::stoull(nonce);
  for (uint64_t n = 0; n < solution; ++n) {
    ASSERT_LT(LeadingZeroBits(challenge, std::to_string(n)), 16) << n;
    if (n % 97 == 0) {
      ASSERT_FALSE(ProofHolds(challenge, std::to_string(n), 16)) << n;
    }
  }
}

TEST(DisclosureProofOfWorkTest, ASolutionDoesNotHoldForAnotherChallengeOrNonce) {
  const std::string challenge = "6f1ed002ab5595859014ebf0951522d9";
  const std::string nonce = SolveProof(challenge, 16);
  const std::string other_challenge = "6f1ed002ab5595859014ebf0951522da";
  const std::string other_nonce = std::to_string(std::stoull(nonce) + 1);
  // Checked independently, so that the cases stand for "fails" and not for chance.
  ASSERT_LT(LeadingZeroBits(other_challenge, nonce), 16);
  ASSERT_LT(LeadingZeroBits(challenge, other_nonce), 16);
  EXPECT_FALSE(ProofHolds(other_challenge, nonce, 16));
  EXPECT_FALSE(ProofHolds(challenge, other_nonce, 16));
  EXPECT_EQ(ProofHolds(challenge, nonce + "0", 16), LeadingZeroBits(challenge, nonce + "0") >= 16);
}

TEST(DisclosureProofOfWorkTest, ProofHoldsExactlyUpToItsBits) {
  for (const char* nonce : {"0", "1", "42", "123456"}) {
    const int bits = ProofBits("c", nonce);
    EXPECT_TRUE(ProofHolds("c", nonce, bits));
    EXPECT_TRUE(ProofHolds("c", nonce, 0));
    EXPECT_FALSE(ProofHolds("c", nonce, bits + 1));
  }
}

TEST(DisclosureProofOfWorkTest, SmallProofsAreSolvedAsBruteForceFindsThem) {
  for (const int bits : {1, 4, 8, 10}) {
    uint64_t first = 0;
    while (LeadingZeroBits("small", std::to_string(first)) < bits) ++first;
    EXPECT_EQ(SolveProof("small", bits), std::to_string(first)) << bits;
  }
}

// ---------------------------------------------------------------------------------------------
// Routing

std::shared_ptr<const routing::Constituency> TwoMembers() {
  routing::Constituency::Builder builder;
  builder.AddNetblock(*net::ParsePrefix("192.0.2.0/24"), "GM0001");
  builder.AddNetblock(*net::ParsePrefix("2001:db8::/32"), "GM0001");
  builder.AddDomain("example.nl", "GM0001");
  builder.AddNetblock(*net::ParsePrefix("198.51.100.0/24"), "GM0002");
  builder.AddDomain("gemeente.example", "GM0002");
  auto built = std::move(builder).Build();
  EXPECT_TRUE(built) << built.error().message;
  return built.value_or(routing::Constituency::Empty());
}

// "MEMBER reason match", or "none".
std::string RouteOf(const routing::Constituency& snapshot, std::string kind, std::string value) {
  const auto route = RouteItem(snapshot, NamedItem{std::move(kind), std::move(value)});
  if (!route) return "none";
  return route->member + " " + route->reason + " " + route->match;
}

TEST(DisclosureRoutingTest, AddressesGoToTheMemberOfTheirNetblock) {
  const auto snapshot = TwoMembers();
  EXPECT_EQ(RouteOf(*snapshot, "ip", "192.0.2.10"), "GM0001 netblock 192.0.2.0/24");
  EXPECT_EQ(RouteOf(*snapshot, "ip", "2001:db8::1"), "GM0001 netblock 2001:db8::/32");
  EXPECT_EQ(RouteOf(*snapshot, "ip", "198.51.100.7"), "GM0002 netblock 198.51.100.0/24");
  EXPECT_EQ(RouteOf(*snapshot, "ip", "203.0.113.1"), "none");
}

TEST(DisclosureRoutingTest, HostsAndEmailDomainsGoToTheMemberOfTheirDomain) {
  const auto snapshot = TwoMembers();
  EXPECT_EQ(RouteOf(*snapshot, "host", "mail.example.nl"), "GM0001 domain example.nl");
  EXPECT_EQ(RouteOf(*snapshot, "host", "example.nl"), "GM0001 domain example.nl");
  EXPECT_EQ(RouteOf(*snapshot, "email_domain", "gemeente.example"),
            "GM0002 domain gemeente.example");
  EXPECT_EQ(RouteOf(*snapshot, "email_domain", "post.gemeente.example"),
            "GM0002 domain gemeente.example");
  // A host named as an address is routed as one.
  EXPECT_EQ(RouteOf(*snapshot, "host", "198.51.100.7"), "GM0002 netblock 198.51.100.0/24");
}

TEST(DisclosureRoutingTest, UnknownHostsRouteNowhere) {
  const auto snapshot = TwoMembers();
  EXPECT_EQ(RouteOf(*snapshot, "host", "badexample.nl"), "none");
  EXPECT_EQ(RouteOf(*snapshot, "host", "example.com"), "none");
  EXPECT_EQ(RouteOf(*snapshot, "email_domain", "example.org"), "none");
  EXPECT_EQ(RouteOf(*snapshot, "url", "https://elsewhere.example/"), "none");
}

TEST(DisclosureRoutingTest, UrlsGoWhereTheirHostGoes) {
  const auto snapshot = TwoMembers();
  EXPECT_EQ(RouteOf(*snapshot, "url", "https://portal.gemeente.example/login?x=1"),
            "GM0002 domain gemeente.example");
  EXPECT_EQ(RouteOf(*snapshot, "url", "http://192.0.2.44:8080/admin"),
            "GM0001 netblock 192.0.2.0/24");
  EXPECT_EQ(RouteOf(*snapshot, "url", "http://[2001:db8::5]/"), "GM0001 netblock 2001:db8::/32");
  EXPECT_EQ(RouteOf(*snapshot, "url", "not a url"), "none");
}

TEST(DisclosureRoutingTest, ProductsAreNotRoutedThroughTheSnapshot) {
  const auto snapshot = TwoMembers();
  EXPECT_EQ(RouteOf(*snapshot, "product", "example.nl|example.nl|1"), "none");
}

TEST(DisclosureRoutingTest, TheItemsOfASubmissionRouteToTheirMembers) {
  const auto snapshot = TwoMembers();
  Json body = GoodBody();
  body["ips"] = {"2001:0DB8::0:7"};
  body["hosts"] = {"WWW.Example.NL."};
  body["email_domains"] = {"cert@Gemeente.Example"};
  const auto read = ReadSubmission(body);
  ASSERT_TRUE(read) << read.error().message;
  std::vector<std::string> routes;
  for (const NamedItem& item : read->items)
    routes.push_back(RouteOf(*snapshot, item.kind, item.value));
  EXPECT_THAT(routes, ElementsAre("GM0001 netblock 2001:db8::/32", "GM0001 domain example.nl",
                                  "GM0002 domain gemeente.example"));
}

registry::Member MemberWith(std::string code, std::vector<registry::Asset> assets) {
  registry::Member member;
  member.code = std::move(code);
  member.name = "Gemeente " + member.code;
  member.assets = std::move(assets);
  return member;
}

registry::Asset Asset(std::string name, std::string vendor, std::string product,
                      std::string version, std::optional<std::string> cpe = std::nullopt) {
  registry::Asset asset;
  asset.name = std::move(name);
  asset.vendor = std::move(vendor);
  asset.product = std::move(product);
  asset.version = std::move(version);
  asset.cpe = std::move(cpe);
  return asset;
}

std::vector<std::string> CandidatesOf(const std::vector<registry::Member>& members,
                                      ProductName product) {
  std::vector<std::string> found;
  for (const ItemRoute& route : ProductCandidates(members, product)) {
    found.push_back(route.member + " " + route.reason + " " + route.match);
  }
  return found;
}

std::vector<registry::Member> Inventories() {
  return {
      MemberWith("GM0001",
                 {Asset("mail", "Microsoft Corporation", "Microsoft Exchange Server", "2016")}),
      MemberWith("GM0002", {Asset("fw", "Fortinet", "FortiOS", "7.0"),
                            Asset("owa", "", "", "",
                                  "cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*")}),
      MemberWith("GM0003", {Asset("intranet", "Microsoft", "SharePoint Server", "2019")}),
      MemberWith("GM0004", {}),
  };
}

TEST(DisclosureProductCandidatesTest,
     MembersWithTheProductInTheirInventoryAreCandidatesAnyVersion) {
  EXPECT_THAT(CandidatesOf(Inventories(), {"Microsoft", "Exchange Server", "2013"}),
              ElementsAre("GM0001 inventory mail", "GM0002 inventory owa"));
  EXPECT_THAT(CandidatesOf(Inventories(), {"microsoft", "exchange server", ""}),
              ElementsAre("GM0001 inventory mail", "GM0002 inventory owa"));
  EXPECT_THAT(CandidatesOf(Inventories(), {"Fortinet Inc.", "FortiOS", "7.4.1"}),
              ElementsAre("GM0002 inventory fw"));
  EXPECT_THAT(CandidatesOf(Inventories(), {"Microsoft", "SharePoint Server", "2016"}),
              ElementsAre("GM0003 inventory intranet"));
}

TEST(DisclosureProductCandidatesTest, OnlyExactVendorAndProductKeysMatch) {
  EXPECT_TRUE(CandidatesOf(Inventories(), {"Microsoft", "Exchange", "2019"}).empty());
  EXPECT_TRUE(CandidatesOf(Inventories(), {"Microsoft", "Exchange Server Online", ""}).empty());
  EXPECT_TRUE(CandidatesOf(Inventories(), {"Fortinet", "FortiGate", ""}).empty());
  EXPECT_TRUE(CandidatesOf(Inventories(), {"Acme", "Exchange Server", ""}).empty());
  EXPECT_TRUE(CandidatesOf(Inventories(), {"", "Exchange Server", ""}).empty());
  EXPECT_TRUE(CandidatesOf(Inventories(), {"n/a", "Exchange Server", ""}).empty());
}

TEST(DisclosureProductCandidatesTest, AMemberIsACandidateOnceWhateverItsNumberOfMatchingAssets) {
  std::vector<registry::Member> members = {MemberWith(
      "GM0005",
      {Asset("a", "Fortinet", "FortiOS", "7.0"), Asset("b", "Fortinet", "FortiOS", "7.2")})};
  EXPECT_THAT(CandidatesOf(members, {"Fortinet", "FortiOS", ""}),
              ElementsAre("GM0005 inventory a"));
}

}  // namespace
}  // namespace baken::disclosure

namespace baken::disclosure {
namespace {

TEST(DisclosureSecurityTxtTest, TheFieldsAreReadInOrderAndASignatureIsNoted) {
  const auto file = ParseSecurityTxt(
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n# comment\n"
      "Contact: mailto:security@example.nl\r\ncontact: https://example.nl/cvd\n"
      "Expires: 2027-01-01T00:00:00Z\nEncryption: openpgp4fpr:ABCDEF\n"
      "Preferred-Languages: nl, en\n- Policy: https://example.nl/policy\n"
      "-----BEGIN PGP SIGNATURE-----\n\nContact: mailto:not-in-the-signed-part@example.nl\n"
      "-----END PGP SIGNATURE-----\n");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->contacts,
            (std::vector<std::string>{"mailto:security@example.nl", "https://example.nl/cvd"}));
  EXPECT_EQ(file->expires, "2027-01-01T00:00:00Z");
  EXPECT_EQ(file->encryption, std::vector<std::string>{"openpgp4fpr:ABCDEF"});
  EXPECT_EQ(file->policy, std::vector<std::string>{"https://example.nl/policy"});
  EXPECT_EQ(file->preferred_languages, "nl, en");
  EXPECT_TRUE(file->signed_cleartext);
}

TEST(DisclosureSecurityTxtTest, AFileWithoutContactOrNotTextIsRefused) {
  EXPECT_FALSE(ParseSecurityTxt("Expires: 2027-01-01T00:00:00Z\n"));
  EXPECT_FALSE(ParseSecurityTxt(std::string("Contact: mailto:a@b.nl\n\0", 24)));
  EXPECT_FALSE(ParseSecurityTxt(std::string(kMaxSecurityTxtBytes + 1, 'a')));
  const auto plain = ParseSecurityTxt("Contact: mailto:a@b.nl");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->signed_cleartext);
}

TEST(DisclosureSecurityTxtTest, ItIsLookedForAtTheItemsOrigin) {
  EXPECT_EQ(SecurityTxtUrl("url", "http://127.0.0.1:8080/login?x=1"),
            "http://127.0.0.1:8080/.well-known/security.txt");
  EXPECT_EQ(SecurityTxtUrl("host", "portal.example.nl"),
            "https://portal.example.nl/.well-known/security.txt");
  EXPECT_EQ(SecurityTxtUrl("ip", "2001:db8::1"), "https://[2001:db8::1]/.well-known/security.txt");
  EXPECT_EQ(SecurityTxtUrl("email_domain", "example.nl"),
            "https://example.nl/.well-known/security.txt");
}

TEST(DisclosurePublicAddressTest, OnlyAddressesOnThePublicInternetArePublic) {
  for (const char* text : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1",
                           "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1",
                           "::", "::ffff:127.0.0.1", "192.0.2.1", "224.0.0.1"}) {
    EXPECT_FALSE(net::IsPublicAddress(*net::IpAddress::Parse(text))) << text;
  }
  for (const char* text : {"145.97.1.1", "8.8.8.8", "2a00:1450::1"}) {
    EXPECT_TRUE(net::IsPublicAddress(*net::IpAddress::Parse(text))) << text;
  }
}

}  // namespace
}  // namespace baken::disclosure

namespace baken::disclosure {
namespace {

TEST(DisclosureSecurityTxtTest, AFileThatIsNotUtf8IsRefused) {
  EXPECT_FALSE(ParseSecurityTxt("Contact: mailto:a@b.nl\nExpires: \xff\xfe\n"));
}

TEST(DisclosurePublicAddressTest, TunnelsAndOldFormsToPrivateAddressesAreNotPublic) {
  for (const char* text : {"::127.0.0.1", "64:ff9b:1::a00:1", "2002:a00:1::1", "fec0::1"}) {
    EXPECT_FALSE(net::IsPublicAddress(*net::IpAddress::Parse(text))) << text;
  }
}

// --- reports by e-mail (decision 0021) -------------------------------------------------------

bool MembersHost(std::string_view host) {
  return host == "portal.bee.example.nl" || host.ends_with(".aa.example.nl");
}

TEST(MailReportTest, TheTextNamesAddressesUrlsAndTheMembersHostsOnly) {
  const auto items = ItemsInText(
      "Found on 192.0.2.10:8443, [2001:db8::7] and https://www.aa.example.nl/login?x=1.\n"
      "Also portal.bee.example.nl, but not report.txt or index.php or 1.2.3.\n"
      "> 198.51.100.99 was in an earlier mail\n",
      MembersHost);
  EXPECT_EQ(items["ips"], (nlohmann::ordered_json{"192.0.2.10", "2001:db8::7"}));
  EXPECT_EQ(items["urls"].size(), 1u);
  EXPECT_EQ(items["hosts"], (nlohmann::ordered_json{"portal.bee.example.nl"}));
}

TEST(MailReportTest, MarkupMovesToAnAttachmentAndTheReporterIsTheSender) {
  mail::MailMessage message;
  message.from_address = "eva@research.example";
  message.from_name = "Eva";
  message.subject = "XSS op www.aa.example.nl";
  message.text = "PoC: <script>alert(1)</script> on https://www.aa.example.nl/zoek\n";
  const auto report = ReportFromMail(message, MembersHost);
  ASSERT_TRUE(report) << report.error().message;
  const auto& body = report->submission;
  EXPECT_EQ(body["reporter_email"], "eva@research.example");
  EXPECT_TRUE(body["wants_updates"].get<bool>());
  EXPECT_EQ(body["urls"].size(), 1u);
  ASSERT_EQ(body["attachments"].size(), 1u);
  EXPECT_EQ(body["attachments"][0]["name"], "message.txt");
  EXPECT_THAT(body["description"].get<std::string>(), ::testing::HasSubstr("message.txt"));
  EXPECT_FALSE(ScriptIn(body["description"].get<std::string>()));
  // What it made, the submission reader takes.
  EXPECT_TRUE(ReadSubmission(body, Naming::kOptional));
}

TEST(MailReportTest, NeverNamesTheSenderAndKeepsWhatAReplyQuotesOut) {
  mail::MailMessage message;
  message.from_address = "eva@research.example";
  message.signature.state = "good";
  message.signature.signer = "0123456789ABCDEF0123456789ABCDEF01234567";
  message.text =
      "A reply: the portal at 192.0.2.10 still answers.\n"
      "Status: https://baken.example/report-status#abcDEF123_-xyz\n"
      "XSS proof: https://www.aa.example.nl/zoek?q=javascript:alert(1)\n"
      "-- \nEva, https://research.example 198.51.100.200\n";
  const auto report = ReportFromMail(message, MembersHost);
  ASSERT_TRUE(report) << report.error().message;
  const auto& body = report->submission;
  EXPECT_EQ(body["title"], "E-mail report");
  const std::string everything = body.dump();
  EXPECT_THAT(everything, ::testing::Not(::testing::HasSubstr("abcDEF123")));
  EXPECT_THAT(everything, ::testing::Not(::testing::HasSubstr("0123456789ABCDEF")));
  // The XSS proof moved the text into an attachment and stays out of the items; the signature
  // block below "-- " is not what the report is about.
  EXPECT_EQ(body["ips"], (nlohmann::ordered_json{"192.0.2.10"}));
  EXPECT_FALSE(body.contains("urls"));
  EXPECT_TRUE(ReadSubmission(body, Naming::kOptional));

  const auto quoted = ItemsInText(
      "Fixed?\nOn Mon, 7 Dec 2026 at 09:00, CERT wrote:\nThe portal at 192.0.2.10 ...\n",
      MembersHost);
  EXPECT_TRUE(quoted["ips"].empty());
}

// blocklist.de's report.txt (AbuseIO's sample Blocklistde_Example_1.eml, GPL-2.0, "no real
// information"): a Report-ID YAML refuses, read as lines.
TEST(XarfTest, ReadsVersion02LinesAsSendersWriteThem) {
  const auto report = ReadXarfLines(
      "---\nReported-From: abuse-team@blocklist.de\nCategory: abuse\nReport-Type: regbot\n"
      "Service: regbot\nVersion: 0.2\nUser-Agent: Fail2BanFeedBackScript blocklist.de V0.2\n"
      "Date: Fri, 31 Jan 2014 07:19:02 +0100\nSource-Type: ip-address\nSource: 10.0.2.150\n"
      "Port: 80\nReport-ID: @blocklist.de\n"
      "Schema-URL: http://www.blocklist.de/downloads/schema/info_0.1.1.json\n"
      "Attachment: text/plain\n");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->version, "0.2");
  EXPECT_EQ(report->category, "abuse");
  EXPECT_EQ(report->type, "regbot");
  EXPECT_EQ(report->sources, (std::vector<std::string>{"10.0.2.150"}));
  EXPECT_EQ(report->reporter_email, "abuse-team@blocklist.de");
  EXPECT_THAT(report->facts, ::testing::Contains("Report-ID: @blocklist.de"));
  EXPECT_FALSE(ReadXarfLines("Category: abuse\n"));  // no Source
  EXPECT_FALSE(ReadXarfLines("no lines at all"));
}

// xarf/xarf-spec samples/v4/vulnerability-cve.json (MIT), shortened; abusix/xarf's v3
// openservice_sample.json (MIT), shortened.
TEST(XarfTest, ReadsVersion4And3Json) {
  const auto v4 = ReadXarfJson(
      R"({"xarf_version": "4.2.0", "report_id": "56c915c2-19bc-46e1-868f-2ee9222bc149",
          "reporter": {"org": "Vulnerability Assessment Service",
                       "contact": "vulns@vuln-scanner.example"},
          "source_identifier": "172.16.1.200", "source_port": 8080,
          "category": "vulnerability", "type": "cve", "cve_id": "CVE-2023-12345",
          "severity": "critical",
          "evidence": [{"content_type": "text/plain", "payload": "Q1ZFLTIwMjMtMTIzNDU="}]})");
  ASSERT_TRUE(v4) << v4.error().message;
  EXPECT_EQ(v4->version, "4");
  EXPECT_EQ(v4->sources, (std::vector<std::string>{"172.16.1.200"}));
  EXPECT_EQ(v4->severity, "critical");
  EXPECT_EQ(v4->reporter_organisation, "Vulnerability Assessment Service");
  EXPECT_THAT(v4->facts, ::testing::Contains("cve_id: CVE-2023-12345"));
  ASSERT_EQ(v4->evidence.size(), 1u);
  EXPECT_EQ(v4->evidence[0].content, "CVE-2023-12345");

  const auto v3 = ReadXarfJson(
      R"({"Version": "3", "ReporterInfo": {"ReporterOrg": "ExampleOrg",
          "ReporterOrgEmail": "reports@example.com"}, "Disclosure": true,
          "Report": {"ReportType": "OpenService", "ReportClass": "Vulnerability",
                     "ServiceName": "redis", "SourceIp": "192.0.2.55", "SourcePort": 54321,
                     "ReporterSeverity": "high",
                     "Samples": [{"ContentType": "text/plain", "Base64Encoded": false,
                                  "Payload": "EXAMPLE Nmap done"}]}})");
  ASSERT_TRUE(v3) << v3.error().message;
  EXPECT_EQ(v3->version, "3");
  EXPECT_EQ(v3->sources, (std::vector<std::string>{"192.0.2.55"}));
  EXPECT_EQ(v3->severity, "high");
  EXPECT_EQ(v3->reporter_email, "reports@example.com");
  ASSERT_EQ(v3->evidence.size(), 1u);
  EXPECT_EQ(v3->evidence[0].content, "EXAMPLE Nmap done");

  // A flag of the wrong type is not a crash (nlohmann's value() would throw).
  const auto odd = ReadXarfJson(
      R"({"Version": "3", "Report": {"SourceIp": "192.0.2.55",
          "Samples": [{"Base64Encoded": "yes", "Payload": "x"}, {"Base64Encoded": null}, 7]}})");
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_FALSE(ReadXarfJson(R"({"xarf_version": "4.0.0"})"));  // no source
  EXPECT_FALSE(ReadXarfJson("[1, 2]"));
  EXPECT_FALSE(ReadXarfJson(std::string(100, '[')));
}

}  // namespace
}  // namespace baken::disclosure
