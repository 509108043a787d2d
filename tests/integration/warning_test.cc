// Vulnerability warnings end to end: `baken advisory import` and `baken notify` against a real
// SMTP server on loopback. Members from tests/data/advisories/members.json: GM0363 runs ABC
// 2.6 (affected) and CVRF-CSAF-Converter 1.0.0-rc1 (affected), GM0014 runs ABC 3.0 (in the
// affected range), GM0599 runs ABC 4.2 (not affected), SV0001 runs the converter at rc2 (the
// fixed version). GM0363's privacy officer is not a trusted contact.

#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notify/test_mail.h"
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

}  // namespace
}  // namespace baken::testing
