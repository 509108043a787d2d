// The event store: the block codec (event_block.h), and the event repository on a real SQLite
// file: dedup by key, paging across blocks, scope, retention, and migration 3, which moves the
// events of a version 2 database into blocks.

#include <filesystem>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zstd.h>

#include "feeds/event.h"
#include "store/event_block.h"
#include "store/migrations.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

using namespace std::string_literals;
using registry::Scope;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

EventRecord MakeEvent(std::optional<std::string> member, const std::string& ip,
                      const std::string& observed = "2026-11-23T10:00:00+00:00") {
  EventRecord event;
  event.member = std::move(member);
  event.dedup_key = event.member.value_or("-") + "|open-rdp|" + ip + "|3389|2026-11-22";
  if (event.member) {
    event.route_reason = "netblock";
    event.route_match = "192.0.2.0/24";
  }
  event.feed_name = "Accessible-RDP";
  event.classification_type = "vulnerable-system";
  event.classification_identifier = "open-rdp";
  event.source_ip = ip;
  event.source_port = 3389;
  event.time_source = "2026-11-22T01:00:00+00:00";
  event.time_observation = observed;
  event.tlp = "AMBER";
  event.data = "{\"source.ip\":\"" + ip + "\",\"feed.name\":\"Accessible-RDP\"}";
  return event;
}

std::vector<const EventRecord*> Pointers(const std::vector<EventRecord>& events) {
  std::vector<const EventRecord*> pointers;
  for (const EventRecord& event : events) pointers.push_back(&event);
  return pointers;
}

std::vector<EventRecord> DecodeAll(std::string_view block) {
  auto reader = EventBlockReader::Open(block, "test block");
  EXPECT_TRUE(reader) << reader.error().message;
  std::vector<EventRecord> events;
  if (!reader) return events;
  for (;;) {
    EventRecord record;
    auto next = reader->Next(&record);
    EXPECT_TRUE(next) << next.error().message;
    if (!next || !*next) break;
    events.push_back(std::move(record));
  }
  return events;
}

TEST(EventBlockTest, RecordsComeBackAsTheyWent) {
  std::vector<EventRecord> events = {MakeEvent("GM0363", "192.0.2.1"),
                                     MakeEvent(std::nullopt, "198.51.100.7")};
  events[1].source_port.reset();
  events[1].time_source.clear();
  events[1].data = std::string(70000, 'x') + "\xc3\xa9\n\"\0|"s;  // long, UTF-8, odd bytes
  const std::vector<EventRecord> back = DecodeAll(EncodeEventBlock(Pointers(events)));
  ASSERT_EQ(back.size(), 2u);
  for (size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].dedup_key, events[i].dedup_key);
    EXPECT_EQ(back[i].route_reason, events[i].route_reason);
    EXPECT_EQ(back[i].route_match, events[i].route_match);
    EXPECT_EQ(back[i].classification_type, events[i].classification_type);
    EXPECT_EQ(back[i].classification_identifier, events[i].classification_identifier);
    EXPECT_EQ(back[i].source_ip, events[i].source_ip);
    EXPECT_EQ(back[i].source_port, events[i].source_port);
    EXPECT_EQ(back[i].time_source, events[i].time_source);
    EXPECT_EQ(back[i].time_observation, events[i].time_observation);
    EXPECT_EQ(back[i].data, events[i].data);
  }
}

