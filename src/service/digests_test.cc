// Which digest an event goes out with (service/digests.h), on a real store of either engine: one
// digest per member, feed and TLP level in a period; a closed digest's events go to the next
// period's; and digests of other feeds, levels and members are never mixed up.

#include "service/digests.h"

#include <set>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store.h"
#include "store/test_database.h"

namespace baken::service {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr DigestPeriod kDay{1795305600, 86400};  // 2026-11-22T00:00:00Z
constexpr std::string_view kNow = "2026-11-22T10:00:00Z";

store::EventRecord Routed(std::string member, std::string feed, std::string tlp) {
  store::EventRecord record;
  record.member = std::move(member);
  record.feed_name = std::move(feed);
  record.tlp = std::move(tlp);
  return record;
}

class DigestOpenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // The digests each record gets in one transaction, and those the transaction opened.
  std::pair<std::vector<int64_t>, std::vector<int64_t>> Open(
      const std::vector<store::EventRecord>& records) {
    auto tx = store_->Begin(store::Access::kWrite);
    EXPECT_TRUE(tx);
    DigestOpener opener(**tx, kDay, std::string(kNow));
    std::vector<int64_t> ids;
    for (const store::EventRecord& record : records) {
      auto id = opener.For(record);
      EXPECT_TRUE(id) << id.error().message;
      ids.push_back(id ? *id : 0);
    }
    const std::vector<int64_t> opened = opener.opened();
    EXPECT_TRUE((*tx)->Commit());
    return {ids, opened};
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(DigestOpenerTest, OneDigestPerMemberFeedAndLevelAndTheNextPeriodsOnceClosed) {
  const auto [first, opened] =
      Open({Routed("GM0363", "Accessible-RDP", "AMBER"),
            Routed("GM0363", "Accessible-RDP", "AMBER"), Routed("GM0363", "Accessible-RDP", "RED"),
            Routed("GM0599", "Accessible-RDP", "AMBER"), Routed("GM0363", "Open-DNS", "AMBER")});
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first[0], first[1]);
  std::set<int64_t> distinct(first.begin(), first.end());
  EXPECT_EQ(distinct.size(), 4u) << "another level, member or feed has its own digest";
  EXPECT_EQ(std::set<int64_t>(opened.begin(), opened.end()), distinct);

  // A later transaction finds the same open digests and opens none.
  const auto [again, opened_again] =
      Open({Routed("GM0599", "Accessible-RDP", "AMBER"), Routed("GM0363", "Open-DNS", "AMBER")});
  EXPECT_THAT(again, ElementsAre(first[3], first[4]));
  EXPECT_THAT(opened_again, IsEmpty());

  // Once the digest's message is planned (closed), the member's next events of that feed go
  // into the next period's digest, due a day later; the other digests stay as they were.
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    auto closed = (*tx)->Digests().Close(first[0], kNow);
    ASSERT_TRUE(closed && *closed);
    ASSERT_TRUE((*tx)->Commit());
  }
  const auto [after, opened_after] = Open(
      {Routed("GM0363", "Accessible-RDP", "AMBER"), Routed("GM0363", "Accessible-RDP", "RED")});
  EXPECT_NE(after[0], first[0]);
  EXPECT_EQ(after[1], first[2]);
  EXPECT_THAT(opened_after, ElementsAre(after[0]));
  auto tx = store_->Begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  auto due_today = (*tx)->Digests().Due("2026-11-22T23:59:59Z");
  ASSERT_TRUE(due_today);
  for (const store::Digest& digest : *due_today) EXPECT_NE(digest.id, after[0]);
  auto due_tomorrow = (*tx)->Digests().Due("2026-11-23T00:00:00Z");
  ASSERT_TRUE(due_tomorrow);
  bool found = false;
  for (const store::Digest& digest : *due_tomorrow) {
    if (digest.id != after[0]) continue;
    found = true;
    EXPECT_EQ(digest.key.period, "2026-11-23T00:00:00Z");
    EXPECT_EQ(digest.key.member, "GM0363");
  }
  EXPECT_TRUE(found) << "the next period's digest is due when that period starts";
}

}  // namespace
}  // namespace baken::service
