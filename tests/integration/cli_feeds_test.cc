// The feeds section of the contract, through the real `baken` program and a real SQLite file.

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/baken_process.h"
#include "support/cli_test.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// Members from tests/data/registry/members.json: GM0363 owns 192.0.2.0/24 (but GM0599 the more
// specific 192.0.2.128/25), SV0001 owns 203.0.113.0/24 and AS64501.
constexpr std::string_view kRdpReport =
    "\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"asn\",\"geo\",\"unknown_col\"\n"
    "\"2026-11-22 "
    "01:00:00\",\"192.0.2.10\",\"tcp\",3389,\"rdp.amsterdam.example.nl\",64500,\"NL\",a\n"
    "\"2026-11-22 01:00:01\",\"192.0.2.200\",\"tcp\",3389,,64500,\"NL\",b\n"
    "\"2026-11-22 01:00:02\",\"203.0.113.5\",\"tcp\",3389,,64501,\"NL\",c\n"
    "\"2026-11-22 01:00:03\",\"10.1.2.3\",\"tcp\",3389,,,\"NL\",d\n"
    "\"2026-11-22 01:00:04\",\"192.0.2.300\",\"tcp\",3389,,,\"NL\",e\n"
    "\"2026-11-22 05:00:00\",\"192.0.2.10\",\"tcp\",3389,,64500,\"NL\",again\n";

