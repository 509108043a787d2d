// CPE parsing and name matching (NISTIR 7695/7696), driven by a table of cases from the
// standard's attribute table, the CPEs in tests/data/advisories (CSAF and CVE records) and known
// false positives of other matchers. Each row names its source.

#include "advisories/cpe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::advisories {
namespace {

using ::testing::HasSubstr;

struct CpeCase {
  const char* id;
  const char* source;
  const char* target;
  CpeRelation relation;
  CpeIdentity identity;
  const char* origin;
};
const CpeCase kCpeCases[] = {
    {"D1", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 1 (attribute `version`)"},
    {"D2", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*",
     CpeRelation::kSuperset, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 2 (attribute `version`)"},
    {"D3", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     CpeRelation::kSuperset, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 3 (attribute `version`)"},
    {"D4", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*",
     CpeRelation::kUndefined, CpeIdentity::kUnusable,
     "NISTIR 7696 table 6-2 row 4 (attribute `version`)"},
    {"D5", "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*",
     CpeRelation::kSubset, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 5 (attribute `version`)"},
    {"D6", "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 6 (attribute `version`)"},
    {"D7", "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherVersion,
     "NISTIR 7696 table 6-2 row 7 (attribute `version`)"},
    {"D8", "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*", "cpe:2.3:a:vendor:product:1.?:*:*:*:*:*:*:*",
     CpeRelation::kUndefined, CpeIdentity::kUnusable,
     "NISTIR 7696 table 6-2 row 8 (attribute `version`)"},
    {"D9", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", CpeRelation::kEqual, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 9 (attribute `version`)"},
    {"D10", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:2.0:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherVersion, "NISTIR 7696 table 6-2 row 10 (attribute `version`)"},
    {"D11", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*", CpeRelation::kUndefined, CpeIdentity::kUnusable,
     "NISTIR 7696 table 6-2 row 11 (attribute `version`)"},
    {"D12", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*", CpeRelation::kDisjoint, CpeIdentity::kOtherVersion,
     "NISTIR 7696 table 6-2 row 12 (attribute `version`)"},
    {"D13", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", CpeRelation::kSubset, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 13 (attribute `version`)"},
    {"D14", "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:1.5:*:*:*:*:*:*:*", CpeRelation::kSuperset,
     CpeIdentity::kSameProduct, "NISTIR 7696 table 6-2 row 14 (attribute `version`)"},
    {"D15", "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:2.5:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherVersion, "NISTIR 7696 table 6-2 row 14 (attribute `version`)"},
    {"D16", "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*", CpeRelation::kSubset, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 15 (attribute `version`)"},
    {"D17", "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:-:*:*:*:*:*:*:*", CpeRelation::kDisjoint, CpeIdentity::kOtherVersion,
     "NISTIR 7696 table 6-2 row 16 (attribute `version`)"},
    {"D18", "cpe:2.3:a:vendor:product:1.*:*:*:*:*:*:*:*",
     "cpe:2.3:a:vendor:product:1.?:*:*:*:*:*:*:*", CpeRelation::kUndefined, CpeIdentity::kUnusable,
     "NISTIR 7696 table 6-2 row 17 (attribute `version`)"},
    {"D19", "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1",
     "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1:*:*:*:*:*:*:*", CpeRelation::kEqual,
     CpeIdentity::kSameProduct, "csaf/bsi-2022-0001.json"},
    {"D20", "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2",
     "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherVersion, "csaf/bsi-2022-0001.json"},
    {"D21", "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha",
     "cpe:2.3:a:csaf-tools:cvrf-csaf-converter:*:*:*:*:*:*:*:*", CpeRelation::kSubset,
     CpeIdentity::kSameProduct, "csaf/bsi-2022-0001.json"},
    {"D22", "cpe:/a:redhat:openshift:4.6::el8", "cpe:2.3:a:redhat:openshift:4.6:*:*:*:*:*:*:*",
     CpeRelation::kSubset, CpeIdentity::kSameProduct, "csaf/rhsa-2021_5186.json"},
    {"D23", "cpe:/a:redhat:openshift:4.6::el8", "cpe:2.3:a:redhat:openshift:4.6:*:el8:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct, "csaf/rhsa-2021_5186.json"},
    {"D24", "cpe:/a:redhat:openshift:4.6::el8", "cpe:2.3:a:redhat:openshift:4.6:*:el9:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherProduct, "csaf/rhsa-2021_5186.json"},
    {"D25", "cpe:/a:redhat:openshift:4.6::el8", "cpe:2.3:a:redhat:openshift:4.7:*:*:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherVersion, "csaf/rhsa-2021_5186.json"},
    {"D26", "cpe:/o:redhat:rhel_aus:7.6::server",
     "cpe:2.3:o:redhat:rhel_aus:7.6:*:server:*:*:*:*:*", CpeRelation::kEqual,
     CpeIdentity::kSameProduct, "csaf/rhsa-2022_0011.json"},
    {"D27", "cpe:/o:redhat:rhel_aus:7.6::server",
     "cpe:2.3:o:redhat:enterprise_linux:7.6:*:server:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "csaf/rhsa-2022_0011.json"},
    {"D28", "cpe:/o:redhat:rhel_eus:8.6::baseos",
     "cpe:2.3:o:redhat:rhel_eus:8.6:*:baseos:*:*:*:*:*", CpeRelation::kEqual,
     CpeIdentity::kSameProduct, "csaf/rhsa-2023_1441.json"},
    {"D29", "cpe:/o:redhat:rhel_eus:8.6::baseos",
     "cpe:2.3:a:redhat:rhel_eus:8.6:*:baseos:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "csaf/rhsa-2023_1441.json"},
    {"D30", "cpe:/o:redhat:enterprise_linux:9", "cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct, "cve/CVE-2024-3094.json"},
    {"D31", "cpe:/o:redhat:enterprise_linux:10",
     "cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherVersion, "cve/CVE-2024-3094.json"},
    {"D32", "cpe:/o:redhat:enterprise_linux:9",
     "cpe:2.3:o:redhat:enterprise_linux:9.4:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherVersion, "cve/CVE-2024-3094.json"},
    {"D33", "cpe:/o:redhat:enterprise_linux:9", "cpe:2.3:o:redhat:enterprise_linux:*:*:*:*:*:*:*:*",
     CpeRelation::kSubset, CpeIdentity::kSameProduct, "cve/CVE-2024-3094.json"},
    {"D34", "cpe:/a:redhat:jboss_enterprise_application_platform:8",
     "cpe:2.3:a:redhat:jboss_enterprise_application_platform:8.0:*:*:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherVersion, "cve/CVE-2024-3094.json"},
    {"D35", "cpE:/O:RedHat:Enterprise_Linux:9", "cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct,
     "CSAF 2.0 cpe regex (`[c][pP][eE]:/[AHOaho]?`)"},
    {"D36", "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*",
     "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*", CpeRelation::kEqual,
     CpeIdentity::kSameProduct, "contracts.md registry example"},
    {"D37", "cpe:2.3:a:citrix:netscaler_gateway:*:*:*:*:*:*:*:*",
     "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*", CpeRelation::kSuperset,
     CpeIdentity::kSameProduct, "contracts.md registry example"},
    {"D38", "cpe:2.3:a:citrix:netscaler_gateway:-:*:*:*:*:*:*:*",
     "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherVersion, "contracts.md registry example; DT #3268"},
    {"D39", "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*",
     "cpe:2.3:a:citrix:netscaler_application_delivery_controller:13.1-49.13:*:*:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherProduct, "contracts.md registry example"},
    {"D40", "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*",
     "cpe:2.3:a:*:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*", CpeRelation::kSubset,
     CpeIdentity::kOtherProduct, "contracts.md registry example"},
    {"D41", "cpe:2.3:*:*:xrandr:1.5.1:*:*:*:*:*:*:*", "cpe:2.3:h:intel:*:*:*:*:*:*:*:*:*",
     CpeRelation::kMixed, CpeIdentity::kOtherProduct, "DependencyTrack PR #1929 / #3178"},
    {"D42", "cpe:2.3:a:micro*:office:2019:*:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:office:2019:*:*:*:*:*:*:*", CpeRelation::kSuperset,
     CpeIdentity::kOtherProduct, "design.md §5.2"},
    {"D43", "cpe:/a", "cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*", CpeRelation::kSuperset,
     CpeIdentity::kOtherProduct, "NISTIR 7695 URI binding"},
    {"D44", "cpe:2.3:a:-:product:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:-:product:1.0:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kOtherProduct, "design.md §5.2"},
    {"D45", "cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
     "cpe:2.3:a:microsoft:internet_explorer:8.0:sp1:*:*:*:*:*:*", CpeRelation::kSuperset,
     CpeIdentity::kSameProduct, "NISTIR 7695 (URI %01 = ?, %02 = *)"},
    {"D46", "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_1?:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_13:*:*:*:*:*:*",
     CpeRelation::kSuperset, CpeIdentity::kSameProduct,
     "NISTIR 7696 table 6-2 row 14 (attribute `update`)"},
    {"D47", "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_1?:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_9:*:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherProduct,
     "NISTIR 7696 table 6-2 row 14 (attribute `update`)"},
    {"D48", "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_*:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:exchange_server:2019:-:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "NISTIR 7696 table 6-2 row 16 (attribute `update`)"},
    {"D49", "cpe:2.3:a:microsoft:exchange_server:2019:-:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_1?:*:*:*:*:*:*",
     CpeRelation::kUndefined, CpeIdentity::kUnusable,
     "NISTIR 7696 table 6-2 row 8 (attribute `update`); an asset CPE with a wildcard is not used"},
    {"D50", "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*", "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct, "pins.md curl asset"},
    {"D51", "cpe:2.3:a:haxx:libcurl:*:*:*:*:*:*:*:*", "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
     CpeRelation::kDisjoint, CpeIdentity::kOtherProduct, "NVD naming"},
    {"D52", "cpe:2.3:a:Haxx:Curl:8.4.0:*:*:*:*:*:*:*", "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
     CpeRelation::kEqual, CpeIdentity::kSameProduct, "design.md §5.2"},
    {"D53", "cpe:2.3:a:oracle:java_se:1.8.0:update_391:*:*:*:*:*:*",
     "cpe:2.3:a:oracle:java_se:1.8.0:update_391:*:*:*:*:x64:*", CpeRelation::kSuperset,
     CpeIdentity::kSameProduct, "NISTIR 7696 table 6-2 row 3 (attribute `target_hw`)"},
    {"D54", "cpe:2.3:a:oracle:java_se:1.8.0:update_391:*:*:*:*:x86:*",
     "cpe:2.3:a:oracle:java_se:1.8.0:update_391:*:*:*:*:x64:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "NISTIR 7696 table 6-2 row 10 (attribute `target_hw`)"},
    {"D55", "cpe:2.3:a:vendor:product:1.0:*:*:-:*:*:*:*",
     "cpe:2.3:a:vendor:product:1.0:*:*:nl:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "NISTIR 7696 table 6-2 row 7 (attribute `language`)"},
    {"D56", "cpe:2.3:a:foo\\:bar:product:1.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:foo\\:bar:product:1.0:*:*:*:*:*:*:*", CpeRelation::kEqual,
     CpeIdentity::kSameProduct, "CPE 2.3 FS quoting"},
    {"D57", "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~",
     "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*", CpeRelation::kEqual,
     CpeIdentity::kSameProduct, "NISTIR 7695 packed edition"},
    {"D58", "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~",
     "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:windows:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "NISTIR 7695 packed edition"},
    {"D59", "cpe:2.3:a:siemens:simatic_cp_343-1_lean_firmware:*:*:*:*:*:*:*:*",
     "cpe:2.3:h:siemens:simatic_cp_343-1_lean:-:*:*:*:*:*:*:*", CpeRelation::kDisjoint,
     CpeIdentity::kOtherProduct, "NVD firmware/hardware split"},
};

class CpeTableTest : public ::testing::TestWithParam<CpeCase> {};

TEST_P(CpeTableTest, RelationAndIdentity) {
  const CpeCase& c = GetParam();
  auto source = ParseCpe(c.source);
  auto target = ParseCpe(c.target);
  ASSERT_TRUE(source) << c.id << ": " << source.error().message;
  ASSERT_TRUE(target) << c.id << ": " << target.error().message;
  EXPECT_EQ(Name(CompareNames(*source, *target)), Name(c.relation))
      << c.id << " (" << c.origin << ")";
  EXPECT_EQ(IdentifyProduct(*source, *target), c.identity) << c.id << " (" << c.origin << ")";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CpeTableTest, ::testing::ValuesIn(kCpeCases),
                         [](const auto& test_info) { return std::string(test_info.param.id); });

TEST(CpeTest, ReadsBothBindings) {
  auto uri = ParseCpe("cpe:/a:hp:openview_network_manager:7.51::~~~linux~~");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->values[Cpe::kTargetSw], "linux");
  EXPECT_TRUE(uri->IsAny(Cpe::kUpdate));
  EXPECT_EQ(uri->Formatted(), "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*");
  auto escaped = ParseCpe("cpe:2.3:a:foo\\:bar:product:1.0:*:*:*:*:*:*:*");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->values[Cpe::kVendor], "foo:bar");
  EXPECT_EQ(escaped->Formatted(), "cpe:2.3:a:foo\\:bar:product:1.0:*:*:*:*:*:*:*");
}

TEST(CpeTest, RefusesWhatIsNotACpe) {
  for (const char* bad : {"", "cpe", "cpe:2.3:a:vendor:product", "cpe:2.3:x:v:p:1:*:*:*:*:*:*:*",
                          "cpe:2.3:a:v:p:1:*:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1\\", "cpe:/a:v:p:%4",
                          "cpe:/a:v:p:%zz", "cpe:2.3:a:v::1:*:*:*:*:*:*:*", "pkg:npm/left-pad"}) {
    auto cpe = ParseCpe(bad);
    EXPECT_FALSE(cpe) << bad;
    if (!cpe) {
      EXPECT_THAT(cpe.error().message, HasSubstr("CPE")) << bad;
    }
  }
}

TEST(CpeTest, HostileWildcardsCostLittle) {
  std::string pattern = "cpe:2.3:a:v:p:";
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += ":*:*:*:*:*:*:*";
  auto source = ParseCpe(pattern);
  auto target = ParseCpe("cpe:2.3:a:v:p:" + std::string(4000, 'a') + "b:*:*:*:*:*:*:*");
  ASSERT_TRUE(source);
  ASSERT_TRUE(target);
  EXPECT_EQ(CompareAttribute(*source, *target, Cpe::kVersion), CpeRelation::kDisjoint);
}

}  // namespace
}  // namespace baken::advisories
