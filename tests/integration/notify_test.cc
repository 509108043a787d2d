// The notifications section of the contract: real `baken ingest` and `baken notify` against a
// real SMTP server on loopback (tests/support/smtp_server.py, Debian's python3-aiosmtpd). Every
// received message is checked: recipients, language, only that member's events, and nothing
// for AMBER to a member without a trusted contact.

#include <algorithm>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notify/test_mail.h"
#include "registry/member.h"
#include "store/store.h"
#include "support/baken_process.h"
#include "support/cli_test.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

// tests/data/feeds/notify_members.json: GM0363 (192.0.2.0/24) has a Dutch trusted contact, an
// English trusted contact and an English privacy officer (not trusted); GM0599
// (198.51.100.0/24) has only a general contact; SV0001 (203.0.113.0/24) a general and trusted
// English contact.
constexpr std::string_view kRdp =
    "timestamp,ip,port,protocol\n"
    "2026-11-22 01:00:00,192.0.2.10,3389,tcp\n"
    "2026-11-22 01:00:01,192.0.2.11,3389,tcp\n"
    "2026-11-22 01:00:02,198.51.100.20,3389,tcp\n"
    "2026-11-22 01:00:03,203.0.113.30,3389,tcp\n"
    "2026-11-22 01:00:04,172.16.0.1,3389,tcp\n";

constexpr std::string_view kHttp =
    "timestamp,ip,port,protocol,hostname\n"
    "2026-11-22 02:00:00,198.51.100.21,8080,tcp,www.rotterdam.example.nl\n"
    "2026-11-22 02:00:01,192.0.2.12,80,tcp,\n";

