// Reading advisories: every CSAF and CVE fixture in tests/data/advisories is read (counts pinned
// against the files), messy parts are kept and flagged, and structurally broken documents are
// refused with reasons that name the place and the mandatory test.

#include "advisories/reader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace baken::advisories {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

std::string Fixture(const std::string& name) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  const std::filesystem::path path =
      std::filesystem::path(source ? source : ".") / "tests" / "data" / "advisories" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Advisory Read(const std::string& name) {
  auto advisory = ReadAdvisory(Fixture(name));
  if (!advisory) {
    std::string reasons;
    for (const std::string& reason : advisory.error().reasons) reasons += reason + "\n";
    ADD_FAILURE() << name << " refused:\n" << reasons;
    return {};
  }
  return std::move(*advisory);
}

struct FixtureCase {
  const char* file;
  const char* id;
  Format format;
  std::optional<Tlp> tlp;
  size_t products;
  size_t vulnerabilities;
  const char* first_cve;
};

// Expected counts come from flattening each file independently (branch leaves plus
// full_product_names plus relationships; a CVE record's `affected` entries).
const FixtureCase kFixtures[] = {
    {"csaf/2022-evd-uc-06-001.json", "2022-EVD-UC-06-001", Format::kCsaf, std::nullopt, 7, 1,
     "CVE-2021-44228"},
    {"csaf/2022-evd-uc-08-001.json", "2022-EVD-UC-08-001", Format::kCsaf, std::nullopt, 11, 2,
     "CVE-2021-44228"},
    {"csaf/avendor-advisory-0004.json", "Avendor-advisory-0004", Format::kCsaf, Tlp::kClear, 5, 2,
     "CVE-2020-1234"},
    {"csaf/bsi-2022-0001.json", "BSI-2022-0001", Format::kCsaf, Tlp::kClear, 6, 1,
     "CVE-2022-27193"},
    {"csaf/cisco-sa-20180328-smi2.json", "cisco-sa-20180328-smi2", Format::kCsaf, std::nullopt, 259,
     1, "CVE-2018-0171"},
    {"csaf/icsa-23-061-03.json", "ICSA-23-061-03", Format::kCsaf, Tlp::kClear, 1, 1,
     "CVE-2022-40633"},
    {"csaf/icsa-23-243-04.json", "ICSA-23-243-04", Format::kCsaf, Tlp::kClear, 23, 1,
     "CVE-2023-4299"},
    {"csaf/icsa-24-046-04.json", "ICSA-24-046-04", Format::kCsaf, Tlp::kClear, 4, 1,
     "CVE-2023-51440"},
    {"csaf/icsa-24-256-02.json", "ICSA-24-256-02", Format::kCsaf, Tlp::kClear, 4, 1,
     "CVE-2024-41171"},
    {"csaf/rhsa-2021_5186.json", "RHSA-2021:5186", Format::kCsaf, Tlp::kClear, 7, 2,
     "CVE-2021-4104"},
    {"csaf/rhsa-2022_0011.json", "RHSA-2022:0011", Format::kCsaf, Tlp::kClear, 25, 1,
     "CVE-2020-10188"},
    {"csaf/rhsa-2023_1441.json", "RHSA-2023:1441", Format::kCsaf, Tlp::kClear, 71, 1, ""},
    {"csaf/sec-vex-2022-0001.json", "SEC-VEX-2022-0001", Format::kCsaf, Tlp::kClear, 1, 3,
     "CVE-2021-44228"},
    {"csaf/va-24-201-01.json", "VA-24-201-01", Format::kCsaf, Tlp::kClear, 8, 3, "CVE-2023-45195"},
    {"cve/CVE-2023-1055.json", "CVE-2023-1055", Format::kCve, Tlp::kClear, 1, 1, "CVE-2023-1055"},
    {"cve/CVE-2023-22466.json", "CVE-2023-22466", Format::kCve, Tlp::kClear, 1, 1,
     "CVE-2023-22466"},
    {"cve/CVE-2024-3094.json", "CVE-2024-3094", Format::kCve, Tlp::kClear, 7, 1, "CVE-2024-3094"},
    {"cve/CVE-2024-7264.json", "CVE-2024-7264", Format::kCve, Tlp::kClear, 1, 1, "CVE-2024-7264"},
    {"cve/CVE-2025-4565.json", "CVE-2025-4565", Format::kCve, Tlp::kClear, 2, 1, "CVE-2025-4565"},
};

