// Vulnerability warnings end to end: `baken advisory import` and `baken notify` against a real
// SMTP server on loopback. Members from tests/data/advisories/members.json: GM0363 runs ABC
// 2.6 (affected) and CVRF-CSAF-Converter 1.0.0-rc1 (affected), GM0014 runs ABC 3.0 (in the
// affected range), GM0599 runs ABC 4.2 (not affected), SV0001 runs the converter at rc2 (the
// fixed version). GM0363's privacy officer is not a trusted contact.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "notify/test_mail.h"
#include "service/advisory_service.h"
#include "service/events_service.h"
#include "service/notify_service.h"
#include "store/store.h"
#include "support/baken_process.h"
#include "support/cli_test.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

class WarningTest : public CliTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    const auto imported =
        Baken({"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
  static std::string Fixture(const std::string& name) {
    return (SourceDir() / "tests" / "data" / "advisories" / "csaf" / name).string();
  }
  Json Notify() { return BakenJson({"notify", "--smtp", smtp_.url(), "--retry-seconds", "0"}); }
  // The messages received so far, as (recipient, text body) after the first `skip`.
  struct Received {
    std::string to;
    std::string subject;
    std::string language;
    std::string tlp;
    std::string body;
  };
  std::vector<Received> Mails(size_t skip = 0) {
    std::vector<Received> mails;
    const auto all = smtp_.Received();
    for (size_t i = skip; i < all.size(); ++i) {
      const auto mail = notify::testing::ParseMail(all[i].data);
      Received item{mail.top.headers.at("to"), mail.top.headers.at("subject"),
                    mail.top.headers.at("content-language"), mail.top.headers.at("x-baken-tlp"),
                    ""};
      for (const auto& part : mail.parts) {
        if (part.headers.count("content-disposition") != 0) continue;
        const std::string encoding = part.headers.count("content-transfer-encoding")
                                         ? part.headers.at("content-transfer-encoding")
                                         : "";
        item.body = encoding == "quoted-printable"
                        ? notify::testing::DecodeQuotedPrintable(part.body)
                    : encoding == "base64" ? notify::testing::DecodeBase64(part.body)
                                           : part.body;
      }
      mails.push_back(std::move(item));
    }
    return mails;
  }
  SmtpServer smtp_;
};

TEST_F(WarningTest, AMemberIsWarnedOfItsOwnAffectedAssetsOnly) {
  BakenJson(
      {"advisory", "import", Fixture("2022-evd-uc-06-001.json"), Fixture("bsi-2022-0001.json")});
  const Json summary = Notify();
  EXPECT_EQ(summary["sent"], 3) << summary.dump(2);

  const auto mails = Mails();
  ASSERT_EQ(mails.size(), 3u);
  std::multiset<std::string> recipients;  // the address in each To header
  for (const Received& mail : mails) {
    const size_t open = mail.to.find('<');
    recipients.insert(open == std::string::npos
                          ? mail.to
                          : mail.to.substr(open + 1, mail.to.find('>') - open - 1));
    EXPECT_EQ(mail.language, "nl");
    // No advisory's TLP makes a warning less restricted than AMBER (both fixtures are WHITE).
    EXPECT_EQ(mail.tlp, "AMBER");
    EXPECT_THAT(mail.subject, HasSubstr("[TLP:AMBER] Kwetsbaarheidswaarschuwing"));
  }
  // Amsterdam twice (ABC, converter), Groningen once (ABC); Rotterdam (ABC 4.2, not affected)
  // and the joint body (converter rc2, fixed) not at all; nor Amsterdam's privacy officer,
  // who is not a trusted contact.
  EXPECT_EQ(recipients.count("soc@amsterdam.example.nl"), 2u);
  EXPECT_EQ(recipients.count("security@groningen.example.nl"), 1u);
  EXPECT_EQ(recipients.size(), 3u);
  for (const Received& mail : mails) {
    EXPECT_THAT(mail.to, Not(HasSubstr("rotterdam")));
    EXPECT_THAT(mail.to, Not(HasSubstr("west.example.nl")));
    EXPECT_THAT(mail.to, Not(HasSubstr("fg@amsterdam")));
    if (mail.subject.find("BSI-2022-0001") != std::string::npos) {
      // Only Amsterdam's own converter, with the remedy, not its ABC or anyone else's assets.
      EXPECT_THAT(mail.body, HasSubstr("* Adviesconverter - kwetsbaar"));
      EXPECT_THAT(mail.body, HasSubstr("rc2"));
      EXPECT_THAT(mail.body, Not(HasSubstr("Kassasysteem")));
    } else {
      EXPECT_THAT(mail.subject, HasSubstr("2022-EVD-UC-06-001"));
      EXPECT_THAT(mail.body, HasSubstr("* Kassasysteem - kwetsbaar"));
      EXPECT_THAT(mail.body, Not(HasSubstr("Adviesconverter")));
    }
  }

  // Nothing new: nothing more is sent.
  EXPECT_TRUE(Notify()["planned"].empty());
  EXPECT_EQ(smtp_.ReceivedCount(), 3u);
}

// What the portal's warning page shows: the member's own assets with their remedy, and
// nothing of a warning to another member.
TEST_F(WarningTest, AWarningIsDescribedWithItsAssetsToItsOwnMemberOnly) {
  BakenJson(
      {"advisory", "import", Fixture("2022-evd-uc-06-001.json"), Fixture("bsi-2022-0001.json")});
  Notify();
  auto store = store::Store::Open(database_.location());
  ASSERT_TRUE(store) << store.error().message;
  service::AdvisoryService advisories(**store);
  auth::Principal amsterdam;
  amsterdam.member = "GM0363";
  auth::Principal groningen;
  groningen.member = "GM0014";
  auto listed = advisories.Warnings(amsterdam, "", 100);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  for (const store::WarningRecord& warning : *listed) {
    auto own = advisories.DescribeWarning(amsterdam, warning.id);
    ASSERT_TRUE(own) << own.error().message;
    EXPECT_EQ((*own)["member"], "GM0363");
    ASSERT_EQ((*own)["findings"].size(), 1u) << own->dump(2);
    const Json& finding = (*own)["findings"][0];
    if (warning.tracking_id == "BSI-2022-0001") {
      EXPECT_EQ(finding["asset"], "Adviesconverter");
      EXPECT_EQ(finding["outcome"], "affected");
      EXPECT_EQ(finding["cves"], Json::array({"CVE-2022-27193"}));
      EXPECT_THAT(finding["remediations"].dump(), HasSubstr("1.0.0-rc2"));
    } else {
      EXPECT_EQ(finding["asset"], "Kassasysteem");
    }
    // Another member's user cannot tell it exists.
    auto other = advisories.DescribeWarning(groningen, warning.id);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  }
  // The messages received, as the portal lists them: each member's own, sent ones only.
  service::EventsService events(**store);
  auto received = events.Outbox(amsterdam, std::nullopt, 100);
  ASSERT_TRUE(received) << received.error().message;
  EXPECT_EQ(received->size(), 2u);
  for (const store::OutboxMessage& message : *received) {
    EXPECT_EQ(message.member, "GM0363");
    EXPECT_EQ(message.state, store::OutboxState::kSent);
  }
  auto groningen_received = events.Outbox(groningen, std::nullopt, 100);
  ASSERT_TRUE(groningen_received);
  ASSERT_EQ(groningen_received->size(), 1u);
  EXPECT_EQ(groningen_received->front().member, "GM0014");
  auto held = events.Outbox(amsterdam, store::OutboxState::kHeld, 100);
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().code, ErrorCode::kPermissionDenied);
  auto all = events.Outbox(auth::CommandLineOperator(), std::nullopt, 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  // A TLP:RED message an analyst released is sent, but stays out of the member's list.
  {
    store::OutboxMessage red = received->front();
    red.id = 0;
    red.tlp = "RED";
    red.message_id += ".red";
    auto tx = (*store)->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Outbox().Add(red));
    ASSERT_TRUE((*tx)->Commit());
  }
  EXPECT_EQ(events.Outbox(amsterdam, std::nullopt, 100)->size(), 2u);
  EXPECT_EQ(events.Outbox(auth::CommandLineOperator(), std::nullopt, 100)->size(), 4u);

  auto missing = advisories.DescribeWarning(auth::CommandLineOperator(), 999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// What a CISO acts on: a state per warning (open, handled, not applicable) that the member's
// users set for their own warnings only, with who, when and why, audited; the list pages with
// the true total and filters by state; the detail says what the advisory says of the asset.
TEST_F(WarningTest, AMembersUsersMarkTheirOwnWarningsAndNoOneElses) {
  BakenJson(
      {"advisory", "import", Fixture("2022-evd-uc-06-001.json"), Fixture("bsi-2022-0001.json")});
  Notify();
  auto store = store::Store::Open(database_.location());
  ASSERT_TRUE(store) << store.error().message;
  service::AdvisoryService advisories(**store);
  auth::Principal amsterdam;
  amsterdam.member = "GM0363";
  amsterdam.actor = "user:soc@amsterdam.example.nl";
  auth::Principal groningen;
  groningen.member = "GM0014";
  groningen.actor = "user:security@groningen.example.nl";
  const auth::Principal analyst = auth::CommandLineOperator();

  auto page = advisories.PageWarnings(amsterdam, {});
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->total, 2);
  ASSERT_EQ(page->warnings.size(), 2u);
  int64_t bsi = 0;
  for (const store::WarningRecord& warning : page->warnings) {
    EXPECT_EQ(warning.state, "open");
    EXPECT_FALSE(warning.state_by);
    if (warning.tracking_id == "BSI-2022-0001") bsi = warning.id;
  }
  ASSERT_NE(bsi, 0);

  // Groningen's user cannot change Amsterdam's warning, nor tell it exists.
  auto foreign = advisories.SetWarningState(groningen, bsi, "handled", "not ours");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  auto bad = advisories.SetWarningState(amsterdam, bsi, "done", "");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().key, "warning.state_unknown");
  auto long_note = advisories.SetWarningState(amsterdam, bsi, "handled", std::string(1001, 'x'));
  ASSERT_FALSE(long_note);
  EXPECT_EQ(long_note.error().key, "warning.note_too_long");

  auto handled = advisories.SetWarningState(amsterdam, bsi, "handled", "updated to rc2");
  ASSERT_TRUE(handled) << handled.error().message;
  EXPECT_EQ(handled->state, "handled");
  EXPECT_EQ(handled->state_by, "user:soc@amsterdam.example.nl");
  EXPECT_EQ(handled->state_note, "updated to rc2");
  EXPECT_TRUE(handled->state_at);

  // The list filters by state, with the true total of each.
  store::WarningQuery open_only;
  open_only.state = "open";
  auto open = advisories.PageWarnings(amsterdam, open_only);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->total, 1);
  ASSERT_EQ(open->warnings.size(), 1u);
  EXPECT_NE(open->warnings[0].id, bsi);
  store::WarningQuery handled_only;
  handled_only.state = "handled";
  handled_only.limit = 1;
  auto done = advisories.PageWarnings(amsterdam, handled_only);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->warnings.size(), 1u);
  EXPECT_EQ(done->warnings[0].id, bsi);
  store::WarningQuery unknown_state;
  unknown_state.state = "closed";
  EXPECT_FALSE(advisories.PageWarnings(amsterdam, unknown_state));
  // Groningen's own list holds none of Amsterdam's, whatever member it asks for.
  store::WarningQuery asks_for_amsterdam;
  asks_for_amsterdam.member = "GM0363";
  auto groningen_page = advisories.PageWarnings(groningen, asks_for_amsterdam);
  ASSERT_TRUE(groningen_page);
  EXPECT_EQ(groningen_page->total, 0);

  // An analyst sees the real state across members, and picks one member.
  auto all = advisories.PageWarnings(analyst, {});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 3);
  store::WarningQuery groningen_only;
  groningen_only.member = "GM0014";
  auto picked = advisories.PageWarnings(analyst, groningen_only);
  ASSERT_TRUE(picked);
  ASSERT_EQ(picked->total, 1);
  EXPECT_EQ(picked->warnings[0].member, "GM0014");
  store::WarningQuery analyst_handled;
  analyst_handled.state = "handled";
  auto across = advisories.PageWarnings(analyst, analyst_handled);
  ASSERT_TRUE(across);
  ASSERT_EQ(across->total, 1);
  EXPECT_EQ(across->warnings[0].member, "GM0363");
  // An analyst may open it again.
  auto reopened = advisories.SetWarningState(analyst, bsi, "open", "");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->state, "open");
  EXPECT_FALSE(reopened->state_note);

  {
    auto tx = (*store)->Begin(store::Access::kRead);
    ASSERT_TRUE(tx);
    auto audit = (*tx)->Audit().List(5);
    ASSERT_TRUE(audit);
    ASSERT_GE(audit->size(), 2u);
    EXPECT_EQ((*audit)[0].action, "warning.state");
    EXPECT_EQ((*audit)[0].object, "warning:" + std::to_string(bsi));
    EXPECT_THAT((*audit)[0].detail, HasSubstr("\"state\":\"open\""));
    EXPECT_EQ((*audit)[1].action, "warning.state");
    EXPECT_EQ((*audit)[1].actor, "user:soc@amsterdam.example.nl");
    EXPECT_THAT((*audit)[1].detail, HasSubstr("updated to rc2"));
    // The refused attempts wrote nothing.
    for (const store::AuditEntry& entry : *audit) {
      EXPECT_THAT(entry.detail, Not(HasSubstr("not ours")));
    }
  }

  // The detail: the version found against the fixed one, CVSS, and links to act on.
  auto detail = advisories.DescribeWarning(amsterdam, bsi);
  ASSERT_TRUE(detail) << detail.error().message;
  ASSERT_EQ((*detail)["findings"].size(), 1u);
  const Json& finding = (*detail)["findings"][0];
  EXPECT_EQ(finding["version_found"], "1.0.0-rc1");
  EXPECT_EQ(finding["fixed_versions"], Json::array({"1.0.0-rc2"}));
  EXPECT_EQ(finding["cvss"], 6.1);
  EXPECT_EQ(finding["actively_exploited"], false);
  EXPECT_EQ((*detail)["cvss"], 6.1);
  EXPECT_THAT((*detail)["description"].get<std::string>(), HasSubstr("XML External Entities"));
  EXPECT_EQ((*detail)["state"], "open");
  bool cve_link = false;
  for (const auto& link : (*detail)["links"]) {
    if (link["kind"] == "cve") {
      EXPECT_EQ(link["url"], "https://www.cve.org/CVERecord?id=CVE-2022-27193");
      cve_link = true;
    }
  }
  EXPECT_TRUE(cve_link) << detail->dump(2);
}

