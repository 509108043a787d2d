#include "notify/digest.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/csv_reader.h"
#include "notify/test_mail.h"

namespace baken::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace ::baken::notify::testing;

std::string Event(const std::string& ip, int port, const std::string& time,
                  const std::string& taxonomy = "vulnerable") {
  return nlohmann::json{{"source.ip", ip},
                        {"source.port", port},
                        {"source.asn", 64500},
                        {"protocol.transport", "tcp"},
                        {"classification.taxonomy", taxonomy},
                        {"classification.type", "vulnerable-system"},
                        {"classification.identifier", "open-rdp"},
                        {"time.source", time},
                        {"feed.name", "Accessible-RDP"}}
      .dump();
}

Digest AmsterdamDigest() {
  Digest digest;
  digest.message_id = "outbox-17.GM0363@baken.invalid";
  digest.member_code = "GM0363";
  digest.member_name = "Gemeente Amsterdam";
  digest.feed_name = "Accessible-RDP";
  digest.tlp = "AMBER";
  digest.period = "2026-11-23";
  digest.events = {Event("192.0.2.1", 3389, "2026-11-22T01:02:03+00:00"),
                   Event("192.0.2.2", 3389, "2026-11-22T04:05:06+00:00"),
                   Event("2001:db8::1", 3390, "2026-11-22T07:08:09Z")};
  digest.from = "Baken CERT <cert@baken.invalid>";
  digest.to = {{"SOC Amsterdam", "soc@amsterdam.example.nl"}, {"", "ciso@amsterdam.example.nl"}};
  digest.date = "Mon, 23 Nov 2026 06:00:00 +0000";
  return digest;
}

RenderedMessage RenderOrDie(const Digest& digest) {
  auto rendered = Render(Templates::BuiltIn(), digest);
  if (!rendered) ADD_FAILURE() << rendered.error().message;
  return rendered ? *rendered : RenderedMessage{};
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& csv) {
  std::istringstream in(csv);
  CsvReader reader(in);
  CsvRecord record;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(&record)) {
    EXPECT_FALSE(record.problem.has_value()) << *record.problem;
    rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  return rows;
}

TEST(DigestTest, RendersDutchDigest) {
  const auto message = RenderOrDie(AmsterdamDigest());
  EXPECT_EQ(message.subject,
            "[TLP:AMBER] Baken: 3 kwetsbare systemen gevonden (RDP bereikbaar vanaf internet) – "
            "Gemeente Amsterdam");
  EXPECT_THAT(message.text_body, HasSubstr("Beste collega's van Gemeente Amsterdam,"));
  EXPECT_THAT(message.text_body, HasSubstr("3 meldingen"));
  EXPECT_THAT(message.text_body,
              HasSubstr("2026-11-22 01:02:03  192.0.2.1        3389   open-rdp"));
  EXPECT_THAT(message.text_body,
              HasSubstr("2026-11-22 07:08:09  2001:db8::1      3390   open-rdp"));
  EXPECT_THAT(message.text_body, HasSubstr("baken-GM0363-Accessible-RDP-2026-11-23.csv"));
  EXPECT_THAT(message.text_body,
              HasSubstr("alleen binnen uw eigen organisatie en met wie het nodig"));
  EXPECT_THAT(message.text_body, Not(HasSubstr("TLP:GREEN")));
  EXPECT_THAT(message.text_body, Not(HasSubstr("{{")));
  EXPECT_THAT(message.text_body, Not(HasSubstr("nog ")));  // all events are in the table
  EXPECT_EQ(message.text_body.front(), 'T');  // the template's comment leaves no blank line
  EXPECT_EQ(message.attachment_name, "baken-GM0363-Accessible-RDP-2026-11-23.csv");
}

