// Reading how CSAF providers publish: the distribution fixtures in
// tests/data/advisories/distribution (OASIS examples, gocsaf test data, CISA's real files with
// their deviations), and timestamps and URLs as providers write them.
#include "advisories/distribution.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::advisories {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Fixture(const std::string& name) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  const std::filesystem::path path = std::filesystem::path(source ? source : ".") / "tests" /
                                     "data" / "advisories" / "distribution" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Urls(const Listing& listing) {
  std::vector<std::string> urls;
  for (const ListedDocument& document : listing.documents) urls.push_back(document.url);
  return urls;
}

TEST(ProviderMetadataTest, ReadsTheOasisRolieExample) {
  auto metadata = ReadProviderMetadata(Fixture("oasis-example-01-provider-metadata.json"));
  ASSERT_TRUE(metadata) << metadata.error().message;
  EXPECT_EQ(metadata->canonical_url,
            "https://www.example.com/.well-known/csaf/provider-metadata.json");
  EXPECT_EQ(metadata->publisher, "Example Company ProductCERT");
  EXPECT_EQ(metadata->last_updated, "2021-07-12T20:20:56.169Z");
  ASSERT_EQ(metadata->feeds.size(), 1u);
  EXPECT_EQ(metadata->feeds[0].url, "https://www.example.com/.well-known/csaf/feed-tlp-white.json");
  EXPECT_EQ(metadata->feeds[0].tlp_label, "WHITE");
  EXPECT_THAT(metadata->directories, IsEmpty());
}

TEST(ProviderMetadataTest, ReadsTheGocsafDirectoryProvider) {
  auto metadata = ReadProviderMetadata(Fixture("gocsaf-directory-provider-metadata.json"));
  ASSERT_TRUE(metadata) << metadata.error().message;
  EXPECT_THAT(metadata->directories, ElementsAre("{{.URL}}/white/"));
  EXPECT_THAT(metadata->feeds, IsEmpty());
  EXPECT_EQ(metadata->publisher, "ACME Inc");
}

TEST(ProviderMetadataTest, RefusesWhatOffersNoDistribution) {
  // The aggregator document is valid JSON but not provider metadata.
  auto aggregator = ReadProviderMetadata(Fixture("oasis-example-01-aggregator.json"));
  ASSERT_FALSE(aggregator);
  EXPECT_THAT(aggregator.error().message, HasSubstr("/distributions"));
  auto empty = ReadProviderMetadata(R"({"distributions": [{"rolie": {"feeds": []}}]})");
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().message, HasSubstr("neither a directory_url nor a ROLIE feed"));
  auto broken = ReadProviderMetadata(R"({"distributions": [)");
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("not JSON"));
  EXPECT_FALSE(ReadProviderMetadata("[1, 2]"));
}

TEST(RolieFeedTest, ReadsTheOasisExampleWithItsHashLink) {
  auto listing = ReadRolieFeed(Fixture("oasis-example-01-feed-tlp-white.json"),
                               "https://psirt.domain.tld/advisories/csaf/feed-tlp-white.json");
  ASSERT_TRUE(listing) << listing.error().message;
  ASSERT_EQ(listing->documents.size(), 1u);
  const ListedDocument& document = listing->documents[0];
  EXPECT_EQ(document.url, "https://psirt.domain.tld/advisories/csaf/2020/2020-ESA-001.json");
  EXPECT_EQ(document.hash_url,
            "https://psirt.domain.tld/advisories/csaf/2020/2020-ESA-001.json.sha512");
  EXPECT_EQ(document.updated, "2021-01-01T12:00:00.000000Z");
  EXPECT_THAT(listing->notes, IsEmpty());
}

