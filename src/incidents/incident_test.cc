// The incident's rules without a store: the enforced transitions, the RSIT taxonomy as compiled
// in, and that every code people read has its words in both languages (i18n/incidents.json).

#include "incidents/incident.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace baken::incidents {
namespace {

TEST(IncidentRulesTest, IncidentsMoveOnlyAlongTheTransitionTable) {
  EXPECT_TRUE(MayMove(kNew, kInProgress));
  EXPECT_TRUE(MayMove(kInProgress, kContained));
  EXPECT_TRUE(MayMove(kInProgress, kRecovered));
  EXPECT_TRUE(MayMove(kContained, kInProgress));  // containment failed
  EXPECT_TRUE(MayMove(kRecovered, kEvaluation));
  EXPECT_TRUE(MayMove(kEvaluation, kClosed));
  EXPECT_TRUE(MayMove(kClosed, kInProgress));  // reopened
  EXPECT_FALSE(MayMove(kNew, kClosed));
  EXPECT_FALSE(MayMove(kNew, kContained));
  EXPECT_FALSE(MayMove(kInProgress, kClosed));
  EXPECT_FALSE(MayMove(kClosed, kNew));
  EXPECT_FALSE(MayMove(kEvaluation, kInProgress));
  EXPECT_FALSE(MayMove(kNew, kNew));
  EXPECT_FALSE(MayMove("gesloten", kClosed));
  EXPECT_EQ(NextStates(kInProgress), (std::vector<std::string_view>{kContained, kRecovered}));
  EXPECT_EQ(NextStates(kClosed), (std::vector<std::string_view>{kInProgress}));
}

TEST(IncidentRulesTest, ParticipationsHaveNoEvaluation) {
  EXPECT_FALSE(MayMove(kRecovered, kEvaluation, /*participation=*/true));
  EXPECT_FALSE(MayMove(kEvaluation, kClosed, true));
  EXPECT_TRUE(MayMove(kRecovered, kClosed, true));
  EXPECT_EQ(NextStates(kRecovered, true), (std::vector<std::string_view>{kClosed}));
  EXPECT_FALSE(IsParticipationState(kEvaluation));
  EXPECT_TRUE(IsIncidentState(kEvaluation));
}

TEST(IncidentRulesTest, TheCompiledInTaxonomyIsRsitOnePointThree) {
  const auto& taxonomy = RsitTaxonomy();
  size_t types = 0;
  for (const auto& rsit_class : taxonomy) types += rsit_class.types.size();
  EXPECT_EQ(taxonomy.size(), 11u);
  EXPECT_EQ(types, 39u);  // ENISA's machine file, version 1003
  EXPECT_TRUE(IsRsitType("fraud", "phishing"));
  EXPECT_TRUE(IsRsitType("information-content-security", "data-leak"));
  // Phishing is fraud in RSIT, not information gathering; a type of another class is no pair.
  EXPECT_FALSE(IsRsitType("information-gathering", "phishing"));
  EXPECT_FALSE(IsRsitType("fraud", ""));
  EXPECT_TRUE(IsRsitClass("vulnerable"));
  EXPECT_FALSE(IsRsitClass("Fraud"));
}

TEST(IncidentRulesTest, EveryCodeHasWordsInDutchAndEnglish) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream file(std::string(source) + "/i18n/incidents.json");
  const auto words = nlohmann::json::parse(file, nullptr, false);
  ASSERT_TRUE(words.is_object());
  const auto has_words = [&](const std::string& key) {
    SCOPED_TRACE(key);
    ASSERT_TRUE(words.contains(key));
    EXPECT_FALSE(words[key].value("nl", "").empty());
    EXPECT_FALSE(words[key].value("en", "").empty());
  };
  for (const auto& rsit_class : RsitTaxonomy()) {
    has_words("class." + rsit_class.name);
    for (const auto& type : rsit_class.types) has_words("type." + rsit_class.name + "." + type);
  }
  for (auto state : IncidentStates()) has_words("state." + std::string(state));
  for (auto cause : Causes()) has_words("cause." + std::string(cause));
  for (auto impact : Impacts()) has_words("impact." + std::string(impact));
  for (auto priority : Priorities()) has_words("priority." + std::string(priority));
  for (auto source_kind : Sources()) has_words("source." + std::string(source_kind));
  for (auto decision : BreachDecisions()) has_words("breach." + std::string(decision));
  for (auto state : TaskStates()) has_words("task." + std::string(state));
}

}  // namespace
}  // namespace baken::incidents