class NotifyTest : public CliTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    const auto imported = Baken(
        {"member", "import", (SourceDir() / "tests/data/feeds/notify_members.json").string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
  Json Notify(int expected_exit = 0) {
    return BakenJson({"notify", "--smtp", smtp_.url(), "--retry-seconds", "0"}, expected_exit);
  }
  Json Outbox() { return BakenJson({"outbox", "list"})["messages"]; }

  SmtpServer smtp_;
};

// The IP addresses in a message's CSV attachment.
std::set<std::string> AttachedAddresses(const notify::testing::Mail& mail) {
  std::set<std::string> addresses;
  for (const auto& part : mail.parts) {
    if (part.headers.count("content-disposition") == 0) continue;
    const std::string csv = notify::testing::DecodeBase64(part.body);
    size_t line_start = csv.find('\n') + 1;  // skip the header row
    while (line_start < csv.size()) {
      const size_t end = csv.find('\n', line_start);
      const std::string line = csv.substr(line_start, end - line_start);
      // time.source, source.ip, ...
      const size_t first = line.find(',');
      const size_t second = line.find(',', first + 1);
      if (first != std::string::npos) {
        std::string ip = line.substr(first + 1, second - first - 1);
        ip.erase(std::remove(ip.begin(), ip.end(), '"'), ip.end());
        addresses.insert(ip);
      }
      if (end == std::string::npos) break;
      line_start = end + 1;
    }
  }
  return addresses;
}

TEST_F(NotifyTest, EachMemberGetsOnlyItsOwnEventsInItsContactsLanguages) {
  const Json ingested = BakenJson({"ingest", Write("2026-11-22-scan_rdp-nl.csv", kRdp)});
  ASSERT_EQ(ingested["routed"], 4);
  const Json summary = Notify();
  EXPECT_EQ(summary["sent"], 3) << summary.dump(2);
  EXPECT_EQ(summary["held"], 1);

  const auto mails = smtp_.Received();
  ASSERT_EQ(mails.size(), 3u);
  std::map<std::string, notify::testing::Mail> by_recipient;
  for (const auto& received : mails) {
    ASSERT_EQ(received.rcpt_tos.size(), 1u) << "one recipient per language group here";
    EXPECT_EQ(received.mail_from, "cert@baken.invalid");
    by_recipient[received.rcpt_tos[0]] = notify::testing::ParseMail(received.data);
  }
  // AMBER goes to trusted contacts only: not to the privacy officer, and nothing to GM0599,
  // whose only contact is general.
  EXPECT_EQ(by_recipient.size(), 3u);
  ASSERT_TRUE(by_recipient.count("soc@amsterdam.example.nl"));
  ASSERT_TRUE(by_recipient.count("cert-team@amsterdam.example.nl"));
  ASSERT_TRUE(by_recipient.count("servicedesk@west.example.nl"));

  const auto& dutch = by_recipient["soc@amsterdam.example.nl"];
  EXPECT_EQ(dutch.top.headers.at("content-language"), "nl");
  EXPECT_EQ(dutch.top.headers.at("x-baken-tlp"), "AMBER");
  EXPECT_THAT(
      notify::testing::DecodeHeader(dutch.top.headers.at("subject")),
      HasSubstr(
          "[TLP:AMBER] Baken: 2 kwetsbare systemen gevonden (RDP bereikbaar vanaf internet)"));
  EXPECT_THAT(notify::testing::PlainText(dutch),
              HasSubstr("Beste collega's van Gemeente Amsterdam"));
  EXPECT_EQ(AttachedAddresses(dutch), (std::set<std::string>{"192.0.2.10", "192.0.2.11"}));

  const auto& english = by_recipient["cert-team@amsterdam.example.nl"];
  EXPECT_EQ(english.top.headers.at("content-language"), "en");
  EXPECT_THAT(notify::testing::PlainText(english), Not(HasSubstr("Beste collega")));
  EXPECT_EQ(AttachedAddresses(english), (std::set<std::string>{"192.0.2.10", "192.0.2.11"}));
  EXPECT_NE(english.top.headers.at("message-id"), dutch.top.headers.at("message-id"));

  const auto& west = by_recipient["servicedesk@west.example.nl"];
  EXPECT_EQ(AttachedAddresses(west), (std::set<std::string>{"203.0.113.30"}));
  for (const auto& [recipient, mail] : by_recipient) {
    EXPECT_THAT(mail.top.headers.at("to"), Not(HasSubstr("fg@amsterdam")));
    EXPECT_THAT(mail.top.headers.at("to"), Not(HasSubstr("rotterdam")));
  }

  // The outbox shows the sent messages and the held one, with the reason.
  const Json outbox = Outbox();
  ASSERT_EQ(outbox.size(), 4u);
  int sent = 0;
  for (const Json& message : outbox) {
    if (message["state"] == "sent") ++sent;
    if (message["state"] == "held") {
      EXPECT_EQ(message["member"], "GM0599");
      EXPECT_THAT(message["reason"].get<std::string>(),
                  HasSubstr("no contact may receive TLP:AMBER"));
      EXPECT_TRUE(message["recipients"].empty());
    }
  }
  EXPECT_EQ(sent, 3);

  // Nothing is sent twice: running notify again, or ingesting the same file again, adds no mail.
  EXPECT_TRUE(Notify()["planned"].empty());
  BakenJson({"ingest", dir_.File("2026-11-22-scan_rdp-nl.csv")});
  EXPECT_TRUE(Notify()["planned"].empty());
  EXPECT_EQ(smtp_.Received().size(), 3u);
}

TEST_F(NotifyTest, GreenGoesToGeneralContactsAndRedIsHeld) {
  BakenJson({"ingest", "--tlp", "GREEN", Write("2026-11-22-scan_http-nl.csv", kHttp)});
  const std::string red =
      Write("red.jsonl",
            "{\"source.ip\": \"192.0.2.50\", \"classification.type\": \"infected-system\", "
            "\"classification.identifier\": \"mirai\", \"feed.name\": \"Partner sinkhole\", "
            "\"time.source\": \"2026-11-22T03:00:00+00:00\", \"tlp\": \"RED\"}\n");
  BakenJson({"ingest", red});
  const Json summary = Notify();
  EXPECT_EQ(summary["held"], 2);  // the RED digest, rendered for Amsterdam's nl and en contacts
  const auto mails = smtp_.Received();
  std::set<std::string> recipients;
  for (const auto& mail : mails) {
    for (const auto& to : mail.rcpt_tos) recipients.insert(to);
    EXPECT_THAT(mail.data, Not(HasSubstr("mirai")));
  }
  // GREEN: Rotterdam's general-only contact receives it; Amsterdam's general and trusted ones.
  EXPECT_EQ(recipients,
            (std::set<std::string>{"ciso@rotterdam.example.nl", "soc@amsterdam.example.nl",
                                   "cert-team@amsterdam.example.nl"}));
  const Json held = BakenJson({"outbox", "list", "--state", "held"})["messages"];
  ASSERT_EQ(held.size(), 2u);
  for (const Json& message : held) {
    EXPECT_EQ(message["tlp"], "RED");
    EXPECT_EQ(message["member"], "GM0363");
    EXPECT_THAT(message["reason"].get<std::string>(), HasSubstr("never sent automatically"));
  }

  // An analyst releases one; the next run sends it to the trusted contacts it was made for.
  const std::string id = std::to_string(held[0]["id"].get<int64_t>());
  const Json released = BakenJson({"outbox", "release", id});
  EXPECT_EQ(released["state"], "pending");
  EXPECT_EQ(Notify()["sent"], 1);
  const auto after = smtp_.Received();
  ASSERT_EQ(after.size(), mails.size() + 1);
  const auto released_mail = notify::testing::ParseMail(after.back().data);
  EXPECT_EQ(AttachedAddresses(released_mail), (std::set<std::string>{"192.0.2.50"}));
  // Still marked RED, never less restricted.
  EXPECT_EQ(released_mail.top.headers.at("x-baken-tlp"), "RED");
  EXPECT_THAT(notify::testing::PlainText(released_mail), HasSubstr("TLP:RED"));
  EXPECT_EQ(after.back().rcpt_tos, held[0]["recipients"].get<std::vector<std::string>>());
  // Only held RED messages can be released.
  const auto again = Baken({"outbox", "release", id});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("only a held TLP:RED message"));
}

