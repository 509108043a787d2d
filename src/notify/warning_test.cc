// Rendering vulnerability warnings: language, the member's rows only, "check your version" for
// an unknown outcome, what changed in a revision, and refusals for what must not be sent.

#include "notify/warning.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notify/test_mail.h"

namespace baken::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Warning Example() {
  Warning warning;
  warning.message_id = "baken.warning-3.GM0363.nl@baken.invalid";
  warning.language = "nl";
  warning.member_code = "GM0363";
  warning.member_name = "Gemeente Amsterdam";
  warning.advisory_id = "2022-EVD-UC-06-001";
  warning.title = "Log4Shell in ABC";
  warning.description = "Remote code execution via JNDI lookups.";
  warning.tlp = "AMBER";
  warning.from = "Baken CERT <cert@baken.invalid>";
  warning.to = {{"SOC Amsterdam", "soc@amsterdam.example.nl"}};
  warning.date = "Mon, 23 Nov 2026 10:00:00 +0000";
  warning.rows.push_back({"Kassasysteem",
                          "affected",
                          "Hoog",
                          {"CVE-2021-44228"},
                          {"CVSS 10.0 → 4", "totaal 5 → Hoog"},
                          {"CVE-2021-44228: known_affected (version 2.6 is 2.6)"},
                          {"vendor_fix: Update to version 4.2 or later."}});
  warning.rows.push_back(
      {"=HYPERLINK(\"x\")", "unknown", "Normaal", {"CVE-2021-44228"}, {}, {}, {}});
  return warning;
}

std::string Body(const RenderedMessage& message) { return message.text_body; }

TEST(WarningTest, DutchByDefaultWithTheMembersSystems) {
  auto rendered = RenderWarning(Example());
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject,
            "[TLP:AMBER] Kwetsbaarheidswaarschuwing (hoog): 2022-EVD-UC-06-001 Log4Shell in ABC");
  EXPECT_THAT(Body(*rendered),
              HasSubstr("* Kassasysteem - kwetsbaar, risico hoog (CVE-2021-44228)"));
  EXPECT_THAT(Body(*rendered), HasSubstr("mogelijk kwetsbaar: controleer uw versie"));
  EXPECT_THAT(Body(*rendered),
              HasSubstr("Update van de leverancier: Update to version 4.2 or later."));
  EXPECT_THAT(Body(*rendered), HasSubstr("Er is (nog) geen oplossing"));
  // A spreadsheet must not run an asset name as a formula.
  EXPECT_THAT(rendered->csv, HasSubstr("\"'=HYPERLINK(\"\"x\"\")\""));
  const auto mail = testing::ParseMail(rendered->mime);
  EXPECT_EQ(mail.top.headers.at("content-language"), "nl");
  EXPECT_EQ(mail.top.headers.at("x-baken-tlp"), "AMBER");
}

TEST(WarningTest, EnglishAndRevisions) {
  Warning warning = Example();
  warning.language = "en";
  warning.changes = {"new: CVE-2023-45197", "risk from Normaal to Hoog"};
  auto rendered = RenderWarning(warning);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_THAT(rendered->subject, HasSubstr("Updated vulnerability warning (high)"));
  EXPECT_THAT(Body(*rendered), HasSubstr("- new: CVE-2023-45197"));
  EXPECT_THAT(Body(*rendered), HasSubstr("possibly vulnerable: check your version"));
  EXPECT_THAT(Body(*rendered), Not(HasSubstr("controleer")));
}

TEST(WarningTest, RefusesWhatMustNotBeSent) {
  Warning empty = Example();
  empty.rows.clear();
  EXPECT_FALSE(RenderWarning(empty));
  Warning nobody = Example();
  nobody.to.clear();
  EXPECT_FALSE(RenderWarning(nobody));
  Warning odd_tlp = Example();
  odd_tlp.tlp = "PURPLE";
  EXPECT_FALSE(RenderWarning(odd_tlp));
}

}  // namespace
}  // namespace baken::notify