TEST(DigestTest, RendersEnglishDigestWithOneEvent) {
  Digest digest = AmsterdamDigest();
  digest.language = "en";
  digest.tlp = "green";
  digest.events.resize(1);
  const auto message = RenderOrDie(digest);
  EXPECT_EQ(message.subject,
            "[TLP:GREEN] Baken: 1 vulnerable system found (RDP reachable from the internet) – "
            "Gemeente Amsterdam");
  EXPECT_THAT(message.text_body, HasSubstr("Dear colleagues at Gemeente Amsterdam,"));
  EXPECT_THAT(message.text_body, HasSubstr("1 report about"));
  EXPECT_THAT(message.text_body, HasSubstr("TLP:GREEN means"));
  EXPECT_THAT(message.text_body, Not(HasSubstr("TLP:AMBER")));
  EXPECT_THAT(message.mime, HasSubstr("\r\nContent-Language: en\r\n"));
  EXPECT_THAT(message.mime, HasSubstr("\r\nX-Baken-TLP: GREEN\r\n"));
}

TEST(DigestTest, DutchSingularAndInfectedWording) {
  Digest digest = AmsterdamDigest();
  digest.events = {Event("192.0.2.1", 80, "2026-11-22T01:02:03+00:00", "malicious-code")};
  const auto message = RenderOrDie(digest);
  EXPECT_THAT(message.subject, HasSubstr("Baken: 1 besmet systeem gevonden"));
  EXPECT_THAT(message.text_body, HasSubstr("Isoleer besmette systemen"));
  digest.events.push_back(Event("192.0.2.2", 80, "2026-11-22T01:02:03+00:00"));
  EXPECT_THAT(RenderOrDie(digest).subject, HasSubstr("Baken: 2 besmette systemen gevonden"));
}

// A compromised system is not a vulnerable one; a scan or a DDoS is neither.
TEST(DigestTest, CompromisedAndOtherSystemsAreNotCalledVulnerable) {
  Digest digest = AmsterdamDigest();
  digest.feed_name = "Compromised-Website";
  digest.events = {Event("192.0.2.1", 80, "2026-11-22T01:02:03+00:00", "intrusions"),
                   Event("192.0.2.2", 80, "2026-11-22T01:02:03+00:00", "intrusions")};
  EXPECT_THAT(
      RenderOrDie(digest).subject,
      HasSubstr("Baken: 2 gecompromitteerde systemen gevonden (Gecompromitteerde website)"));
  digest.language = "en";
  EXPECT_THAT(RenderOrDie(digest).subject,
              HasSubstr("Baken: 2 compromised systems found (Compromised website)"));
  digest.events.resize(1);
  digest.language = "nl";
  digest.feed_name = "Partner-CERT melding";
  EXPECT_THAT(RenderOrDie(digest).subject,
              HasSubstr("Baken: 1 gecompromitteerd systeem gevonden (Partner-CERT melding)"));
  digest.events = {Event("192.0.2.1", 80, "2026-11-22T01:02:03+00:00", "information-gathering")};
  EXPECT_THAT(RenderOrDie(digest).subject, HasSubstr("Baken: 1 systeem gemeld (Partner-CERT"));
  digest.language = "en";
  EXPECT_THAT(RenderOrDie(digest).subject, HasSubstr("Baken: 1 system reported (Partner-CERT"));
}

TEST(DigestTest, TableShowsTheFirstTwentyAndTheCsvAll) {
  Digest digest = AmsterdamDigest();
  digest.events.clear();
  for (int i = 1; i <= 25; ++i) {
    digest.events.push_back(Event("198.51.100." + std::to_string(i), 3389, "2026-11-22T01:00:00Z"));
  }
  const auto message = RenderOrDie(digest);
  EXPECT_THAT(message.text_body, HasSubstr("De eerste 20 meldingen:"));
  EXPECT_THAT(message.text_body, HasSubstr("198.51.100.20 "));
  EXPECT_THAT(message.text_body, Not(HasSubstr("198.51.100.21 ")));
  EXPECT_THAT(message.text_body, HasSubstr("... en nog 5 meldingen."));
  const auto rows = ReadCsv(message.csv);
  ASSERT_EQ(rows.size(), 26u);
  EXPECT_EQ(rows[25][1], "198.51.100.25");
}

