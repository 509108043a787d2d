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

TEST(EventTest, WritesInvalidUtf8AsReplacementCharacters) {
  Event event;
  ASSERT_TRUE(event.Add("comment", "caf\xE9"));
  EXPECT_EQ(ToIntelMqJson(event), "{\"comment\":\"caf\xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace baken::feeds
