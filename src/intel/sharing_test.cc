#include "intel/sharing.h"

#include <gtest/gtest.h>

namespace baken::intel {
namespace {

Recipient Member(const std::string& code) { return Recipient{false, code, false}; }

Circle Given(std::string distribution, std::vector<std::string> named = {}) {
  Circle circle;
  circle.distribution = std::move(distribution);
  circle.named = std::move(named);
  return circle;
}

TEST(SharingTest, AnalystsReceiveEverythingAndTheSharingMemberItsOwn) {
  Circle circle = Given("cert");
  EXPECT_TRUE(MayReceive(Recipient{true, std::nullopt, false}, circle, "RED", true));
  circle.owner = "GM0001";
  EXPECT_TRUE(MayReceive(Member("GM0001"), circle, "RED", true));
  EXPECT_FALSE(MayReceive(Member("GM0002"), circle, "CLEAR", false));
}

TEST(SharingTest, GreenAndClearGoAsDistributed) {
  for (const char* tlp : {"CLEAR", "GREEN"}) {
    EXPECT_TRUE(MayReceive(Member("GM0002"), Given("members"), tlp, false)) << tlp;
    EXPECT_FALSE(MayReceive(Member("GM0002"), Given("named", {"GM0001"}), tlp, false)) << tlp;
    EXPECT_TRUE(MayReceive(Member("GM0001"), Given("named", {"GM0001"}), tlp, false)) << tlp;
    EXPECT_FALSE(MayReceive(Recipient{false, std::nullopt, true}, Given("members"), tlp, false));
    EXPECT_TRUE(MayReceive(Recipient{false, std::nullopt, true}, Given("partners"), tlp, false));
    EXPECT_FALSE(MayReceive(Member("GM0002"), Given("cert"), tlp, false)) << tlp;
    EXPECT_FALSE(MayReceive(Member("GM0002"), Given("members"), tlp, true)) << tlp;
  }
}

// A member's user who is no trusted contact reads what every user of the member may: CLEAR
// and GREEN; its member's own events all the same.
TEST(SharingTest, AUserWhoIsNoTrustedContactReadsClearAndGreenOnly) {
  const Recipient desk{false, "GM0001", false, true};
  EXPECT_TRUE(MayReceive(desk, Given("members"), "GREEN", false));
  EXPECT_TRUE(MayReceive(desk, Given("named", {"GM0001"}), "CLEAR", false));
  EXPECT_FALSE(MayReceive(desk, Given("named", {"GM0001"}), "AMBER", false));
  EXPECT_FALSE(MayReceive(desk, Given("named", {"GM0001"}), "AMBER+STRICT", false));
  Circle own = Given("cert");
  own.owner = "GM0001";
  EXPECT_TRUE(MayReceive(desk, own, "AMBER", false));
}

TEST(SharingTest, AmberReachesOnlyTheNamedMembersWhateverTheDistribution) {
  EXPECT_FALSE(MayReceive(Member("GM0002"), Given("members"), "AMBER", false));
  EXPECT_FALSE(MayReceive(Member("GM0002"), Given("partners", {"GM0001"}), "AMBER", false));
  EXPECT_TRUE(MayReceive(Member("GM0001"), Given("members", {"GM0001"}), "AMBER", false));
  EXPECT_FALSE(MayReceive(Recipient{false, std::nullopt, true}, Given("partners"), "AMBER", false));
}

TEST(SharingTest, AmberStrictFromOutsideStaysInsideUntilTheSourcePermits) {
  Circle circle = Given("named", {"GM0001"});
  EXPECT_TRUE(MayReceive(Member("GM0001"), circle, "AMBER+STRICT", false));
  EXPECT_FALSE(MayReceive(Member("GM0002"), circle, "AMBER+STRICT", false));
  circle.from_outside = true;
  EXPECT_FALSE(MayReceive(Member("GM0001"), circle, "AMBER+STRICT", false));
  circle.permission = true;
  EXPECT_TRUE(MayReceive(Member("GM0001"), circle, "AMBER+STRICT", false));
}

TEST(SharingTest, RedAndUnknownLabelsNeverLeaveTheCert) {
  for (const char* tlp : {"RED", "PURPLE", ""}) {
    Circle circle = Given("members", {"GM0001"});
    circle.permission = true;
    EXPECT_FALSE(MayReceive(Member("GM0001"), circle, tlp, false)) << tlp;
  }
}

}  // namespace
}  // namespace baken::intel