TEST(DigestTest, CsvIsSafeInTheSemicolonDialectToo) {
  // Excel with Dutch settings splits on ';': a cell holding one is quoted, and what follows it
  // cannot start a formula even for a reader that ignores the quotes.
  Digest digest = AmsterdamDigest();
  digest.events = {nlohmann::json{
      {"time.source", "2026-11-22T01:02:03+00:00"},
      {"source.ip", "192.0.2.1"},
      {"source.reverse_dns", "host;=cmd|' /C calc'!A0"},
      {"classification.type",
       "a, -1"}}.dump()};
  const auto message = RenderOrDie(digest);
  EXPECT_THAT(message.csv, HasSubstr(",\"host;'=cmd|' /C calc'!A0\","));
  EXPECT_THAT(message.csv, HasSubstr(",\"a,' -1\","));
  const auto rows = ReadCsv(message.csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][4], "host;'=cmd|' /C calc'!A0");
}

TEST(DigestTest, CsvHasTheColumnsQuotingAndFormulaGuard) {
  Digest digest = AmsterdamDigest();
  digest.events = {nlohmann::json{
      {"time.source", "2026-11-22T01:02:03+00:00"},
      {"source.ip", "192.0.2.1"},
      {"source.port", 3389},
      {"source.reverse_dns", "=HYPERLINK(\"http://evil\",\"x\")"},
      {"source.fqdn", "+31 20 1234567"},
      {"source.url", "-2+3"},
      {"protocol.transport", "@SUM(A1)"},
      {"classification.taxonomy", "\tindent"},
      {"classification.type", "a,b \"c\""},
      {"classification.identifier", "line\r\nbreak"},
      {"product.vulnerabilities", {"CVE-2019-0708", "CVE-2020-0609"}},
      {"extra.field",
       "not exported"}}.dump()};
  const auto message = RenderOrDie(digest);
  EXPECT_TRUE(message.csv.starts_with(
      "time.source,source.ip,source.port,source.asn,source.reverse_dns,source.fqdn,source.url,"
      "protocol.transport,classification.taxonomy,classification.type,classification.identifier,"
      "product.vulnerabilities,feed.name\r\n"));
  EXPECT_THAT(message.csv, HasSubstr("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""));
  EXPECT_THAT(message.csv, HasSubstr(",\"a,b \"\"c\"\"\","));
  const auto rows = ReadCsv(message.csv);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[1].size(), CsvColumns().size());
  EXPECT_EQ(rows[1][0], "2026-11-22T01:02:03+00:00");
  EXPECT_EQ(rows[1][2], "3389");
  EXPECT_EQ(rows[1][3], "");  // absent fields are empty
  EXPECT_EQ(rows[1][4], "'=HYPERLINK(\"http://evil\",\"x\")");
  EXPECT_EQ(rows[1][5], "'+31 20 1234567");
  EXPECT_EQ(rows[1][6], "'-2+3");
  EXPECT_EQ(rows[1][7], "'@SUM(A1)");
  EXPECT_EQ(rows[1][8], "'\tindent");
  EXPECT_EQ(rows[1][9], "a,b \"c\"");
  EXPECT_EQ(rows[1][10], "line\r\nbreak");
  EXPECT_EQ(rows[1][11], "CVE-2019-0708,CVE-2020-0609");
  EXPECT_THAT(message.csv, Not(HasSubstr("not exported")));
  // In the body the line break is gone, so the value cannot start a line of its own.
  EXPECT_THAT(message.text_body, HasSubstr("line break"));
}

TEST(DigestTest, LongValuesAreCutInTheTableOnly) {
  Digest digest = AmsterdamDigest();
  const std::string exactly_64(64, 'e');
  const std::string long_value = std::string(70, 'l');
  digest.events = {
      nlohmann::json{{"source.ip", "192.0.2.1"}, {"classification.identifier", exactly_64}}.dump(),
      nlohmann::json{{"source.ip", "192.0.2.2"}, {"classification.identifier", long_value}}.dump()};
  const auto message = RenderOrDie(digest);
  EXPECT_THAT(message.text_body, HasSubstr(exactly_64 + "\n"));
  EXPECT_THAT(message.text_body, HasSubstr(std::string(63, 'l') + "…\n"));
  EXPECT_THAT(message.csv, HasSubstr(long_value));
}

TEST(DigestTest, ValuesAreDataNotTemplates) {
  Digest digest = AmsterdamDigest();
  digest.member_name = "{{#tlp_clear}}vrij delen{{/tlp_clear}} {{member_code}} <b>&amp;";
  digest.events = {nlohmann::json{{"source.ip", "192.0.2.1"},
                                  {"classification.identifier", "{{feed_name}}{{>partial}}"}}
                       .dump()};
  const auto message = RenderOrDie(digest);
  EXPECT_THAT(message.text_body,
              HasSubstr("Beste collega's van {{#tlp_clear}}vrij delen{{/tlp_clear}} "
                        "{{member_code}} <b>&amp;,"));
  EXPECT_THAT(message.text_body, HasSubstr("{{feed_name}}{{>partial}}"));
  EXPECT_THAT(message.text_body, Not(HasSubstr("vrij worden gedeeld")));
}

TEST(DigestTest, LineBreaksNeverReachHeaders) {
  Digest digest = AmsterdamDigest();
  digest.feed_name = "RDP\r\nBcc: evil@example.org";
  digest.member_name = "Amsterdam\nX-Injected: yes";
  digest.to[0].name = "SOC\r\nCc: other@example.org";
  digest.date = "Mon, 23 Nov 2026 06:00:00 +0000\r\nX-Date-Injected: 1";
  digest.from = "Baken\r\nReply-To: evil@example.org <cert@baken.invalid>";
  const auto message = RenderOrDie(digest);
  const Mail mail = ParseMail(message.mime);
  for (const char* injected : {"bcc", "cc", "x-injected", "x-date-injected", "reply-to"}) {
    EXPECT_EQ(mail.top.headers.count(injected), 0u) << injected;
  }
  EXPECT_THAT(message.mime, Not(HasSubstr("\nBcc:")));
  EXPECT_EQ(DecodeHeader(mail.top.headers.at("subject")), message.subject);
  EXPECT_THAT(message.subject, HasSubstr("(RDP Bcc: evil@example.org)"));
  EXPECT_THAT(mail.top.headers.at("to"), HasSubstr("\"SOC Cc: other@example.org\""));
  EXPECT_EQ(message.attachment_name, "baken-GM0363-RDP__Bcc__evil_example.org-2026-11-23.csv");
}

TEST(DigestTest, RefusesAddressesThatAreNotAddresses) {
  Digest digest = AmsterdamDigest();
  digest.to[1].email = "ciso@example.nl\r\nBcc: evil@example.org";
  const auto rendered = Render(Templates::BuiltIn(), digest);
  ASSERT_FALSE(rendered);
  EXPECT_EQ(rendered.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(rendered.error().message, HasSubstr("recipient address"));
}

TEST(DigestTest, NonAsciiSubjectIsEncodedAndFolded) {
  Digest digest = AmsterdamDigest();
  digest.member_name = "Gemeente Súdwest-Fryslân";
  digest.to[0].name = "Jürgen Müller";
  const auto message = RenderOrDie(digest);
  const Mail mail = ParseMail(message.mime);
  EXPECT_THAT(mail.top.headers.at("subject"), HasSubstr("=?UTF-8?B?"));
  EXPECT_EQ(DecodeHeader(mail.top.headers.at("subject")), message.subject);
  EXPECT_THAT(message.subject, HasSubstr("– Gemeente Súdwest-Fryslân"));
  EXPECT_THAT(DecodeHeader(mail.top.headers.at("to")),
              HasSubstr("Jürgen Müller <soc@amsterdam.example.nl>"));
}

TEST(DigestTest, LongWordsInTheSubjectAreFolded) {
  Digest digest = AmsterdamDigest();
  digest.feed_name = std::string(300, 'x');
  const auto message = RenderOrDie(digest);
  const std::string headers = message.mime.substr(0, message.mime.find("\r\n\r\n"));
  std::istringstream lines(headers);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 79u) << line;  // 78 and the CR
  }
  EXPECT_EQ(DecodeHeader(ParseMail(message.mime).top.headers.at("subject")), message.subject);
  EXPECT_EQ(message.attachment_name, "baken-GM0363-" + std::string(32, 'x') + "-2026-11-23.csv");
  EXPECT_EQ(message.attachment_name.size(), 60u);
}