TEST_F(WarningTest, ARevisionWarnsAgainOnlyWhenItChangesSomethingForTheMember) {
  std::ifstream in(Fixture("va-24-201-01.json"));
  Json document = Json::parse(in);
  BakenJson({"advisory", "import", Write("va-1.json", document.dump())});
  Notify();
  ASSERT_EQ(smtp_.ReceivedCount(), 1u);  // Amsterdam's AdminerEvo 4.8.3
  EXPECT_THAT(Mails()[0].body, HasSubstr("* Databasebeheer web - kwetsbaar"));

  // Revision 1: CVE-2023-45197 turns out to affect 4.8.3 after all.
  document["document"]["tracking"]["version"] = "1.0.2";
  for (Json& vulnerability : document["vulnerabilities"]) {
    if (vulnerability["cve"] != "CVE-2023-45197") continue;
    Json& status = vulnerability["product_status"];
    Json fixed = Json::array();
    for (const Json& id : status["fixed"]) {
      if (id != "CSAFPID-0007") fixed.push_back(id);
    }
    status["fixed"] = fixed;
    status["known_affected"].push_back("CSAFPID-0007");
  }
  EXPECT_EQ(BakenJson({"advisory", "import", Write("va-2.json", document.dump())})["updated"], 1);
  Notify();
  ASSERT_EQ(smtp_.ReceivedCount(), 2u);
  const Received revised = Mails(1)[0];
  EXPECT_THAT(revised.subject, HasSubstr("Bijgewerkte waarschuwing"));
  EXPECT_THAT(revised.body, HasSubstr("Databasebeheer web: nieuw: CVE-2023-45197"));

  // Revision 2 changes only the title: nothing new for anyone, so no message.
  document["document"]["tracking"]["version"] = "1.0.3";
  document["document"]["title"] = "AdminerEvo: three vulnerabilities (editorial update)";
  EXPECT_EQ(BakenJson({"advisory", "import", Write("va-3.json", document.dump())})["updated"], 1);
  EXPECT_TRUE(Notify()["planned"].empty());
  EXPECT_EQ(smtp_.ReceivedCount(), 2u);
}

