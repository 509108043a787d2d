// A page as an e-mail: its number, severity and kind of source in the reader's language, and
// the link to acknowledge it; nothing of what it is about; refused without recipients or with
// a link that is not a web address.

#include "notify/page_notice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notify/test_mail.h"

namespace baken::notify {
namespace {

using ::testing::HasSubstr;

PageNotice Notice() {
  PageNotice notice;
  notice.message_id = "baken.page-12-0-1-email@cert.example";
  notice.page_id = 12;
  notice.severity = "critical";
  notice.source = "incident";
  notice.round = 0;
  notice.step = 1;
  notice.link = "https://baken.cert.example/oncall";
  notice.sender = "Baken CERT <cert@cert.example>";
  notice.to = {{"", "anna@cert.example"}};
  notice.date = "Sun, 06 Dec 2026 09:00:00 +0000";
  return notice;
}

TEST(PageNoticeTest, SaysNumberSeverityAndSourceInDutchWithTheLink) {
  auto rendered = RenderPageNotice(Notice());
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject, "Piket: pagina 12 (kritiek, spoedincident) — bevestig in Baken");
  EXPECT_THAT(rendered->text_body, HasSubstr("Stap 2 van het escalatiebeleid, ronde 1."));
  EXPECT_THAT(rendered->text_body, HasSubstr("https://baken.cert.example/oncall"));
  const auto mail = testing::ParseMail(rendered->mime);
  EXPECT_EQ(mail.top.headers.at("content-language"), "nl");
}

TEST(PageNoticeTest, InEnglishAndWithoutALink) {
  PageNotice notice = Notice();
  notice.language = "en";
  notice.severity = "low";
  notice.source = "heartbeat";
  notice.link.clear();
  auto rendered = RenderPageNotice(notice);
  ASSERT_TRUE(rendered) << rendered.error().message;
  EXPECT_EQ(rendered->subject,
            "On call: page 12 (low, feed did not arrive) — acknowledge in Baken");
  EXPECT_THAT(rendered->text_body, HasSubstr("to stop the escalation in Baken, under On call.\n"));
}

TEST(PageNoticeTest, RefusesNoRecipientsAndALinkThatIsNotAWebAddress) {
  PageNotice notice = Notice();
  notice.to.clear();
  ASSERT_FALSE(RenderPageNotice(notice));
  notice = Notice();
  notice.link = "javascript:alert(1)";
  auto rendered = RenderPageNotice(notice);
  ASSERT_FALSE(rendered);
  EXPECT_THAT(rendered.error().message, HasSubstr("not an http(s) URL"));
}

}  // namespace
}  // namespace baken::notify
