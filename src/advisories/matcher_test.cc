// Matching every fixture advisory against one inventory (tests/data/advisories/members.json:
// four members, 22 assets chosen to reach every tier, outcome and ugly case), pinned row by
// row: which member's asset, which product, which outcome, which CVEs and which risk. A row
// that is not pinned must not appear: that is how a warning for the wrong member would show.

#include "advisories/matcher.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "advisories/reader.h"
#include "registry/member_json.h"

namespace baken::advisories {
namespace {

using ::testing::HasSubstr;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path SourceDir() {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  return source ? source : ".";
}

const Inventory& TestInventory() {
  static const Inventory* inventory = [] {
    auto members = registry::ParseMemberFile(
        ReadFile(SourceDir() / "tests" / "data" / "advisories" / "members.json"));
    EXPECT_TRUE(members);
    std::vector<MemberAssets> assets;
    if (members) {
      for (const registry::Member& member : *members)
        assets.push_back({member.code, member.assets});
    }
    return new Inventory(std::move(assets));
  }();
  return *inventory;
}

std::vector<Match> MatchFixture(const std::string& name) {
  auto advisory = ReadAdvisory(ReadFile(SourceDir() / "tests" / "data" / "advisories" / name));
  EXPECT_TRUE(advisory) << name;
  if (!advisory) return {};
  return MatchAdvisory(*advisory, TestInventory());
}

struct Pin {
  const char* member;
  const char* asset;
  const char* product_id;
  Outcome outcome;
  std::vector<std::string> cves;
  const char* risk;  // "" when not affected
};

std::string Describe(const Match& match) {
  return fmt::format("{} / {} / {} / {} / [{}] / {} / {}", match.member, match.asset,
                     match.product_id, Name(match.outcome), fmt::join(match.cves, ","),
                     match.risk ? Name(match.risk->level) : "-", fmt::join(match.reasons, " | "));
}

void ExpectRows(const std::string& fixture, const std::vector<Pin>& pins) {
  const std::vector<Match> matches = MatchFixture(fixture);
  std::string got;
  for (const Match& match : matches) got += "\n  " + Describe(match);
  EXPECT_EQ(matches.size(), pins.size()) << fixture << " gave:" << got;
  for (const Pin& pin : pins) {
    const auto it = std::find_if(matches.begin(), matches.end(), [&](const Match& match) {
      return match.member == pin.member && match.asset == pin.asset &&
             match.product_id == pin.product_id;
    });
    if (it == matches.end()) {
      ADD_FAILURE() << fixture << ": no row for " << pin.member << " / " << pin.asset << " / "
                    << pin.product_id << "; got:" << got;
      continue;
    }
    EXPECT_EQ(Name(it->outcome), Name(pin.outcome)) << fixture << ": " << Describe(*it);
    EXPECT_EQ(it->cves, pin.cves) << fixture << ": " << Describe(*it);
    EXPECT_EQ(it->risk ? std::string(Name(it->risk->level)) : "", pin.risk)
        << fixture << ": " << Describe(*it);
    EXPECT_FALSE(it->reasons.empty());
  }
}

constexpr Outcome kAffected = Outcome::kAffected;
constexpr Outcome kNotAffected = Outcome::kNotAffected;
constexpr Outcome kUnknown = Outcome::kUnknown;

TEST(MatcherTest, VexWithRangesAndExactVersions) {
  ExpectRows("csaf/2022-evd-uc-06-001.json",
             {{"GM0014", "Kassasysteem", "CSAFPID-0004", kAffected, {"CVE-2021-44228"}, "Normaal"},
              {"GM0363", "Kassasysteem", "CSAFPID-0003", kAffected, {"CVE-2021-44228"}, "Hoog"},
              {"GM0599", "Kassasysteem", "CSAFPID-0001", kNotAffected, {"CVE-2021-44228"}, ""}});
}

TEST(MatcherTest, OutcomeIsPerVulnerability) {
  ExpectRows("csaf/2022-evd-uc-08-001.json",
             {{"GM0014",
               "Kassasysteem",
               "CSAFPID-0004",
               kAffected,
               {"CVE-2021-44228", "CVE-2021-45105"},
               "Normaal"},
              {"GM0014", "Parkeerbeheer", "CSAFPID-0010", kAffected, {"CVE-2021-45105"}, "Normaal"},
              {"GM0363",
               "Kassasysteem",
               "CSAFPID-0003",
               kAffected,
               {"CVE-2021-44228", "CVE-2021-45105"},
               "Hoog"},
              {"GM0599",
               "Kassasysteem",
               "CSAFPID-0001",
               kNotAffected,
               {"CVE-2021-44228", "CVE-2021-45105"},
               ""}});
}

TEST(MatcherTest, NobodyRunsAVendor) { ExpectRows("csaf/avendor-advisory-0004.json", {}); }

TEST(MatcherTest, CpeMatchesAndTheFixedVersionIsNotAffected) {
  ExpectRows(
      "csaf/bsi-2022-0001.json",
      {{"GM0363", "Adviesconverter", "CSAFPID-0005", kAffected, {"CVE-2022-27193"}, "Normaal"},
       {"SV0001", "Adviesconverter", "CSAFPID-0006", kNotAffected, {"CVE-2022-27193"}, ""}});
}

TEST(MatcherTest, CiscoServicePackUnderItsTrain) {
  ExpectRows(
      "csaf/cisco-sa-20180328-smi2.json",
      {{"GM0599", "Kernswitch stadhuis", "CVRFPID-227959", kAffected, {"CVE-2018-0171"}, "Hoog"}});
}

TEST(MatcherTest, AllVersionsNeedsNoVersion) {
  ExpectRows(
      "csaf/icsa-23-061-03.json",
      {{"GM0014", "Serverruimte toegang", "CSAFPID-0001", kAffected, {"CVE-2022-40633"}, "Laag"}});
}

TEST(MatcherTest, VendorAliasAndSchemelessRange) {
  ExpectRows("csaf/icsa-23-243-04.json",
             {{"SV0001", "Console server", "CSAFPID-0001", kAffected, {"CVE-2023-4299"}, "Hoog"}});
}

TEST(MatcherTest, ModelNumber) {
  ExpectRows(
      "csaf/icsa-24-046-04.json",
      {{"GM0014", "Gemaal PLC-koppeling", "CSAFPID-0002", kAffected, {"CVE-2023-51440"}, "Hoog"}});
}

TEST(MatcherTest, InvalidVersRecovered) {
  ExpectRows(
      "csaf/icsa-24-256-02.json",
      {{"GM0599", "CNC werkplaats", "CSAFPID-0004", kAffected, {"CVE-2024-41171"}, "Normaal"}});
}

TEST(MatcherTest, PlatformWithComponentsToCheck) {
  ExpectRows("csaf/rhsa-2021_5186.json", {{"GM0014",
                                           "Containerplatform",
                                           "8Base-RHOSE-4.6",
                                           kUnknown,
                                           {"CVE-2021-4104", "CVE-2021-4125"},
                                           "Hoog"}});
}

TEST(MatcherTest, OlderThanAFixedBuild) {
  ExpectRows("csaf/rhsa-2022_0011.json",
             {{"SV0001", "Telnet-server legacy", "", kUnknown, {"CVE-2020-10188"}, "Laag"}});
}

TEST(MatcherTest, SecvisogramNotAffected) {
  ExpectRows("csaf/sec-vex-2022-0001.json",
             {{"GM0014",
               "CSAF-editor",
               "CSAFPID-0001",
               kNotAffected,
               {"CVE-2021-44228", "CVE-2021-45046", "CVE-2021-45105"},
               ""}});
}

TEST(MatcherTest, OneOfThreeFixed) {
  ExpectRows("csaf/va-24-201-01.json", {{"GM0363",
                                         "Databasebeheer web",
                                         "CSAFPID-0007",
                                         kAffected,
                                         {"CVE-2023-45195", "CVE-2023-45196"},
                                         "Normaal"}});
}

TEST(MatcherTest, NoVendorNoMatch) { ExpectRows("cve/CVE-2023-1055.json", {}); }

TEST(MatcherTest, FreeTextRangeInACveRecord) {
  ExpectRows(
      "cve/CVE-2023-22466.json",
      {{"GM0599", "Parkeer-app backend", "affected[0]", kAffected, {"CVE-2023-22466"}, "Normaal"}});
}

TEST(MatcherTest, CveCpeAndDerivedPurl) {
  ExpectRows(
      "cve/CVE-2024-3094.json",
      {{"GM0014", "Buildserver", "affected[0]", kAffected, {"CVE-2024-3094"}, "Normaal"},
       {"GM0363", "Linux applicatieserver", "affected[5]", kNotAffected, {"CVE-2024-3094"}, ""}});
}

TEST(MatcherTest, NinetyFiveListedVersions) {
  ExpectRows("cve/CVE-2024-7264.json",
             {{"SV0001", "Mailrelay", "affected[0]", kAffected, {"CVE-2024-7264"}, "Normaal"}});
}

TEST(MatcherTest, OverlappingRangesAreUnknown) {
  ExpectRows("cve/CVE-2025-4565.json",
             {{"GM0363", "Open data API", "affected[1]", kUnknown, {"CVE-2025-4565"}, "Normaal"}});
}

// What a warning's reader acts on beyond the outcome: the description, the CVSS score and the
// versions that fix it, from a CSAF product tree (the same product's fixed versions) and from
// a CVE record (the ends of its affected ranges).
TEST(MatcherTest, FactsOfAMatchNameTheFixedVersions) {
  const Inventory& inventory = TestInventory();
  const auto asset_named = [&](const std::string& name) {
    for (const Inventory::Entry& entry : inventory.entries()) {
      if (entry.asset.name == name) return entry.asset;
    }
    ADD_FAILURE() << "no asset " << name;
    return registry::Asset{};
  };
  auto csaf = ReadAdvisory(
      ReadFile(SourceDir() / "tests" / "data" / "advisories" / "csaf" / "bsi-2022-0001.json"));
  ASSERT_TRUE(csaf);
  const MatchFacts converter =
      FactsOf(*csaf, "CSAFPID-0005", {"CVE-2022-27193"}, asset_named("Adviesconverter"));
  EXPECT_EQ(converter.fixed_versions, std::vector<std::string>{"1.0.0-rc2"});
  EXPECT_EQ(converter.cvss, 6.1);
  EXPECT_FALSE(converter.actively_exploited);
  EXPECT_THAT(converter.description, HasSubstr("XML External Entities"));
  // A CVE the match does not name tells nothing.
  EXPECT_FALSE(
      FactsOf(*csaf, "CSAFPID-0005", {"CVE-2000-0001"}, asset_named("Adviesconverter")).cvss);

  auto cve = ReadAdvisory(
      ReadFile(SourceDir() / "tests" / "data" / "advisories" / "cve" / "CVE-2025-4565.json"));
  ASSERT_TRUE(cve);
  const MatchFacts protobuf =
      FactsOf(*cve, "affected[1]", {"CVE-2025-4565"}, asset_named("Open data API"));
  EXPECT_EQ(protobuf.fixed_versions, (std::vector<std::string>{"4.25.8", "5.29.5", "6.31.1"}));
  EXPECT_EQ(protobuf.cvss, 8.2);
  EXPECT_FALSE(protobuf.description.empty());
}

TEST(MatcherTest, ReasonsAndRemediationsAreKept) {
  const std::vector<Match> matches = MatchFixture("csaf/2022-evd-uc-06-001.json");
  const auto groningen = std::find_if(matches.begin(), matches.end(),
                                      [](const Match& m) { return m.member == "GM0014"; });
  ASSERT_NE(groningen, matches.end());
  EXPECT_THAT(groningen->reasons.at(0), HasSubstr("version 3.0 within >=2.9|<=4.1"));
  EXPECT_THAT(groningen->remediations, ::testing::Contains(HasSubstr("Update to version 4.2")));
  ASSERT_TRUE(groningen->risk);
  EXPECT_THAT(groningen->risk->reasons.back(), HasSubstr("totaal 4 → Normaal"));
  EXPECT_EQ(groningen->tier, MatchTier::kVendorProduct);
}

TEST(MatcherTest, DistributionBuildsAreNotDecidedByUpstreamRanges) {
  // curl as Debian 12 ships it: 7.88.1 with backported fixes. Upstream CVE-2024-7264 lists
  // 7.32.0 to 8.9.0; the Debian package version says nothing certain about the fix.
  registry::Asset debian;
  debian.name = "Mailserver Debian";
  debian.vendor = "curl";
  debian.product = "curl";
  debian.version = "7.88.1-10+deb12u5";
  debian.purl = "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5";
  registry::Asset upstream = debian;
  upstream.name = "Mailserver eigen build";
  upstream.version = "8.9.1";
  upstream.purl.reset();
  const Inventory inventory({{"GM0363", {debian, upstream}}});
  auto advisory = ReadAdvisory(
      ReadFile(SourceDir() / "tests" / "data" / "advisories" / "cve" / "CVE-2024-7264.json"));
  ASSERT_TRUE(advisory);
  const std::vector<Match> matches = MatchAdvisory(*advisory, inventory);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].asset, "Mailserver Debian");
  EXPECT_EQ(matches[0].outcome, Outcome::kUnknown) << Describe(matches[0]);
  EXPECT_THAT(matches[0].reasons.back(), HasSubstr("deb package build"));
  EXPECT_EQ(matches[1].asset, "Mailserver eigen build");
  EXPECT_EQ(matches[1].outcome, Outcome::kNotAffected) << Describe(matches[1]);
}

