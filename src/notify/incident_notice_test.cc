// A data breach's reminder: the deadline and the incident's number in the reader's language,
// nothing of the incident itself, and no attachment.

#include "notify/incident_notice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notify/test_mail.h"

namespace baken::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

BreachReminder Reminder() {
  BreachReminder reminder;
  reminder.message_id = "baken.breach-7-48h.nl@cert.example";
  reminder.incident_id = 12;
  reminder.member_code = "GM0001";
  reminder.member_name = "Gemeente Aa";
  reminder.aware_at = "2026-12-04T15:30:00Z";
  reminder.deadline_at = "2026-12-07T15:30:00Z";
  reminder.hours_left = 24;
  reminder.sender = "Baken CERT <cert@cert.example>";
  reminder.to = {{"FG Aa", "fg@aa.example"}};
  reminder.date = "Sat, 05 Dec 2026 09:00:00 +0000";
  return reminder;
}

TEST(BreachReminderTest, SaysTheDeadlineInDutchAndCarriesNothingElse) {
  auto rendered = RenderBreachReminder(Reminder());
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Datalek: nog 24 uur tot de meldtermijn van de AP (incident 12)");
  EXPECT_THAT(rendered->text_body, HasSubstr("verloopt op 2026-12-07T15:30:00Z (UTC): nog 24 uur"));
  EXPECT_THAT(rendered->mime, Not(HasSubstr("Content-Disposition: attachment")));
  const auto mail = testing::ParseMail(rendered->mime);
  EXPECT_EQ(mail.top.headers.at("x-baken-tlp"), "AMBER");
  EXPECT_EQ(mail.top.headers.at("content-language"), "nl");
}

TEST(BreachReminderTest, AnOverdueReminderInEnglishSaysTheTimeHasPassed) {
  BreachReminder reminder = Reminder();
  reminder.language = "en";
  reminder.hours_left = 0;
  auto rendered = RenderBreachReminder(reminder);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject,
            "Data breach: the 72 hours for the Dutch DPA have passed (incident 12)");
  EXPECT_THAT(rendered->text_body, HasSubstr("ended on 2026-12-07T15:30:00Z (UTC)"));
}

TEST(BreachReminderTest, RefusesAReminderWithoutRecipients) {
  BreachReminder reminder = Reminder();
  reminder.to.clear();
  auto rendered = RenderBreachReminder(reminder);
  ASSERT_FALSE(rendered);
  EXPECT_THAT(rendered.error().message, HasSubstr("no recipients"));
}

}  // namespace
}  // namespace baken::notify
