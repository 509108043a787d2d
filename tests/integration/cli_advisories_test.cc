// The advisories section of the contract, through the real `baken` program and a real SQLite
// file: importing the fixtures, revisions, refusals, and `advisory matches` for an inventory of
// four members (tests/data/advisories/members.json).

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/baken_process.h"
#include "support/cli_test.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

class CliAdvisoriesTest : public CliTest {
 protected:
  void SetUp() override {
    auto result =
        Baken({"member", "import", (SourceDir() / "tests/data/advisories/members.json").string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  static std::string Fixtures(const std::string& folder) {
    return (SourceDir() / "tests" / "data" / "advisories" / folder).string();
  }
};

TEST_F(CliAdvisoriesTest, ImportsEveryFixtureAndKnowsThemAgain) {
  Json first = BakenJson({"advisory", "import", Fixtures("csaf"), Fixtures("cve")});
  EXPECT_EQ(first["imported"], 19);
  EXPECT_EQ(first["updated"], 0);
  EXPECT_TRUE(first["refused"].empty());
  // The messy parts are named, not dropped.
  bool flagged_recovery = false;
  for (const Json& note : first["flagged"]) {
    flagged_recovery |= note["file"] == "icsa-24-256-02.json" &&
                        note["problem"].get<std::string>().find("vers:all") != std::string::npos;
  }
  EXPECT_TRUE(flagged_recovery) << first["flagged"].dump();

  Json again = BakenJson({"advisory", "import", Fixtures("csaf")});
  EXPECT_EQ(again["imported"], 0);
  EXPECT_EQ(again["unchanged"], 14);

  Json list = BakenJson({"advisory", "list"});
  ASSERT_EQ(list.size(), 19u);
}

TEST_F(CliAdvisoriesTest, ANewRevisionReplacesTheOldOne) {
  std::ifstream in(Fixtures("csaf") + "/va-24-201-01.json");
  Json document = Json::parse(in);
  const std::string original = dir_.File("va-1.json");
  std::ofstream(original) << document.dump();
  EXPECT_EQ(BakenJson({"advisory", "import", original})["imported"], 1);

  document["document"]["tracking"]["version"] = "9";
  document["document"]["title"] = "revised";
  const std::string revised = dir_.File("va-2.json");
  std::ofstream(revised) << document.dump();
  EXPECT_EQ(BakenJson({"advisory", "import", revised})["updated"], 1);
  // The older one again changes nothing, and says so.
  Json older = BakenJson({"advisory", "import", original});
  EXPECT_EQ(older["unchanged"], 1);
  EXPECT_THAT(older["flagged"].dump(), HasSubstr("an older revision (1.0.1) of VA-24-201-01"));
  Json list = BakenJson({"advisory", "list"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["title"], "revised");
  EXPECT_EQ(list[0]["version"], "9");
}

TEST_F(CliAdvisoriesTest, ABrokenDocumentIsRefusedAndTheRestImported) {
  const std::string broken = dir_.File("broken.json");
  std::ofstream(broken) << R"({"document": {"csaf_version": "2.0"}})";
  const std::string not_json = dir_.File("not.json");
  std::ofstream(not_json) << "{\"document\": [";
  Json summary = BakenJson(
      {"advisory", "import", broken, not_json, Fixtures("csaf") + "/bsi-2022-0001.json"}, 1);
  EXPECT_EQ(summary["imported"], 1);
  ASSERT_EQ(summary["refused"].size(), 2u);
  EXPECT_EQ(summary["refused"][0]["file"], "broken.json");
  EXPECT_THAT(summary["refused"][0]["reasons"].dump(), HasSubstr("/document/tracking: missing"));
  EXPECT_THAT(summary["refused"][1]["reasons"][0].get<std::string>(), HasSubstr("not JSON"));
}

TEST_F(CliAdvisoriesTest, MatchesListOnlyTheMembersThatRunTheProduct) {
  BakenJson({"advisory", "import", Fixtures("csaf") + "/2022-evd-uc-06-001.json",
             Fixtures("csaf") + "/bsi-2022-0001.json"});
  Json matches = BakenJson({"advisory", "matches", "2022-EVD-UC-06-001"});
  ASSERT_EQ(matches.size(), 3u) << matches.dump(1);
  // Amsterdam runs ABC 2.6 (affected), Groningen 3.0 (in the range), Rotterdam 4.2 (fixed).
  EXPECT_EQ(matches[0]["member"], "GM0014");
  EXPECT_EQ(matches[0]["outcome"], "affected");
  EXPECT_EQ(matches[0]["product_id"], "CSAFPID-0004");
  EXPECT_EQ(matches[0]["cves"], Json::array({"CVE-2021-44228"}));
  EXPECT_EQ(matches[0]["risk"], "Normaal");
  EXPECT_THAT(matches[0]["reasons"][0].get<std::string>(),
              HasSubstr("version 3.0 within >=2.9|<=4.1"));
  EXPECT_EQ(matches[1]["member"], "GM0363");
  EXPECT_EQ(matches[1]["risk"], "Hoog");
  EXPECT_EQ(matches[2]["member"], "GM0599");
  EXPECT_EQ(matches[2]["outcome"], "not_affected");
  EXPECT_FALSE(matches[2].contains("risk"));

  // The same product at the fixed version: not affected, no risk.
  Json bsi = BakenJson({"advisory", "matches", "BSI-2022-0001"});
  ASSERT_EQ(bsi.size(), 2u);
  EXPECT_EQ(bsi[1]["member"], "SV0001");
  EXPECT_EQ(bsi[1]["outcome"], "not_affected");

  auto missing = Baken({"advisory", "matches", "NO-SUCH-ID"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no advisory NO-SUCH-ID"));
}

}  // namespace
}  // namespace baken::testing
