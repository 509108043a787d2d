#include "common/problem.h"

#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "common/problem_codes.h"

namespace baken {
namespace {

std::set<std::string> NamesIn(std::string_view sentence) {
  std::set<std::string> names;
  static const std::regex kName("\\{([a-z_]+)\\}");
  const std::string text(sentence);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kName);
       it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

TEST(ProblemTableTest, EveryCodeHasDutchAndEnglishAskingForTheSameValues) {
  std::set<std::string_view> keys;
  ASSERT_FALSE(AllProblemCodes().empty());
  for (const ProblemCode& code : AllProblemCodes()) {
    EXPECT_TRUE(keys.insert(code.key).second) << code.key << " is in the table twice";
    EXPECT_FALSE(code.english.empty()) << code.key;
    EXPECT_FALSE(code.dutch.empty()) << code.key;
    EXPECT_NE(code.english, code.dutch) << code.key << " is not translated";
    EXPECT_EQ(NamesIn(code.english), NamesIn(code.dutch)) << code.key;
  }
}

TEST(ProblemTableTest, EveryKindOfErrorHasACodeInTheTable) {
  std::set<std::string_view> keys;
  for (const ProblemCode& code : AllProblemCodes()) keys.insert(code.key);
  for (ErrorCode kind : {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kConflict,
                         ErrorCode::kPermissionDenied, ErrorCode::kUnauthenticated,
                         ErrorCode::kUnavailable, ErrorCode::kInternal}) {
    const Error uncoded(kind, "x");
    EXPECT_TRUE(keys.contains(CodeOf(uncoded))) << CodeOf(uncoded);
  }
}

TEST(ProblemTest, CodedErrorsCarryKeyValuesAndTheEnglishSentence) {
  const Error error = Coded(ErrorCode::kInvalidArgument, problems::ip_prefix_length_too_long,
                            {{"value", "192.0.2.0/33"}, {"max", "32"}});
  EXPECT_EQ(error.key, "ip_prefix.length_too_long");
  EXPECT_EQ(error.message, "'192.0.2.0/33' has a prefix length above 32");
  EXPECT_EQ(CodeOf(error), "ip_prefix.length_too_long");
  ASSERT_EQ(error.params.size(), 2u);
  EXPECT_EQ(error.params[0].second, "192.0.2.0/33");
}

TEST(ProblemTest, FillInMakesValuesPrintableAndKeepsUnknownNames) {
  EXPECT_EQ(FillIn("'{value}' and {other}", {{"value", "a\nb"}}), "'a\\x0ab' and {other}");
  EXPECT_EQ(FillIn("{a}{a}", {{"a", "x"}}), "xx");
  EXPECT_EQ(FillIn("no close {brace", {{"brace", "x"}}), "no close {brace");
}

TEST(ProblemTest, AtPutsThePlaceInFrontAndKeepsTheCode) {
  const Error error =
      At("GM0363: netblocks[4]",
         Coded(ErrorCode::kInvalidArgument, problems::ip_prefix_invalid, {{"value", "x"}}));
  EXPECT_EQ(error.message, "GM0363: netblocks[4]: 'x' is not an IP prefix");
  EXPECT_EQ(error.key, "ip_prefix.invalid");
}

}  // namespace
}  // namespace baken