// The field form ingest writes is read back as the JSON that feeds::AppendIntelMqJson writes
// for the same event: strings escaped (invalid UTF-8 replaced), literals as they are, the
// fields in their order. A record given as JSON text comes back as it was, beside it.
TEST(EventBlockTest, EventDataInTheFieldFormIsReadAsTheEventsJson) {
  feeds::Event event;
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.1"));
  ASSERT_TRUE(event.Add("source.port", "3389"));
  ASSERT_TRUE(event.Add("feed.name", "Accessible-RDP"));
  ASSERT_TRUE(event.Add("extra.banner", "say \"hi\"\n\x01\xff\xc3\xa9 ; 'x'"));
  ASSERT_TRUE(event.AddExtraJson("extra.tags", R"(["a",{"b":1}])"));
  ASSERT_TRUE(event.Add("extra.empty_looking", "0"));
  // Lengths of two and three bytes in the field form.
  ASSERT_TRUE(event.Add("extra.long", std::string(200, 'x')));
  ASSERT_TRUE(event.Add("extra.longer", std::string(70000, 'y') + "\""));
  std::vector<EventRecord> events = {MakeEvent("GM0363", "192.0.2.1"),
                                     MakeEvent("GM0363", "192.0.2.2")};
  std::vector<EventDataField> fields;
  for (const feeds::EventField& field : event) {
    fields.push_back({field.key, field.value, field.kind != feeds::ValueKind::kString});
  }
  WriteEventData(fields, &events[0].data);
  const std::vector<EventRecord> back = DecodeAll(EncodeEventBlock(Pointers(events)));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].data, feeds::ToIntelMqJson(event));
  EXPECT_EQ(nlohmann::json::parse(back[0].data)["extra.tags"][1]["b"], 1);
  EXPECT_EQ(back[1].data, events[1].data);

  // An event without fields is an empty object; an empty literal is read as an empty string.
  WriteEventData({}, &events[0].data);
  EXPECT_EQ(DecodeAll(EncodeEventBlock(Pointers(events)))[0].data, "{}");
  const std::vector<EventDataField> empty_literal = {{"extra.x", "", true}};
  WriteEventData(empty_literal, &events[0].data);
  EXPECT_EQ(DecodeAll(EncodeEventBlock(Pointers(events)))[0].data, R"({"extra.x":""})");
}

// Keys and values of every length from none to past the longest copied without memcpy come
// back byte for byte, each in its place.
TEST(EventBlockTest, FieldsOfEveryShortLengthComeBackByteForByte) {
  const auto letters = [](size_t length, size_t seed) {
    std::string text;
    for (size_t i = 0; i < length; ++i)
      text.push_back(static_cast<char>('a' + (i * 7 + seed) % 26));
    return text;
  };
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (size_t length = 0; length <= 40; ++length) {
    keys.push_back("extra.k" + letters(length, 3));
    values.push_back(letters(length, length));
  }
  std::vector<EventDataField> fields;
  for (size_t i = 0; i < keys.size(); ++i) fields.push_back({keys[i], values[i], false});
  std::vector<EventRecord> events = {MakeEvent("GM0363", "192.0.2.1")};
  WriteEventData(fields, &events[0].data);
  const std::vector<EventRecord> back = DecodeAll(EncodeEventBlock(Pointers(events)));
  ASSERT_EQ(back.size(), 1u);
  const nlohmann::json read = nlohmann::json::parse(back[0].data);
  ASSERT_EQ(read.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    EXPECT_EQ(read.value(keys[i], "?"), values[i]) << keys[i];
}

TEST(EventBlockTest, DamagedEventFieldsAreRefusedWithTheBlocksName) {
  std::vector<EventRecord> events = {MakeEvent("GM0363", "192.0.2.1")};
  for (const std::string& fields : {"\x01\x03key"s,        // the value is missing
                                    "\x01\x03key\x01v"s,   // so is its kind
                                    "\x01\x03key\x01vx"s,  // an unknown kind
                                    "\x01\x03key\x00l"s,   // an empty literal
                                    "\x01\x00\x01vs"s}) {  // an empty key
    events[0].data = fields;
    auto reader = EventBlockReader::Open(EncodeEventBlock(Pointers(events)), "event block 5");
    ASSERT_TRUE(reader) << reader.error().message;
    EventRecord record;
    auto next = reader->Next(&record);
    ASSERT_FALSE(next) << fields;
    EXPECT_THAT(next.error().message, HasSubstr("event block 5"));
    EXPECT_THAT(next.error().message, HasSubstr("event fields are not readable"));
  }
}

TEST(EventBlockTest, CompressesRepeatedFeedEvents) {
  std::vector<EventRecord> events;
  for (int i = 0; i < 1000; ++i)
    events.push_back(MakeEvent("GM0363", "192.0.2." + std::to_string(i % 250)));
  size_t raw = 0;
  for (const EventRecord& event : events) raw += EncodedSize(event);
  const std::string block = EncodeEventBlock(Pointers(events));
  EXPECT_LT(block.size() * 5, raw);
}

TEST(EventBlockTest, DamagedBlocksAreRefusedWithTheirName) {
  const std::vector<EventRecord> events = {MakeEvent("GM0363", "192.0.2.1")};
  const std::string block = EncodeEventBlock(Pointers(events));

  auto garbage = EventBlockReader::Open("not zstd at all", "event block 7");
  ASSERT_FALSE(garbage);
  EXPECT_THAT(garbage.error().message, HasSubstr("event block 7"));

  auto truncated =
      EventBlockReader::Open(std::string_view(block).substr(0, block.size() - 3), "event block 8");
  EXPECT_FALSE(truncated);

  // Valid frames around bad records.
  const auto frame = [](std::string_view content) {
    std::string out(ZSTD_compressBound(content.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), content.data(), content.size(), 1));
    return out;
  };
  for (const auto& [content, problem] : std::vector<std::pair<std::string, std::string>>{
           {"\x05"
            "ab",
            "field runs past the end"},
           {"\xff\xff\xff\xff\xff\xff", "length too long"},
           {"\x01k", "truncated length"},
       }) {
    auto reader = EventBlockReader::Open(frame(content), "event block 9");
    ASSERT_TRUE(reader) << reader.error().message;
    EventRecord record;
    auto next = reader->Next(&record);
    ASSERT_FALSE(next) << problem;
    EXPECT_THAT(next.error().message, HasSubstr("event block 9"));
    EXPECT_THAT(next.error().message, HasSubstr(problem));
  }
}