TEST(RolieFeedTest, SkipsEntriesWithoutADocumentAndNamesThem) {
  auto listing = ReadRolieFeed(R"({"feed": {"entry": [
      {"id": "a", "updated": "2024-01-01T00:00:00Z"},
      {"id": "b", "link": [{"rel": "self", "href": "2024/b.json"}], "updated": "yesterday"},
      {"id": "c", "content": {"src": "ftp://elsewhere/c.json"}},
      {"id": "d", "link": [{"rel": "self", "href": "d.json"},
                           {"rel": "hash", "href": "d.json.sha256"},
                           {"rel": "hash", "href": "d.json.sha512"}],
       "updated": "2024-02-01T10:00:00+01:00"}]}})",
                               "https://example.org/csaf/feed.json");
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_THAT(Urls(*listing), ElementsAre("https://example.org/csaf/2024/b.json",
                                          "https://example.org/csaf/d.json"));
  EXPECT_EQ(listing->documents[0].updated, "");
  EXPECT_EQ(listing->documents[1].updated, "2024-02-01T09:00:00.000000Z");
  EXPECT_EQ(listing->documents[1].hash_url, "https://example.org/csaf/d.json.sha512");
  ASSERT_EQ(listing->notes.size(), 3u);
  EXPECT_THAT(listing->notes[0], HasSubstr("/feed/entry/0: no content.src"));
  EXPECT_THAT(listing->notes[1], HasSubstr("/feed/entry/1/updated: 'yesterday'"));
  EXPECT_THAT(listing->notes[2], HasSubstr("/feed/entry/2: ftp://elsewhere/c.json"));
  EXPECT_FALSE(ReadRolieFeed(R"({"entries": []})", "https://example.org/feed.json"));
}

TEST(ChangesCsvTest, ReadsTheSpecConformantGocsafFile) {
  const Listing listing =
      ReadChangesCsv(Fixture("gocsaf-directory-changes.csv"), "http://127.0.0.1:8080/white/");
  EXPECT_THAT(Urls(listing), ElementsAre("http://127.0.0.1:8080/white/avendor-advisory-0004.json"));
  EXPECT_EQ(listing.documents[0].updated, "2020-01-01T00:00:00.000000Z");
  EXPECT_THAT(listing.notes, IsEmpty());
}

TEST(ChangesCsvTest, ReadsCisasUnquotedFileWithRepeatedPaths) {
  const std::string directory =
      "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/";
  const Listing listing = ReadChangesCsv(Fixture("cisa-it-white-changes.csv"), directory);
  EXPECT_THAT(
      Urls(listing),
      ElementsAre(directory + "2024/va-24-254-02.json", directory + "2024/va-24-262-01.json",
                  directory + "2024/va-24-201-01.json", directory + "2024/va-24-254-01.json"));
  EXPECT_EQ(listing.documents[0].updated, "2024-10-03T16:03:00.000000Z");
  ASSERT_EQ(listing.notes.size(), 1u);  // noted once, not per line
  EXPECT_THAT(listing.notes[0], HasSubstr("repeats the directory's own path"));
}

TEST(ChangesCsvTest, NotesTimesWithoutZoneAndSkipsBrokenLines) {
  const Listing listing = ReadChangesCsv(
      "\"2024/e.json\",\"2024-09-24T11:14:33+0200\"\n"     // a zone without a colon
      "\"2024/a.json\",\"2024-11-12T08:00:00.0000000\"\n"  // Microsoft: no zone
      "\"2024/b.json\"\n"                                  // no time column
      "\"2024/c.json\",\"2024-09-24T09:14:33.175708+00:00\"\n"
      "\"2024/d.json,\"2024-01-01T00:00:00Z\"\n",  // unterminated quote runs to the end
      "https://example.org/csaf");
  EXPECT_THAT(Urls(listing), ElementsAre("https://example.org/csaf/2024/e.json",
                                         "https://example.org/csaf/2024/a.json",
                                         "https://example.org/csaf/2024/c.json"));
  EXPECT_EQ(listing.documents[0].updated, "2024-09-24T09:14:33.000000Z");
  EXPECT_EQ(listing.documents[1].updated, "2024-11-12T08:00:00.000000Z");
  EXPECT_EQ(listing.documents[2].updated, "2024-09-24T09:14:33.175708Z");
  // Only the time without a zone is noted ("+0200" is a zone).
  ASSERT_EQ(listing.notes.size(), 3u);
  EXPECT_THAT(listing.notes[0],
              HasSubstr("line 2: time '2024-11-12T08:00:00.0000000' has no zone"));
  EXPECT_THAT(listing.notes[1], HasSubstr("line 3: expected"));
  EXPECT_THAT(listing.notes[2], HasSubstr("line 5"));
}

TEST(IndexTxtTest, ReadsBothFixtures) {
  EXPECT_THAT(Urls(ReadIndexTxt(Fixture("gocsaf-directory-index.txt"), "http://h/white")),
              ElementsAre("http://h/white/avendor-advisory-0004.json"));
  const Listing cisa =
      ReadIndexTxt(Fixture("cisa-it-white-index.txt"), "https://example.org/csaf_files/IT/white/");
  EXPECT_EQ(cisa.documents.size(), 4u);
  EXPECT_EQ(cisa.documents[0].url,
            "https://example.org/csaf_files/IT/white/2024/va-24-262-01.json");
}