TEST_F(WarningTest, OnlyContactsWhoTakeWarningsGetThemAndWithoutAnyTheWarningIsHeld) {
  // Amsterdam adds a trusted CERT team that does not want warnings; Groningen's only trusted
  // contact opts out too.
  std::ifstream in(SourceDir() / "tests/data/advisories/members.json");
  Json members = Json::parse(in);
  for (Json& member : members["members"]) {
    if (member["code"] == "GM0363") {
      member["contacts"].push_back({{"name", "CERT-team"},
                                    {"email", "cert@amsterdam.example.nl"},
                                    {"roles", {"general", "trusted"}},
                                    {"warnings", false}});
    }
    if (member["code"] == "GM0014") member["contacts"][0]["warnings"] = false;
  }
  const auto imported = Baken({"member", "import", Write("members.json", members.dump())});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  BakenJson({"advisory", "import", Fixture("2022-evd-uc-06-001.json")});
  const Json summary = Notify();
  EXPECT_EQ(summary["sent"], 1) << summary.dump(2);
  EXPECT_EQ(summary["held"], 1);
  const auto mails = Mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_THAT(mails[0].to, HasSubstr("soc@amsterdam.example.nl"));
  EXPECT_THAT(mails[0].to, Not(HasSubstr("cert@amsterdam")));

  const Json held = BakenJson({"outbox", "list", "--state", "held"})["messages"];
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0]["member"], "GM0014");
  EXPECT_EQ(held[0]["kind"], "warning");
  EXPECT_THAT(held[0]["reason"].get<std::string>(), HasSubstr("no contact takes warnings"));
}