TEST(RiskTest, PointsAddUpAsDocumented) {
  RiskInput log4shell;
  log4shell.cvss = 10.0;
  log4shell.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
  log4shell.exploitation = Exploitation::kActive;
  log4shell.exploitation_source = "SSVC";
  log4shell.internet_facing = true;
  log4shell.criticality = registry::Criticality::kCritical;
  EXPECT_EQ(AssessRisk(log4shell).points, 4 + 3 + 1 + 2);
  EXPECT_EQ(AssessRisk(log4shell).level, RiskLevel::kUrgent);

  RiskInput physical;
  physical.cvss = 4.8;
  physical.cvss_vector = "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
  physical.internet_facing = true;
  physical.criticality = registry::Criticality::kLow;
  EXPECT_EQ(AssessRisk(physical).points, 2 + 0 + 0 - 1);
  EXPECT_EQ(AssessRisk(physical).level, RiskLevel::kLaag);

  // Active exploitation lifts a low total to Hoog.
  physical.exploitation = Exploitation::kActive;
  physical.exploitation_source = "exploit_status";
  EXPECT_EQ(AssessRisk(physical).points, 2 + 3 + 0 - 1);
  EXPECT_EQ(AssessRisk(physical).level, RiskLevel::kHoog);

  RiskInput wordy;
  wordy.publisher_severity = "Important";
  EXPECT_EQ(AssessRisk(wordy).points, 3);
  EXPECT_THAT(AssessRisk(wordy).reasons.front(), HasSubstr("Important"));
  RiskInput nothing;
  EXPECT_EQ(AssessRisk(nothing).points, 2);
  EXPECT_THAT(AssessRisk(nothing).reasons.front(), HasSubstr("aangenomen"));
}

}  // namespace
}  // namespace baken::advisories
