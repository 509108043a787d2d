// Every STIX 2.1 file of the shared fixture set (tests/data/cti/stix), with what each yields
// pinned, and the pattern reader on its own.

#include "intel/stix_reader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "intel/stix_pattern.h"

namespace baken::intel {
namespace {

using ::testing::HasSubstr;

std::string ReadFile(const std::string& relative) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(source ? source : ".") / "tests/data/cti/stix" / relative,
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << relative;
  return text.str();
}

std::vector<IntelEvent> Read(const std::string& relative) {
  auto events = ReadStixBundle(ReadFile(relative));
  EXPECT_TRUE(events) << relative << ": "
                      << (events ? "" : ::testing::PrintToString(events.error().reasons));
  return events ? *events : std::vector<IntelEvent>{};
}

std::map<std::string, int> Kinds(const IntelEvent& event) {
  std::map<std::string, int> kinds;
  for (const Indicator& indicator : event.indicators) ++kinds[indicator.kind];
  return kinds;
}

bool AnyProblemSays(const IntelEvent& event, std::string_view words) {
  for (const std::string& problem : event.problems) {
    if (problem.find(words) != std::string::npos) return true;
  }
  return false;
}

TEST(StixPatternTest, ComparisonsJoinsAndQualifiersAreRead) {
  auto reading = ReadStixPattern(
      "[domain-name:value = 'a.example' OR ipv4-addr:value = '192.0.2.1'] AND "
      "[file:hashes.'SHA-256' = 'ab\\'c'] WITHIN 300 SECONDS");
  ASSERT_TRUE(reading) << reading.error().message;
  ASSERT_EQ(reading->comparisons.size(), 3u);
  EXPECT_EQ(reading->comparisons[0].path, "domain-name:value");
  EXPECT_EQ(reading->comparisons[1].value, "192.0.2.1");
  EXPECT_EQ(reading->comparisons[2].path, "file:hashes.'SHA-256'");
  EXPECT_EQ(reading->comparisons[2].value, "ab'c");
  EXPECT_TRUE(reading->joined_by_and);
  EXPECT_TRUE(reading->has_qualifiers);

  reading = ReadStixPattern(
      "[email-message:from_ref.value NOT MATCHES '.+@x\\\\.com$' OR (url:value IN ('a', 'b'))]");
  ASSERT_TRUE(reading) << reading.error().message;
  ASSERT_EQ(reading->comparisons.size(), 2u);
  EXPECT_TRUE(reading->comparisons[0].negated);
  EXPECT_EQ(reading->comparisons[0].op, "MATCHES");
  EXPECT_EQ(reading->comparisons[1].op, "IN");
  EXPECT_FALSE(reading->joined_by_and);
}

TEST(StixPatternTest, BrokenPatternsSayWhere) {
  for (const char* pattern :
       {"", "[", "[ipv4-addr:value = '1.2.3.4'", "ipv4-addr:value = 'x']", "[value = 'x']",
        "[ipv4-addr:value ~ 'x']", "[ipv4-addr:value = 'open", "[a:b = 'x' XOR a:b = 'y']",
        "[a:b = ('x', ]"}) {
    auto reading = ReadStixPattern(pattern);
    EXPECT_FALSE(reading) << pattern;
    if (!reading) {
      EXPECT_THAT(reading.error().message, HasSubstr("pattern")) << pattern;
    }
  }
}

TEST(StixReaderTest, MispsOwnConverterGivesOneEventPerGrouping) {
  const auto events = Read("misp-stix_test_events_collection_stix21.json");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].title, "MISP-STIX-Converter test event with AS attribute");
  EXPECT_EQ(Kinds(events[0]), (std::map<std::string, int>{{"asn", 1}}));
  EXPECT_FALSE(events[0].indicators[0].for_detection);  // observed, not an indicator
  EXPECT_EQ(Kinds(events[1]), (std::map<std::string, int>{{"domain", 2}}));
  // The domain|ip attribute: an AND pattern, kept but not for detection; its observables.
  EXPECT_EQ(Kinds(events[2]), (std::map<std::string, int>{{"domain", 2}, {"ip", 1}}));
  EXPECT_TRUE(AnyProblemSays(events[2], "must hold together"));
  EXPECT_TRUE(AnyProblemSays(events[2], "resolves_to_refs[*].value ='"));
  for (const Indicator& indicator : events[2].indicators) {
    EXPECT_FALSE(indicator.for_detection);
  }
  EXPECT_EQ(Kinds(events[3]), (std::map<std::string, int>{{"filename", 2}}));
  EXPECT_EQ(events[0].creator, "MISP-Project");
  // No markings anywhere: AMBER, and said.
  EXPECT_EQ(events[1].indicators[0].tlp, "AMBER");
  EXPECT_TRUE(AnyProblemSays(events[1], "without a TLP marking"));
}