TEST_F(NotifyTest, AnAddressNoMessageCanCarryHoldsOnlyItsOwnMessage) {
  // Amsterdam's Dutch contact has an address from before the registry checked addresses by the
  // mail builder's rule; it is stored directly, as an older Baken did.
  {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    auto tx = (*store)->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    const std::vector<registry::ContactRole> trusted = {registry::ContactRole::kGeneral,
                                                        registry::ContactRole::kTrusted};
    ASSERT_TRUE((*tx)->Members().ReplaceContacts(
        "GM0363", {{"SOC Amsterdam", "soc(24x7)@amsterdam.example.nl", trusted, "nl", {}, {}},
                   {"CERT team", "cert-team@amsterdam.example.nl", trusted, "en", {}, {}}}));
    ASSERT_TRUE((*tx)->Commit());
  }
  BakenJson({"ingest", Write("2026-11-22-scan_rdp-nl.csv", kRdp)});
  const auto run = Baken({"--json", "notify", "--smtp", smtp_.url(), "--retry-seconds", "0"});
  EXPECT_EQ(run.exit_code, 1) << "a message that cannot be built is a problem to look at";
  const Json summary = Json::parse(run.out, nullptr, false);
  ASSERT_TRUE(summary.is_object()) << run.out << run.err;
  EXPECT_EQ(summary["sent"], 2) << summary.dump(2);
  EXPECT_EQ(summary["unbuildable"], 1);
  EXPECT_THAT(summary["problems"].dump(), HasSubstr("soc(24x7)@amsterdam.example.nl"));
  // Everyone else got their mail: the joint body, and Amsterdam's English contact.
  std::set<std::string> recipients;
  for (const auto& mail : smtp_.Received()) {
    for (const auto& to : mail.rcpt_tos) recipients.insert(to);
  }
  EXPECT_EQ(recipients, (std::set<std::string>{"servicedesk@west.example.nl",
                                               "cert-team@amsterdam.example.nl"}));
  // The Dutch message is held with its reason for an analyst, and cannot be released as it is.
  bool held_with_reason = false;
  const Json held = BakenJson({"outbox", "list", "--state", "held"})["messages"];
  for (const Json& message : held) {
    if (message["member"] != "GM0363") continue;
    EXPECT_EQ(message["language"], "nl");
    EXPECT_TRUE(message["recipients"].empty());
    const std::string reason = message["reason"];
    EXPECT_THAT(reason, HasSubstr("could not be built"));
    EXPECT_THAT(reason, HasSubstr("'soc(24x7)@amsterdam.example.nl'"));
    held_with_reason = true;
  }
  EXPECT_TRUE(held_with_reason);
  // The next run has nothing left to do for it, and does not stop either.
  const auto next = Baken({"--json", "notify", "--smtp", smtp_.url(), "--retry-seconds", "0"});
  EXPECT_EQ(next.exit_code, 0) << next.err;
}

TEST_F(NotifyTest, DryRunShowsRecipientsAndChangesNothing) {
  BakenJson({"ingest", Write("2026-11-22-scan_rdp-nl.csv", kRdp)});
  const Json dry = BakenJson({"notify", "--dry-run"});
  ASSERT_EQ(dry["planned"].size(), 4u);
  std::set<std::string> recipients;
  for (const Json& planned : dry["planned"]) {
    for (const Json& to : planned["recipients"]) recipients.insert(to.get<std::string>());
  }
  EXPECT_TRUE(recipients.count("soc@amsterdam.example.nl"));
  EXPECT_TRUE(Outbox().empty());
  EXPECT_TRUE(smtp_.Received().empty());
  // The real run afterwards plans the same.
  EXPECT_EQ(Notify()["planned"].size(), 4u);
}