class CliFeedsTest : public CliTest {
 protected:
  void SetUp() override {
    auto result =
        Baken({"member", "import", (SourceDir() / "tests/data/registry/members.json").string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  Json Events(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"events", "list"};
    args.insert(args.end(), extra.begin(), extra.end());
    return BakenJson(args)["events"];
  }
};

TEST_F(CliFeedsTest, IngestRoutesCountsAndNamesBadRows) {
  const std::string file = Write("2026-11-22-scan_rdp-nl.csv", kRdpReport);
  const Json summary = BakenJson({"ingest", file}, 1);  // a rejected row: exit 1
  EXPECT_EQ(summary["parsed"], 5);
  EXPECT_EQ(summary["routed"], 3);
  EXPECT_EQ(summary["unrouted"], 1);
  EXPECT_EQ(summary["duplicates"], 1);  // the same system, problem and day
  EXPECT_EQ(summary["rejected"], 1);
  ASSERT_EQ(summary["errors"].size(), 1u);
  EXPECT_EQ(summary["errors"][0]["file"], "2026-11-22-scan_rdp-nl.csv");
  EXPECT_EQ(summary["errors"][0]["line"], 6);
  EXPECT_EQ(summary["errors"][0]["reason"],
            "column 'ip': source.ip '192.0.2.300' is not an IP address");

  const Json events = Events();
  ASSERT_EQ(events.size(), 4u);
  std::map<std::string, Json> by_ip;
  for (const Json& event : events) by_ip[event["source.ip"]] = event;
  EXPECT_EQ(by_ip["192.0.2.10"]["baken.member"], "GM0363");
  EXPECT_EQ(by_ip["192.0.2.200"]["baken.member"], "GM0599");  // the longest prefix wins
  EXPECT_EQ(by_ip["203.0.113.5"]["baken.member"], "SV0001");
  EXPECT_TRUE(by_ip["10.1.2.3"]["baken.member"].is_null());
  const Json& first = by_ip["192.0.2.10"];
  EXPECT_EQ(first["classification.type"], "vulnerable-system");
  EXPECT_EQ(first["classification.identifier"], "open-rdp");
  EXPECT_EQ(first["feed.name"], "Accessible-RDP");
  EXPECT_EQ(first["source.port"], 3389);
  EXPECT_EQ(first["time.source"], "2026-11-22T01:00:00+00:00");
  EXPECT_EQ(first["extra.unknown_col"], "a");

  EXPECT_EQ(Events({"--member", "GM0599"}).size(), 1u);
  EXPECT_EQ(Events({"--unrouted"}).size(), 1u);
  EXPECT_EQ(Events({"--unrouted"})[0]["source.ip"], "10.1.2.3");
}

TEST_F(CliFeedsTest, IngestingTheSameFileTwiceAddsNothing) {
  const std::string file = Write("2026-11-22-scan_rdp-nl.csv", kRdpReport);
  BakenJson({"ingest", file}, 1);
  const Json again = BakenJson({"ingest", file}, 1);
  EXPECT_EQ(again["parsed"], 5);
  EXPECT_EQ(again["routed"], 0);
  EXPECT_EQ(again["unrouted"], 0);
  EXPECT_EQ(again["duplicates"], 5);
  EXPECT_EQ(Events().size(), 4u);
}

TEST_F(CliFeedsTest, DryRunCountsButStoresNothing) {
  const std::string file = Write("2026-11-22-scan_rdp-nl.csv", kRdpReport);
  const Json summary = BakenJson({"ingest", "--dry-run", file}, 1);
  EXPECT_EQ(summary["routed"], 3);
  EXPECT_EQ(summary["duplicates"], 1);
  EXPECT_TRUE(Events().empty());
  const auto human = Baken({"ingest", "--dry-run", file});
  EXPECT_THAT(human.out, HasSubstr("dry run, nothing stored: parsed 5, routed 3, unrouted 1, "
                                   "duplicates 1, rejected 1"));
  EXPECT_THAT(human.out, HasSubstr("2026-11-22-scan_rdp-nl.csv:6: column 'ip'"));
}

TEST_F(CliFeedsTest, DryRunCountsWhatTheRealRunThenStores) {
  // Row i reports port i of a system of GM0363, of SV0001 or of nobody (i % 3). 5,000 of the
  // findings are known beforehand; 2,500 repeats at the end of the file have their first
  // rows on both sides of the first batch's end (20,000 events).
  const auto report = [](int from, int to, int repeat_from, int repeat_to) {
    static constexpr std::string_view kIps[] = {"192.0.2.10", "203.0.113.5", "10.1.2.3"};
    std::string text = "\"timestamp\",\"ip\",\"protocol\",\"port\"\n";
    const auto row = [&](int i) {
      text += fmt::format("\"2026-11-22 01:00:00\",\"{}\",\"tcp\",{}\n", kIps[i % 3], i);
    };
    for (int i = from; i < to; ++i) row(i);
    for (int i = repeat_from; i < repeat_to; ++i) row(i);
    return text;
  };
  BakenJson({"ingest", Write("2026-11-22-scan_rdp-known.csv", report(0, 5000, 0, 0))});
  const std::string file = Write("2026-11-22-scan_rdp-day.csv", report(0, 22500, 19000, 21500));

  const Json dry = BakenJson({"ingest", "--dry-run", file});
  int routed = 0;
  int unrouted = 0;
  for (int i = 5000; i < 22500; ++i) ++(i % 3 == 2 ? unrouted : routed);
  EXPECT_EQ(dry["parsed"], 25000);
  EXPECT_EQ(dry["routed"], routed);
  EXPECT_EQ(dry["unrouted"], unrouted);
  EXPECT_EQ(dry["duplicates"], 5000 + 2500);
  EXPECT_EQ(Events().size(), 5000u) << "a dry run stored events";

  const Json real = BakenJson({"ingest", file});
  for (const char* count : {"parsed", "routed", "unrouted", "duplicates", "rejected"}) {
    EXPECT_EQ(real[count], dry[count]) << count;
  }
  const Json after = BakenJson({"ingest", "--dry-run", file});
  EXPECT_EQ(after["routed"], 0);
  EXPECT_EQ(after["unrouted"], 0);
  EXPECT_EQ(after["duplicates"], 25000);
}

TEST_F(CliFeedsTest, ReadsGzipIntelMqAndMappedCsvFeeds) {
  const std::string plain = Write("2026-11-22-scan_rdp-x.csv", kRdpReport);
  ASSERT_EQ(std::system(("gzip -k " + plain).c_str()), 0);
  const Json gz = BakenJson({"ingest", plain + ".gz"}, 1);
  EXPECT_EQ(gz["routed"], 3);

  const std::string jsonl = Write(
      "events.jsonl",
      "{\"source.ip\": \"203.0.113.9\", \"classification.type\": \"infected-system\", "
      "\"classification.identifier\": \"mirai\", \"feed.name\": \"Sinkhole\", "
      "\"time.source\": \"2026-11-22T03:00:00+00:00\", \"tlp\": \"RED\"}\n"
      "{\"source.fqdn\": \"www.rotterdam.example.nl\", \"classification.type\": \"phishing\", "
      "\"feed.name\": \"Phish\"}\n");
  const Json intelmq = BakenJson({"ingest", jsonl});
  EXPECT_EQ(intelmq["routed"], 2);
  EXPECT_EQ(Events({"--feed", "Phish"})[0]["baken.member"], "GM0599");  // routed by domain
  // Each event says its TLP level once: the feed's, or its own when stricter.
  EXPECT_EQ(Events({"--feed", "Phish"})[0]["tlp"], "AMBER");
  const auto sinkhole = Baken({"--json", "events", "list", "--feed", "Sinkhole"});
  EXPECT_EQ(Json::parse(sinkhole.out)["events"][0]["tlp"], "RED");
  EXPECT_EQ(sinkhole.out.find("\"tlp\""), sinkhole.out.rfind("\"tlp\"")) << sinkhole.out;

  const std::string mapping = Write("map.json", R"({
    "feed": {"name": "Citrix scan", "provider": "Researcher"},
    "columns": {"source.ip": "address", "time.source": "seen"},
    "constants": {"classification.type": "vulnerable-system",
                  "classification.identifier": "citrix-netscaler"}})");
  const std::string list = Write("list.csv", "address,seen\n198.51.100.7,2026-11-21\n");
  const Json csv = BakenJson({"ingest", "--mapping", mapping, list});
  EXPECT_EQ(csv["routed"], 1);
  EXPECT_EQ(Events({"--feed", "Citrix scan"})[0]["baken.member"], "GM0599");
}

TEST_F(CliFeedsTest, EveryShadowserverFixtureIngestsWithoutRejects) {
  std::vector<std::string> args = {"ingest"};
  for (const auto& entry :
       std::filesystem::directory_iterator(SourceDir() / "tests/data/shadowserver")) {
    if (entry.path().extension() == ".csv") args.push_back(entry.path().string());
  }
  ASSERT_EQ(args.size(), 11u);
  const Json summary = BakenJson(args);
  EXPECT_EQ(summary["rejected"], 0);
  EXPECT_EQ(summary["errors"].size(), 0u) << summary.dump();
  EXPECT_GT(summary["parsed"].get<int>(), 150);
}

TEST_F(CliFeedsTest, ANetworkGoesToTheMemberWhoseNetblockHoldsAllOfIt) {
  // A blocklist naming networks in its `ip` column. GM0599 owns 198.51.100.0/24 and
  // 192.0.2.128/25, GM0363 owns 192.0.2.0/24 around the latter.
  const std::string file = Write("2026-11-22-blocklist-nl.csv",
                                 "timestamp,ip,source,asn\n"
                                 "2026-11-22 01:00:00,198.51.100.0/24,drop,64501\n"
                                 "2026-11-22 01:00:00,198.51.100.64/26,drop,64501\n"
                                 "2026-11-22 01:00:00,192.0.2.0/25,drop,64500\n"
                                 "2026-11-22 01:00:00,192.0.2.0/24,drop,64500\n"
                                 "2026-11-22 01:00:00,192.0.0.0/16,drop,64501\n");
  const Json summary = BakenJson({"ingest", file});
  EXPECT_EQ(summary["routed"], 3);
  EXPECT_EQ(summary["unrouted"], 2);
  std::map<std::string, Json> by_network;
  for (const Json& event : Events()) by_network[event["source.network"]] = event;
  ASSERT_EQ(by_network.size(), 5u);
  EXPECT_EQ(by_network["198.51.100.0/24"]["baken.member"], "GM0599");
  EXPECT_EQ(by_network["198.51.100.64/26"]["baken.member"], "GM0599");
  EXPECT_EQ(by_network["192.0.2.0/25"]["baken.member"], "GM0363");
  // GM0363's /24 holds this network, but half of it is GM0599's: neither gets it, nor does
  // SV0001 through the AS number (64501) in the row.
  EXPECT_TRUE(by_network["192.0.2.0/24"]["baken.member"].is_null());
  EXPECT_TRUE(by_network["192.0.0.0/16"]["baken.member"].is_null());
}

TEST_F(CliFeedsTest, WithinAFileTheFirstRowOfADuplicateGroupIsKept) {
  // Thirty scans of the same two systems on one day, each row telling its own hour.
  std::string report = "timestamp,ip,port,hostname\n";
  for (int row = 0; row < 30; ++row) {
    report += fmt::format("2026-11-22 {:02}:00:00,192.0.2.{},3389,row{}.example.nl\n", row % 24,
                          10 + row % 2, row);
  }
  const std::string file = Write("2026-11-22-scan_rdp-nl.csv", report);
  const Json summary = BakenJson({"ingest", file});
  EXPECT_EQ(summary["duplicates"], 28);
  std::map<std::string, Json> by_ip;
  for (const Json& event : Events()) by_ip[event["source.ip"]] = event;
  ASSERT_EQ(by_ip.size(), 2u);
  EXPECT_EQ(by_ip["192.0.2.10"]["source.reverse_dns"], "row0.example.nl");
  EXPECT_EQ(by_ip["192.0.2.11"]["source.reverse_dns"], "row1.example.nl");
}

TEST_F(CliFeedsTest, AnOlderReportTypeIsNamedAndReadByItsHeader) {
  const std::filesystem::path lenient = SourceDir() / "tests/data/shadowserver/lenient";
  const Json summary =
      BakenJson({"ingest", (lenient / "2026-11-22-dns_openresolver-nl-geo.csv").string(),
                 (lenient / "2026-11-22-sinkhole_http_drone-nl.csv").string()},
                1);
  EXPECT_EQ(summary["parsed"], 2);
  ASSERT_EQ(summary["notes"].size(), 1u);
  EXPECT_EQ(summary["notes"][0]["file"], "2026-11-22-dns_openresolver-nl-geo.csv");
  EXPECT_THAT(summary["notes"][0]["note"].get<std::string>(),
              HasSubstr("'dns_openresolver', which the current Shadowserver schema does not have"));
  ASSERT_EQ(summary["errors"].size(), 1u);
  EXPECT_EQ(summary["errors"][0]["file"], "2026-11-22-sinkhole_http_drone-nl.csv");
  EXPECT_THAT(summary["errors"][0]["reason"].get<std::string>(),
              HasSubstr("the report type 'sinkhole_http_drone'"));
  EXPECT_EQ(Events()[0]["feed.name"], "DNS-Open-Resolvers");
  // People read the note too.
  const auto human =
      Baken({"ingest", "--dry-run", (lenient / "2026-11-22-dns_openresolver-nl-geo.csv").string()});
  EXPECT_THAT(human.out, HasSubstr("note: 2026-11-22-dns_openresolver-nl-geo.csv: "));
}

TEST_F(CliFeedsTest, RefusedFilesAreNamedAndTheOthersGoOn) {
  const std::string good = Write("2026-11-22-scan_rdp-nl.csv", kRdpReport);
  const std::string unknown = Write("2026-11-22-scan_nothing-nl.csv", "a,b\n1,2\n");
  const Json summary = BakenJson({"ingest", dir_.File("missing.csv"), unknown, good}, 1);
  EXPECT_EQ(summary["routed"], 3);
  ASSERT_GE(summary["errors"].size(), 3u);
  EXPECT_EQ(summary["errors"][0]["file"], "missing.csv");
  EXPECT_TRUE(summary["errors"][0]["line"].is_null());
  EXPECT_THAT(summary["errors"][0]["reason"].get<std::string>(), HasSubstr("cannot open"));
  EXPECT_EQ(summary["errors"][1]["file"], "2026-11-22-scan_nothing-nl.csv");
  EXPECT_THAT(summary["errors"][1]["reason"].get<std::string>(),
              HasSubstr("fits no Shadowserver report type"));
}

TEST_F(CliFeedsTest, BadOptionsAreUsageOrFailures) {
  const std::string file = Write("2026-11-22-scan_rdp-nl.csv", kRdpReport);
  EXPECT_EQ(Baken({"ingest"}).exit_code, 2);
  const auto bad_tlp = Baken({"ingest", "--tlp", "PURPLE", file});
  EXPECT_EQ(bad_tlp.exit_code, 1);
  EXPECT_THAT(bad_tlp.err, HasSubstr("--tlp 'PURPLE'"));
  const auto purge = BakenJson({"events", "purge", "--older-than", "30"});
  EXPECT_EQ(purge["removed"], 0);
}

TEST_F(CliFeedsTest, ReportAndFeedOptionsNameWhatTheFileCannotSay) {
  // "upload.csv" names no report, and timestamp,ip,port fits many: the file is refused ...
  const std::string file =
      Write("upload.csv", "timestamp,ip,port\n2026-11-22 01:00:00,192.0.2.10,3389\n");
  const Json refused = BakenJson({"ingest", file}, 1);
  EXPECT_EQ(refused["parsed"], 0);
  EXPECT_THAT(refused["errors"][0]["reason"].get<std::string>(), HasSubstr("--report"));
  // ... until --report (and --feed) say what it is.
  const Json named = BakenJson({"ingest", "--feed", "shadowserver", "--report", "scan_rdp", file});
  EXPECT_EQ(named["routed"], 1);
  EXPECT_EQ(Events()[0]["feed.name"], "Accessible-RDP");
  const auto unknown = Baken({"ingest", "--feed", "teletext", file});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("--feed 'teletext'"));
}

}  // namespace
}  // namespace baken::testing