TEST(StixReaderTest, AThreatReportGivesItsOredValuesAndItsVulnerabilities) {
  const auto events = Read("oasis_poisonivy.json");
  ASSERT_EQ(events.size(), 1u);
  const IntelEvent& event = events[0];
  EXPECT_EQ(event.title, "Poison Ivy: Assessing Damage and Extracting Intelligence");
  const auto kinds = Kinds(event);
  EXPECT_EQ(kinds.at("cve"), 6);
  EXPECT_EQ(kinds.at("filename"), 2);
  EXPECT_EQ(kinds.at("other"), 1);  // "domain autuo.xicp.net" is no domain name
  EXPECT_TRUE(AnyProblemSays(event, "'domain autuo.xicp.net' is not a valid domain"));
  int for_detection = 0;
  for (const Indicator& indicator : event.indicators) for_detection += indicator.for_detection;
  EXPECT_EQ(for_detection, static_cast<int>(event.indicators.size()) - 6 - 1);
}

TEST(StixReaderTest, ASightingOfAnIndicatorIsKeptWithoutWhereItWasSighted) {
  const auto events = Read("oasis_sighting-of-an-indicator.json");
  ASSERT_EQ(events.size(), 1u);
  ASSERT_EQ(events[0].indicators.size(), 1u);
  const Indicator& indicator = events[0].indicators[0];
  EXPECT_EQ(indicator.kind, "url");
  ASSERT_EQ(indicator.sightings.size(), 1u);
  EXPECT_EQ(indicator.sightings[0].kind, "seen");
  EXPECT_EQ(indicator.sightings[0].at, "2017-02-27T21:37:11Z");
  EXPECT_TRUE(indicator.sightings[0].source.empty());
}

TEST(StixReaderTest, ObservedDataGivesItsObservablesAndASightingOfMalwareIsSaid) {
  const auto events = Read("oasis_sighting-of-observed-data.json");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Kinds(events[0]),
            (std::map<std::string, int>{{"filename", 1}, {"md5", 1}, {"other", 1}, {"sha1", 1}}));
  EXPECT_TRUE(AnyProblemSays(events[0], "not of an indicator"));
}

TEST(StixReaderTest, TlpMarkingsOfBothVersionsAndOfOddShapesAreEnforced) {
  // A bundle with only the TLP 2.0 AMBER+STRICT definition has nothing to take in.
  EXPECT_TRUE(Read("oasis_tlp-2.0_amber+strict.json").empty());
  // The same definition used by an indicator in a bundle of its own.
  const std::string definition = ReadFile("oasis_tlp-2.0_amber+strict.json");
  const size_t start = definition.find("{ ");
  const size_t end = definition.rfind("]");
  ASSERT_NE(start, std::string::npos);
  const std::string marking = definition.substr(start, end - start);
  auto strict = ReadStixBundle(
      R"({"type": "bundle", "id": "bundle--1", "objects": [)" + marking +
      R"(, {"type": "indicator", "id": "indicator--1", "pattern": "[ipv4-addr:value = '192.0.2.7']",
         "pattern_type": "stix", "object_marking_refs": ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]}]})");
  ASSERT_TRUE(strict);
  ASSERT_EQ(strict->size(), 1u);
  EXPECT_EQ((*strict)[0].indicators.at(0).tlp, "AMBER+STRICT");

  const auto amber = Read("oasis_using-marking-definitions.json");
  ASSERT_EQ(amber.size(), 1u);
  ASSERT_EQ(amber[0].indicators.size(), 1u);
  EXPECT_EQ(amber[0].indicators[0].value, "10.0.0.0");
  EXPECT_EQ(amber[0].indicators[0].tlp, "AMBER");

  // Granular markings name the standard ids without defining them; the strictest (RED, on the
  // description) holds for the value. The MATCHES pattern is kept as other.
  const auto granular = Read("oasis_using-granular-markings.json");
  ASSERT_EQ(granular.size(), 1u);
  ASSERT_EQ(granular[0].indicators.size(), 1u);
  EXPECT_EQ(granular[0].indicators[0].tlp, "RED");
  EXPECT_EQ(granular[0].indicators[0].kind, "other");
  EXPECT_FALSE(granular[0].indicators[0].for_detection);
}