TEST(EventBlockTest, DedupHashIsBlake2b128) {
  // Stored hashes must never change meaning: pinned against Python's hashlib.blake2b.
  const DedupHash hash = HashDedupKey("GM0363|open-rdp|192.0.2.1|3389|2026-11-22");
  std::string hex;
  for (unsigned char byte : hash) hex += fmt::format("{:02x}", byte);
  EXPECT_EQ(hex, "922b38bc715b27e77ddd5a31d6fb5ad1");
}

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {}
  void TearDown() override { store_.reset(); }
  std::string DbPath() const { return database_.location(); }
  void OpenStore() {
    auto store = Store::Open(DbPath());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  std::vector<bool> Add(const std::vector<EventRecord>& events) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto stored = (*tx)->Events().AddNew(Pointers(events));
    EXPECT_TRUE(stored) << stored.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return stored ? *stored : std::vector<bool>();
  }

  std::vector<StoredEvent> List(const Scope& scope, const EventQuery& query = {}) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    std::vector<StoredEvent> events;
    const Status status = (*tx)->Events().ForEach(scope, query, [&](const StoredEvent& event) {
      events.push_back(event);
      return true;
    });
    EXPECT_TRUE(status) << status.error().message;
    return events;
  }

  static std::vector<std::string> Ips(const std::vector<StoredEvent>& events) {
    std::vector<std::string> ips;
    for (const StoredEvent& event : events) ips.push_back(event.record.source_ip);
    return ips;
  }

  testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(EventStoreTest, KeepsTheFirstEventOfEachDuplicateGroupInABatch) {
  // A file's rows in file order: many repeats of a few findings, each repeat with its own
  // data (a later scan on the same day). The first row of each group is the one kept, however
  // the batch is ordered for writing.
  OpenStore();
  std::vector<EventRecord> events;
  for (int row = 0; row < 200; ++row) {
    EventRecord event = MakeEvent("GM0363", fmt::format("192.0.2.{}", row % 7));
    event.time_observation = fmt::format("2026-11-23T10:{:02}:{:02}+00:00", row / 60, row % 60);
    events.push_back(std::move(event));
  }
  const std::vector<bool> stored = Add(events);
  ASSERT_EQ(stored.size(), events.size());
  for (size_t row = 0; row < stored.size(); ++row) {
    EXPECT_EQ(stored[row], row < 7) << "row " << row;
  }
  for (const StoredEvent& event : List(Scope::All())) {
    EXPECT_EQ(event.record.time_observation.substr(0, 18), "2026-11-23T10:00:0")
        << event.record.source_ip;
  }
}

