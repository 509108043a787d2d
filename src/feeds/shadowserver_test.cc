#include "feeds/shadowserver.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "common/byte_source.h"
#include "feeds/feed_file.h"
#include "feeds/input.h"
#include "feeds/test_sink.h"

namespace baken::feeds {
namespace {

std::filesystem::path FixtureDir() {
  const char* root = std::getenv("BAKEN_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : ".") / "tests/data/shadowserver";
}

const ParseContext kContext{"2026-11-23T12:00:00+00:00"};

CollectingSink ParseText(std::string_view text, std::string_view report) {
  StringSource source(text);
  CollectingSink sink;
  const Status status =
      ParseShadowserver(source, ShadowserverSchema::BuiltIn(), report, kContext, sink);
  EXPECT_TRUE(status) << status.error().message;
  return sink;
}

TEST(ShadowserverSchemaTest, TheBuiltInSchemaHasEveryReportType) {
  const ShadowserverSchema& schema = ShadowserverSchema::BuiltIn();
  EXPECT_EQ(schema.size(), 170u);
  EXPECT_EQ(schema.date_created(), "2026-03-24T15:31:20Z");
  ASSERT_NE(schema.Find("scan_http"), nullptr);
  EXPECT_EQ(schema.Find("scan_http")->feed_name, "Accessible-HTTP");
  EXPECT_EQ(schema.Find("no_such_report"), nullptr);
}

TEST(ShadowserverSchemaTest, RefusesBrokenSchemasAndUnknownConversions) {
  EXPECT_FALSE(ShadowserverSchema::Parse("[]", "x.json"));
  EXPECT_FALSE(ShadowserverSchema::Parse("{}", "x.json"));
  const auto unknown = ShadowserverSchema::Parse(
      R"({"r": {"feed_name": "R", "file_name": "r",
                "required_fields": [["source.ip", "ip", "teleport"]]}})",
      "new.json");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "new.json: report 'r': uses the conversion 'teleport', which this version of Baken "
            "lacks");
}

TEST(ShadowserverTest, FindsTheReportTypeInFileNames) {
  EXPECT_EQ(ReportTypeFromFileName("2026-11-23-scan_http-nl-geo.csv"), "scan_http");
  EXPECT_EQ(ReportTypeFromFileName("/in/2020-04-03-scan_ics-sample-asn-delayed.csv.gz"),
            "scan_ics");
  EXPECT_EQ(ReportTypeFromFileName("event4_sinkhole.csv"), "event4_sinkhole");
  EXPECT_EQ(ReportTypeFromFileName("report.txt"), std::nullopt);
}

TEST(ShadowserverTest, EveryFixtureParsesWithoutARejectedRow) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir())) {
    if (entry.path().extension() != ".csv") continue;
    ++files;
    auto input = OpenFeedFile(entry.path().string());
    ASSERT_TRUE(input);
    CollectingSink sink;
    const Status status =
        ParseFeed(entry.path().filename().string(), std::move(*input), {}, kContext, sink);
    ASSERT_TRUE(status) << entry.path() << ": " << status.error().message;
    for (const auto& reject : sink.rejects) {
      ADD_FAILURE() << entry.path() << ":" << reject.line << ": " << reject.reason;
    }
    EXPECT_FALSE(sink.events.empty()) << entry.path();
    for (const Event& event : sink.all) {
      EXPECT_TRUE(event.Has("source.ip") || event.Has("source.url")) << entry.path();
      EXPECT_TRUE(event.Has("time.source")) << entry.path();
      EXPECT_TRUE(event.Has("classification.type")) << entry.path();
      EXPECT_EQ(event.Get("feed.provider"), "Shadowserver");
      EXPECT_EQ(event.Get("time.observation"), "2026-11-23T12:00:00+00:00");
    }
  }
  EXPECT_EQ(files, 10u);
}

TEST(ShadowserverTest, MapsColumnsByHeaderNameAndKeepsUnknownOnesInExtra) {
  const CollectingSink sink = ParseText(
      "\"timestamp\",\"ip\",\"port\",\"hostname\",\"asn\",\"geo\",\"brand_new_column\"\n"
      "\"2026-11-22 01:02:03\",\"192.0.2.10\",3389,\"host.example.nl\",64500,\"NL\",\"x y\"\n",
      "scan_rdp");
  ASSERT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.all.size(), 1u);
  const Event& event = sink.all[0];
  EXPECT_EQ(event.Get("time.source"), "2026-11-22T01:02:03+00:00");
  EXPECT_EQ(event.Get("source.ip"), "192.0.2.10");
  EXPECT_EQ(event.Get("source.port"), "3389");
  EXPECT_EQ(event.Get("source.reverse_dns"), "host.example.nl");
  EXPECT_EQ(event.Get("source.asn"), "64500");
  EXPECT_EQ(event.Get("source.geolocation.cc"), "NL");
  EXPECT_EQ(event.Get("extra.brand_new_column"), "x y");
  EXPECT_EQ(event.Get("classification.taxonomy"), "vulnerable");
  EXPECT_EQ(event.Get("classification.type"), "vulnerable-system");
  EXPECT_EQ(event.Get("classification.identifier"), "open-rdp");
  EXPECT_EQ(event.Get("feed.name"), "Accessible-RDP");
}

