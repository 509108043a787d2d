#include "common/quote.h"

#include <gtest/gtest.h>

namespace baken {
namespace {

TEST(QuoteTest, QuotesPrintableText) {
  EXPECT_EQ(Quote("abc"), "'abc'");
  EXPECT_EQ(Quote(""), "''");
}

TEST(QuoteTest, EscapesBytesThatAreNotPrintableAscii) {
  EXPECT_EQ(Quote(std::string_view("a\0b\n\x7f\xff", 6)), "'a\\x00b\\x0a\\x7f\\xff'");
}

TEST(QuoteTest, CutsLongInput) {
  const std::string quoted = Quote(std::string(200, 'x'));
  EXPECT_EQ(quoted, "'" + std::string(kMaxQuotedLength, 'x') + "...'");
}

}  // namespace
}  // namespace baken
