// Every MISP file of the shared fixture set (tests/data/cti/misp, misp-feed), with what each
// yields pinned: counts come from the files' own attribute types (see tests/data/cti/README.md).

#include "intel/misp_reader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::intel {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

std::filesystem::path CtiDir() {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  return std::filesystem::path(source ? source : ".") / "tests" / "data" / "cti";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<IntelEvent> Read(const std::string& relative) {
  const std::string text = ReadFile(CtiDir() / relative);
  EXPECT_FALSE(text.empty()) << relative;
  auto events = ReadMispEvents(text);
  EXPECT_TRUE(events) << relative << ": "
                      << (events ? "" : ::testing::PrintToString(events.error().reasons));
  return events ? *events : std::vector<IntelEvent>{};
}

std::map<std::string, int> Kinds(const IntelEvent& event) {
  std::map<std::string, int> kinds;
  for (const Indicator& indicator : event.indicators) ++kinds[indicator.kind];
  return kinds;
}

int ForDetection(const IntelEvent& event) {
  int count = 0;
  for (const Indicator& indicator : event.indicators) count += indicator.for_detection;
  return count;
}

bool AnyProblemSays(const IntelEvent& event, std::string_view words) {
  for (const std::string& problem : event.problems) {
    if (problem.find(words) != std::string::npos) return true;
  }
  return false;
}

TEST(MispReaderTest, ACirclOsintFeedEventIsPublicAndItsRegistryKeyIsKeptAsOther) {
  const auto events = Read("misp/circl-osint_57c4445b-c548-4654-af0b-4be3950d210f.json");
  ASSERT_EQ(events.size(), 1u);
  const IntelEvent& event = events[0];
  EXPECT_EQ(event.title, "Ransomware - Xorist");
  EXPECT_EQ(event.source_id, "57c4445b-c548-4654-af0b-4be3950d210f");
  EXPECT_EQ(event.tlp, "CLEAR");  // tlp:white, TLP 1.0
  EXPECT_TRUE(event.tlp_given);
  EXPECT_EQ(event.distribution, "members");  // a feed event has no distribution: for all
  // link ×2 and regkey|value are other; comment and text are text.
  EXPECT_EQ(
      Kinds(event),
      (std::map<std::string, int>{
          {"filename", 1}, {"md5", 1}, {"other", 3}, {"sha1", 1}, {"sha256", 1}, {"text", 2}}));
  for (const Indicator& indicator : event.indicators) {
    EXPECT_EQ(indicator.tlp, "CLEAR");
    if (indicator.kind == "other") {
      EXPECT_FALSE(indicator.for_detection);
    }
    if (indicator.source_type == "regkey|value") {
      EXPECT_THAT(indicator.value, HasSubstr("\\"));  // the backslash path survives
    }
  }
  EXPECT_EQ(event.creator, "CIRCL");
}

TEST(MispReaderTest, AnEventWithObjectsKeepsEveryAttributeAndItsGroup) {
  const auto events = Read("misp/pymisp_existing_event.json");
  ASSERT_EQ(events.size(), 1u);
  const IntelEvent& event = events[0];
  EXPECT_THAT(event.title, HasSubstr("Sednit update"));
  EXPECT_EQ(event.tlp, "CLEAR");
  EXPECT_EQ(event.distribution, "members");  // distribution 3
  EXPECT_EQ(event.threat_level, "low");      // threat_level_id "3"
  EXPECT_EQ(event.indicators.size(), 122u);
  EXPECT_EQ(
      Kinds(event),
      (std::map<std::string, int>{
          {"domain", 19}, {"filename", 15}, {"ip", 12}, {"other", 1}, {"sha1", 37}, {"text", 38}}));
  EXPECT_EQ(ForDetection(event), 83);
  int grouped = 0;
  for (const Indicator& indicator : event.indicators) {
    if (!indicator.group.empty()) {
      ++grouped;
      EXPECT_FALSE(indicator.group_name.empty());
    }
  }
  EXPECT_GT(grouped, 0);
  EXPECT_THAT(event.tags, Contains("tlp:white"));
}

TEST(MispReaderTest, SightingsOfAllThreeTypesAreRead) {
  const auto events = Read("misp/pymisp_sighting_1.json");
  ASSERT_EQ(events.size(), 1u);
  const IntelEvent& event = events[0];
  EXPECT_EQ(Kinds(event), (std::map<std::string, int>{{"domain", 4}, {"url", 1}}));
  std::map<std::string, int> sightings;
  std::vector<std::string> sources;
  for (const Indicator& indicator : event.indicators) {
    for (const Sighting& sighting : indicator.sightings) {
      ++sightings[sighting.kind];
      EXPECT_EQ(sighting.at.size(), 20u) << sighting.at;  // YYYY-MM-DDTHH:MM:SSZ
      sources.push_back(sighting.source);
    }
  }
  EXPECT_EQ(sightings,
            (std::map<std::string, int>{{"expired", 1}, {"false_positive", 3}, {"seen", 2}}));
  EXPECT_THAT(sources, Contains("honeyp"));
  // No TLP tag: AMBER, and said.
  EXPECT_EQ(event.tlp, "AMBER");
  EXPECT_FALSE(event.tlp_given);
  EXPECT_TRUE(AnyProblemSays(event, "no TLP tag"));
}

TEST(MispReaderTest, DeletedAttributesAndProposalsAreLeftOutAndCounted) {
  const auto deleted = Read("misp/pymisp_attribute_del.json");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_TRUE(deleted[0].indicators.empty());
  EXPECT_TRUE(AnyProblemSays(deleted[0], "1 deleted attributes left out"));

  const auto shadow = Read("misp/pymisp_shadow.json");
  ASSERT_EQ(shadow.size(), 1u);
  EXPECT_EQ(Kinds(shadow[0]), (std::map<std::string, int>{{"filename", 2}, {"text", 1}}));
  EXPECT_TRUE(AnyProblemSays(shadow[0], "2 proposals (ShadowAttribute) left out"));
  // Distribution 0, the organisation only: the CERT only.
  EXPECT_EQ(shadow[0].distribution, "cert");
}

TEST(MispReaderTest, SharingGroupsKeepAnEventOrOneAttributeInsideTheCert) {
  const auto whole = Read("misp/misp-guard_event_sharing_group.json");
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].distribution, "cert");
  EXPECT_TRUE(AnyProblemSays(whole[0], "sharing group"));

  const auto one = Read("misp/misp-guard_attribute_sharing_group.json");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].distribution, "members");  // the event: distribution 2
  ASSERT_EQ(one[0].indicators.size(), 1u);
  EXPECT_TRUE(one[0].indicators[0].cert_only);  // the attribute: distribution 4
  EXPECT_EQ(one[0].indicators[0].value, "2.2.2.2");
}

