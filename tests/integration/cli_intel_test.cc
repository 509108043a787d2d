// `baken intel import` through the real program and store (decision 0023): a MISP feed's event
// file, a STIX bundle and a block list taken in with what each yields; the same event again is
// skipped; a list without its TLP and a broken document are refused with their reasons and
// store nothing.

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/baken_process.h"
#include "support/cli_test.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

std::string Cti(const std::string& relative) {
  return (SourceDir() / "tests/data/cti" / relative).string();
}

class CliIntelTest : public CliTest {};

TEST_F(CliIntelTest, ImportTakesInMispStixAndListsOnce) {
  const Json feed = BakenJson({"intel", "import",
                               Cti("misp-feed/crowdsec-alerts-feed/"
                                   "6a10e5d8-f1cd-42b0-8240-a4650efd83d6.json")});
  EXPECT_EQ(feed["format"], "misp");
  ASSERT_EQ(feed["events"].size(), 1u);
  EXPECT_EQ(feed["indicators"], 25);
  EXPECT_EQ(feed["events"][0]["distribution"], "members");

  const Json again = BakenJson({"intel", "import",
                                Cti("misp-feed/crowdsec-alerts-feed/"
                                    "6a10e5d8-f1cd-42b0-8240-a4650efd83d6.json")});
  EXPECT_TRUE(again["events"].empty());
  EXPECT_EQ(again["skipped"].size(), 1u);

  const Json stix = BakenJson({"intel", "import", Cti("stix/oasis_poisonivy.json")});
  EXPECT_EQ(stix["format"], "stix");
  ASSERT_EQ(stix["events"].size(), 1u);
  EXPECT_EQ(stix["events"][0]["title"], "Poison Ivy: Assessing Damage and Extracting Intelligence");

  const Json list = BakenJson({"intel", "import", Cti("blocklists/ipsum_levels_6.txt"), "--tlp",
                               "GREEN", "--distribution", "members"});
  EXPECT_EQ(list["format"], "list");
  EXPECT_EQ(list["indicators"], 318);
  EXPECT_EQ(list["events"][0]["tlp"], "GREEN");

  const CommandResult no_tlp = Baken({"intel", "import", Cti("blocklists/ipsum_levels_6.txt")});
  EXPECT_NE(no_tlp.exit_code, 0);
  EXPECT_THAT(no_tlp.err, HasSubstr("A list says no TLP"));

  const CommandResult broken =
      Baken({"intel", "import", Cti("misp/pymisp_sharing_groups.json"), "--format", "misp"});
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_THAT(broken.err, HasSubstr("pymisp_sharing_groups.json was not taken in"));
  EXPECT_THAT(broken.err, HasSubstr("no MISP event"));
}

}  // namespace
}  // namespace baken::testing