TEST(StixReaderTest, OpenCtisBundleGivesValidityAndSightingsWithTheirCounts) {
  const auto events = Read("opencti_DATA-TEST-STIX2_v2.json");
  ASSERT_FALSE(events.empty());
  const IntelEvent& report = events[0];
  EXPECT_EQ(report.title, "A demo report for testing purposes");
  // Its own marking is the made-up TLP:TEST: no TLP level, said.
  EXPECT_FALSE(report.tlp_given);
  EXPECT_TRUE(AnyProblemSays(report, "a marking that is no TLP level (TLP:TEST)"));
  std::map<std::string, const Indicator*> by_value;
  for (const IntelEvent& event : events) {
    for (const Indicator& indicator : event.indicators) by_value[indicator.value] = &indicator;
  }
  ASSERT_TRUE(by_value.count("www.xolod-teplo.ru"));
  const Indicator& xolod = *by_value["www.xolod-teplo.ru"];
  // Marked TLP:WHITE, in a report whose own marking is no TLP level: the stricter, AMBER.
  EXPECT_EQ(xolod.tlp, "AMBER");
  EXPECT_EQ(xolod.valid_until, "2017-09-09T05:58:03Z");
  ASSERT_TRUE(by_value.count("2a0169c72c84e6d3fa49af701fd46ee7aaf1d1d9e107798d93a6ca8df5d25957"));
  int64_t seen = 0;
  int64_t false_positive = 0;
  for (const auto& [value, indicator] : by_value) {
    for (const Sighting& sighting : indicator->sightings) {
      (sighting.kind == "false_positive" ? false_positive : seen) += sighting.count;
    }
  }
  EXPECT_EQ(seen, 8);
  EXPECT_EQ(false_positive, 12);  // x_opencti_negative
}

TEST(StixReaderTest, OutsideAReportAnObjectsOwnMarkingDecides) {
  // OpenCTI's upper-case shape of TLP:WHITE, on an indicator no report holds.
  auto events = ReadStixBundle(R"({"type": "bundle", "id": "bundle--2", "objects": [
    {"type": "marking-definition", "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
     "definition_type": "TLP", "definition": {"TLP": "TLP:WHITE"}},
    {"type": "indicator", "id": "indicator--2", "pattern": "[domain-name:value = 'one.example']",
     "pattern_type": "stix",
     "object_marking_refs": ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"]},
    {"type": "indicator", "id": "indicator--3", "pattern": "[domain-name:value = 'two.example']",
     "pattern_type": "stix"}]})");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  const IntelEvent& event = (*events)[0];
  EXPECT_EQ(event.title, "STIX bundle bundle--2");
  ASSERT_EQ(event.indicators.size(), 2u);
  EXPECT_EQ(event.indicators[0].tlp, "CLEAR");
  EXPECT_EQ(event.indicators[1].tlp, "AMBER");  // unmarked
  EXPECT_EQ(event.tlp, "CLEAR");  // its title says nothing: as loose as its loosest object
  EXPECT_TRUE(AnyProblemSays(event, "without a TLP marking"));
}

TEST(StixReaderTest, WhatIsNotABundleIsRefused) {
  for (const char* text : {"[]", R"({"type": "indicator"})", R"({"type": "bundle"})",
                           R"({"type": "bundle", "objects": {}})", "not json"}) {
    auto events = ReadStixBundle(text);
    EXPECT_FALSE(events) << text;
    if (!events) {
      EXPECT_FALSE(events.error().reasons.empty());
    }
  }
}

}  // namespace
}  // namespace baken::intel
