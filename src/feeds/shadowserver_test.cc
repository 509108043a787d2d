#include "feeds/shadowserver.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/byte_source.h"
#include "common/json_text.h"
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

// The schema is split per report at build time; read whole or a report at a time, it must be
// the schema file as it is.
TEST(ShadowserverSchemaTest, TheBuiltInSchemaIsTheSchemaFileWholeOrAReportAtATime) {
  const std::filesystem::path file =
      FixtureDir().parent_path().parent_path().parent_path() / "data/shadowserver/intelmq.json";
  Result<ShadowserverSchema> from_file = ShadowserverSchema::Load(file.string());
  ASSERT_TRUE(from_file) << from_file.error().message;
  const ShadowserverSchema& built_in = ShadowserverSchema::BuiltIn();
  ASSERT_EQ(built_in.size(), from_file->size());
  EXPECT_EQ(built_in.date_created(), from_file->date_created());
  size_t types = 0;
  for (const BuiltInReportText& text : BuiltInShadowserverReports()) {
    const ReportSpec* expected = from_file->Find(text.type);
    ASSERT_NE(expected, nullptr) << text.type;
    ASSERT_NE(built_in.Find(text.type), nullptr) << text.type;
    EXPECT_EQ(*built_in.Find(text.type), *expected) << text.type;
    const ShadowserverSchema* alone = ShadowserverSchema::BuiltInFor(text.type);
    ASSERT_NE(alone, nullptr) << text.type;
    EXPECT_EQ(alone->size(), 1u);
    EXPECT_EQ(alone->date_created(), from_file->date_created());
    ASSERT_NE(alone->Find(text.type), nullptr) << text.type;
    EXPECT_EQ(*alone->Find(text.type), *expected) << text.type;
    EXPECT_EQ(ShadowserverSchema::BuiltInFor(text.type), alone);  // read once
    ++types;
  }
  EXPECT_EQ(types, 170u);
  EXPECT_EQ(ShadowserverSchema::BuiltInFor("nope"), nullptr);
  EXPECT_EQ(ShadowserverSchema::BuiltInFor(""), nullptr);
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
      "2026-11-22 01:02:03,192.0.2.2,3389,64500,surplus\n"
      "not a time,192.0.2.3,3389,64500\n"
      "2026-11-22 01:02:03,192.0.2.4,3389,64500\n"
      "2026-11-22 01:02:03,192.0.2.5,3389",
      "scan_rdp");
  ASSERT_EQ(sink.all.size(), 2u);
  EXPECT_FALSE(sink.all[0].Has("source.asn"));  // invalidate_zero: AS 0 means "unknown"
  EXPECT_EQ(sink.lines, (std::vector<size_t>{2, 7}));
  ASSERT_EQ(sink.rejects.size(), 5u);
  EXPECT_EQ(sink.rejects[0].line, 3u);
  EXPECT_EQ(sink.rejects[0].reason, "column 'ip': source.ip 'abc' is not an IP address");
  EXPECT_EQ(sink.rejects[1].reason,
            "the row names no system (no IP address, network, domain or URL)");
  EXPECT_EQ(sink.rejects[2].reason, "the row has 5 fields but the header has 4");
  EXPECT_EQ(sink.rejects[3].line, 6u);
  // A short last line without a line break may be cut off mid-value: refused, not padded.
  EXPECT_EQ(sink.rejects[4].reason,
            "the row has 3 fields but the header has 4 (the file seems cut off)");
}

// A column of a generated report: its values are drawn from `pool` in runs of repeats; with
// no pool, every row has a value of its own, so that the column's step stops remembering
// (after 64 values without a repeat).
struct GeneratedColumn {
  std::string_view name;
  std::vector<std::string_view> pool;
};

