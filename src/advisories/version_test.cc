// Version comparison and range containment, driven by a table of cases taken from the
// advisories in tests/data/advisories (CSAF, CVE; copies of ../shared/fixtures), the CSAF 2.0 and
// vers specifications, and the version forms Dutch municipalities' inventories hold. Each row names
// its source.

#include "advisories/version.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::advisories {
namespace {

using ::testing::HasSubstr;

// Generated from the issue 4 case tables (fixture and spec examples); each row names its source.
struct RangeCase {
  const char* id;
  const char* version;
  const char* range;
  Outcome expected;
  const char* source;
};
const RangeCase kRangeCases[] = {
    {"A1", "2.6", "vers:generic/>=2.9|<=4.1", Outcome::kNotAffected,
     "csaf/2022-evd-uc-06-001.json"},
    {"A2", "3.0", "vers:generic/>=2.9|<=4.1", Outcome::kAffected, "csaf/2022-evd-uc-06-001.json"},
    {"A3", "2.9", "vers:generic/>=2.9|<=4.1", Outcome::kAffected, "csaf/2022-evd-uc-06-001.json"},
    {"A4", "4.1", "vers:generic/>=2.9|<=4.1", Outcome::kAffected, "csaf/2022-evd-uc-06-001.json"},
    {"A5", "4.1.1", "vers:generic/>=2.9|<=4.1", Outcome::kNotAffected,
     "csaf/2022-evd-uc-06-001.json"},
    {"A6", "4.2", "vers:generic/>=2.9|<=4.1", Outcome::kNotAffected,
     "csaf/2022-evd-uc-06-001.json"},
    {"A7", "1.0", "vers:generic/>=1.0|<=2.3", Outcome::kAffected, "csaf/2022-evd-uc-06-001.json"},
    {"A8", "0.9", "vers:generic/>=1.0|<=2.3", Outcome::kNotAffected,
     "csaf/2022-evd-uc-06-001.json"},
    {"A9", "2.3.1", "vers:generic/>=1.0|<=2.3", Outcome::kNotAffected,
     "csaf/2022-evd-uc-06-001.json"},
    {"A10", "2.8.5", "vers:generic/>=2.7|<=2.8", Outcome::kNotAffected,
     "csaf/2022-evd-uc-06-001.json"},
    {"A11", "2.7", "vers:generic/>=2.7|<=2.8", Outcome::kAffected, "csaf/2022-evd-uc-06-001.json"},
    {"A12", "5.0", "vers:generic/>=4.5|<=5.0", Outcome::kAffected, "csaf/2022-evd-uc-08-001.json"},
    {"A13", "5.0.1", "vers:generic/>=4.5|<=5.0", Outcome::kNotAffected,
     "csaf/2022-evd-uc-08-001.json"},
    {"A14", "4.4", "vers:generic/>=1.0|<=4.4", Outcome::kAffected, "csaf/2022-evd-uc-08-001.json"},
    {"A15", "1.14.0", "<=1.14.0", Outcome::kAffected, "csaf/sec-vex-2022-0001.json"},
    {"A16", "1.12.1", "<=1.14.0", Outcome::kAffected, "csaf/sec-vex-2022-0001.json"},
    {"A17", "1.14.1", "<=1.14.0", Outcome::kNotAffected, "csaf/sec-vex-2022-0001.json"},
    {"A18", "5.0", "vers:all/*", Outcome::kAffected, "csaf/icsa-23-061-03.json"},
    {"A19", "", "vers:all/*", Outcome::kAffected, "csaf/icsa-23-061-03.json"},
    {"A20", "4.8.488.0", "<= 4.8.488.0", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A21", "4.8.487.9", "<= 4.8.488.0", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A22", "4.10.490", "<= 4.8.488.0", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A23", "4.8.488.1", "<= 4.8.488.0", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A24", "2.26.2.3", "< 2.26.2.4", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A25", "2.26.2.4", "< 2.26.2.4", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A26", "2.26.10", "< 2.26.2.4", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A27", "1.9-40", "<= 1.9-40", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A28", "1.9-39", "<= 1.9-40", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A29", "1.9-41", "<= 1.9-40", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A30", "1.10-1", "<= 1.9-40", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A31", "1.9", "<= 1.9-40", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A32", "1.4.8", "< 1.4.9", Outcome::kAffected, "csaf/icsa-23-243-04.json"},
    {"A33", "1.4.9", "< 1.4.9", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A34", "1.4.10", "< 1.4.9", Outcome::kNotAffected, "csaf/icsa-23-243-04.json"},
    {"A35", "V5.23", "vers:all/<V5.24", Outcome::kAffected, "csaf/icsa-24-256-02.json"},
    {"A36", "V5.24", "vers:all/<V5.24", Outcome::kNotAffected, "csaf/icsa-24-256-02.json"},
    {"A37", "5.3", "vers:all/<V5.24", Outcome::kAffected, "csaf/icsa-24-256-02.json"},
    {"A38", "V6.23.1", "vers:all/<V6.24", Outcome::kAffected, "csaf/icsa-24-256-02.json"},
    {"A39", "V6.24", "vers:all/<V6.24", Outcome::kNotAffected, "csaf/icsa-24-256-02.json"},
    {"A40", "v6.3", "vers:all/<V6.24", Outcome::kAffected, "csaf/icsa-24-256-02.json"},
    {"A41", "4.8.1", "all versions", Outcome::kAffected, "csaf/va-24-201-01.json"},
    {"A42", "", "all versions", Outcome::kAffected, "csaf/va-24-201-01.json"},
    {"A43", "1.2.3", "vers:unknown/*", Outcome::kUnknown, "reference/advisories.md §2.2 (NCSC-NL)"},
    {"A44", "1.2.3", "vers:all/*_installed_on_CP200_devices", Outcome::kAffected,
     "reference/advisories.md §1.5 (cisagov/CSAF corpus)"},
    {"A45", "V3.0.28", "All versions < V3.0.29", Outcome::kUnknown,
     "reference/advisories.md §1.5 (cisagov/CSAF corpus)"},
    {"A46", "7.0", "5.011  | < 8.011", Outcome::kAffected,
     "reference/advisories.md §1.5 (cisagov/CSAF corpus)"},
    {"A47", "9.0", "5.011  | < 8.011", Outcome::kNotAffected,
     "reference/advisories.md §1.5 (cisagov/CSAF corpus)"},
    {"A48", "1.0.212M", "All BIOS versions < V1.0.212N", Outcome::kUnknown,
     "reference/advisories.md §1.5 (cisagov/CSAF corpus)"},
    {"A49", "2.2.1", "vers:gem/>=2.2.0|!= 2.2.1|<2.3.0", Outcome::kNotAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A50", "2.2.2", "vers:gem/>=2.2.0|!= 2.2.1|<2.3.0", Outcome::kAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A51", "2.3.0", "vers:gem/>=2.2.0|!= 2.2.1|<2.3.0", Outcome::kNotAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A52", "1.2.3", "vers:npm/1.2.3|>=2.0.0|<5.0.0", Outcome::kAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A53", "1.2.4", "vers:npm/1.2.3|>=2.0.0|<5.0.0", Outcome::kNotAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A54", "4.9.9", "vers:npm/1.2.3|>=2.0.0|<5.0.0", Outcome::kAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A55", "5.0.0", "vers:npm/1.2.3|>=2.0.0|<5.0.0", Outcome::kNotAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A56", "2.0pre1", "vers:pypi/0.0.0|0.0.1|0.0.2|0.0.3|1.0|2.0pre1", Outcome::kAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A57", "1.2", "vers:pypi/0.0.0|0.0.1|0.0.2|0.0.3|1.0|2.0pre1", Outcome::kNotAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A58", "8.0.1", "vers:tomee/>=8.0.0-M1|<=8.0.1", Outcome::kAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A59", "8.0.0", "vers:tomee/>=8.0.0-M1|<=8.0.1", Outcome::kUnknown,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A60", "7.9", "vers:tomee/>=8.0.0-M1|<=8.0.1", Outcome::kNotAffected,
     "CSAF 2.0 §3.1.2.3.2 examples"},
    {"A61", "1.9.0", "vers:npm/<2.0.0", Outcome::kAffected,
     "package-url/vers-spec (containment algorithm)"},
    {"A62", "2.0.0", "vers:npm/<2.0.0", Outcome::kNotAffected,
     "package-url/vers-spec (containment algorithm)"},
    {"A63", "3.0.0", "vers:npm/>=2.0.0", Outcome::kAffected,
     "package-url/vers-spec (containment algorithm)"},
    {"A64", "1.0.0-rc.1", "vers:semver/>=1.0.0", Outcome::kNotAffected,
     "package-url/vers-spec (containment algorithm)"},
    {"A65", "1.0.0", "vers:semver/>=1.0.0-rc.1", Outcome::kAffected,
     "package-url/vers-spec (containment algorithm)"},
    {"A66", "1.0.0-alpha", "vers:semver/<1.0.0-alpha.1", Outcome::kAffected, "semver.org §11"},
    {"A67", "1.0.0-beta.11", "vers:semver/<1.0.0-beta.2", Outcome::kNotAffected, "semver.org §11"},
    {"A68", "1.0.0+build.5", "vers:semver/<=1.0.0", Outcome::kAffected, "semver.org §10"},
    {"A69", "4.1", "prior to 4.2", Outcome::kAffected,
     "design.md §6.1 (free-text patterns); CSAF 2.0 example of an invalid product_version"},
    {"A70", "4.2", "prior to 4.2", Outcome::kNotAffected, "design.md §6.1 (free-text patterns)"},
    {"A71", "8.1.5", "8.1.5 and later", Outcome::kAffected,
     "design.md §6.1 (free-text patterns); CSAF 2.0 example"},
    {"A72", "8.1.4", "8.1.5 and later", Outcome::kNotAffected,
     "design.md §6.1 (free-text patterns)"},
    {"A73", "8.0.1", "8.0.0 - 8.0.1", Outcome::kUnknown,
     "CSAF 2.0 example (invalid product_version)"},
    {"A74", "4.1", "V3.0, V4.0, V4.1, V4.2", Outcome::kUnknown,
     "CSAF 2.0 example (invalid product_version)"},
    {"A75", "13.1-49.13", "vers:generic/<13.1-49.15", Outcome::kAffected,
     "contracts.md (NetScaler-style dash versions)"},
    {"A76", "13.1-49.15", "vers:generic/<13.1-49.15", Outcome::kNotAffected,
     "contracts.md (NetScaler-style dash versions)"},
    {"A77", "13.1-51.15", "vers:generic/>=13.1|<13.1-51.15", Outcome::kNotAffected,
     "contracts.md (NetScaler-style dash versions)"},
    {"A78", "14.1-8.50", "vers:generic/>=13.1|<13.1-51.15", Outcome::kNotAffected,
     "contracts.md (NetScaler-style dash versions)"},
    {"A79", "13.1-37.176", "vers:generic/>=13.1-37|<13.1-37.176", Outcome::kNotAffected,
     "contracts.md (NetScaler-style dash versions)"},
    {"A80", "13.1-49.9", "vers:generic/<13.1-49.13", Outcome::kAffected,
     "contracts.md (NetScaler-style dash versions)"},
    {"A81", "1.1.1k", "vers:generic/<1.1.1l", Outcome::kAffected,
     "design.md §6.2 generic (OpenSSL letters)"},
    {"A82", "1.1.1l", "vers:generic/<1.1.1l", Outcome::kNotAffected, "design.md §6.2 generic"},
    {"A83", "1.1.1", "vers:generic/<1.1.1a", Outcome::kAffected, "design.md §6.2 generic"},
    {"A84", "2.0pre1", "vers:generic/<2.0", Outcome::kAffected, "design.md §6.2 generic"},
    {"A85", "2.0", "vers:generic/<2.0", Outcome::kNotAffected, "design.md §6.2 generic"},
    {"A86", "1.0.0-rc1", "vers:generic/<1.0.0", Outcome::kAffected,
     "design.md §6.2 generic (BSI fixture versions)"},
    {"A87", "1.0.0-dev3", "vers:generic/<1.0.0-alpha", Outcome::kAffected,
     "design.md §6.2 generic"},
    {"A88", "10.234.5.12", "vers:intdot/>=10.234.5|<10.234.6", Outcome::kAffected,
     "vers-spec docs/types/vers-types.md (intdot example)"},
    {"A89", "1.9-40", "vers:intdot/<=1.9", Outcome::kUnknown, "vers-types.md intdot"},
    {"A90", "1:0.17-64.el7", "vers:rpm/<1:0.17-65.el7_6", Outcome::kAffected,
     "csaf/rhsa-2022_0011.json, rhsa-2023_1441.json (NEVRA)"},
    {"A91", "0:0.17-66.el7", "vers:rpm/<1:0.17-65.el7_6", Outcome::kAffected,
     "csaf/rhsa-2022_0011.json, rhsa-2023_1441.json (NEVRA)"},
    {"A92", "1:1.1.1k-7.el8_6", "vers:rpm/<1:1.1.1k-8.el8_6", Outcome::kAffected,
     "csaf/rhsa-2022_0011.json, rhsa-2023_1441.json (NEVRA)"},
    {"A93", "1:1.1.1k-8.el8_6", "vers:rpm/<1:1.1.1k-8.el8_6", Outcome::kNotAffected,
     "csaf/rhsa-2022_0011.json, rhsa-2023_1441.json (NEVRA)"},
    {"A94", "1:1.1.1k-8.el8_6.1", "vers:rpm/<1:1.1.1k-8.el8_6", Outcome::kNotAffected,
     "csaf/rhsa-2022_0011.json, rhsa-2023_1441.json (NEVRA)"},
    {"A95", "1:1.1.1k-8.el8_6~rc1", "vers:rpm/<1:1.1.1k-8.el8_6", Outcome::kAffected, "rpmvercmp"},
    {"A96", "7.88.1-10+deb12u5", "vers:deb/<7.88.1-10+deb12u7", Outcome::kAffected,
     "dpkg ordering (Debian policy)"},
    {"A97", "7.88.1-10+deb12u7", "vers:deb/<7.88.1-10+deb12u7", Outcome::kNotAffected,
     "dpkg ordering (Debian policy)"},
    {"A98", "1:2.0~rc1-1", "vers:deb/<1:2.0-1", Outcome::kAffected,
     "dpkg ordering (Debian policy)"},
    {"A99", "2.0~rc1-1", "vers:deb/<1.9-1", Outcome::kNotAffected, "dpkg ordering (Debian policy)"},
};

class RangeTableTest : public ::testing::TestWithParam<RangeCase> {};

TEST_P(RangeTableTest, VersionInRange) {
  const RangeCase& c = GetParam();
  const Decision decision = Contains(ParseRange(c.range), c.version);
  EXPECT_EQ(Name(decision.outcome), Name(c.expected))
      << c.id << ": '" << c.version << "' in '" << c.range << "' (" << c.source
      << "); reason: " << decision.reason;
  EXPECT_FALSE(decision.reason.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RangeTableTest, ::testing::ValuesIn(kRangeCases),
                         [](const auto& test_info) { return std::string(test_info.param.id); });

TEST(VersionTest, ReasonsSayWhatWasCompared) {
  const VersionRange range = ParseRange("vers:generic/>=2.9|<=4.1");
  EXPECT_EQ(Contains(range, "3.0").reason, "version 3.0 within >=2.9|<=4.1");
  EXPECT_EQ(Contains(range, "4.2").reason, "version 4.2 outside >=2.9|<=4.1");
  EXPECT_THAT(Contains(ParseRange("11 and 12"), "11").reason, HasSubstr("'11 and 12'"));
  EXPECT_THAT(Contains(range, "").reason, HasSubstr("not known"));
}

TEST(VersionTest, MessyRangesAreKeptAndFlagged) {
  const VersionRange recovered = ParseRange("vers:all/<V5.24");
  EXPECT_EQ(recovered.form, VersionRange::Form::kConstraints);
  EXPECT_TRUE(recovered.scheme_guessed);
  ASSERT_EQ(recovered.problems.size(), 1u);
  EXPECT_THAT(recovered.problems[0], HasSubstr("vers:all with constraints"));

  const VersionRange words = ParseRange("All BIOS versions < V1.0.212N");
  EXPECT_EQ(words.form, VersionRange::Form::kUnparsed);
  EXPECT_EQ(words.raw, "All BIOS versions < V1.0.212N");
  EXPECT_FALSE(words.problems.empty());

  const VersionRange gem = ParseRange("vers:gem/>=2.2.0|!= 2.2.1|<2.3.0");
  EXPECT_TRUE(gem.scheme_guessed);
  EXPECT_THAT(gem.problems.at(0), HasSubstr("'gem'"));

  EXPECT_FALSE(ParseRange("vers:semver/>=1.0.0").scheme_guessed);
  EXPECT_TRUE(ParseRange("vers:semver/>=1.0.0").problems.empty());
}

TEST(VersionTest, SchemesOrderTheirOwnWay) {
  const auto order = [](Scheme scheme, const char* a, const char* b) {
    const auto comparison = CompareVersions(scheme, a, b);
    return comparison ? comparison->order : 99;
  };
  EXPECT_LT(order(Scheme::kGeneric, "15.2(4)E1", "15.2(4)E5"), 0);  // Cisco IOS
  EXPECT_GT(order(Scheme::kGeneric, "15.2(4m)E1", "15.2(4)E1"), 0);
  EXPECT_EQ(order(Scheme::kGeneric, "v2.0", "2.0"), 0);
  EXPECT_LT(order(Scheme::kGeneric, "1.0.0-dev3", "1.0.0-alpha"), 0);
  EXPECT_GT(order(Scheme::kSemver, "1.0.0-dev3", "1.0.0-alpha"), 0);  // semver: by text
  EXPECT_LT(order(Scheme::kPypi, "1.0a1", "1.0"), 0);
  EXPECT_GT(order(Scheme::kPypi, "1.0.post1", "1.0"), 0);
  EXPECT_LT(order(Scheme::kRpm, "1.0~rc1", "1.0"), 0);
  EXPECT_GT(order(Scheme::kRpm, "1.0^git1", "1.0"), 0);
  EXPECT_LT(order(Scheme::kRpm, "1.0^git1", "1.0.1"), 0);
  EXPECT_GT(order(Scheme::kRpm, "2:0.1", "1:9.9"), 0);
  EXPECT_LT(order(Scheme::kDeb, "1.0~beta1-1", "1.0-1"), 0);
  EXPECT_GT(order(Scheme::kDeb, "1.0+dfsg-1", "1.0-1"), 0);
  EXPECT_GT(order(Scheme::kGeneric, "99999999999999999999999.1", "99999999999999999999998.9"),
            0);  // numbers of any length
  EXPECT_EQ(order(Scheme::kSemver, "not a version", "1.0.0"), 99);
  EXPECT_EQ(order(Scheme::kIntdot, "1.2a", "1.2"), 99);
  EXPECT_EQ(order(Scheme::kGeneric, "", "1.0"), 99);
}

TEST(VersionTest, SameVersionIsSchemeAware) {
  EXPECT_EQ(SameVersion(Scheme::kGeneric, "V6.24", "6.24"), true);
  EXPECT_EQ(SameVersion(Scheme::kGeneric, "12.2(55)SE", "12.2(55)SE"), true);
  EXPECT_EQ(SameVersion(Scheme::kGeneric, "8", "8.0"), false);
  EXPECT_EQ(SameVersion(Scheme::kSemver, "1.2", "1.2.0"), true);
  EXPECT_EQ(SameVersion(Scheme::kSemver, "x", "1.2.0"), std::nullopt);
}

TEST(VersionTest, SchemeNamesFollowVersAndCve) {
  EXPECT_EQ(SchemeOf("npm"), Scheme::kSemver);
  EXPECT_EQ(SchemeOf("RPM"), Scheme::kRpm);
  EXPECT_EQ(SchemeOf("python"), Scheme::kPypi);
  EXPECT_EQ(SchemeOf("custom"), std::nullopt);
  EXPECT_EQ(Name(Scheme::kDeb), "deb");
  EXPECT_EQ(Name(Outcome::kNotAffected), "not_affected");
}

}  // namespace
}  // namespace baken::advisories