TEST(MispReaderTest, AnAmberTagMakesTheEventAmber) {
  const auto events = Read("misp/misp-guard_event_tlp_amber.json");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].tlp, "AMBER");
  EXPECT_TRUE(events[0].tlp_given);
  EXPECT_FALSE(AnyProblemSays(events[0], "no TLP tag"));
}

TEST(MispReaderTest, ARestSearchResponseGivesEachEvent) {
  const auto events = Read("misp/misp-stix_test_events_collection_1.json");
  ASSERT_EQ(events.size(), 2u);
  ASSERT_EQ(events[0].indicators.size(), 1u);
  EXPECT_EQ(events[0].indicators[0].kind, "asn");
  EXPECT_EQ(events[0].indicators[0].value, "AS174");
  EXPECT_FALSE(events[0].indicators[0].for_detection);  // no to_ids
  ASSERT_EQ(events[1].indicators.size(), 1u);
  EXPECT_EQ(events[1].indicators[0].kind, "domain");
  EXPECT_TRUE(events[1].indicators[0].for_detection);
}

TEST(MispReaderTest, AFeedsEventFilesGiveEveryAddressForDetection) {
  const std::map<std::string, size_t> expected = {
      {"d177856e-6e46-44ee-8eb5-83ef1c7452c7.json", 256},
      {"6a10e5d8-f1cd-42b0-8240-a4650efd83d6.json", 25},
      {"8f09de10-6867-45c6-814d-3d91a33d3af7.json", 63}};
  for (const auto& [file, count] : expected) {
    const auto events = Read("misp-feed/crowdsec-alerts-feed/" + file);
    ASSERT_EQ(events.size(), 1u) << file;
    EXPECT_EQ(events[0].source_id + ".json", file);
    EXPECT_EQ(events[0].indicators.size(), count) << file;
    EXPECT_EQ(static_cast<size_t>(ForDetection(events[0])), count) << file;
    EXPECT_EQ(Kinds(events[0]), (std::map<std::string, int>{{"ip", static_cast<int>(count)}}));
  }
}

