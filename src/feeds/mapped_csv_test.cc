#include "feeds/mapped_csv.h"

#include <gtest/gtest.h>

#include "feeds/test_sink.h"

namespace baken::feeds {
namespace {

const ParseContext kContext{"2026-11-23T12:00:00+00:00"};

constexpr std::string_view kMapping = R"({
  "feed": {"name": "Citrix scan", "provider": "J. Jansen"},
  "columns": {"source.ip": "IP", "source.port": "Port", "time.source": "Seen",
              "product.vulnerabilities": "CVE"},
  "constants": {"classification.type": "vulnerable-system",
                "classification.identifier": "citrix-netscaler"},
  "delimiter": ";"
})";

TEST(MappedCsvTest, ReadsAResearchersListWithAMapping) {
  auto mapping = ParseCsvMapping(kMapping, "map.json");
  ASSERT_TRUE(mapping) << mapping.error().message;
  StringSource source(
      "\xEF\xBB\xBFIP;Port;Seen;CVE;Note\r\n"
      "192.0.2.1;443;2026-11-20 10:00;CVE-2023-3519;\"first; quoted\"\r\n"
      "\r\n"
      "999.1.1.1;443;2026-11-20 10:00;CVE-2023-3519;x\r\n"
      "192.0.2.2;443;2026-11-20 10:00;CVE-2023-3519;\"unterminated");
  CollectingSink sink;
  ASSERT_TRUE(ParseMappedCsv(source, *mapping, kContext, sink));
  ASSERT_EQ(sink.all.size(), 1u);
  const Event& event = sink.all[0];
  EXPECT_EQ(event.Get("source.ip"), "192.0.2.1");
  EXPECT_EQ(event.Get("time.source"), "2026-11-20T10:00:00+00:00");
  EXPECT_EQ(event.Get("product.vulnerabilities"), "cve-2023-3519");
  EXPECT_EQ(event.Get("extra.note"), "first; quoted");
  EXPECT_EQ(event.Get("classification.taxonomy"), "vulnerable");
  EXPECT_EQ(event.Get("feed.name"), "Citrix scan");
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].line, 4u);
  EXPECT_EQ(sink.rejects[0].reason, "column 'IP': source.ip '999.1.1.1' is not an IP address");
  EXPECT_EQ(sink.rejects[1].line, 5u);
}

TEST(MappedCsvTest, RefusesBadMappingsAndMissingColumns) {
  EXPECT_FALSE(ParseCsvMapping("{}", "m.json"));
  const auto no_source =
      ParseCsvMapping(R"({"feed": {"name": "x"}, "columns": {"source.port": "port"}})", "m.json");
  ASSERT_FALSE(no_source);
  EXPECT_EQ(no_source.error().message,
            "m.json: \"columns\" must map source.ip, source.fqdn or source.url");
  const auto bad_constant = ParseCsvMapping(
      R"({"feed": {"name": "x"}, "columns": {"source.ip": "ip"},
          "constants": {"classification.type": "open-rdp"}})",
      "m.json");
  ASSERT_FALSE(bad_constant);
  EXPECT_EQ(bad_constant.error().message,
            "m.json: \"constants\": classification.type 'open-rdp' is not a classification type");
  auto mapping = ParseCsvMapping(kMapping, "map.json");
  ASSERT_TRUE(mapping);
  StringSource source("IP;Seen\n192.0.2.1;2026-11-20\n");
  CollectingSink sink;
  const Status status = ParseMappedCsv(source, *mapping, kContext, sink);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "the column 'Port' named in the mapping for source.port is missing");
}

}  // namespace
}  // namespace baken::feeds