class FixtureReadTest : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(FixtureReadTest, ReadsEveryFixture) {
  const FixtureCase& c = GetParam();
  const Advisory advisory = Read(c.file);
  EXPECT_EQ(advisory.id, c.id);
  EXPECT_EQ(advisory.format, c.format);
  EXPECT_EQ(advisory.tlp, c.tlp);
  EXPECT_EQ(advisory.products.size(), c.products);
  ASSERT_EQ(advisory.vulnerabilities.size(), c.vulnerabilities);
  EXPECT_EQ(advisory.vulnerabilities[0].cve, c.first_cve);
  EXPECT_FALSE(advisory.title.empty());
  for (const Product& product : advisory.products) {
    EXPECT_FALSE(product.id.empty());
    EXPECT_FALSE(product.name.empty()) << product.id;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureReadTest, ::testing::ValuesIn(kFixtures),
                         [](const auto& test_info) {
                           std::string name = test_info.param.id;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ReaderTest, FlattensTheProductTreeWithItsContext) {
  const Advisory cisco = Read("csaf/cisco-sa-20180328-smi2.json");
  const Product* ios = nullptr;
  for (const Product& product : cisco.products) {
    if (product.version == "15.2(4)E5") ios = &product;
  }
  ASSERT_NE(ios, nullptr);
  EXPECT_EQ(ios->vendor, "Cisco");
  EXPECT_EQ(ios->product_name, "IOS");
  EXPECT_EQ(ios->family, "");
  EXPECT_EQ(cisco.revisions.size(), 7u);
  EXPECT_EQ(cisco.version, "3.0.0");

  const Advisory evd = Read("csaf/2022-evd-uc-06-001.json");
  const Product* range = evd.FindProduct("CSAFPID-0004");
  ASSERT_NE(range, nullptr);
  ASSERT_TRUE(range->range);
  EXPECT_EQ(range->range->raw, "vers:generic/>=2.9|<=4.1");
  EXPECT_EQ(Contains(*range->range, "3.0").outcome, Outcome::kAffected);

  const Advisory bsi = Read("csaf/bsi-2022-0001.json");
  EXPECT_EQ(bsi.FindProduct("CSAFPID-0005")->cpe,
            "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1");
  EXPECT_EQ(bsi.aggregate_severity, "Moderate");

  const Advisory siemens = Read("csaf/icsa-24-046-04.json");
  bool has_model = false;
  for (const Product& product : siemens.products) has_model |= !product.model_numbers.empty();
  EXPECT_TRUE(has_model);
}

TEST(ReaderTest, RelationshipsNameTheirComponent) {
  const Advisory rhsa = Read("csaf/rhsa-2023_1441.json");
  const Product* component =
      rhsa.FindProduct("BaseOS-8.6.0.Z.EUS:openssl-1:1.1.1k-8.el8_6.aarch64");
  ASSERT_NE(component, nullptr);
  EXPECT_EQ(component->relationship, "default_component_of");
  EXPECT_EQ(component->component_id, "openssl-1:1.1.1k-8.el8_6.aarch64");
  EXPECT_EQ(component->platform_id, "BaseOS-8.6.0.Z.EUS");
}

TEST(ReaderTest, StatusesRemediationsScoresAndThreatsPerProduct) {
  const Advisory evd = Read("csaf/2022-evd-uc-08-001.json");
  const Vulnerability& log4shell = evd.vulnerabilities[0];
  EXPECT_THAT(log4shell.status.at("CSAFPID-0010"), Contains(ProductStatus::kFixed));
  EXPECT_THAT(evd.vulnerabilities[1].status.at("CSAFPID-0010"),
              Contains(ProductStatus::kKnownAffected));
  ASSERT_FALSE(log4shell.remediations.empty());
  EXPECT_EQ(log4shell.remediations[0].category, "vendor_fix");
  ASSERT_FALSE(log4shell.scores.empty());
  EXPECT_EQ(log4shell.scores[0].base_score, 10);
}

TEST(ReaderTest, MessyPartsAreKeptAndFlagged) {
  const Advisory broken_vex = Read("csaf/rhsa-2023_1441.json");
  std::vector<std::string> problems;
  for (const Problem& problem : broken_vex.problems)
    problems.push_back(problem.where + " " + problem.what);
  EXPECT_THAT(problems, Contains(HasSubstr("names neither a CVE nor another identifier")));
  EXPECT_THAT(
      problems,
      Contains(HasSubstr("/vulnerabilities/0/product_status/known_affected is an empty list")));

  const Advisory siemens = Read("csaf/icsa-24-256-02.json");
  ASSERT_FALSE(siemens.problems.empty());
  EXPECT_THAT(siemens.problems[0].what, HasSubstr("vers:all with constraints"));

  const Advisory tokio = Read("cve/CVE-2023-22466.json");
  ASSERT_FALSE(tokio.problems.empty());
  EXPECT_THAT(tokio.problems[0].what, HasSubstr("range in free text"));

  const Advisory xz = Read("cve/CVE-2024-3094.json");
  EXPECT_EQ(xz.products[0].purl, "pkg:github/tukaani-project/xz");
  EXPECT_TRUE(xz.products[0].purl_derived);

  const Advisory directory = Read("cve/CVE-2023-1055.json");
  EXPECT_EQ(directory.products[0].vendor, "");
}

TEST(ReaderTest, CveRecordsKeepVersionsScoresAndSsvc) {
  const Advisory curl = Read("cve/CVE-2024-7264.json");
  ASSERT_EQ(curl.products.size(), 1u);
  EXPECT_EQ(curl.products[0].cve_versions.size(), 95u);
  EXPECT_EQ(curl.products[0].default_status, "unaffected");
  const Vulnerability& vulnerability = curl.vulnerabilities[0];
  ASSERT_FALSE(vulnerability.scores.empty());  // from the CISA ADP: the CNA gave none
  EXPECT_NE(vulnerability.scores[0].source, "cna");
  const Advisory protobuf = Read("cve/CVE-2025-4565.json");
  EXPECT_EQ(protobuf.vulnerabilities[0].scores[0].cvss_version, "4.0");
}

// A minimal valid CSAF document to break in one place at a time.
nlohmann::json Minimal() {
  return nlohmann::json::parse(R"({
    "document": {"category": "csaf_base", "csaf_version": "2.0", "title": "t",
      "publisher": {"category": "vendor", "name": "V", "namespace": "https://v.example"},
      "tracking": {"id": "V-1", "version": "1", "status": "final",
        "initial_release_date": "2024-01-01T00:00:00Z", "current_release_date": "2024-01-01T00:00:00Z",
        "revision_history": [{"number": "1", "date": "2024-01-01T00:00:00Z", "summary": "first"}]}},
    "product_tree": {"branches": [{"category": "vendor", "name": "V", "branches": [
      {"category": "product_name", "name": "P", "branches": [
        {"category": "product_version", "name": "1.0", "product": {"name": "V P 1.0", "product_id": "P1"}},
        {"category": "product_version", "name": "2.0", "product": {"name": "V P 2.0", "product_id": "P2"}}]}]}],
      "product_groups": [{"group_id": "G1", "product_ids": ["P1", "P2"]}]},
    "vulnerabilities": [{"cve": "CVE-2024-0001", "product_status": {"known_affected": ["P1"], "fixed": ["P2"]},
      "scores": [{"products": ["P1"], "cvss_v3": {"version": "3.1", "baseScore": 9.8,
        "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseSeverity": "CRITICAL"}}],
      "remediations": [{"category": "vendor_fix", "details": "update", "group_ids": ["G1"]}]}]
  })");
}

std::vector<std::string> Refusals(const nlohmann::json& document) {
  auto read = ReadAdvisory(document.dump());
  if (read) return {};
  return read.error().reasons;
}

TEST(ReaderTest, TheMinimalDocumentIsRead) {
  auto read = ReadAdvisory(Minimal().dump());
  ASSERT_TRUE(read);
  EXPECT_EQ(read->vulnerabilities[0].remediations[0].product_ids,
            (std::vector<std::string>{"P1", "P2"}));  // the group expanded
}

TEST(ReaderTest, MandatoryTestsRefuseWithTheirNumber) {
  struct Break {
    const char* test;
    std::function<void(nlohmann::json&)> apply;
  };
  const Break breaks[] = {
      {"6.1.1",
       [](auto& d) {
         d["vulnerabilities"][0]["product_status"]["known_affected"].push_back("P9");
       }},
      {"6.1.2",
       [](auto& d) {
         d["product_tree"]["full_product_names"] = {{{"name", "again"}, {"product_id", "P1"}}};
       }},
      {"6.1.3",
       [](auto& d) {
         d["product_tree"]["relationships"] = {
             {{"category", "installed_on"},
              {"product_reference", "P1"},
              {"relates_to_product_reference", "R1"},
              {"full_product_name", {{"name", "loop"}, {"product_id", "R1"}}}}};
       }},
      {"6.1.4", [](auto& d) { d["vulnerabilities"][0]["remediations"][0]["group_ids"] = {"G9"}; }},
      {"6.1.5",
       [](auto& d) {
         d["product_tree"]["product_groups"].push_back(
             {{"group_id", "G1"}, {"product_ids", {"P1"}}});
       }},
      {"6.1.6",
       [](auto& d) { d["vulnerabilities"][0]["product_status"]["known_not_affected"] = {"P1"}; }},
      {"6.1.7",
       [](auto& d) {
         d["vulnerabilities"][0]["scores"].push_back(d["vulnerabilities"][0]["scores"][0]);
       }},
      {"6.1.23",
       [](auto& d) {
         d["vulnerabilities"].push_back({{"cve", "CVE-2024-0001"}});
       }},
  };
  for (const Break& b : breaks) {
    nlohmann::json document = Minimal();
    b.apply(document);
    EXPECT_THAT(Refusals(document), Contains(HasSubstr(std::string("(") + b.test + ")"))) << b.test;
  }
}

TEST(ReaderTest, StructuralDamageIsRefusedWithItsPlace) {
  nlohmann::json no_id = Minimal();
  no_id["document"]["tracking"].erase("id");
  EXPECT_THAT(Refusals(no_id), Contains("/document/tracking/id: missing"));

  nlohmann::json wrong_type = Minimal();
  wrong_type["product_tree"]["branches"] = "not a list";
  EXPECT_THAT(Refusals(wrong_type), Contains(HasSubstr("/product_tree/branches: is a string")));

  nlohmann::json old = Minimal();
  old["document"]["csaf_version"] = "1.2";
  EXPECT_THAT(Refusals(old), Contains(HasSubstr("not CSAF 2.0")));

  // 31 branches are 64 JSON levels, within what any JSON input may nest (common/json_limits.h);
  // the reader's own limit refuses them. Deeper still, the JSON is refused before it is built.
  const auto nested = [&](int levels) {
    nlohmann::json deep = Minimal();
    nlohmann::json* branch = &deep["product_tree"];
    for (int i = 0; i < levels; ++i) {
      (*branch)["branches"] = {{{"category", "vendor"}, {"name", "x"}}};
      branch = &(*branch)["branches"][0];
    }
    return deep;
  };
  EXPECT_THAT(Refusals(nested(31)), Contains(HasSubstr("branches nest deeper than 30")));
  EXPECT_THAT(Refusals(nested(40)), Contains(HasSubstr("nests deeper than 64 levels")));

  auto not_json = ReadAdvisory("{\"document\": ");
  ASSERT_FALSE(not_json);
  EXPECT_THAT(not_json.error().reasons[0], HasSubstr("not JSON"));
  EXPECT_FALSE(ReadAdvisory("[1, 2]"));
  // A number too large for a double (found by advisory_fuzz).
  auto overflow = ReadAdvisory("9499e49191-");
  ASSERT_FALSE(overflow);
  EXPECT_THAT(overflow.error().reasons[0], HasSubstr("not JSON"));
  EXPECT_FALSE(ReadAdvisory(R"({"dataType": "CVE_RECORD", "dataVersion": "4.0"})"));
}

TEST(ReaderTest, AProductVersionThatIsARangeIsFlaggedAndRead) {
  nlohmann::json document = Minimal();
  document["product_tree"]["branches"][0]["branches"][0]["branches"][0]["name"] = "prior to 4.2";
  auto read = ReadAdvisory(document.dump());
  ASSERT_TRUE(read);
  ASSERT_FALSE(read->problems.empty());
  EXPECT_THAT(read->problems[0].what, HasSubstr("6.1.31"));
  const Product* product = read->FindProduct("P1");
  ASSERT_TRUE(product->range);
  EXPECT_EQ(Contains(*product->range, "4.1").outcome, Outcome::kAffected);
}

}  // namespace
}  // namespace baken::advisories
