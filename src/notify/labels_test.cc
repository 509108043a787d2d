#include "notify/labels.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace baken::notify {
namespace {

TEST(LabelsTest, EveryShadowserverReportHasADutchAndAnEnglishName) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream file(std::string(source) + "/data/shadowserver/intelmq.json");
  const nlohmann::json schema = nlohmann::json::parse(file);
  int reports = 0;
  for (const auto& [key, spec] : schema.items()) {
    if (key == "_meta") continue;
    const std::string name = spec.at("feed_name").get<std::string>();
    ++reports;
    EXPECT_NE(FeedDisplayName(name, "nl"), name) << key << " has no Dutch name";
    EXPECT_NE(FeedDisplayName(name, "en"), name) << key << " has no English name";
  }
  EXPECT_GT(reports, 100);
}

TEST(LabelsTest, FeedNamesAreInTheReadersLanguageAndAnOperatorsNameStays) {
  EXPECT_EQ(FeedDisplayName("Accessible-SMB", "nl"), "SMB bereikbaar vanaf internet");
  EXPECT_EQ(FeedDisplayName("Accessible-SMB", "en"), "SMB reachable from the internet");
  EXPECT_EQ(FeedDisplayName("Compromised-Website", "nl"), "Gecompromitteerde website");
  EXPECT_EQ(FeedDisplayName("Partner-CERT melding", "en"), "Partner-CERT melding");
  EXPECT_EQ(FeedDisplayName("Accessible-SMB", ""), "SMB bereikbaar vanaf internet");
}

TEST(LabelsTest, RiskLevelsAreWordsOfTheReadersLanguage) {
  EXPECT_EQ(RiskLabel("Hoog", "nl"), "hoog");
  EXPECT_EQ(RiskLabel("Hoog", "en"), "high");
  EXPECT_EQ(RiskLabel("Laag", "en"), "low");
  EXPECT_EQ(RiskLabel("Urgent", "nl"), "urgent");
  EXPECT_EQ(RiskLabel("Onbekend", "en"), "Onbekend");
}

TEST(LabelsTest, ARemediationsCategoryIsTranslatedAndItsTextKept) {
  EXPECT_EQ(RemediationText("vendor_fix: Update to version 4.2 or later.", "nl"),
            "Update van de leverancier: Update to version 4.2 or later.");
  EXPECT_EQ(RemediationText("workaround: Disable the JNDI lookup.", "en"),
            "Workaround: Disable the JNDI lookup.");
  EXPECT_EQ(RemediationText("none_available: x", "en"), "No fix available yet: x");
  EXPECT_EQ(RemediationText("unheard_of: keep me", "nl"), "unheard_of: keep me");
  EXPECT_EQ(RemediationText("no category here", "nl"), "no category here");
}

}  // namespace
}  // namespace baken::notify