TEST_F(NotifyTest, TemporaryFailuresAreRetriedAndSentOnce) {
  SmtpServerOptions options;
  options.fail_first = 1;  // the first transaction gets 451
  SmtpServer flaky(options);
  ASSERT_TRUE(flaky.running()) << flaky.error();
  BakenJson({"ingest", Write("2026-11-22-scan_rdp-nl.csv",
                             "timestamp,ip,port\n2026-11-22 01:00:00,203.0.113.30,3389\n")});
  const auto first = Baken({"--json", "notify", "--smtp", flaky.url(), "--retry-seconds", "0"});
  EXPECT_EQ(first.exit_code, 1);  // a message waits for a retry
  const Json pending = BakenJson({"outbox", "list", "--state", "pending"})["messages"];
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["attempts"], 1);
  EXPECT_THAT(pending[0]["reason"].get<std::string>(), HasSubstr("451"));
  const Json second = BakenJson({"notify", "--smtp", flaky.url(), "--retry-seconds", "0"});
  EXPECT_EQ(second["sent"], 1);
  ASSERT_EQ(flaky.Received().size(), 1u);
  EXPECT_EQ(flaky.Received()[0].rcpt_tos, std::vector<std::string>{"servicedesk@west.example.nl"});
}

TEST_F(NotifyTest, AnUnreachableServerIsReportedAndNothingIsLost) {
  BakenJson({"ingest", Write("2026-11-22-scan_rdp-nl.csv", kRdp)});
  const auto result = Baken({"notify", "--smtp", "smtp://127.0.0.1:1", "--retry-seconds", "0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("127.0.0.1:1"));
  EXPECT_EQ(BakenJson({"outbox", "list", "--state", "pending"})["messages"].size(), 3u);
  EXPECT_EQ(Notify()["sent"], 3);
}

TEST_F(NotifyTest, TheConfigurationFileNamesTheServerAndEachFeedsTlp) {
  const std::string config = Write("baken.json", R"({
    "smtp": {"url": ")" + smtp_.url() + R"(", "from": "CERT Gemeenten <cert@cert.example.nl>",
             "message_id_domain": "cert.example.nl"},
    "notify": {"retry_seconds": 0},
    "feeds": {"tlp_by_feed": {"Accessible-HTTP": "GREEN"}}})");
  // Accessible-HTTP is GREEN by configuration, so Rotterdam's general contact receives it.
  const auto ingested =
      Baken({"--config", config, "ingest", Write("2026-11-22-scan_http-nl.csv", kHttp)});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  const auto notified = Baken({"--config", config, "--json", "notify"});
  ASSERT_EQ(notified.exit_code, 0) << notified.err;
  std::set<std::string> recipients;
  for (const auto& mail : smtp_.Received()) {
    EXPECT_EQ(mail.mail_from, "cert@cert.example.nl");
    const auto parsed = notify::testing::ParseMail(mail.data);
    EXPECT_THAT(parsed.top.headers.at("message-id"), HasSubstr("@cert.example.nl>"));
    EXPECT_EQ(parsed.top.headers.at("x-baken-tlp"), "GREEN");
    for (const auto& to : mail.rcpt_tos) recipients.insert(to);
  }
  EXPECT_TRUE(recipients.count("ciso@rotterdam.example.nl"));

  // A broken configuration is refused with the setting named.
  const std::string broken = Write("broken.json", R"({"feeds": {"tlp": "PURPLE"}})");
  const auto refused = Baken({"--config", broken, "notify", "--dry-run"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("feeds.tlp: must be CLEAR, GREEN, AMBER"));
}

TEST_F(NotifyTest, AnAnalystResendsAFailedMessageOrConfirmsItArrived) {
  SmtpServerOptions options;
  options.fail_first = 1;
  options.fail_code = 550;  // permanent: the message fails at once
  SmtpServer refusing(options);
  ASSERT_TRUE(refusing.running()) << refusing.error();
  BakenJson({"ingest", Write("2026-11-22-scan_rdp-nl.csv",
                             "timestamp,ip,port\n2026-11-22 01:00:00,203.0.113.30,3389\n")});
  EXPECT_EQ(Baken({"notify", "--smtp", refusing.url()}).exit_code, 1);
  const Json failed = BakenJson({"outbox", "list", "--state", "failed"})["messages"];
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_THAT(failed[0]["reason"].get<std::string>(), HasSubstr("550"));
  const std::string id = std::to_string(failed[0]["id"].get<int64_t>());
  // Only unknown or failed messages are resolved; a second decision is refused.
  EXPECT_EQ(BakenJson({"outbox", "resend", id})["state"], "pending");
  EXPECT_EQ(Baken({"outbox", "confirm", id}).exit_code, 1);
  EXPECT_EQ(BakenJson({"notify", "--smtp", refusing.url()})["sent"], 1);
  EXPECT_EQ(refusing.Received().size(), 1u);
  EXPECT_EQ(Baken({"outbox", "resend", "999"}).exit_code, 1);
}

}  // namespace
}  // namespace baken::testing
