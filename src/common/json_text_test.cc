#include "common/json_text.h"

#include <gtest/gtest.h>

namespace baken {
namespace {

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

TEST(JsonTextTest, EscapesAndRepairs) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(Json("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
  EXPECT_EQ(Json("bad\xFF"), "\"bad\xEF\xBF\xBD\"");
  EXPECT_EQ(Json("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(RepairUtf8("a\xE2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
}

// Every byte value at every place of a word and around word ends: the eight-bytes-at-a-time
// scan must stop at each byte the byte-by-byte rules would treat, and only there.
TEST(JsonTextTest, EachByteIsTreatedTheSameWhereverItStands) {
  const auto one_byte = [](unsigned char c) -> std::string {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      return std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xF];
    }
    if (c >= 0x80) return "\xEF\xBF\xBD";  // alone, never well-formed UTF-8
    return std::string(1, static_cast<char>(c));
  };
  for (int value = 0; value < 256; ++value) {
    const auto c = static_cast<unsigned char>(value);
    for (size_t at = 0; at < 20; ++at) {
      std::string text(20, 'a');
      text[at] = static_cast<char>(c);
      const std::string expected =
          "\"" + std::string(at, 'a') + one_byte(c) + std::string(19 - at, 'a') + "\"";
      ASSERT_EQ(Json(text), expected) << "byte " << value << " at " << at;
    }
  }
}

// Long values are escaped a piece at a time: a sequence across a piece's end stays whole, and
// values that grow sixfold fit.
TEST(JsonTextTest, LongValuesAreEscapedWhole) {
  const std::string accented = std::string(255, 'a') + "\xC3\xA9" + std::string(300, '"');
  std::string expected = "\"" + std::string(255, 'a') + "\xC3\xA9";
  for (int i = 0; i < 300; ++i) expected += "\\\"";
  EXPECT_EQ(Json(accented), expected + "\"");
  const std::string controls(1000, '\x01');
  std::string escaped = "\"";
  for (int i = 0; i < 1000; ++i) escaped += "\\u0001";
  EXPECT_EQ(Json(controls), escaped + "\"");
}

}  // namespace
}  // namespace baken