TEST(DigestTest, MimeStructureIsSound) {
  const Digest digest = AmsterdamDigest();
  const auto message = RenderOrDie(digest);
  const std::string& mime = message.mime;
  for (size_t i = 0; i < mime.size(); ++i) {
    ASSERT_LT(static_cast<unsigned char>(mime[i]), 0x80) << "8-bit byte at " << i;
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
    }
    if (mime[i] == '\r') {
      ASSERT_TRUE(i + 1 < mime.size() && mime[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  size_t start = 0;
  while (start < mime.size()) {
    const size_t end = mime.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "the message ends without CRLF";
    EXPECT_LE(end - start, 78u) << mime.substr(start, end - start);
    start = end + 2;
  }

  const Mail mail = ParseMail(mime);
  EXPECT_EQ(mail.top.headers.at("from"), "\"Baken CERT\" <cert@baken.invalid>");
  EXPECT_EQ(mail.top.headers.at("to"),
            "\"SOC Amsterdam\" <soc@amsterdam.example.nl>, ciso@amsterdam.example.nl");
  EXPECT_EQ(mail.top.headers.at("date"), digest.date);
  EXPECT_EQ(mail.top.headers.at("message-id"), "<outbox-17.GM0363@baken.invalid>");
  EXPECT_EQ(mail.top.headers.at("mime-version"), "1.0");
  EXPECT_EQ(mail.top.headers.at("x-baken-tlp"), "AMBER");
  EXPECT_EQ(mail.top.headers.at("content-language"), "nl");
  EXPECT_THAT(mail.top.headers.at("content-type"), HasSubstr("multipart/mixed; boundary="));

  ASSERT_EQ(mail.parts.size(), 2u);
  EXPECT_EQ(mail.parts[0].headers.at("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(mail.parts[0].headers.at("content-transfer-encoding"), "quoted-printable");
  std::string expected_body;
  for (const char c : message.text_body) expected_body += c == '\n' ? "\r\n" : std::string(1, c);
  EXPECT_EQ(DecodeQuotedPrintable(mail.parts[0].body), expected_body);

  EXPECT_EQ(mail.parts[1].headers.at("content-transfer-encoding"), "base64");
  EXPECT_EQ(mail.parts[1].headers.at("content-disposition"),
            "attachment; filename=\"baken-GM0363-Accessible-RDP-2026-11-23.csv\"");
  EXPECT_THAT(mail.parts[1].headers.at("content-type"), HasSubstr("text/csv; charset=utf-8"));
  EXPECT_EQ(DecodeBase64(mail.parts[1].body), message.csv);
  EXPECT_TRUE(mime.ends_with("--\r\n"));
}

TEST(DigestTest, MessageTextIsTheTextPartDecodedForAPreview) {
  Digest digest = AmsterdamDigest();
  digest.member_name = "Gemeente Súdwest-Fryslân";  // non-ASCII: quoted-printable in the part
  const auto message = RenderOrDie(digest);
  // The text exactly as rendered, without the attachment or any header.
  EXPECT_EQ(MessageText(message.mime), message.text_body);
  EXPECT_THAT(MessageText(message.mime), HasSubstr("Súdwest-Fryslân"));
  EXPECT_THAT(MessageText(message.mime), Not(HasSubstr("Content-Type")));
  EXPECT_EQ(MessageText("not a message"), "");
}

TEST(DigestTest, SameDigestSameBytes) {
  EXPECT_EQ(RenderOrDie(AmsterdamDigest()).mime, RenderOrDie(AmsterdamDigest()).mime);
  Digest other = AmsterdamDigest();
  other.message_id = "outbox-18.GM0363@baken.invalid";
  EXPECT_NE(RenderOrDie(AmsterdamDigest()).mime, RenderOrDie(other).mime);
}

TEST(DigestTest, RefusesWhatCannotBeSent) {
  auto refused = [](const std::function<void(Digest&)>& change, const std::string& says) {
    Digest digest = AmsterdamDigest();
    change(digest);
    const auto rendered = Render(Templates::BuiltIn(), digest);
    if (rendered) {
      ADD_FAILURE() << "rendered although the digest should be refused (" << says << ")";
      return;
    }
    EXPECT_EQ(rendered.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(rendered.error().message, HasSubstr(says));
  };
  refused([](Digest& d) { d.tlp = "WHITE-ish"; }, "not one of");
  refused([](Digest& d) { d.events.clear(); }, "no events");
  refused([](Digest& d) { d.to.clear(); }, "no recipients");
  refused([](Digest& d) { d.events.push_back("[1,2]"); }, "event 4");
  refused([](Digest& d) { d.events.push_back("{\"source.ip\":"); }, "event 4");
  refused([](Digest& d) { d.message_id = "<outbox-1@baken.invalid>"; }, "message id");
  refused([](Digest& d) { d.message_id = "no-at-sign"; }, "message id");
  refused([](Digest& d) { d.language = "fy"; }, "language 'fy'");
  refused([](Digest& d) { d.date = ""; }, "Date");
  refused([](Digest& d) { d.from = "Baken <not an address>"; }, "sender address");
}

class TemplateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("baken-notify-templates-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(TemplateDirTest, LoadedTemplatesReplaceTheBuiltInOnes) {
  Write("subject.nl.mustache", "{{! eigen }}\nEigen: {{member_code}} {{event_count}}\n");
  Write("digest.nl.mustache", "Hallo {{member_name}}\n{{#events}}{{ip}}\n{{/events}}");
  Write("README.md", "ignored");
  const auto templates = Templates::LoadDirectory(dir_.string());
  ASSERT_TRUE(templates) << templates.error().message;
  auto rendered = Render(*templates, AmsterdamDigest());
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Eigen: GM0363 3");
  EXPECT_EQ(rendered->text_body, "Hallo Gemeente Amsterdam\n192.0.2.1\n192.0.2.2\n2001:db8::1\n");
  Digest english = AmsterdamDigest();
  english.language = "en";
  rendered = Render(*templates, english);  // not in the folder: the built-in one
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_THAT(rendered->subject, HasSubstr("vulnerable systems found"));
}

TEST_F(TemplateDirTest, StandaloneTagLinesDisappearWhetherTheSectionIsShownOrNot) {
  Write("subject.nl.mustache", "S");
  Write("digest.nl.mustache",
        "A\n{{#tlp_clear}}\nclear\n{{/tlp_clear}}\n\n  {{^tlp_clear}}  \nnot clear\n"
        "{{/tlp_clear}}\n{{! a comment\n over two lines }}\nB\n");
  const auto templates = Templates::LoadDirectory(dir_.string());
  ASSERT_TRUE(templates) << templates.error().message;
  auto rendered = Render(*templates, AmsterdamDigest());
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->text_body, "A\n\nnot clear\nB\n");
  Digest clear = AmsterdamDigest();
  clear.tlp = "CLEAR";
  rendered = Render(*templates, clear);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->text_body, "A\nclear\n\nB\n");
}

TEST_F(TemplateDirTest, RefusesIncompleteOrBrokenFolders) {
  EXPECT_FALSE(Templates::LoadDirectory((dir_ / "missing").string()));
  auto empty = Templates::LoadDirectory(dir_.string());
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().message, HasSubstr("holds no"));

  Write("subject.en.mustache", "Subject");
  auto half = Templates::LoadDirectory(dir_.string());
  ASSERT_FALSE(half);
  EXPECT_THAT(half.error().message, HasSubstr("not digest.en.mustache"));

  Write("digest.en.mustache", "{{#events}}unclosed");
  auto broken = Templates::LoadDirectory(dir_.string());
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("does not parse"));
}

TEST(TemplatesTest, BuiltInHasDutchAndEnglish) {
  const auto& templates = Templates::BuiltIn();
  ASSERT_NE(templates.Find("nl"), nullptr);
  ASSERT_NE(templates.Find("en"), nullptr);
  EXPECT_EQ(templates.Find("de"), nullptr);
  EXPECT_THAT(templates.Find("nl")->body, HasSubstr("Beste collega's"));
  EXPECT_THAT(templates.Find("en")->subject, HasSubstr("{{tlp_label}}"));
}

TEST(MailboxAddressTest, TakesTheAddressOutOfAMailbox) {
  EXPECT_EQ(MailboxAddress("Baken CERT <cert@baken.invalid>"), "cert@baken.invalid");
  EXPECT_EQ(MailboxAddress(" cert@baken.invalid "), "cert@baken.invalid");
}

}  // namespace
}  // namespace baken::notify
