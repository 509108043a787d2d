#include "notify/mime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base64.h"
#include "notify/test_mail.h"

namespace baken::notify {
namespace {

using ::testing::HasSubstr;

TEST(QuotedPrintableTest, EncodesWhatIsNotPlainAscii) {
  EXPECT_EQ(QuotedPrintable("a=b\n"), "a=3Db\r\n");
  EXPECT_EQ(QuotedPrintable("Fryslân\n"), "Frysl=C3=A2n\r\n");
  EXPECT_EQ(QuotedPrintable("trailing space \nnext\n"), "trailing space=20\r\nnext\r\n");
  EXPECT_EQ(QuotedPrintable("From here\n.\n"), "=46rom here\r\n=2E\r\n");
  EXPECT_EQ(QuotedPrintable("\n\n"), "\r\n\r\n");
}

TEST(QuotedPrintableTest, BreaksLongLinesSoftly) {
  const std::string line = std::string(100, 'a') + "é" + std::string(100, '=') + "\n";
  const std::string encoded = QuotedPrintable(line);
  size_t start = 0;
  while (start < encoded.size()) {
    const size_t end = encoded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(testing::DecodeQuotedPrintable(encoded), line.substr(0, line.size() - 1) + "\r\n");
}

TEST(UnstructuredHeaderTest, FoldsAsciiAtSpaces) {
  const std::string header = UnstructuredHeader(
      "Subject",
      "[TLP:CLEAR] Baken: 12 kwetsbare systemen gevonden (Accessible-SMB) bij Gemeente X");
  EXPECT_EQ(header,
            "Subject: [TLP:CLEAR] Baken: 12 kwetsbare systemen gevonden (Accessible-SMB)\r\n"
            " bij Gemeente X");
}

TEST(UnstructuredHeaderTest, EncodesNonAsciiAndLookalikes) {
  EXPECT_THAT(UnstructuredHeader("Subject", "é"), HasSubstr("=?UTF-8?B?w6k=?="));
  // Text that looks like an encoded word is encoded, so that readers show it as written.
  const std::string header = UnstructuredHeader("Subject", "=?UTF-8?B?w6k=?=");
  EXPECT_EQ(testing::DecodeHeader(header.substr(9)), "=?UTF-8?B?w6k=?=");
  // Multi-byte characters are never cut between two encoded words.
  std::string text = "a";
  for (int i = 0; i < 60; ++i) text += "ë";
  EXPECT_EQ(testing::DecodeHeader(UnstructuredHeader("Subject", text).substr(9)), text);
}

TEST(CleanLineTest, RemovesControlsAndSpoofingCharacters) {
  EXPECT_EQ(CleanLine("  a\r\n\tb  c\x7F"), "a b c");
  EXPECT_EQ(CleanLine("x\u202Eevil\u2028y\u0085z"), "x evil y z");
  EXPECT_EQ(CleanLine("bad \xFF byte"), "bad \uFFFD byte");
  EXPECT_EQ(CleanLine("Fryslân – ok"), "Fryslân – ok");
}

TEST(Base64Test, MatchesRfc4648) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
}

}  // namespace
}  // namespace baken::notify