// Parses 400 generated rows of `report` whole and each row alone: a parser remembers each
// column's last value and what it gave, and a row must read the same whatever came before it.
void ExpectEveryRowToReadAsAlone(std::string_view report,
                                 const std::vector<GeneratedColumn>& columns) {
  std::string header;
  for (const GeneratedColumn& column : columns) {
    header += header.empty() ? "" : ",";
    header += column.name;
  }
  header += "\n";
  std::mt19937 random(20261207);
  std::vector<size_t> current(columns.size(), 0);
  std::vector<std::string> rows;
  for (size_t row = 0; row < 400; ++row) {
    std::string line;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::vector<std::string_view>& pool = columns[c].pool;
      if (c > 0) line += ',';
      if (pool.empty()) {
        line += fmt::format("value-{}", row);
        continue;
      }
      if (random() % 10 < 3) current[c] = random() % pool.size();
      line += pool[current[c]];
    }
    rows.push_back(line);
  }
  std::string whole = header;
  for (const std::string& row : rows) whole += row + "\n";
  const CollectingSink all = ParseText(whole, report);
  size_t event = 0;
  size_t reject = 0;
  for (size_t row = 0; row < rows.size(); ++row) {
    const CollectingSink alone = ParseText(header + rows[row] + "\n", report);
    ASSERT_EQ(alone.events.size() + alone.rejects.size(), 1u) << rows[row];
    if (!alone.events.empty()) {
      ASSERT_LT(event, all.events.size());
      EXPECT_EQ(all.lines[event], row + 2);
      EXPECT_EQ(all.events[event++], alone.events[0]) << "row " << row << ": " << rows[row];
    } else {
      ASSERT_LT(reject, all.rejects.size());
      EXPECT_EQ(all.rejects[reject].line, row + 2);
      EXPECT_EQ(all.rejects[reject++].reason, alone.rejects[0].reason) << rows[row];
    }
  }
  EXPECT_EQ(event, all.events.size());
  EXPECT_EQ(reject, all.rejects.size());
  // The pools give both outcomes plenty of times.
  EXPECT_GT(event, 50u) << report;
  EXPECT_GT(reject, 20u) << report;
}

TEST(ShadowserverTest, ARowReadsTheSameAfterAnyOtherRowsAsAlone) {
  // Harmonization fields and extra values as they came; refusals, fallbacks into extra, and a
  // harmonization field (the city) that never repeats.
  ExpectEveryRowToReadAsAlone(
      "scan_rdp",
      {{"timestamp", {"2026-11-22 01:02:03", "2026-11-22T01:02:04Z", "not a time", ""}},
       {"ip", {"192.0.2.1", "192.0.2.2", "abc", "", "198.51.100.0/24", "0.0.0.0"}},
       {"port", {"3389", "3389", "abc", "", "-", "0", "70000"}},
       {"asn", {"0", "64500", "64501", "x", ""}},
       {"geo", {"NL", "Netherlands", "nl", "N/A"}},
       {"city", {}},
       {"hostname", {"host.example.nl", "bad host!", "", "HOST.example.NL.", "hist.example.nl"}},
       {"cert_issue_date", {"2026-01-01 00:00:00", "Tue, 01 Dec 2026 10:00:00 GMT", ""}},
       {"cert_length", {"2048", "x2048", "", "0", "4096", "2049"}},
       {"tlsv13_support", {"Y", "N", "maybe", ""}},
       {"tag", {"rdp", "RDP", ""}}});
  // Values the parser converts into its own buffer (booleans, dates, CVEs from the tag) and
  // an extra value that never repeats.
  ExpectEveryRowToReadAsAlone(
      "scan_ssl",
      {{"timestamp", {"2026-11-22 01:02:03", "not a time", "2026-11-22 01:02:04"}},
       {"ip", {"192.0.2.1", "192.0.2.2", "abc"}},
       {"port", {"443", "x", "8443"}},
       {"tag", {"ssl", "cve-2014-3566;ssl", "CVE-2014-3566,cve-2016-0800;CVE-2014-3566", ""}},
       {"ssl_poodle", {"Y", "N", "true", "maybe", "", "disabled"}},
       {"http_date", {"Tue, 01 Dec 2026 10:00:00 GMT", "2026-12-01 10:00:00", "someday", ""}},
       {"http_code", {"200", "x", "", "404"}},
       {"subject_common_name", {}}});
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

// Reports as partners' archives hold them, bending the rules in the ways real files do: one
// file per case under tests/data/shadowserver/lenient/ (its README says what each holds),
// and here what each must read as.

constexpr std::string_view kAbsent = "<absent>";

struct FieldExpectation {
  size_t event;  // which delivered event, in file order
  std::string_view key;
  std::string_view json;  // the value as IntelMQ JSON writes it, or kAbsent
};

struct LenientCase {
  std::string_view file;
  size_t events = 0;
  std::vector<FieldExpectation> fields = {};
  std::vector<std::string_view> notes = {};  // each note given, in order
  std::string_view error = {};               // the file is refused with this error
};

void PrintTo(const LenientCase& c, std::ostream* out) { *out << c.file; }

// The JSON form of a field, for comparing types as well as text.
std::string JsonOf(const Event& event, std::string_view key) {
  const EventField* field = event.Find(key);
  if (field == nullptr) return std::string(kAbsent);
  std::string json;
  if (field->kind == ValueKind::kString) {
    AppendJsonString(&json, field->value);
  } else {
    json.assign(field->value);
  }
  return json;
}

class LenientFeedTest : public ::testing::TestWithParam<LenientCase> {};

TEST_P(LenientFeedTest, ReadsTheRowsAsTheSenderMeantThem) {
  const LenientCase& expected = GetParam();
  const std::filesystem::path path = FixtureDir() / "lenient" / expected.file;
  auto input = OpenFeedFile(path.string());
  ASSERT_TRUE(input) << path;
  CollectingSink sink;
  const Status status = ParseFeed(path.filename().string(), std::move(*input), {}, kContext, sink);
  if (!expected.error.empty()) {
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message, expected.error);
    EXPECT_TRUE(sink.all.empty());
    return;
  }
  ASSERT_TRUE(status) << status.error().message;
  for (const auto& reject : sink.rejects) {
    ADD_FAILURE() << "line " << reject.line << " rejected: " << reject.reason;
  }
  ASSERT_EQ(sink.all.size(), expected.events);
  for (const FieldExpectation& field : expected.fields) {
    ASSERT_LT(field.event, sink.all.size());
    EXPECT_EQ(JsonOf(sink.all[field.event], field.key), field.json)
        << "event " << field.event << ", " << field.key;
  }
  EXPECT_EQ(sink.notes, std::vector<std::string>(expected.notes.begin(), expected.notes.end()));
}

