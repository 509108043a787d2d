#include "feeds/input.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "feeds/feed_file.h"
#include "feeds/test_sink.h"

namespace baken::feeds {
namespace {

std::string Gzip(std::string_view text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string ReadAll(ByteSource& source) {
  std::string out;
  char buffer[7];  // small, to cross block boundaries often
  while (const size_t n = source.Read(buffer, sizeof buffer)) out.append(buffer, n);
  return out;
}

std::string Body(size_t rows) {
  std::string text = "timestamp,ip,port\n";
  for (size_t i = 0; i < rows; ++i) {
    text += "2026-11-22 01:02:03,192.0.2." + std::to_string(i % 250 + 1) + ",3389\n";
  }
  return text;
}

TEST(InputTest, PassesPlainBytesThroughAndDecompressesGzip) {
  const std::string text = Body(1000);
  auto plain = MaybeGunzip(std::make_unique<StringSource>(text));
  EXPECT_EQ(ReadAll(*plain), text);
  EXPECT_FALSE(plain->error());
  const std::string packed = Gzip(text);
  auto gunzip = MaybeGunzip(std::make_unique<StringSource>(packed));
  EXPECT_EQ(ReadAll(*gunzip), text);
  EXPECT_FALSE(gunzip->error());
  // Two gzip members one after the other read as one stream.
  const std::string twice = packed + packed;
  auto both = MaybeGunzip(std::make_unique<StringSource>(twice));
  EXPECT_EQ(ReadAll(*both), text + text);
}

TEST(InputTest, ATruncatedGzipKeepsWhatCameBeforeAndSaysSo) {
  const std::string text = Body(5000);
  const std::string packed = Gzip(text);
  const std::string cut = packed.substr(0, packed.size() / 2);
  CollectingSink sink;
  const Status status =
      ParseFeed("2026-11-22-scan_rdp-nl.csv.gz", MaybeGunzip(std::make_unique<StringSource>(cut)),
                {}, {"2026-11-23T12:00:00+00:00"}, sink);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "reading stopped early: the gzip data ends early (the file seems cut off)");
  EXPECT_GT(sink.events.size(), 100u);
  EXPECT_LT(sink.events.size(), 5000u);
}

TEST(InputTest, RecognisesTheFeedKind) {
  CollectingSink sink;
  const std::string json = "{\"source.ip\": \"192.0.2.1\"}\n";
  ASSERT_TRUE(ParseFeed("events.txt", MaybeGunzip(std::make_unique<StringSource>(json)), {},
                        {"2026-11-23T12:00:00+00:00"}, sink));
  EXPECT_EQ(sink.events.size(), 1u);
  const std::string csv = Body(3);
  ASSERT_TRUE(ParseFeed("2026-11-22-scan_rdp-x.csv",
                        MaybeGunzip(std::make_unique<StringSource>(csv)), {},
                        {"2026-11-23T12:00:00+00:00"}, sink));
  EXPECT_EQ(sink.events.size(), 4u);
  EXPECT_EQ(sink.last.Get("feed.name"), "Accessible-RDP");
  FeedOptions csv_without_mapping;
  csv_without_mapping.kind = FeedKind::kCsv;
  EXPECT_FALSE(ParseFeed("list.csv", MaybeGunzip(std::make_unique<StringSource>(csv)),
                         csv_without_mapping, {"2026-11-23T12:00:00+00:00"}, sink));
}

}  // namespace
}  // namespace baken::feeds