TEST_F(WarningTest, AWeeklyOverviewListsTheWeeksWarningsOnce) {
  BakenJson(
      {"advisory", "import", Fixture("2022-evd-uc-06-001.json"), Fixture("bsi-2022-0001.json")});
  Notify();  // the three warnings of the test above
  ASSERT_EQ(smtp_.ReceivedCount(), 3u);

  // The overview covers the last complete week, so the clock is moved a week on; the run is
  // in this process because the command line has no clock to set.
  auto store = store::Store::Open(database_.location());
  ASSERT_TRUE(store) << store.error().message;
  service::NotifyService notifier(**store);
  service::NotifySettings settings;
  settings.smtp.url = smtp_.url();
  settings.retry_seconds = 0;
  // The clock of the first warning, read back, so that a run just after midnight on Sunday
  // cannot make this flaky.
  auto tx = (*store)->Begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto warnings = (*tx)->Advisories().Warnings(registry::Scope::All(), "", "", 10, true);
  ASSERT_TRUE(warnings);
  ASSERT_EQ(warnings->size(), 3u);
  tx->reset();
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  ASSERT_EQ(std::sscanf(warnings->back().issued_at.c_str(), "%d-%d-%dT%d:%d:%dZ", &year, &month,
                        &day, &hour, &minute, &second),
            6);
  settings.now = std::chrono::sys_days{std::chrono::year{year} / month / day} +
                 std::chrono::hours{hour} + std::chrono::minutes{minute} +
                 std::chrono::seconds{second};
  // That week is not complete yet: no overview.
  auto same_week = notifier.Run(auth::CommandLineOperator(), settings);
  ASSERT_TRUE(same_week) << same_week.error().message;
  EXPECT_TRUE(same_week->planned.empty());

  *settings.now += std::chrono::days{7};
  auto next_week = notifier.Run(auth::CommandLineOperator(), settings);
  ASSERT_TRUE(next_week) << next_week.error().message;
  EXPECT_EQ(next_week->sent, 2);  // Amsterdam and Groningen; nobody else was warned
  const auto overviews = Mails(3);
  ASSERT_EQ(overviews.size(), 2u);
  for (const Received& mail : overviews) {
    EXPECT_EQ(mail.tlp, "AMBER");
    EXPECT_THAT(mail.subject, HasSubstr("Weekoverzicht kwetsbaarheidswaarschuwingen"));
    if (mail.to.find("amsterdam") != std::string::npos) {
      EXPECT_THAT(mail.subject, HasSubstr("): 2 voor Gemeente Amsterdam"));
      EXPECT_THAT(mail.body, HasSubstr("Kwetsbare systemen: 1"));
      EXPECT_THAT(mail.body, HasSubstr("* 2022-EVD-UC-06-001"));
      EXPECT_THAT(mail.body, HasSubstr("* BSI-2022-0001"));
      EXPECT_THAT(mail.to, Not(HasSubstr("fg@amsterdam")));
    } else {
      EXPECT_THAT(mail.to, HasSubstr("security@groningen.example.nl"));
      EXPECT_THAT(mail.body, HasSubstr("* 2022-EVD-UC-06-001"));
      EXPECT_THAT(mail.body, Not(HasSubstr("BSI-2022-0001")));  // Amsterdam's, not Groningen's
    }
  }
  // Once per member and week.
  auto again = notifier.Run(auth::CommandLineOperator(), settings);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->planned.empty());
  EXPECT_EQ(smtp_.ReceivedCount(), 5u);
}