INSTANTIATE_TEST_SUITE_P(
    PartnersFiles, LenientFeedTest,
    ::testing::Values(
        LenientCase{.file = "2026-11-22-scan_rdp-short-rows.csv",
                    .events = 3,
                    .fields = {{1, "source.geolocation.cc", R"("NL")"},
                               {1, "source.geolocation.region", kAbsent},
                               {2, "source.ip", R"("192.0.2.12")"},
                               {2, "source.port", "3389"},
                               {2, "source.asn", kAbsent}},
                    .notes = {"2 rows have fewer fields than the header (the first on line 3); the "
                              "missing trailing fields were read as empty"}},
        LenientCase{
            .file = "2026-11-22-scan_http-quotes.csv",
            .events = 6,
            .fields =
                {{0, "extra.server", R"("Apache \"Coyote\" 1.1")"},
                 {0, "raw",
                  R"("IjIwMjYtMTEtMjIgMDE6MDA6MDAiLCIxOTIuMC4yLjIwIiw4MCwiYS5leGFtcGxlLm5sIiwi)"
                  R"(aHR0cCIsNjQ1MDAsIk5MIiwyMDAsIk9LIiwiQXBhY2hlICJDb3lvdGUiIDEuMSI=")"},
                 {1, "extra.server", R"("\"nginx\"")"},
                 {2, "extra.http_reason", R"("Say \"hi\"")"},
                 {2, "extra.server", R"("IIS")"},
                 {3, "extra.http_reason", R"("OK")"},
                 {3, "extra.server", R"("lighttpd")"},
                 {4, "extra.server", R"("broken \"quote")"},
                 {5, "source.ip", R"("192.0.2.25")"},
                 {5, "extra.server", R"("IIS \"10\"")"},
                 {5, "raw", kAbsent}},
            .notes = {"5 rows have quotes that do not follow the CSV rules (the first on line "
                      "2); they were read leniently, and each keeps the line as it came in "
                      "`raw`"}},
        LenientCase{.file = "2026-11-22-scan_rdp-networks.csv",
                    .events = 4,
                    .fields = {{0, "source.network", R"("198.51.100.0/24")"},
                               {0, "source.ip", kAbsent},
                               {0, "source.asn", "64501"},
                               {1, "source.network", R"("2001:db8:1::/48")"},
                               {2, "source.ip", R"("192.0.2.40")"},
                               {2, "source.network", kAbsent},
                               {3, "source.ip", R"("192.0.2.41")"}}},
        LenientCase{.file = "2026-11-22-blocklist-networks.csv",
                    .events = 2,
                    .fields = {{0, "source.network", R"("198.51.100.0/24")"},
                               {0, "source.ip", kAbsent},
                               {0, "classification.type", R"("blacklist")"},
                               {1, "source.ip", R"("192.0.2.42")"},
                               {1, "source.network", kAbsent}}},
        LenientCase{
            .file = "2026-11-22-event4_sinkhole_http-request-lines.csv",
            .events = 4,
            .fields = {{0, "destination.url", R"("http://c2.example.com/gate.php?id=1")"},
                       {0, "extra.http_url", R"("GET /gate.php?id=1 HTTP/1.1")"},
                       {1, "destination.url", R"("http://c2.example.com/plain/path")"},
                       {1, "extra.http_url", kAbsent},
                       {2, "destination.url", R"("http://other.example.net/x")"},
                       {2, "extra.http_url", R"("POST http://other.example.net/x HTTP/1.0")"},
                       {3, "destination.url", kAbsent},
                       {3, "extra.http_url", R"("CONNECT c2.example.com:443 HTTP/1.1")"}}},
        LenientCase{.file = "2026-11-22-scan_ssl-dates-booleans.csv",
                    .events = 6,
                    .fields = {{0, "extra.http_date", R"("2026-11-22T01:00:00+00:00")"},
                               {1, "extra.http_date", R"("2026-11-22T02:30:00+00:00")"},
                               {2, "extra.http_date", R"("2026-11-22T03:00:00+00:00")"},
                               {3, "extra.http_date", R"("2026-11-22T03:00:00+00:00")"},
                               {4, "extra.http_date", R"("2026-11-22T05:00:00+00:00")"},
                               {5, "extra.http_date", R"("yesterday")"},
                               {0, "extra.cert_expired", "true"},
                               {0, "extra.cert_valid", "false"},
                               {0, "extra.self_signed", "true"},
                               {0, "extra.browser_trusted", "false"},
                               {0, "extra.freak_vulnerable", R"("Maybe")"},
                               {1, "extra.cert_expired", "true"},
                               {1, "extra.cert_valid", "false"},
                               {1, "extra.self_signed", "true"},
                               {1, "extra.browser_trusted", "false"},
                               {2, "extra.cert_expired", "true"},
                               {2, "extra.cert_valid", "false"},
                               {2, "extra.self_signed", "true"},
                               {2, "extra.browser_trusted", "false"}}},
        LenientCase{.file = "2026-11-22-event4_honeypot_http_scan-base64.csv",
                    .events = 2,
                    .fields = {{0, "extra.request_raw", R"("R0VUIC8gSFRUUC8xLjENCg==")"},
                               {0, "extra.body_raw", R"("e30=")"},
                               {1, "extra.request_raw", R"("R0VUIC8gSFRUUC8xLjE=")"},
                               {1, "extra.body_raw", R"("e30=")"}}},
        LenientCase{
            .file = "2026-11-22-dns_openresolver-nl-geo.csv",
            .events = 2,
            .fields = {{0, "feed.name", R"("DNS-Open-Resolvers")"},
                       {0, "classification.identifier", R"("dns-open-resolver")"},
                       {0, "source.ip", R"("192.0.2.90")"},
                       {1, "extra.dns_version", R"("unbound 1.4")"}},
            .notes = {"the file name gives the report type 'dns_openresolver', which the current "
                      "Shadowserver schema does not have (an older or unknown type); the header "
                      "fits the current type scan_dns, so it was read as that"}},
        LenientCase{
            .file = "2026-11-22-sinkhole_http_drone-nl.csv",
            .error = "the file name gives the report type 'sinkhole_http_drone', which the "
                     "current Shadowserver schema does not have (an older or unknown type); the "
                     "header fits no Shadowserver report type; name it with --report or in the "
                     "file name (YYYY-MM-DD-<report>-....csv)"}),
    [](const ::testing::TestParamInfo<LenientCase>& param) {
      std::string name(param.param.file.substr(11));  // without the date
      name.resize(name.size() - 4);                   // and ".csv"
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace baken::feeds
