// The MISP feed's manifest and hash list, and the plain block lists, of the shared fixture set
// (tests/data/cti/misp-feed, blocklists), with what each yields pinned.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "intel/list_reader.h"
#include "intel/misp_feed.h"
#include "intel/misp_reader.h"

namespace baken::intel {
namespace {

using ::testing::HasSubstr;

std::string ReadFile(const std::string& relative) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(source ? source : ".") / "tests/data/cti" / relative,
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const char* const kFeed = "misp-feed/crowdsec-alerts-feed/";

TEST(MispFeedTest, TheManifestListsEachEventWithItsFilesTimestamp) {
  auto manifest = ReadMispManifest(ReadFile(std::string(kFeed) + "manifest.json"));
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_TRUE(manifest->problems.empty());
  ASSERT_EQ(manifest->entries.size(), 3u);
  for (const ManifestEntry& entry : manifest->entries) {
    const auto event = nlohmann::json::parse(ReadFile(std::string(kFeed) + entry.uuid + ".json"));
    EXPECT_EQ(std::to_string(entry.timestamp), event["Event"]["timestamp"].get<std::string>());
    EXPECT_EQ(entry.info, event["Event"]["info"].get<std::string>());
    EXPECT_EQ(entry.date, event["Event"]["date"].get<std::string>());
  }
}

TEST(MispFeedTest, EveryHashNamesAValueForDetectionOfItsEventInEitherOrder) {
  const std::string text = ReadFile(std::string(kFeed) + "hashes.csv");
  const MispHashes hashes = ReadMispHashes(text);
  EXPECT_TRUE(hashes.problems.empty()) << ::testing::PrintToString(hashes.problems);
  ASSERT_EQ(hashes.hashes.size(), 344u);              // uuid,md5: this publisher's order
  std::map<std::string, std::set<std::string>> md5s;  // event → the MD5s of its values
  for (const char* uuid :
       {"d177856e-6e46-44ee-8eb5-83ef1c7452c7", "6a10e5d8-f1cd-42b0-8240-a4650efd83d6",
        "8f09de10-6867-45c6-814d-3d91a33d3af7"}) {
    auto events = ReadMispEvents(ReadFile(std::string(kFeed) + uuid + ".json"));
    ASSERT_TRUE(events);
    for (const Indicator& indicator : (*events)[0].indicators) {
      if (indicator.for_detection) md5s[uuid].insert(Md5Hex(indicator.value));
    }
  }
  for (const FeedHash& hash : hashes.hashes) {
    EXPECT_TRUE(md5s[hash.event_uuid].count(hash.md5)) << hash.event_uuid << " " << hash.md5;
  }
  // MISP's own order reads the same.
  const MispHashes canonical = ReadMispHashes(
      "d15b9e575525346a5e304ae5b3a35d64,d177856e-6e46-44ee-8eb5-83ef1c7452c7\r\n"
      "not,a hash\nd15b9e57\n");
  ASSERT_EQ(canonical.hashes.size(), 1u);
  EXPECT_EQ(canonical.hashes[0].md5, hashes.hashes[0].md5);
  EXPECT_EQ(canonical.problems.size(), 2u);
  EXPECT_THAT(canonical.problems[0], HasSubstr("line 2"));
}

TEST(MispFeedTest, AManifestWithoutObjectOrWithOddEntriesSaysSo) {
  EXPECT_FALSE(ReadMispManifest("[]"));
  EXPECT_FALSE(ReadMispManifest("{"));
  auto odd = ReadMispManifest(
      R"({"not-a-uuid": {"timestamp": "1"}, "d177856e-6e46-44ee-8eb5-83ef1c7452c7": {}})");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->entries.empty());
  EXPECT_EQ(odd->problems.size(), 2u);
}

TEST(ListReaderTest, BlockListsGiveEveryAddressAndAnEmptyListIsEmpty) {
  const std::map<std::string, size_t> expected = {{"blocklists/crowdsec_feed-all-7d.txt", 60},
                                                  {"blocklists/crowdsec_feed-all-7d_v6.txt", 0},
                                                  {"blocklists/ipsum_levels_6.txt", 318}};
  for (const auto& [file, count] : expected) {
    const std::string text = ReadFile(file);
    ASSERT_FALSE(text.empty()) << file;
    auto event = ReadIndicatorList(text, file, "GREEN");
    ASSERT_TRUE(event) << file << ": " << event.error().message;
    EXPECT_EQ(event->indicators.size(), count) << file;
    EXPECT_TRUE(event->problems.empty()) << ::testing::PrintToString(event->problems);
    for (const Indicator& indicator : event->indicators) {
      EXPECT_EQ(indicator.kind, "ip");
      EXPECT_EQ(indicator.tlp, "GREEN");
      EXPECT_TRUE(indicator.for_detection);
    }
  }
}

TEST(ListReaderTest, EachValuesShapeGivesItsKindAndCommentsAreKept) {
  auto event = ReadIndicatorList(
      "# a list\r\n"
      "192.0.2.1\tscanner\r\n"
      "198.51.100.0/24, a network\n"
      "Evil.Example.com ; a domain\n"
      "https://evil.example.com/x.exe\n"
      "phish@evil.example.com\n"
      "d41d8cd98f00b204e9800998ecf8427e\n"
      "CVE-2026-12345\n"
      "AS64500\n"
      "not a value at all\n"
      "\n",
      "upload", "amber");
  ASSERT_TRUE(event) << event.error().message;
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const Indicator& indicator : event->indicators) {
    kinds.emplace_back(indicator.kind, indicator.value);
  }
  EXPECT_EQ(kinds, (std::vector<std::pair<std::string, std::string>>{
                       {"ip", "192.0.2.1"},
                       {"cidr", "198.51.100.0/24"},
                       {"domain", "evil.example.com"},
                       {"url", "https://evil.example.com/x.exe"},
                       {"email", "phish@evil.example.com"},
                       {"md5", "d41d8cd98f00b204e9800998ecf8427e"},
                       {"cve", "CVE-2026-12345"},
                       {"asn", "AS64500"}}));
  EXPECT_EQ(event->indicators[0].comment, "scanner");
  EXPECT_EQ(event->tlp, "AMBER");
  ASSERT_EQ(event->problems.size(), 1u);
  EXPECT_THAT(event->problems[0], HasSubstr("line 10: 'not'"));
  EXPECT_FALSE(ReadIndicatorList("192.0.2.1", "x", "PURPLE"));
  EXPECT_FALSE(ReadIndicatorList(std::string("192.0.2.1\0", 10), "x", "GREEN"));
}

}  // namespace
}  // namespace baken::intel
