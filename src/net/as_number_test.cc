#include "net/as_number.h"

#include <gtest/gtest.h>

namespace baken::net {
namespace {

TEST(AsNumberTest, ParsesWithAndWithoutPrefix) {
  EXPECT_EQ(ParseAsNumber("AS64500", AsPrefix::kRequired).value(), 64500u);
  EXPECT_EQ(ParseAsNumber("as64500", AsPrefix::kRequired).value(), 64500u);
  EXPECT_EQ(ParseAsNumber("64500", AsPrefix::kOptional).value(), 64500u);
  EXPECT_EQ(ParseAsNumber("AS4294967295", AsPrefix::kRequired).value(), 4294967295u);
  EXPECT_FALSE(ParseAsNumber("64500", AsPrefix::kRequired));
}

TEST(AsNumberTest, RefusesWhatIsNotAnAsNumber) {
  for (const char* text : {"", "AS", "AS-1", "AS 1", "AS1x", "ASN64500", "AS4294967296",
                           "AS99999999999999999999999"}) {
    EXPECT_FALSE(ParseAsNumber(text, AsPrefix::kOptional)) << text;
  }
  EXPECT_EQ(ParseAsNumber("AS4294967296", AsPrefix::kRequired).error().message,
            "'AS4294967296' is not an AS number (the largest is AS4294967295)");
  EXPECT_TRUE(LooksLikeAsNumber("AS99999999999"));
  EXPECT_FALSE(LooksLikeAsNumber("ASx"));
  EXPECT_FALSE(LooksLikeAsNumber("64500"));
}

}  // namespace
}  // namespace baken::net