TEST(ShadowserverTest, RejectsBadRowsByLineAndGoesOn) {
  const CollectingSink sink = ParseText(
      "timestamp,ip,port,asn\n"
      "2026-11-22 01:02:03,192.0.2.1,3389,0\n"
      "2026-11-22 01:02:03,abc,3389,64500\n"
      "2026-11-22 01:02:03,,3389,64500\n"
      "2026-11-22 01:02:03,192.0.2.2,3389\n"
      "not a time,192.0.2.3,3389,64500\n"
      "2026-11-22 01:02:03,192.0.2.4,3389,64500\n",
      "scan_rdp");
  ASSERT_EQ(sink.all.size(), 2u);
  EXPECT_FALSE(sink.all[0].Has("source.asn"));  // invalidate_zero: AS 0 means "unknown"
  EXPECT_EQ(sink.lines, (std::vector<size_t>{2, 7}));
  ASSERT_EQ(sink.rejects.size(), 4u);
  EXPECT_EQ(sink.rejects[0].line, 3u);
  EXPECT_EQ(sink.rejects[0].reason, "column 'ip': source.ip 'abc' is not an IP address");
  EXPECT_EQ(sink.rejects[1].reason,
            "the row names no system (no IP address, network, domain or URL)");
  EXPECT_EQ(sink.rejects[2].reason, "the row has 3 fields but the header has 4");
  EXPECT_EQ(sink.rejects[3].line, 6u);
}

TEST(ShadowserverTest, KeepsAnInvalidOptionalValueInExtra) {
  const CollectingSink sink = ParseText(
      "timestamp,ip,port,geo\n2026-11-22 01:02:03,192.0.2.1,3389,Netherlands\n", "scan_rdp");
  ASSERT_EQ(sink.all.size(), 1u);
  EXPECT_FALSE(sink.all[0].Has("source.geolocation.cc"));
  EXPECT_EQ(sink.all[0].Get("extra.geo"), "Netherlands");
}

TEST(ShadowserverTest, ComputesExchangeClassificationAndCves) {
  const CollectingSink sink = ParseText(
      "timestamp,ip,port,tag\n"
      "2021-05-14 00:11:30,192.0.2.1,443,exchange;cve-2021-26855;CVE-2021-26857\n"
      "2021-05-14 00:11:30,192.0.2.2,443,exchange;webshell\n",
      "scan_exchange");
  ASSERT_EQ(sink.all.size(), 2u);
  EXPECT_EQ(sink.all[0].Get("classification.identifier"), "vulnerable-exchange-server");
  EXPECT_EQ(sink.all[0].Get("product.vulnerabilities"), "cve-2021-26855;cve-2021-26857");
  EXPECT_EQ(sink.all[1].Get("classification.taxonomy"), "intrusions");
  EXPECT_EQ(sink.all[1].Get("classification.type"), "system-compromise");
  EXPECT_EQ(sink.all[1].Get("classification.identifier"), "exchange-server-webshell");
}

TEST(ShadowserverTest, RefusesAFileWithoutARequiredColumnOrWithAnUnknownReport) {
  StringSource source("timestamp,port\n2026-11-22 01:02:03,3389\n");
  CollectingSink sink;
  const Status missing =
      ParseShadowserver(source, ShadowserverSchema::BuiltIn(), "scan_rdp", kContext, sink);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "the column 'ip' that report scan_rdp requires is missing");
  StringSource other("timestamp,ip,port\n");
  EXPECT_FALSE(ParseShadowserver(other, ShadowserverSchema::BuiltIn(), "nope", kContext, sink));
}

TEST(ShadowserverTest, RecognisesTheReportFromAnUnambiguousHeader) {
  StringSource source(
      "timestamp,protocol,src_ip,src_port,src_asn,src_geo,src_region,src_city,src_hostname,"
      "src_naics,src_sector,device_vendor,device_type,device_model,severity,dst_ip,dst_port,"
      "dst_asn,dst_geo,dst_region,dst_city,dst_hostname,dst_naics,dst_sector,public_source,"
      "infection,family,tag,application,version,event_id,service,start_time,end_time,"
      "client_version,username,password,payload_url,payload_md5,vulnerability_enum,"
      "vulnerability_id,vulnerability_class,vulnerability_score,vulnerability_severity,"
      "vulnerability_version,target_vendor,target_product,target_class\n");
  CollectingSink sink;
  EXPECT_TRUE(ParseShadowserver(source, ShadowserverSchema::BuiltIn(), "", kContext, sink));
  StringSource twins("timestamp,ip,port,hostname,tag,asn,geo,region,city\n");
  const Status ambiguous =
      ParseShadowserver(twins, ShadowserverSchema::BuiltIn(), "", kContext, sink);
  ASSERT_FALSE(ambiguous);
  EXPECT_NE(ambiguous.error().message.find("several"), std::string::npos);
}

}  // namespace
}  // namespace baken::feeds
