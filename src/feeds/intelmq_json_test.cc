#include "feeds/intelmq_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feeds/test_sink.h"

namespace baken::feeds {
namespace {

const ParseContext kContext{"2026-11-23T12:00:00+00:00"};

TEST(IntelMqJsonTest, ReadsEventsAndWritesThemBackTheSame) {
  const std::string line =
      R"({"__type": "Event", "source.ip": "192.0.2.1", "source.port": 80, "source.asn": 64500,)"
      R"( "classification.type": "infected-system", "classification.identifier": "mirai",)"
      R"( "time.source": "2026-11-22T10:00:00+00:00", "time.observation": "2026-11-22T11:00:00+00:00",)"
      R"( "feed.name": "Sinkhole", "extra.count": 3, "extra": {"nested": {"a": [1, 2]}}})";
  const std::string text = line + "\n\n";
  StringSource source(text);
  CollectingSink sink;
  ParseIntelMqJsonLines(source, kContext, sink);
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(
      sink.events[0],
      R"({"source.ip":"192.0.2.1","source.port":80,"source.asn":64500,)"
      R"("classification.type":"infected-system","classification.identifier":"mirai",)"
      R"("time.source":"2026-11-22T10:00:00+00:00","time.observation":"2026-11-22T11:00:00+00:00",)"
      R"("feed.name":"Sinkhole","extra.count":3,"extra.nested":{"a":[1,2]},)"
      R"("classification.taxonomy":"malicious-code"})");
  // Round trip: what Baken writes, it reads back to the same text.
  Event again;
  ASSERT_TRUE(ParseIntelMqLine(sink.events[0], again));
  EXPECT_EQ(ToIntelMqJson(again), sink.events[0]);
}

TEST(IntelMqJsonTest, RejectsBadLinesByNumberAndGoesOn) {
  StringSource source(
      "{\"source.ip\": \"192.0.2.1\"}\n"
      "not json\n"
      "[1]\n"
      "{\"source.ip\": \"300.1.1.1\"}\n"
      "{\"no.such\": 1}\n"
      "{\"__type\": \"Report\", \"raw\": \"\"}\n"
      "{\"source.ip\": \"192.0.2.2\", \"source.fqdn\": \"N/A\"}");
  CollectingSink sink;
  ParseIntelMqJsonLines(source, kContext, sink);
  EXPECT_EQ(sink.lines, (std::vector<size_t>{1, 7}));
  ASSERT_EQ(sink.rejects.size(), 5u);
  EXPECT_EQ(sink.rejects[0].line, 2u);
  EXPECT_THAT(sink.rejects[0].reason, ::testing::StartsWith("the line is not valid JSON: "));
  EXPECT_EQ(sink.rejects[1].reason, "the line is not a JSON object");
  EXPECT_EQ(sink.rejects[2].reason, "source.ip '300.1.1.1' is not an IP address");
  EXPECT_EQ(sink.rejects[3].reason, "'no.such' is not an IntelMQ field");
  EXPECT_EQ(sink.rejects[4].reason, "the message is a 'Report', not an Event");
  EXPECT_EQ(sink.last.Get("time.observation"), "2026-11-23T12:00:00+00:00");
}

}  // namespace
}  // namespace baken::feeds
