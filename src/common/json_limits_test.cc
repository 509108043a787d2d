#include "common/json_limits.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace baken {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string ObjectWithKeys(size_t keys) {
  std::string text = "{";
  for (size_t i = 0; i < keys; ++i) {
    if (i > 0) text += ',';
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  return text + "}";
}

TEST(JsonLimitsTest, AcceptsDocumentsWithinTheLimits) {
  EXPECT_TRUE(CheckJson(R"({"members": [{"code": "GM0363", "asns": [64500]}]})"));
  EXPECT_TRUE(CheckJson(Nested(64)));
  EXPECT_TRUE(CheckJson(ObjectWithKeys(1000)));
  auto parsed = ParseJson<nlohmann::ordered_json>(R"({"b": 1, "a": [true, null]})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->begin().key(), "b");
}

TEST(JsonLimitsTest, RefusesDeepNestingWithoutBuildingIt) {
  // 100 KB of brackets: building this as nlohmann values and copying it overflowed the stack.
  const auto deep = CheckJson(Nested(100'000));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message, "it nests deeper than 64 levels");
  EXPECT_FALSE(CheckJson(Nested(65)));
  EXPECT_FALSE(ParseJson<nlohmann::json>(std::string(50'000, '{')));
  // Unclosed, too: the limit is met before the end of the text is.
  EXPECT_FALSE(CheckJson(std::string(200'000, '[')));
}

TEST(JsonLimitsTest, RefusesObjectsWithTooManyKeys) {
  const auto many = CheckJson(ObjectWithKeys(1001));
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().message, "an object has more than 1000 keys");
  // The count is per object: many small objects are fine.
  std::string list = "[";
  for (int i = 0; i < 2000; ++i) list += (i ? "," : "") + ObjectWithKeys(3);
  EXPECT_TRUE(CheckJson(list + "]"));
  EXPECT_TRUE(CheckJson(ObjectWithKeys(5), JsonLimits{.max_depth = 2, .max_object_keys = 5}));
  EXPECT_FALSE(CheckJson(ObjectWithKeys(6), JsonLimits{.max_depth = 2, .max_object_keys = 5}));
}

TEST(JsonLimitsTest, SyntaxErrorsNameTheByte) {
  const auto broken = CheckJson(R"({"a": tru})");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("byte 10"), std::string::npos) << broken.error().message;
  EXPECT_EQ(broken.error().message.find("[json.exception"), std::string::npos);
  EXPECT_FALSE(CheckJson(""));
  EXPECT_FALSE(CheckJson("{} {}"));
}

}  // namespace
}  // namespace baken