TEST_F(WarningTest, AnAddressNoMessageCanCarryHoldsOnlyItsMembersWarningsAndOverview) {
  auto store = store::Store::Open(database_.location());
  ASSERT_TRUE(store) << store.error().message;
  {
    // Amsterdam's trusted contact has an address from before the registry checked addresses
    // by the mail builder's rule; stored directly, as an older Baken did.
    auto tx = (*store)->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Members().ReplaceContacts(
        "GM0363", {{"SOC Amsterdam",
                    "soc@amsterdam.example.nl>",
                    {registry::ContactRole::kGeneral, registry::ContactRole::kTrusted},
                    "nl",
                    {},
                    {}}}));
    ASSERT_TRUE((*tx)->Commit());
  }
  BakenJson(
      {"advisory", "import", Fixture("2022-evd-uc-06-001.json"), Fixture("bsi-2022-0001.json")});
  service::NotifyService notifier(**store);
  service::NotifySettings settings;
  settings.smtp.url = smtp_.url();
  settings.retry_seconds = 0;
  auto warned = notifier.Run(auth::CommandLineOperator(), settings);
  ASSERT_TRUE(warned) << warned.error().message;
  EXPECT_EQ(warned->sent, 1);         // Groningen
  EXPECT_EQ(warned->unbuildable, 2);  // Amsterdam's two warnings, held
  ASSERT_EQ(smtp_.ReceivedCount(), 1u);
  EXPECT_THAT(Mails()[0].to, HasSubstr("security@groningen.example.nl"));

  // The week after that of the warnings (their clock read back, so that a run just before
  // midnight on Sunday cannot make this flaky): the overviews.
  {
    auto tx = (*store)->Begin(store::Access::kRead);
    ASSERT_TRUE(tx);
    auto issued = (*tx)->Advisories().Warnings(registry::Scope::All(), "", "", 10, true);
    ASSERT_TRUE(issued);
    ASSERT_FALSE(issued->empty());
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    ASSERT_EQ(std::sscanf(issued->back().issued_at.c_str(), "%d-%d-%dT%d:%d:%dZ", &year, &month,
                          &day, &hour, &minute, &second),
              6);
    settings.now = std::chrono::sys_days{std::chrono::year{year} / month / day} +
                   std::chrono::hours{hour + 24 * 7} + std::chrono::minutes{minute} +
                   std::chrono::seconds{second};
  }
  auto overviews = notifier.Run(auth::CommandLineOperator(), settings);
  ASSERT_TRUE(overviews) << overviews.error().message;
  EXPECT_EQ(overviews->sent, 1);         // Groningen's overview
  EXPECT_EQ(overviews->unbuildable, 1);  // Amsterdam's, held
  ASSERT_EQ(smtp_.ReceivedCount(), 2u);
  EXPECT_THAT(Mails(1)[0].subject, HasSubstr("Weekoverzicht"));
  EXPECT_THAT(Mails(1)[0].to, HasSubstr("security@groningen.example.nl"));

  std::multiset<std::string> held_kinds;
  const Json held = BakenJson({"outbox", "list", "--state", "held"})["messages"];
  for (const Json& message : held) {
    EXPECT_EQ(message["member"], "GM0363");
    EXPECT_THAT(message["reason"].get<std::string>(), HasSubstr("could not be built"));
    held_kinds.insert(message["kind"].get<std::string>());
  }
  EXPECT_EQ(held_kinds, (std::multiset<std::string>{"overview", "warning", "warning"}));
}

}  // namespace
}  // namespace baken::testing