TEST_F(EventStoreTest, StoresEachDedupKeyOnce) {
  OpenStore();
  EXPECT_THAT(Add({MakeEvent("GM0363", "192.0.2.1"), MakeEvent("GM0363", "192.0.2.2"),
                   MakeEvent("GM0363", "192.0.2.1")}),
              ElementsAre(true, true, false));
  EXPECT_THAT(Add({MakeEvent("GM0363", "192.0.2.2"), MakeEvent("GM0599", "192.0.2.2")}),
              ElementsAre(false, true));
  const auto all = List(Scope::All());
  EXPECT_THAT(Ips(all), ElementsAre("192.0.2.1", "192.0.2.2", "192.0.2.2"));
  EXPECT_EQ(all[2].record.member, "GM0599");
  EXPECT_EQ(all[0].record.source_port, 3389);
  EXPECT_EQ(all[0].record.data, MakeEvent("GM0363", "192.0.2.1").data);
}

// A batch with more blocks than one statement writes on PostgreSQL (500): every block keeps its
// own member, and the events come back in the order they were given.
TEST_F(EventStoreTest, ABatchOfManyBlocksKeepsEachBlocksMemberAndTheOrder) {
  OpenStore();
  std::vector<EventRecord> events;
  for (int i = 0; i < 1200; ++i) {
    events.push_back(
        MakeEvent(fmt::format("GM{:04}", i), fmt::format("10.0.{}.{}", i / 256, i % 256)));
  }
  const std::vector<bool> stored = Add(events);
  EXPECT_EQ(std::count(stored.begin(), stored.end(), true), 1200);
  const std::vector<StoredEvent> all = List(Scope::All());
  ASSERT_EQ(all.size(), 1200u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].record.member, fmt::format("GM{:04}", i));
    EXPECT_EQ(all[i].record.source_ip, events[i].source_ip);
    if (i > 0) {
      EXPECT_GT(all[i].id, all[i - 1].id);
    }
  }
  const std::vector<StoredEvent> one = List(Scope::OneMember("GM0777"));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].record.source_ip, "10.0.3.9");
}