TEST(HashFileTest, ReadsTheLeadingHashOfTheRightLength) {
  const std::string sha256(64, 'a');
  EXPECT_EQ(ReadHashFile(sha256 + "  avendor-advisory-0004.json\n", 64), sha256);
  EXPECT_EQ(ReadHashFile(std::string(64, 'F'), 64), std::string(64, 'f'));
  EXPECT_EQ(ReadHashFile(sha256, 128), std::nullopt);
  EXPECT_EQ(ReadHashFile(std::string(63, 'a') + "g", 64), std::nullopt);
  EXPECT_EQ(ReadHashFile("", 64), std::nullopt);
  EXPECT_EQ(ReadHashFile("<html>Not Found</html>", 64), std::nullopt);
}

TEST(TimestampTest, NormalizesWhatProvidersWrite) {
  struct Case {
    const char* text;
    const char* expected;  // nullptr: refused
  };
  const Case cases[] = {
      {"2024-10-03T16:03:00.000Z", "2024-10-03T16:03:00.000000Z"},
      {"2020-01-01T00:00:00+00:00", "2020-01-01T00:00:00.000000Z"},
      {"2026-09-24T09:14:33.175708+00:00", "2026-09-24T09:14:33.175708Z"},
      {"2024-11-12T08:00:00.0000000", "2024-11-12T08:00:00.000000Z"},
      {"2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00.000000Z"},
      {"2024-02-28T23:00:00-02:00", "2024-02-29T01:00:00.000000Z"},
      {"2024-01-01 12:00:00Z", "2024-01-01T12:00:00.000000Z"},
      {"2024-01-01T12:00:00+0530", "2024-01-01T06:30:00.000000Z"},
      {"2024-01-01T12:00:00.123456789Z", "2024-01-01T12:00:00.123456Z"},
      {"2023-02-29T00:00:00Z", nullptr},
      {"2024-01-01", nullptr},
      {"2024-01-01T25:00:00Z", nullptr},
      {"2024-01-01T12:00:00.Z", nullptr},
      {"2024-01-01T12:00:00 CET", nullptr},
      {"", nullptr},
  };
  for (const Case& c : cases) {
    auto normalized = NormalizeTimestamp(c.text);
    if (c.expected == nullptr) {
      EXPECT_EQ(normalized, std::nullopt) << c.text;
    } else {
      EXPECT_EQ(normalized, std::optional<std::string>(c.expected)) << c.text;
    }
  }
}

TEST(TimestampTest, GoesBackOverDayAndYearEnds) {
  EXPECT_EQ(TimestampBefore("2024-01-01T00:30:00.000001Z", std::chrono::hours(1)),
            "2023-12-31T23:30:00.000001Z");
  EXPECT_EQ(TimestampBefore("2024-03-01T00:00:00Z", std::chrono::hours(24)),
            "2024-02-29T00:00:00.000000Z");
  EXPECT_EQ(TimestampBefore("not a time", std::chrono::hours(1)), std::nullopt);
}

TEST(ResolveUrlTest, ResolvesAgainstTheBase) {
  EXPECT_EQ(ResolveUrl("https://a.example/csaf/feed.json", "2024/x.json"),
            "https://a.example/csaf/2024/x.json");
  EXPECT_EQ(ResolveUrl("https://a.example/csaf/", "x.json"), "https://a.example/csaf/x.json");
  EXPECT_EQ(ResolveUrl("https://a.example", "x.json"), "https://a.example/x.json");
  EXPECT_EQ(ResolveUrl("https://a.example/csaf/feed.json", "/other/x.json"),
            "https://a.example/other/x.json");
  EXPECT_EQ(ResolveUrl("https://a.example/csaf/", "https://b.example/y.json"),
            "https://b.example/y.json");
  EXPECT_EQ(ResolveUrl("https://a.example/csaf/", "//b.example/y.json"),
            "https://b.example/y.json");
  EXPECT_EQ(ResolveUrl("https://a.example/csaf/", "file:///etc/passwd"), std::nullopt);
  EXPECT_EQ(ResolveUrl("file:///etc/", "passwd"), std::nullopt);
}

}  // namespace
}  // namespace baken::advisories
