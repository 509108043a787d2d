// Threat intelligence in the store (decision 0023), on both engines. The store's SQL form of
// who may receive an indicator gives the same answers as intel::MayReceive for every reader,
// distribution, TLP, origin and permission; events, indicators and sightings keep their fields.

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "intel/sharing.h"
#include "registry/member.h"
#include "store/followed_feed_repository.h"
#include "store/intel_repository.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

constexpr const char* kNow = "2026-12-07T09:00:00Z";

class IntelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    for (const char* code : {"GM0001", "GM0002", "GM0003"}) {
      registry::Member member;
      member.code = code;
      member.name = std::string("Gemeente ") + code;
      auto tx = store_->Begin(Access::kWrite);
      ASSERT_TRUE(tx);
      ASSERT_TRUE((*tx)->Members().Upsert(member, "test", kNow));
      ASSERT_TRUE((*tx)->Commit());
    }
  }
  void TearDown() override { store_.reset(); }

  testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(IntelStoreTest, TheStoresRuleGivesTheSameAnswersAsMayReceive) {
  struct Case {
    IntelEventRecord event;
    IndicatorRecord indicator;
    int64_t id = 0;
  };
  std::vector<Case> cases;
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    for (const char* distribution : {"cert", "named", "members", "partners"}) {
      for (const char* tlp : {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"}) {
        for (int variant = 0; variant < 8; ++variant) {
          Case c;
          c.event.source_kind = "misp";
          c.event.title = fmt::format("{} {} {}", distribution, tlp, variant);
          c.event.tlp = "CLEAR";  // the event itself is open: the indicator's TLP decides
          c.event.distribution = distribution;
          c.event.from_outside = (variant & 1) != 0;
          if ((variant & 2) != 0) c.event.permission = "the NCSC, by mail of 2026-12-01";
          if ((variant & 4) != 0) c.event.named = {"GM0001"};
          if (variant == 7) c.event.owner_member = "GM0003";
          c.event.added_by = "test";
          c.event.created_at = c.event.updated_at = kNow;
          auto event_id = (*tx)->Intel().AddEvent(c.event);
          ASSERT_TRUE(event_id) << event_id.error().message;
          for (const bool cert_only : {false, true}) {
            Case each = c;
            each.indicator.event_id = *event_id;
            each.indicator.kind = "ip";
            each.indicator.value = "192.0.2.1";
            each.indicator.tlp = tlp;
            each.indicator.cert_only = cert_only;
            each.indicator.created_at = kNow;
            auto id = (*tx)->Intel().AddIndicator(each.indicator);
            ASSERT_TRUE(id) << id.error().message;
            each.id = *id;
            cases.push_back(each);
          }
        }
      }
    }
    ASSERT_TRUE((*tx)->Commit());
  }
  const std::vector<IntelReader> readers = {
      IntelReader{true, std::nullopt, false},   IntelReader{false, "GM0001", false},
      IntelReader{false, "GM0002", false},      IntelReader{false, "GM0003", false},
      IntelReader{false, std::nullopt, true},   IntelReader{false, "GM0001", false, true},
      IntelReader{false, "GM0003", false, true}};
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  int allowed = 0;
  for (const IntelReader& reader : readers) {
    auto visible = (*tx)->Intel().IndicatorsWithValue(reader, "ip", "192.0.2.1");
    ASSERT_TRUE(visible) << visible.error().message;
    std::set<int64_t> ids;
    for (const IndicatorRecord& indicator : *visible) ids.insert(indicator.id);
    // The search, its count and the events' indicator counts use the same rule.
    IndicatorQuery by_value;
    by_value.text = "192.0.2.1";
    by_value.limit = 0;
    auto searched = (*tx)->Intel().SearchIndicators(reader, by_value);
    auto counted = (*tx)->Intel().CountIndicators(reader, by_value);
    ASSERT_TRUE(searched && counted);
    EXPECT_EQ(searched->size(), ids.size());
    EXPECT_EQ(*counted, static_cast<int64_t>(ids.size()));
    auto events = (*tx)->Intel().Events(reader, IntelEventQuery{std::nullopt, 0, 0});
    ASSERT_TRUE(events);
    int64_t in_events = 0;
    for (const IntelEventRecord& event : *events) in_events += event.indicator_count;
    EXPECT_EQ(in_events, static_cast<int64_t>(ids.size()));
    auto event_count = (*tx)->Intel().CountEvents(reader, IntelEventQuery{std::nullopt, 0, 0});
    ASSERT_TRUE(event_count);
    EXPECT_EQ(*event_count, static_cast<int64_t>(events->size()));
    for (const Case& c : cases) {
      intel::Circle circle;
      circle.distribution = c.event.distribution;
      circle.named = c.event.named;
      circle.owner = c.event.owner_member;
      circle.from_outside = c.event.from_outside;
      circle.permission = c.event.permission.has_value();
      const bool expected = intel::MayReceive(
          intel::Recipient{reader.staff, reader.member, reader.partner, reader.general_only},
          circle, c.indicator.tlp, c.indicator.cert_only);
      allowed += expected;
      EXPECT_EQ(ids.count(c.id) == 1, expected)
          << c.event.title << " cert_only=" << c.indicator.cert_only
          << " reader=" << reader.member.value_or(reader.staff ? "staff" : "partner");
    }
  }
  // The matrix holds both answers for every kind of reader.
  EXPECT_GT(allowed, 0);
  EXPECT_LT(allowed, static_cast<int>(cases.size() * readers.size()));
}