TEST_F(EventStoreTest, KnownTellsWhichKeysAreStoredAndStoresNone) {
  // More keys than one PostgreSQL statement carries (8,192), half of them stored, in an
  // order unlike the store's.
  OpenStore();
  std::vector<EventRecord> stored;
  for (int i = 0; i < 10000; ++i) {
    stored.push_back(
        MakeEvent("GM0363", fmt::format("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256)));
  }
  Add(stored);
  std::vector<DedupHash> asked;
  std::vector<bool> expected;
  for (int i = 19999; i >= 0; --i) {
    const EventRecord event =
        MakeEvent("GM0363", fmt::format("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256));
    asked.push_back(HashDedupKey(event.dedup_key));
    expected.push_back(i < 10000);
  }
  asked.push_back(asked.back());  // a key asked twice is answered twice
  expected.push_back(expected.back());
  {
    auto tx = store_->Begin(Access::kRead);
    ASSERT_TRUE(tx);
    auto known = (*tx)->Events().Known(asked);
    ASSERT_TRUE(known) << known.error().message;
    EXPECT_EQ(*known, expected);
  }
  // Nothing was stored by asking: the first unknown key is still new.
  EXPECT_THAT(Add({MakeEvent("GM0363", "10.0.39.16")}), ElementsAre(true));
}

TEST_F(EventStoreTest, ScopeAndFiltersApplyToEveryBlock) {
  OpenStore();
  Add({MakeEvent("GM0363", "192.0.2.1"), MakeEvent("GM0599", "192.0.2.9"),
       MakeEvent(std::nullopt, "203.0.113.5")});
  EXPECT_THAT(Ips(List(Scope::OneMember("GM0363"))), ElementsAre("192.0.2.1"));
  // A member asking for another member's events gets nothing, not that member's events.
  EventQuery other;
  other.member = "GM0599";
  EXPECT_TRUE(List(Scope::OneMember("GM0363"), other).empty());
  EventQuery unrouted;
  unrouted.unrouted = true;
  EXPECT_THAT(Ips(List(Scope::All(), unrouted)), ElementsAre("203.0.113.5"));
  EXPECT_TRUE(List(Scope::OneMember("GM0363"), unrouted).empty());
}

TEST_F(EventStoreTest, AMemberSeesRedEventsOnlyOnceAnAnalystReleasedTheirMessage) {
  OpenStore();
  const auto digest = [&](const std::string& member, const std::string& tlp) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto id = (*tx)->Digests().Create({member, "Sinkhole", tlp, "2026-11-22T00:00:00Z"},
                                      "2026-11-22T00:00:00Z", "2026-11-22T00:00:00Z");
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return id ? *id : 0;
  };
  const int64_t red = digest("GM0363", "RED");
  const int64_t other_red = digest("GM0599", "RED");
  std::vector<EventRecord> events = {MakeEvent("GM0363", "192.0.2.1"),
                                     MakeEvent("GM0363", "192.0.2.2"),
                                     MakeEvent("GM0599", "192.0.2.9")};
  events[0].tlp = "AMBER";
  events[1].tlp = "RED";
  events[1].digest_id = red;
  events[2].tlp = "RED";
  events[2].digest_id = other_red;
  Add(events);
  const auto message = [&](int64_t digest_id, const std::string& member,
                           const std::string& language) {
    OutboxMessage held;
    held.digest_id = digest_id;
    held.member = member;
    held.feed_name = "Sinkhole";
    held.tlp = "RED";
    held.language = language;
    held.recipients = {"soc@example.nl"};
    held.message_id = fmt::format("m{}{}", digest_id, language);
    held.state = OutboxState::kHeld;
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto id = (*tx)->Outbox().Add(held);
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE((*tx)->Commit());
    held.id = id ? *id : 0;
    return held;
  };
  OutboxMessage dutch = message(red, "GM0363", "nl");
  message(red, "GM0363", "en");
  OutboxMessage rotterdam = message(other_red, "GM0599", "nl");

  // Held: only staff see the RED event.
  EXPECT_THAT(Ips(List(Scope::OneMember("GM0363"))), ElementsAre("192.0.2.1"));
  EXPECT_THAT(Ips(List(Scope::All())), ElementsAre("192.0.2.1", "192.0.2.2", "192.0.2.9"));
  const auto set_state = [&](OutboxMessage& changed, OutboxState state) {
    changed.state = state;
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Outbox().UpdateState(changed));
    ASSERT_TRUE((*tx)->Commit());
  };
  // Another member's release shows nothing to this one.
  set_state(rotterdam, OutboxState::kPending);
  EXPECT_THAT(Ips(List(Scope::OneMember("GM0363"))), ElementsAre("192.0.2.1"));
  EXPECT_THAT(Ips(List(Scope::OneMember("GM0599"))), ElementsAre("192.0.2.9"));
  // Released to this member (pending, then sent): its users see it.
  set_state(dutch, OutboxState::kPending);
  EXPECT_THAT(Ips(List(Scope::OneMember("GM0363"))), ElementsAre("192.0.2.1", "192.0.2.2"));
  set_state(dutch, OutboxState::kSent);
  EventQuery by_digest;
  by_digest.digest_id = red;
  EXPECT_THAT(Ips(List(Scope::OneMember("GM0363"), by_digest)), ElementsAre("192.0.2.2"));
}

TEST_F(EventStoreTest, PagesAcrossBlocksWithoutGapsOrRepeats) {
  OpenStore();
  std::vector<EventRecord> events;
  for (size_t i = 0; i < kMaxEventsPerBlock + 10; ++i) {
    events.push_back(
        MakeEvent("GM0363", "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250)));
  }
  Add(events);
  Add({MakeEvent("GM0363", "192.0.2.200")});
  std::vector<std::string> seen;
  EventQuery page;
  page.limit = 1000;
  int64_t last_id = 0;
  for (int round = 0; round < 10; ++round) {
    const auto got = List(Scope::OneMember("GM0363"), page);
    if (got.empty()) break;
    for (const StoredEvent& event : got) {
      EXPECT_GT(event.id, last_id);
      last_id = event.id;
      seen.push_back(event.record.source_ip);
    }
    page.after_id = got.back().id;
  }
  ASSERT_EQ(seen.size(), events.size() + 1);
  EXPECT_EQ(seen.front(), events.front().source_ip);
  EXPECT_EQ(seen[kMaxEventsPerBlock], events[kMaxEventsPerBlock].source_ip);
  EXPECT_EQ(seen.back(), "192.0.2.200");
}

// A person pages by count through a long list: every page starts where the last one ended,
// whichever block it falls in, and the total is the true number of matching events.
TEST_F(EventStoreTest, OffsetPagesAndCountsWithAndWithoutEventFilters) {
  OpenStore();
  std::vector<EventRecord> events;
  for (size_t i = 0; i < kMaxEventsPerBlock + 100; ++i) {
    EventRecord event =
        MakeEvent(std::nullopt, "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250));
    if (i % 3 == 0) event.classification_type = "infected-system";
    events.push_back(std::move(event));
  }
  Add(events);
  Add({MakeEvent(std::nullopt, "192.0.2.200", "2026-11-24T10:00:00+00:00")});
  const Scope staff = Scope::All();
  auto count = [&](const EventQuery& query) {
    auto tx = store_->Begin(Access::kRead);
    auto total = (*tx)->Events().Count(staff, query);
    EXPECT_TRUE(total) << total.error().message;
    return total ? *total : -1;
  };
  EventQuery all;
  all.unrouted = true;
  EXPECT_EQ(count(all), static_cast<int64_t>(events.size() + 1));

  // Newest first, by count: the page that straddles the two blocks of the first batch.
  EventQuery page = all;
  page.newest_first = true;
  page.limit = 50;
  page.offset = 80;
  const auto got = List(staff, page);
  ASSERT_EQ(got.size(), 50u);
  // Offset 0 is the later batch's one event; offset 1 the first batch's last event.
  EXPECT_EQ(got[0].record.source_ip, events[events.size() - 80].source_ip);
  EXPECT_EQ(got[49].record.source_ip, events[events.size() - 129].source_ip);
  page.offset = 0;
  page.limit = 1;
  EXPECT_EQ(List(staff, page)[0].record.source_ip, "192.0.2.200");
  page.offset = static_cast<int64_t>(events.size());  // the oldest event, alone on its page
  page.limit = 50;
  EXPECT_THAT(Ips(List(staff, page)), ElementsAre(events.front().source_ip));

  // Filters on the events' own fields: counted by reading them, paged the same way.
  EventQuery infected = all;
  infected.classification_type = "infected-system";
  const int64_t expected_infected = static_cast<int64_t>((events.size() + 2) / 3);
  EXPECT_EQ(count(infected), expected_infected);
  infected.offset = expected_infected - 2;
  const auto tail = List(staff, infected);
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[1].record.classification_type, "infected-system");
  EventQuery text = all;
  text.text = "192.0.2.2";
  EXPECT_EQ(count(text), 1);
  EventQuery later = all;
  later.observed_since = "2026-11-24T00:00:00+00:00";
  EXPECT_THAT(Ips(List(staff, later)), ElementsAre("192.0.2.200"));
  EXPECT_EQ(count(later), 1);
  later.observed_since.reset();
  later.observed_until = "2026-11-24T00:00:00+00:00";
  EXPECT_EQ(count(later), static_cast<int64_t>(events.size()));
  EventQuery red = all;
  red.tlp = "RED";
  EXPECT_EQ(count(red), 0);

  // A member's scope counts none of the unrouted events.
  auto tx = store_->Begin(Access::kRead);
  EXPECT_EQ(*(*tx)->Events().Count(Scope::OneMember("GM0363"), EventQuery{}), 0);
}

TEST_F(EventStoreTest, EventsAreCountedPerWeekWithinTheScope) {
  OpenStore();
  // One block within one week (counted from the block list), one block spanning two weeks and
  // `since` (read event by event), another member's and an unrouted event.
  Add({MakeEvent("GM0363", "192.0.2.1", "2026-11-23T10:00:00+00:00"),
       MakeEvent("GM0363", "192.0.2.2", "2026-11-29T23:59:59+00:00")});
  Add({MakeEvent("GM0363", "192.0.2.3", "2026-11-08T10:00:00+00:00"),
       MakeEvent("GM0363", "192.0.2.4", "2026-11-16T10:00:00+00:00"),
       MakeEvent("GM0363", "192.0.2.5", "2026-12-05T10:00:00+00:00")});
  Add({MakeEvent("GM0599", "198.51.100.1", "2026-11-24T10:00:00+00:00")});
  Add({MakeEvent(std::nullopt, "203.0.113.1", "2026-11-24T10:00:00+00:00")});
  const std::string since = "2026-11-16T00:00:00+00:00";
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto own = (*tx)->Events().CountPerWeek(Scope::OneMember("GM0363"), std::nullopt, since);
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(*own, (std::map<std::string, int64_t>{
                      {"2026-11-16", 1}, {"2026-11-23", 2}, {"2026-11-30", 1}}));
  // A member's scope never counts another member's events, even when asked for them.
  auto other = (*tx)->Events().CountPerWeek(Scope::OneMember("GM0363"), "GM0599", since);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
  auto all = (*tx)->Events().CountPerWeek(Scope::All(), std::nullopt, since);
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, (std::map<std::string, int64_t>{
                      {"2026-11-16", 1}, {"2026-11-23", 4}, {"2026-11-30", 1}}));
  auto one = (*tx)->Events().CountPerWeek(Scope::All(), "GM0599", since);
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, (std::map<std::string, int64_t>{{"2026-11-23", 1}}));
}

TEST_F(EventStoreTest, RetentionRemovesOldBlocksAndTheirKeys) {
  OpenStore();
  Add({MakeEvent("GM0363", "192.0.2.1", "2026-08-01T00:00:00+00:00")});
  Add({MakeEvent("GM0363", "192.0.2.2", "2026-11-23T00:00:00+00:00")});
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto removed = (*tx)->Events().DeleteObservedBefore("2026-09-01T00:00:00+00:00");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 1);
  ASSERT_TRUE((*tx)->Commit());
  EXPECT_THAT(Ips(List(Scope::All())), ElementsAre("192.0.2.2"));
  // The finding is forgotten with its event: reported again, it is new again.
  EXPECT_THAT(Add({MakeEvent("GM0363", "192.0.2.1", "2026-11-23T00:00:00+00:00"),
                   MakeEvent("GM0363", "192.0.2.2", "2026-11-23T00:00:00+00:00")}),
              ElementsAre(true, false));
}

TEST_F(EventStoreTest, MigrationMovesVersionTwoEventsIntoBlocks) {
  {
    // A database as version 2 of Baken left it, with two events in the old table.
    auto db = sql::OpenSqlite(DbPath());
    ASSERT_TRUE(db) << db.error().message;
    for (const Migration& migration : SqliteMigrations()) {
      if (migration.version > 2) break;
      ASSERT_TRUE((*db)->Execute(migration.sql));
    }
    ASSERT_TRUE((*db)->Execute("PRAGMA user_version = 2"));
    ASSERT_TRUE((*db)->Execute(
        "INSERT INTO events (dedup_key, member_code, route_reason, route_match, feed_name, "
        "classification_type, classification_identifier, source_ip, source_port, time_source, "
        "time_observation, tlp, data) VALUES "
        "('GM0363|open-rdp|192.0.2.1|3389|2026-11-22', 'GM0363', 'netblock', '192.0.2.0/24', "
        "'Accessible-RDP', 'vulnerable-system', 'open-rdp', '192.0.2.1', 3389, "
        "'2026-11-22T01:00:00+00:00', '2026-11-23T10:00:00+00:00', 'AMBER', '{\"a\":1}'), "
        "('-|open-rdp|203.0.113.5|3389|2026-11-22', NULL, NULL, NULL, 'Accessible-RDP', NULL, "
        "NULL, '203.0.113.5', NULL, NULL, '2026-11-23T10:00:00+00:00', 'AMBER', '{\"b\":2}')"));
  }
  OpenStore();
  // SQLite's own history, then the shared migrations on top.
  EXPECT_EQ(store_->SchemaVersion(), SharedMigrations().empty()
                                         ? SqliteMigrations().back().version
                                         : SharedMigrations().back().version);
  const auto all = List(Scope::All());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].record.member, "GM0363");
  EXPECT_EQ(all[0].record.data, "{\"a\":1}");
  EXPECT_EQ(all[0].record.route_match, "192.0.2.0/24");
  EXPECT_EQ(all[1].record.member, std::nullopt);
  EXPECT_EQ(all[1].record.source_port, std::nullopt);
  // The moved keys still deduplicate.
  EXPECT_THAT(Add({MakeEvent("GM0363", "192.0.2.1")}), ElementsAre(false));
}

}  // namespace
}  // namespace baken::store
