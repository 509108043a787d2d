#include "feeds/harmonization.h"

#include <set>

#include <gtest/gtest.h>

namespace baken::feeds {
namespace {

std::string Ok(std::string_view key, std::string_view value) {
  const FieldSpec* spec = FindField(key);
  EXPECT_NE(spec, nullptr) << key;
  std::string out;
  const auto problem = Sanitize(*spec, value, &out);
  EXPECT_FALSE(problem) << key << " " << value << ": " << problem.value_or("");
  return out;
}

std::string Bad(std::string_view key, std::string_view value) {
  std::string out;
  const auto problem = Sanitize(*FindField(key), value, &out);
  EXPECT_TRUE(problem) << key << " " << value << " was accepted as " << out;
  return problem.value_or("");
}

// FindField hashes a key's length and two of its bytes: keys that share them, and keys a byte
// off a field's name, must still be told apart.
TEST(HarmonizationTest, FindsEachFieldByItsWholeNameOnly) {
  std::set<size_t> places;
  ASSERT_EQ(AllFields().size(), kFieldCount);
  for (const FieldSpec& field : AllFields()) {
    const FieldSpec* spec = FindField(field.name);
    ASSERT_EQ(spec, &field) << field.name;
    EXPECT_LT(FieldIndex(*spec), kFieldCount);
    EXPECT_TRUE(places.insert(FieldIndex(*spec)).second) << field.name;
  }
  for (std::string_view key : {"source.ip", "feed.name", "time.source", "tlp", "raw"}) {
    EXPECT_NE(FindField(key), nullptr) << key;
  }
  for (std::string_view key : {"", "s", "source.i", "source.ipx", "source.iq", "Source.ip",
                               "time.sourcf", "tlpx", "extra.source.ip"}) {
    EXPECT_EQ(FindField(key), nullptr) << key;
  }
}

TEST(HarmonizationTest, KnowsTheIntelMqFieldsAndKeySyntax) {
  EXPECT_NE(FindField("source.ip"), nullptr);
  EXPECT_NE(FindField("classification.identifier"), nullptr);
  EXPECT_NE(FindField("product.vulnerabilities"), nullptr);
  EXPECT_EQ(FindField("source.ipaddress"), nullptr);
  EXPECT_EQ(FindField("extra.foo"), nullptr);
  EXPECT_TRUE(IsExtraKey("extra.http_date"));
  EXPECT_TRUE(IsExtraKey("extra.source.naics"));
  EXPECT_FALSE(IsExtraKey("extra."));
  EXPECT_FALSE(IsExtraKey("extra.Upper"));
  EXPECT_FALSE(IsExtraKey("extra.a..b"));
  EXPECT_FALSE(IsExtraKey("source.ip"));
}

TEST(HarmonizationTest, IgnoresTheValuesIntelMqTreatsAsEmpty) {
  EXPECT_TRUE(IsIgnoredValue(""));
  EXPECT_TRUE(IsIgnoredValue("-"));
  EXPECT_TRUE(IsIgnoredValue("N/A"));
  EXPECT_TRUE(IsIgnoredValue("  "));
  EXPECT_FALSE(IsIgnoredValue("0"));
  EXPECT_FALSE(IsIgnoredValue("n/a2"));
}

TEST(HarmonizationTest, SanitisesIpAddressesAndNetworks) {
  EXPECT_EQ(Ok("source.ip", " 192.0.2.1 "), "192.0.2.1");
  EXPECT_EQ(Ok("source.ip", "2001:DB8::1"), "2001:db8::1");
  EXPECT_EQ(Ok("source.ip", "192.0.2.1/32"), "192.0.2.1");
  EXPECT_EQ(Ok("source.ip", "fe80::1%eth0"), "fe80::1");
  EXPECT_EQ(Bad("source.ip", "0.0.0.0"), "is the unspecified address 0.0.0.0");
  EXPECT_EQ(Bad("source.ip", "192.0.2.0/24"), "is a network, not an IP address");
  EXPECT_EQ(Bad("source.ip", "abc"), "is not an IP address");
  EXPECT_EQ(Ok("source.network", "192.0.2.77/24"), "192.0.2.0/24");
  EXPECT_EQ(Ok("source.network", "2001:db8::1/32"), "2001:db8::/32");
  Bad("source.network", "192.0.2.0/33");
}

TEST(HarmonizationTest, SanitisesNumbersAsnsAndBooleans) {
  EXPECT_EQ(Ok("source.port", "443"), "443");
  Bad("source.port", "65536");
  Bad("source.port", "80.5");
  EXPECT_EQ(Ok("source.asn", "AS64500"), "64500");
  EXPECT_EQ(Ok("source.asn", "as64500"), "64500");
  Bad("source.asn", "0");
  Bad("source.asn", "4294967296");
  EXPECT_EQ(Ok("source.geolocation.latitude", "52.37"), "52.37");
  Bad("source.geolocation.latitude", "north");
  EXPECT_EQ(Ok("feed.accuracy", "100"), "100");
  Bad("feed.accuracy", "101");
  EXPECT_EQ(Ok("source.tor_node", "TRUE"), "true");
  EXPECT_EQ(Ok("source.tor_node", "0"), "false");
  Bad("source.tor_node", "maybe");
}

TEST(HarmonizationTest, SanitisesNamesUrlsAndCodes) {
  EXPECT_EQ(Ok("source.fqdn", "WWW.Example.NL."), "www.example.nl");
  Bad("source.fqdn", "http://example.nl/");
  Bad("source.fqdn", "192.0.2.1");
  EXPECT_EQ(Ok("source.url", "hxxp://example.nl/x"), "http://example.nl/x");
  EXPECT_EQ(Ok("source.url", "HXXPS://example.nl"), "https://example.nl");
  Bad("source.url", "example.nl/x");
  Bad("source.url", "http:///path");
  EXPECT_EQ(Ok("source.geolocation.cc", "nl"), "NL");
  Bad("source.geolocation.cc", "NLD");
  EXPECT_EQ(Ok("protocol.transport", "TCP"), "tcp");
  EXPECT_EQ(Ok("source.registry", "ripe-ncc"), "RIPE");
  Bad("source.registry", "ICANN");
  EXPECT_EQ(Ok("tlp", "tlp:amber"), "AMBER");
  EXPECT_EQ(Ok("tlp", "YELLOW"), "AMBER");
  EXPECT_EQ(Ok("tlp", "amber+strict"), "AMBER+STRICT");
  Bad("tlp", "PURPLE");
  Bad("malware.name", "naïve");
}

TEST(HarmonizationTest, MapsClassificationsIncludingLegacyNames) {
  EXPECT_EQ(Ok("classification.type", "Vulnerable-System"), "vulnerable-system");
  EXPECT_EQ(Ok("classification.type", "botnet drone"), "infected-system");
  EXPECT_EQ(Ok("classification.type", "c&c"), "c2-server");
  EXPECT_EQ(Ok("classification.type", "unknown"), "undetermined");
  Bad("classification.type", "open-rdp");
  EXPECT_EQ(Ok("classification.taxonomy", "Malicious Code"), "malicious-code");
  Bad("classification.taxonomy", "bad");
  EXPECT_EQ(TaxonomyOfType("vulnerable-system"), "vulnerable");
  EXPECT_EQ(TaxonomyOfType("infected-system"), "malicious-code");
  EXPECT_EQ(TaxonomyOfType("brute-force"), "intrusion-attempts");
  EXPECT_EQ(TaxonomyOfType("no-such-type"), "other");
}

TEST(HarmonizationTest, NormalisesTimesToUtc) {
  EXPECT_EQ(NormalizeDateTime("2017-01-16 00:43:48"), "2017-01-16T00:43:48+00:00");
  EXPECT_EQ(NormalizeDateTime("2017-01-16T00:43:48Z"), "2017-01-16T00:43:48+00:00");
  EXPECT_EQ(NormalizeDateTime("2017-01-16T00:43:48.5Z"), "2017-01-16T00:43:48.500000+00:00");
  EXPECT_EQ(NormalizeDateTime("2017-01-16 01:43:48+01:00"), "2017-01-16T00:43:48+00:00");
  EXPECT_EQ(NormalizeDateTime("2017-01-01T00:30:00+0100"), "2016-12-31T23:30:00+00:00");
  EXPECT_EQ(NormalizeDateTime("2017-01-16 00:43:48 UTC"), "2017-01-16T00:43:48+00:00");
  EXPECT_EQ(NormalizeDateTime("2024-02-29"), "2024-02-29T00:00:00+00:00");
  EXPECT_EQ(NormalizeDateTime("2023-02-29"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-13-01 00:00:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16 24:00:00"), std::nullopt);
  // The common form is read in place; its edges are those of the general reading.
  EXPECT_EQ(NormalizeDateTime("2024-02-29t23:59:59z"), "2024-02-29T23:59:59+00:00");
  EXPECT_EQ(NormalizeDateTime("  2024-12-31 00:00:00 "), "2024-12-31T00:00:00+00:00");
  EXPECT_EQ(NormalizeDateTime("2023-02-29 00:00:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2023-04-31 00:00:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("0000-01-01 00:00:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16 23:60:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16 23:00:60"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16 2a:00:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16_23:00:00"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16 23:00:00X"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("yesterday"), std::nullopt);
  EXPECT_EQ(NormalizeDateTime("2017-01-16 00:43:48 CET"), std::nullopt);
}

TEST(HarmonizationTest, ReadsTheDatesOfHttpHeaders) {
  const auto http_date = [](std::string_view value) -> std::optional<std::string> {
    std::string out;
    if (!NormalizeHttpDateInto(value, &out)) return std::nullopt;
    return out;
  };
  EXPECT_EQ(http_date("Sun, 06 Nov 1994 08:49:37 GMT"), "1994-11-06T08:49:37+00:00");
  EXPECT_EQ(http_date("Sunday, 06-Nov-94 08:49:37 GMT"), "1994-11-06T08:49:37+00:00");
  EXPECT_EQ(http_date("Thursday, 05-Nov-26 08:49:37 GMT"), "2026-11-05T08:49:37+00:00");
  EXPECT_EQ(http_date("Sun Nov  6 08:49:37 1994"), "1994-11-06T08:49:37+00:00");
  EXPECT_EQ(http_date("6 Nov 1994 08:49:37 +0100"), "1994-11-06T07:49:37+00:00");
  EXPECT_EQ(http_date("Tue, 1 Jan 2030 00:30 -0130"), "2030-01-01T02:00:00+00:00");
  EXPECT_EQ(http_date("Sat, 29 Feb 2025 00:00:00 GMT"), std::nullopt);  // not a leap year
  EXPECT_EQ(http_date("Sun, 06 Nov 1994 25:49:37 GMT"), std::nullopt);
  EXPECT_EQ(http_date("Sun, 06 Nov 1994 08:49:37 CET"), std::nullopt);  // zones by name: no
  EXPECT_EQ(http_date("Sun, 06 Foo 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(http_date("Sun, 06 Nov 1994"), std::nullopt);
  EXPECT_EQ(http_date("Sun, 06 Nov 1994 08:49:37 GMT extra words"), std::nullopt);
  EXPECT_EQ(http_date("yesterday"), std::nullopt);
  EXPECT_EQ(http_date(""), std::nullopt);
}

TEST(HarmonizationTest, ChecksJsonFields) {
  EXPECT_EQ(Ok("output", "[1, 2]"), "[1,2]");
  Bad("output", "{");
}

}  // namespace
}  // namespace baken::feeds

namespace baken::feeds {
namespace {

// A rejected value is coded (i18n/problems.json) so that an upload's report is worded in the
// reader's language; the message on the command line stays as it was.
TEST(HarmonizationTest, ARejectedValueIsCodedWithItsColumnAndValue) {
  const Error error =
      ValueProblem(*FindField("source.ip"), "999.1.2.3", Bad("source.ip", "999.1.2.3"));
  EXPECT_EQ(error.message, "source.ip '999.1.2.3' is not an IP address");
  EXPECT_EQ(error.key, "feed.value.not_ip_address");
  EXPECT_EQ(error.params, (ProblemParams{{"column", "source.ip"}, {"value", "999.1.2.3"}}));
  const Error in_column = InColumn("ip", error);
  EXPECT_EQ(in_column.message, "column 'ip': source.ip '999.1.2.3' is not an IP address");
  EXPECT_EQ(in_column.params, (ProblemParams{{"column", "ip"}, {"value", "999.1.2.3"}}));
  EXPECT_EQ(FillIn(ValueProblemCode("is not an IP address")->dutch, in_column.params),
            "Kolom 'ip': '999.1.2.3' is geen IP-adres");
}

TEST(HarmonizationTest, ThePhrasesOfCommonRefusalsAreInTheTable) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"source.ip", "abc"},
                                                        {"source.port", "70000"},
                                                        {"source.asn", "-1"},
                                                        {"source.fqdn", "not a domain"},
                                                        {"time.source", "yesterday"},
                                                        {"classification.type", "nonsense"},
                                                        {"source.url", "nohost"}}) {
    const std::string phrase = Bad(key, value);
    EXPECT_NE(ValueProblemCode(phrase), nullptr) << key << ": " << phrase;
  }
  EXPECT_EQ(ValueProblemCode("is something new"), nullptr);
  EXPECT_EQ(ValueProblem(*FindField("source.ip"), "x", "is something new").key, "");
}

}  // namespace
}  // namespace baken::feeds
