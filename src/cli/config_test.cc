// The configuration file's piket part (decision 0019) and its OpenPGP part (decision 0021): the
// values are read, and a wrong value is refused naming the file, the setting and what it must be.

#include "cli/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::cli {
namespace {

using ::testing::HasSubstr;

TEST(ConfigTest, ReadsTheBreachWarningAndTheHeartbeats) {
  const auto config = ParseConfig(
      R"({"oncall": {"breach_warning_hours": 8, "heartbeats": {"Accessible-RDP": 26, "DNS-Open-Resolvers": 50}}})",
      "baken.json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->breach_warning_hours, 8);
  ASSERT_EQ(config->heartbeats.size(), 2u);
  EXPECT_EQ(config->heartbeats.at("Accessible-RDP"), 26);
  EXPECT_EQ(config->heartbeats.at("DNS-Open-Resolvers"), 50);
}

TEST(ConfigTest, WithoutAPiketPartNothingIsWatched) {
  const auto config = ParseConfig("{}", "baken.json");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->breach_warning_hours);
  EXPECT_TRUE(config->heartbeats.empty());
}

TEST(ConfigTest, RefusesWhatIsNoNumberOfHoursNamingTheSetting) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"oncall": {"breach_warning_hours": 72}})", "baken.json: oncall.breach_warning_hours"},
      {R"({"oncall": {"heartbeats": ["Accessible-RDP"]}})", "baken.json: oncall.heartbeats"},
      {R"({"oncall": {"heartbeats": {"Accessible-RDP": "26"}}})",
       "baken.json: oncall.heartbeats.Accessible-RDP: must be a whole number of hours"},
      {R"({"oncall": {"heartbeats": {"Accessible-RDP": 0}}})",
       "baken.json: oncall.heartbeats.Accessible-RDP"},
      {R"({"oncall": []})", "baken.json: oncall: must be an object"},
  };
  for (const auto& [text, expected] : cases) {
    const auto config = ParseConfig(text, "baken.json");
    ASSERT_FALSE(config) << text;
    EXPECT_THAT(config.error().message, HasSubstr(expected)) << text;
  }
}

TEST(ConfigTest, ReadsTheOpenPgpHomeAndSignerAndRefusesASignerWithoutAHome) {
  const auto config =
      ParseConfig(R"({"openpgp": {"home": "/var/lib/baken/gnupg", "sign_as": "cert@example.nl"}})",
                  "baken.json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->openpgp_home, "/var/lib/baken/gnupg");
  EXPECT_EQ(config->openpgp_sign_as, "cert@example.nl");
  EXPECT_TRUE(ParseConfig("{}", "baken.json")->openpgp_sign_as.empty());
  const auto orphan = ParseConfig(R"({"openpgp": {"sign_as": "cert@example.nl"}})", "baken.json");
  ASSERT_FALSE(orphan);
  EXPECT_THAT(orphan.error().message, ::testing::HasSubstr("openpgp.sign_as"));
  EXPECT_FALSE(ParseConfig(R"({"openpgp": {"home": ""}})", "baken.json"));
  EXPECT_FALSE(ParseConfig(R"({"openpgp": {"home": 3}})", "baken.json"));
}
}  // namespace
}  // namespace baken::cli