TEST_F(IntelStoreTest, AnEventItsIndicatorsAndSightingsKeepTheirFields) {
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  IntelEventRecord event;
  event.source_kind = "stix";
  event.source_id = "report--1";
  event.title = "Phishing wave";
  event.description = "Mails that look like the tax office's.";
  event.tlp = "AMBER";
  event.tlp_given = true;
  event.pap = "GREEN";
  event.distribution = "named";
  event.confidence = 80;
  event.threat_level = "high";
  event.event_date = "2026-12-06";
  event.creator = "NCSC";
  event.tags = {"rsit:fraud=\"phishing\"", "tlp:amber"};
  event.problems = {"/objects/3: left out"};
  event.from_outside = true;
  event.named = {"GM0002", "GM0001"};
  event.added_by = "user:anna@cert.example";
  event.created_at = event.updated_at = kNow;
  auto event_id = (*tx)->Intel().AddEvent(event);
  ASSERT_TRUE(event_id) << event_id.error().message;
  IndicatorRecord indicator;
  indicator.event_id = *event_id;
  indicator.kind = "domain";
  indicator.value = "belasting-dienst.example";
  indicator.tlp = "AMBER";
  indicator.for_detection = true;
  indicator.valid_until = "2027-01-01T00:00:00Z";
  indicator.comment = "landing page";
  indicator.group_ref = "indicator--9";
  indicator.source_ref = "indicator--9";
  indicator.source_type = "indicator";
  indicator.tags = {"phishing"};
  indicator.created_at = kNow;
  auto indicator_id = (*tx)->Intel().AddIndicator(indicator);
  ASSERT_TRUE(indicator_id) << indicator_id.error().message;
  SightingRecord sighting;
  sighting.indicator_id = *indicator_id;
  sighting.member = "GM0001";
  sighting.kind = "false_positive";
  sighting.at = kNow;
  sighting.count = 3;
  sighting.added_by = "user:it@een.example";
  sighting.created_at = kNow;
  ASSERT_TRUE((*tx)->Intel().AddSighting(sighting));
  ASSERT_TRUE((*tx)->Commit());

  auto read = store_->Begin(Access::kRead);
  ASSERT_TRUE(read);
  auto& intel = (*read)->Intel();
  auto found = intel.FindEvent(IntelReader{false, "GM0002", false}, *event_id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->title, "Phishing wave");
  EXPECT_EQ((*found)->named, (std::vector<std::string>{"GM0001", "GM0002"}));
  EXPECT_EQ((*found)->tags, event.tags);
  EXPECT_EQ((*found)->problems, event.problems);
  EXPECT_EQ((*found)->confidence, 80);
  EXPECT_EQ((*found)->pap, "GREEN");
  EXPECT_TRUE((*found)->from_outside);
  // AMBER, named: GM0003 is not concerned.
  auto hidden = intel.FindEvent(IntelReader{false, "GM0003", false}, *event_id);
  ASSERT_TRUE(hidden);
  EXPECT_FALSE(*hidden);
  auto listed =
      intel.Events(IntelReader{false, "GM0003", false}, IntelEventQuery{std::nullopt, 100, 0});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  auto indicators = intel.Indicators(IntelReader{false, "GM0001", false}, *event_id);
  ASSERT_TRUE(indicators);
  ASSERT_EQ(indicators->size(), 1u);
  EXPECT_EQ((*indicators)[0].value, "belasting-dienst.example");
  EXPECT_EQ((*indicators)[0].valid_until, "2027-01-01T00:00:00Z");
  EXPECT_EQ((*indicators)[0].tags, (std::vector<std::string>{"phishing"}));
  EXPECT_TRUE((*indicators)[0].for_detection);
  auto sightings = intel.Sightings(*indicator_id);
  ASSERT_TRUE(sightings);
  ASSERT_EQ(sightings->size(), 1u);
  EXPECT_EQ((*sightings)[0].member, "GM0001");
  EXPECT_EQ((*sightings)[0].kind, "false_positive");
  EXPECT_EQ((*sightings)[0].count, 3);
  EXPECT_FALSE((*sightings)[0].named);
  auto again = intel.EventBySource("stix", "report--1");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *event_id);
  EXPECT_FALSE(*intel.EventBySource("misp", "report--1"));
}

