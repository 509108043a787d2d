#include "registry/asset_csv.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baken::registry {
namespace {

using ::testing::HasSubstr;

tl::expected<std::vector<Asset>, Problems> Parse(const std::string& text) {
  std::istringstream input(text);
  return ParseAssetCsv(input, "inventaris.csv");
}

TEST(AssetCsvTest, ReadsColumnsByNameInAnyOrderAndIgnoresOthers) {
  auto assets = Parse(
      "Product,Vendor,Name,Owner,Internet_facing,Criticality,Version\n"
      "netscaler gateway,citrix,Gateway,IT,ja,High,13.1\n"
      "\"exchange server\",microsoft,\"Mail, intern\",IT,nee,,2019\n");
  ASSERT_TRUE(assets) << assets.error().front().message;
  ASSERT_EQ(assets->size(), 2u);
  EXPECT_EQ((*assets)[0].name, "Gateway");
  EXPECT_EQ((*assets)[0].criticality, Criticality::kHigh);
  EXPECT_TRUE((*assets)[0].internet_facing);
  EXPECT_EQ((*assets)[1].name, "Mail, intern");
  EXPECT_EQ((*assets)[1].criticality, Criticality::kMedium);
  EXPECT_FALSE((*assets)[1].internet_facing);
}

TEST(AssetCsvTest, ReadsSemicolonSeparatedFilesWithBom) {
  auto assets = Parse("\xEF\xBB\xBFname;vendor;product;version\r\nDNS;isc;bind;9.18\r\n");
  ASSERT_TRUE(assets) << assets.error().front().message;
  ASSERT_EQ(assets->size(), 1u);
  EXPECT_EQ((*assets)[0].product, "bind");
  EXPECT_EQ((*assets)[0].version, "9.18");
}

TEST(AssetCsvTest, NamesEveryBadLine) {
  auto assets = Parse(
      "name,vendor,product,criticality,internet_facing\n"
      "ok,v,p,low,no\n"
      "missing vendor,,p,low,no\n"
      "bad crit,v,p,extreme,no\n"
      "bad flag,v,p,low,maybe\n"
      "ok,v,p,low,no\n");
  ASSERT_FALSE(assets);
  ASSERT_EQ(assets.error().size(), 4u);
  EXPECT_THAT(assets.error()[0].message, HasSubstr("inventaris.csv: line 3: 'vendor' is missing"));
  EXPECT_THAT(assets.error()[1].message, HasSubstr("line 4: criticality 'extreme' is unknown"));
  EXPECT_THAT(assets.error()[2].message,
              HasSubstr("line 5: internet_facing 'maybe' is not yes or no"));
  EXPECT_THAT(assets.error()[3].message, HasSubstr("line 6: asset name 'ok' is listed twice"));
}

TEST(AssetCsvTest, RefusesAFileWithoutTheRequiredColumns) {
  auto assets = Parse("naam,leverancier\nx,y\n");
  ASSERT_FALSE(assets);
  ASSERT_EQ(assets.error().size(), 1u);
  EXPECT_THAT(assets.error()[0].message, HasSubstr("the required column 'product' is missing"));
  EXPECT_FALSE(Parse(""));
}

// What the portal's template and a Dutch spreadsheet have: Dutch headers and values.
TEST(AssetCsvTest, ReadsDutchHeadersAndValues) {
  auto assets = Parse(
      "Naam;Leverancier;Product;Versie;Belang;Aan internet\n"
      "Gateway;citrix;netscaler gateway;13.1;hoog;ja\n"
      "Post;microsoft;exchange server;2019;Kritiek;nee\n"
      "Wiki;atlassian;confluence;8.5;gemiddeld;\n"
      "Printer;hp;laserjet;1;laag;nee\n");
  ASSERT_TRUE(assets) << assets.error().front().message;
  ASSERT_EQ(assets->size(), 4u);
  EXPECT_EQ((*assets)[0].version, "13.1");
  EXPECT_EQ((*assets)[0].criticality, Criticality::kHigh);
  EXPECT_TRUE((*assets)[0].internet_facing);
  EXPECT_EQ((*assets)[1].criticality, Criticality::kCritical);
  EXPECT_EQ((*assets)[2].criticality, Criticality::kMedium);
  EXPECT_EQ((*assets)[3].criticality, Criticality::kLow);
}

// The portal shows each problem in the reader's language: a code, its values and the line.
TEST(AssetCsvTest, ProblemsAreCodedWithTheirLine) {
  auto assets = Parse("Naam;Leverancier;Product;Belang\nx;v;p;extreem\n");
  ASSERT_FALSE(assets);
  ASSERT_EQ(assets.error().size(), 1u);
  const Error& problem = assets.error()[0];
  EXPECT_EQ(problem.key, "asset.criticality_unknown");
  EXPECT_THAT(problem.params,
              ::testing::Contains(std::pair<std::string, std::string>("line", "2")));
  EXPECT_THAT(problem.params,
              ::testing::Contains(std::pair<std::string, std::string>("value", "extreem")));
  auto missing = Parse("Naam;Product\nx;p\n");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error()[0].key, "csv.column_missing");
  EXPECT_THAT(missing.error()[0].params,
              ::testing::Contains(std::pair<std::string, std::string>("column", "vendor")));
}

}  // namespace
}  // namespace baken::registry