TEST(MispReaderTest, AnAttributeTagMakesItStricterNeverLooser) {
  const auto events = ReadMispEvents(R"({"Event": {"info": "labels", "Tag": [{"name": "tlp:amber"}],
    "Attribute": [
      {"type": "ip-dst", "value": "192.0.2.1", "to_ids": true, "Tag": [{"name": "tlp:clear"}]},
      {"type": "ip-dst", "value": "192.0.2.2", "to_ids": "1", "Tag": [{"name": "TLP:RED"}]},
      {"type": "ip-dst|port", "value": "192.0.2.3|443"},
      {"type": "domain|ip", "value": "evil.example.com|192.0.2.4", "uuid": "u-1"},
      {"type": "ip-src", "value": "192.0.2.0/24"},
      {"type": "ip-src", "value": "not-an-address"},
      {"type": "ip-src"}
    ]}})");
  ASSERT_TRUE(events) << ::testing::PrintToString(events.error().reasons);
  ASSERT_EQ(events->size(), 1u);
  const IntelEvent& event = (*events)[0];
  ASSERT_EQ(event.indicators.size(), 7u);
  EXPECT_EQ(event.indicators[0].tlp, "AMBER");
  EXPECT_EQ(event.indicators[1].tlp, "RED");
  EXPECT_TRUE(event.indicators[1].for_detection);
  EXPECT_EQ(event.indicators[2].value, "192.0.2.3");  // the port is not an indicator
  EXPECT_EQ(event.indicators[3].kind, "domain");
  EXPECT_EQ(event.indicators[4].kind, "ip");
  EXPECT_EQ(event.indicators[3].group, event.indicators[4].group);
  EXPECT_EQ(event.indicators[5].kind, "cidr");
  EXPECT_EQ(event.indicators[6].kind, "other");
  EXPECT_TRUE(AnyProblemSays(event, "/Event/Attribute/5: 'not-an-address' is not a valid ip"));
  EXPECT_TRUE(AnyProblemSays(event, "/Event/Attribute/6: no type or value"));
}

TEST(MispReaderTest, ASharingGroupListNamesEachGroupsOrganisations) {
  const std::string text = ReadFile(CtiDir() / "misp/pymisp_sharing_groups.json");
  auto groups = ReadMispSharingGroups(text);
  ASSERT_TRUE(groups) << groups.error().message;
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].name, "PrivateTrustedGroup");
  EXPECT_EQ((*groups)[1].name, "test");
  for (const MispSharingGroup& group : *groups) {
    EXPECT_EQ(group.owner, "CIRCL");
    EXPECT_EQ(group.organisations, (std::vector<std::string>{"CIRCL", "PifPafPoum"}));
  }
  EXPECT_FALSE(ReadMispSharingGroups(R"({"Event": {}})"));
  EXPECT_FALSE(ReadMispSharingGroups(R"([{"SharingGroup": {}}])"));
}

TEST(MispReaderTest, BrokenDocumentsAreRefusedWithEveryReason) {
  const auto refused = [](std::string_view text) {
    auto events = ReadMispEvents(text);
    EXPECT_FALSE(events) << text;
    return events ? std::vector<std::string>{} : events.error().reasons;
  };
  EXPECT_THAT(refused("{not json")[0], HasSubstr("byte"));
  EXPECT_THAT(refused(R"({"feed": []})")[0], HasSubstr("no MISP event"));
  EXPECT_THAT(refused(R"({"Event": {"Attribute": []}})")[0], HasSubstr("/Event/info: missing"));
  EXPECT_THAT(refused(R"({"Event": "x"})")[0], HasSubstr("/Event: not an object"));
  // One broken event refuses the whole response: nothing of it is half taken in.
  const auto reasons =
      refused(R"({"response": [{"Event": {"info": "good"}}, {"Event": {}}, "x"]})");
  EXPECT_EQ(reasons.size(), 2u) << ::testing::PrintToString(reasons);
  EXPECT_EQ(refused(R"({"response": []})")[0], "/response: no events");
  EXPECT_THAT(refused(std::string(kMaxMispBytes + 1, ' '))[0], HasSubstr("larger than"));
}

}  // namespace
}  // namespace baken::intel