// The followed MISP feeds (decision 0023): a feed saved again by its URL keeps its id and takes
// the new circle; each event's state is kept and updated per feed; stopping removes the feed
// and its states but not the events taken in.
TEST_F(IntelStoreTest, FollowedFeedsKeepTheirCircleAndEachEventsState) {
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  FollowedFeedRepository& feeds = (*tx)->FollowedFeeds();
  FollowedFeedRecord feed;
  feed.url = "https://misp.example/feed/";
  feed.distribution = "named";
  feed.named = {"GM0002", "GM0001"};
  feed.added_by = "user:anna@cert.example";
  feed.added_at = kNow;
  auto id = feeds.SaveFeed(feed);
  ASSERT_TRUE(id) << id.error().message;
  FollowedFeedRecord other;
  other.url = "https://other.example/";
  other.added_by = "user:bob@cert.example";
  other.added_at = kNow;
  auto other_id = feeds.SaveFeed(other);
  ASSERT_TRUE(other_id) << other_id.error().message;
  EXPECT_NE(*id, *other_id);

  feed.distribution = "members";
  feed.named.clear();
  feed.added_by = "user:someone-else@cert.example";  // the first adder stays
  auto again = feeds.SaveFeed(feed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *id);
  ASSERT_TRUE(feeds.RecordRun(*id, "2026-12-07T10:00:00Z", std::string("manifest.json: 404")));
  auto found = feeds.FeedByUrl(feed.url);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->distribution, "members");
  EXPECT_TRUE((*found)->named.empty());
  EXPECT_EQ((*found)->added_by, "user:anna@cert.example");
  EXPECT_EQ((*found)->last_run_at, "2026-12-07T10:00:00Z");
  EXPECT_EQ((*found)->last_error, "manifest.json: 404");
  ASSERT_TRUE(feeds.RecordRun(*id, "2026-12-07T11:00:00Z", std::nullopt));
  auto missing = feeds.FeedByUrl("https://misp.example/feed");  // without the closing '/'
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  IntelEventRecord taken;
  taken.source_kind = "misp";
  taken.source_id = "5f1e0000-0000-4000-8000-000000000001";
  taken.title = "from the feed";
  taken.tlp = "GREEN";
  taken.distribution = "members";
  taken.added_by = "feed:https://misp.example/feed/";
  taken.created_at = taken.updated_at = kNow;
  auto event_id = (*tx)->Intel().AddEvent(taken);
  ASSERT_TRUE(event_id) << event_id.error().message;
  FollowedEventRecord event;
  event.feed_id = *id;
  event.event_uuid = "5f1e0000-0000-4000-8000-000000000001";
  event.timestamp = 1765000000;
  event.event_id = *event_id;
  ASSERT_TRUE(feeds.SaveEvent(event));
  FollowedEventRecord failing;
  failing.feed_id = *id;
  failing.event_uuid = "0a000000-0000-4000-8000-000000000002";
  failing.failures = 3;
  failing.last_error = "timed out";
  ASSERT_TRUE(feeds.SaveEvent(failing));
  FollowedEventRecord elsewhere = failing;
  elsewhere.feed_id = *other_id;
  elsewhere.failures = 1;
  ASSERT_TRUE(feeds.SaveEvent(elsewhere));
  event.timestamp = 1765100000;  // a newer version taken in
  ASSERT_TRUE(feeds.SaveEvent(event));

  auto events = feeds.Events(*id);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event_uuid, failing.event_uuid);  // uuid order
  EXPECT_EQ((*events)[0].failures, 3);
  EXPECT_EQ((*events)[0].last_error, "timed out");
  EXPECT_FALSE((*events)[0].event_id);
  EXPECT_EQ((*events)[1].timestamp, 1765100000);
  EXPECT_EQ((*events)[1].event_id, *event_id);
  EXPECT_EQ((*events)[1].failures, 0);

  ASSERT_TRUE(feeds.ForgetEvent(*id, failing.event_uuid));
  events = feeds.Events(*id);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
  auto other_events = feeds.Events(*other_id);
  ASSERT_TRUE(other_events);
  ASSERT_EQ(other_events->size(), 1u) << "forgetting is per feed";
  EXPECT_EQ((*other_events)[0].failures, 1);

  ASSERT_TRUE(feeds.RemoveFeed(*id));
  auto left = feeds.Feeds();
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].url, other.url);
  events = feeds.Events(*id);
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
  auto still = (*tx)->Intel().FindEvent(IntelReader{true, std::nullopt, false}, *event_id);
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_TRUE(*still) << "the events taken in stay";
  ASSERT_TRUE((*tx)->Commit());
}

}  // namespace
}  // namespace baken::store
