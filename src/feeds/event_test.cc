#include "feeds/event.h"

#include <gtest/gtest.h>

namespace baken::feeds {
namespace {

TEST(EventTest, AddsSanitisedFieldsAndDropsEmptyValues) {
  Event event;
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.1"));
  ASSERT_TRUE(event.Add("source.port", "443"));
  ASSERT_TRUE(event.Add("source.fqdn", "-"));
  ASSERT_TRUE(event.Add("comment", "N/A"));
  ASSERT_TRUE(event.Add("extra.banner", "hello \"world\"\n"));
  EXPECT_EQ(event.size(), 3u);
  EXPECT_FALSE(event.Has("source.fqdn"));
  EXPECT_EQ(ToIntelMqJson(event),
            R"({"source.ip":"192.0.2.1","source.port":443,"extra.banner":"hello \"world\"\n"})");
}

TEST(EventTest, RefusesUnknownKeysInvalidValuesAndRepeats) {
  Event event;
  const Status unknown = event.Add("source.ipaddress", "192.0.2.1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "'source.ipaddress' is not an IntelMQ field");
  const Status invalid = event.Add("source.ip", "abc");
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().message, "source.ip 'abc' is not an IP address");
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.1"));
  EXPECT_FALSE(event.Add("source.ip", "192.0.2.2"));
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.2", OnExisting::kKeep));
  EXPECT_EQ(event.Get("source.ip"), "192.0.2.1");
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.2", OnExisting::kReplace));
  EXPECT_EQ(event.Get("source.ip"), "192.0.2.2");
}

TEST(EventTest, ReusesItsMemoryAcrossClear) {
  Event event;
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.1"));
  ASSERT_TRUE(event.Add("source.port", "1"));
  event.Clear();
  EXPECT_TRUE(event.empty());
  EXPECT_FALSE(event.Has("source.ip"));
  ASSERT_TRUE(event.Add("source.port", "2"));
  EXPECT_EQ(ToIntelMqJson(event), R"({"source.port":2})");
  EXPECT_TRUE(event.Remove("source.port"));
  EXPECT_TRUE(event.empty());
}

// An event keeps where each harmonization field is, so that looking one up needs no search:
// that place must follow every way a field comes or goes.
TEST(EventTest, FindsEveryFieldAfterRemoveClearCopyAndMove) {
  Event event;
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.1"));
  ASSERT_TRUE(event.Add("extra.a", "1"));
  event.AddBorrowed("feed.name", "Accessible-RDP", ValueKind::kString, OnExisting::kKeep);
  event.AddBorrowed("extra.b", "2", ValueKind::kString, OnExisting::kKeep);
  ASSERT_TRUE(event.Add("source.port", "3389"));
  const auto expect_all = [](const Event& e, std::string_view ip) {
    EXPECT_EQ(e.Get("source.ip"), ip);
    EXPECT_EQ(e.Get("extra.a"), "1");
    EXPECT_EQ(e.Get("feed.name"), "Accessible-RDP");
    EXPECT_EQ(e.Get("extra.b"), "2");
    EXPECT_EQ(e.Get("source.port"), "3389");
    EXPECT_FALSE(e.Has("source.fqdn"));
  };
  expect_all(event, "192.0.2.1");

  // Removing a field moves those after it.
  ASSERT_TRUE(event.Add("source.fqdn", "www.example.nl"));
  ASSERT_TRUE(event.Remove("source.ip"));
  EXPECT_FALSE(event.Has("source.ip"));
  EXPECT_EQ(event.Get("source.fqdn"), "www.example.nl");
  ASSERT_TRUE(event.Remove("source.fqdn"));
  ASSERT_TRUE(event.Add("source.ip", "192.0.2.9"));
  expect_all(event, "192.0.2.9");
  EXPECT_EQ(event.begin()[event.size() - 1].key, "source.ip");

  const Event copy = event;
  expect_all(copy, "192.0.2.9");
  Event moved = std::move(event);
  expect_all(moved, "192.0.2.9");
  EXPECT_TRUE(event.empty());  // NOLINT(bugprone-use-after-move): moving leaves it empty
  EXPECT_FALSE(event.Has("source.ip"));
  ASSERT_TRUE(event.Add("source.port", "22"));
  EXPECT_EQ(event.Get("source.port"), "22");

  // Assigned over an event that has other fields, and with a field replaced in place.
  Event other;
  ASSERT_TRUE(other.Add("source.fqdn", "www.example.nl"));
  ASSERT_TRUE(other.Add("source.ip", "198.51.100.1"));
  other = copy;
  expect_all(other, "192.0.2.9");
  EXPECT_FALSE(other.Has("source.fqdn"));
  ASSERT_TRUE(other.Add("source.ip", "192.0.2.77", OnExisting::kReplace));
  expect_all(other, "192.0.2.77");
  Event assigned;
  ASSERT_TRUE(assigned.Add("source.url", "https://www.example.nl/"));
  assigned = std::move(other);
  expect_all(assigned, "192.0.2.77");
  EXPECT_FALSE(assigned.Has("source.url"));

  // After Clear, nothing is found, and a field added again is found where it now is.
  moved.Clear();
  EXPECT_FALSE(moved.Has("source.ip"));
  EXPECT_FALSE(moved.Has("feed.name"));
  ASSERT_TRUE(moved.Add("extra.c", "3"));
  ASSERT_TRUE(moved.Add("source.ip", "192.0.2.3"));
  EXPECT_EQ(moved.Get("source.ip"), "192.0.2.3");
  EXPECT_FALSE(moved.Add("source.ip", "192.0.2.4"));  // still known to be there
  EXPECT_EQ(ToIntelMqJson(moved), R"({"extra.c":"3","source.ip":"192.0.2.3"})");
}

TEST(EventTest, WritesInvalidUtf8AsReplacementCharacters) {
  Event event;
  ASSERT_TRUE(event.Add("comment", "caf\xE9"));
  EXPECT_EQ(ToIntelMqJson(event), "{\"comment\":\"caf\xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace baken::feeds
