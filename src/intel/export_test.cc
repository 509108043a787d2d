// The export writers (export_formats.h): what they write reads back through Baken's own readers
// with the same indicators, passes the formats' validators (OASIS's STIX 2.1 schemas, the MISP
// core format's rules, BIND's named-checkzone, a structural check of Suricata's rule syntax),
// and hostile values never break out of their place.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "common/csv_reader.h"
#include "common/hash.h"
#include "common/text.h"
#include "intel/export_formats.h"
#include "intel/misp_feed.h"
#include "intel/misp_reader.h"
#include "intel/stix_pattern.h"
#include "intel/stix_reader.h"

namespace baken::intel {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::ordered_json;

constexpr std::string_view kNow = "2026-12-07T10:00:00Z";

std::filesystem::path SourceDir() {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  return std::filesystem::path(source ? source : ".");
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A file in a folder of this test's own, removed at the end of the program.
class TempFiles {
 public:
  TempFiles() {
    dir_ =
        std::filesystem::temp_directory_path() / ("baken-export-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::filesystem::path Write(const std::string& name, std::string_view content) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

TempFiles& Temp() {
  static TempFiles files;
  return files;
}

// Runs a command (its arguments are paths this test made, without quotes or spaces); its exit
// status, with what it wrote to stderr in *errors.
int RunCommand(const std::string& command, std::string* errors) {
  const auto err = Temp().dir() / "stderr.txt";
  const int status = std::system((command + " 2>" + err.string() + " >/dev/null").c_str());
  *errors = ReadFile(err);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Debian's python3 and its python3-jsonschema, not whatever another python on the PATH has.
constexpr std::string_view kPython = "/usr/bin/python3";

int ValidateStix(std::string_view bundle, std::string* errors) {
  const auto file = Temp().Write("bundle.json", bundle);
  return RunCommand(
      fmt::format("{} {} {} {}", kPython, (SourceDir() / "tests/support/validate_stix.py").string(),
                  (SourceDir() / "tests/data/stix2.1-schemas").string(), file.string()),
      errors);
}

int ValidateMisp(std::string_view document, std::string* errors) {
  const auto file = Temp().Write("misp.json", document);
  return RunCommand(
      fmt::format("{} {} {}", kPython, (SourceDir() / "tests/support/validate_misp.py").string(),
                  file.string()),
      errors);
}

Indicator Make(std::string kind, std::string value, std::string tlp, bool detect = true) {
  Indicator indicator;
  indicator.kind = std::move(kind);
  indicator.value = std::move(value);
  indicator.tlp = std::move(tlp);
  indicator.for_detection = detect;
  return indicator;
}

// Every kind, every TLP level an indicator can be stricter at, groups, validity, and senders'
// texts with quotes, backslashes and line breaks.
IntelEvent HandMadeGreen() {
  IntelEvent event;
  event.title = "Phishing \"Q4\"; it's a \\ test\nsecond line";
  event.description = "What the analysts wrote.\nWith \"quotes\".";
  event.tlp = "GREEN";
  event.tlp_given = true;
  event.distribution = std::string(kAllMembers);
  event.threat_level = "high";
  event.confidence = 80;
  event.date = "2026-11-30";
  event.creator = "Sector CERT";
  event.tags = {"rsit:fraud=\"phishing\"", "tlp:green"};
  auto& list = event.indicators;
  list.push_back(Make("ip", "192.0.2.1", "GREEN"));
  list.back().valid_until = "2027-01-31T00:00:00Z";
  list.back().first_seen = "2026-11-01T08:00:00Z";
  list.back().last_seen = "2026-11-20T08:00:00Z";
  list.back().comment = "C2 \"panel\"; see 'ticket' \\ 42\nnext line";
  list.push_back(Make("ip", "2001:db8::1", "AMBER"));
  list.push_back(Make("cidr", "198.51.100.0/24", "AMBER+STRICT"));
  list.back().valid_until = "2027-03-01T12:30:00Z";
  list.push_back(Make("cidr", "2001:db8:1::/48", "RED"));
  list.push_back(Make("domain", "evil.example", "GREEN"));
  list.back().group = "5f0c1c1e-1111-4a4a-8b8b-0123456789ab";
  list.back().group_name = "domain-ip";
  list.push_back(Make("ip", "203.0.113.5", "GREEN"));
  list.back().group = "5f0c1c1e-1111-4a4a-8b8b-0123456789ab";
  list.back().group_name = "domain-ip";
  list.push_back(Make("host", "www.bad.example", "GREEN"));
  list.push_back(Make("url", "http://bad.example/login?u=a'b", "AMBER"));
  list.push_back(Make("email", "o'brien@bad.example", "GREEN"));
  list.push_back(Make("filename", "invoice 'final' \\ copy.pdf.exe", "GREEN"));
  list.back().group = "group-of-a-file";
  list.back().group_name = "file";
  list.push_back(Make("md5", "d41d8cd98f00b204e9800998ecf8427e", "GREEN"));
  list.back().group = "group-of-a-file";
  list.back().group_name = "file";
  list.push_back(Make("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "GREEN"));
  list.back().group = "group-of-a-file";
  list.back().group_name = "file";
  list.push_back(
      Make("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "RED"));
  list.back().valid_until = "2027-02-01T00:00:00Z";
  list.push_back(Make("asn", "AS64500", "GREEN"));
  list.push_back(Make("cve", "CVE-2026-12345", "AMBER"));
  list.push_back(Make("text", "Seen at two members.\nBoth on Monday.", "GREEN", false));
  list.push_back(Make("other", "HKLM\\Software\\Evil", "GREEN", false));
  return event;
}

IntelEvent HandMadeStrict() {
  IntelEvent event;
  event.source_id = "3c6a1f6e-9d1b-4b55-a1c2-2d9e4f6a7b8c";
  event.title = "Targeted intrusion at one member";
  event.tlp = "AMBER+STRICT";
  event.tlp_given = true;
  event.distribution = std::string(kNamedMembers);
  event.date = "2026-12-01";
  event.indicators.push_back(Make("domain", "c2.intrusion.example", "AMBER+STRICT"));
  event.indicators.back().source_id = "9b2e7c1a-4d3f-4e5a-9f8b-7c6d5e4f3a2b";
  event.indicators.push_back(Make("ip", "198.51.100.77", "RED"));
  event.indicators.back().cert_only = true;
  event.indicators.push_back(
      Make("sha256", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
           "AMBER+STRICT"));
  return event;
}

// Values that are not what their kind says, or try to escape their place: left out everywhere.
IntelEvent HostileValues() {
  IntelEvent event;
  event.title = "Hostile \"; sid:1; rev:1;) alert ip any any -> any any (msg:\"x\nIN A 1.2.3.4";
  event.tlp = "CLEAR";
  event.distribution = std::string(kPartners);
  event.indicators.push_back(Make("domain", "evil.example. IN A 192.0.2.66", "CLEAR"));
  event.indicators.push_back(
      Make("domain", "ok.example\nattacker.example CNAME rpz-passthru.", "CLEAR"));
  event.indicators.push_back(Make("domain", "$INCLUDE /etc/passwd", "CLEAR"));
  event.indicators.push_back(Make("domain", "a;b.example", "CLEAR"));
  event.indicators.push_back(Make("domain", "Upper.Example", "CLEAR"));  // not canonical
  event.indicators.push_back(Make("domain", "com", "CLEAR"));            // a whole TLD
  event.indicators.push_back(Make("ip", "192.0.2.1; drop", "CLEAR"));
  event.indicators.push_back(Make("cidr", "0.0.0.0/0", "CLEAR"));  // the whole Internet
  event.indicators.push_back(Make("url", "http://x.example/\"a\nb", "CLEAR"));
  event.indicators.push_back(Make("md5", "not-a-hash", "CLEAR"));
  // Valid, and written: the writers must not refuse what is merely unusual.
  event.indicators.push_back(Make("domain", "_dmarc.fine.example", "CLEAR"));
  return event;
}

constexpr size_t kHostileLeftOut = 10;

MispWriteOptions MispOptions() {
  MispWriteOptions options;
  options.organisation = "Baken CERT";
  options.organisation_uuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  options.timestamp = std::string(kNow);
  return options;
}

StixWriteOptions StixOptions() {
  StixWriteOptions options;
  options.now = std::string(kNow);
  options.creator = "Baken CERT";
  return options;
}

std::vector<IntelEvent> ReadMispFile(const std::string& relative) {
  auto events = ReadMispEvents(ReadFile(SourceDir() / "tests/data/cti" / relative));
  EXPECT_TRUE(events) << relative;
  return events ? *events : std::vector<IntelEvent>{};
}

std::vector<IntelEvent> ReadStixFile(const std::string& relative) {
  auto events = ReadStixBundle(ReadFile(SourceDir() / "tests/data/cti" / relative));
  EXPECT_TRUE(events) << relative;
  return events ? *events : std::vector<IntelEvent>{};
}

const std::vector<std::string> kMispFixtures = {
    "misp/pymisp_existing_event.json",
    "misp/pymisp_sighting_1.json",
    "misp/pymisp_attribute_del.json",
    "misp/pymisp_shadow.json",
    "misp/misp-guard_event_sharing_group.json",
    "misp/misp-guard_attribute_sharing_group.json",
    "misp/misp-guard_event_tlp_amber.json",
    "misp/misp-stix_test_events_collection_1.json",
    "misp/circl-osint_57c4445b-c548-4654-af0b-4be3950d210f.json",
    "misp-feed/crowdsec-alerts-feed/d177856e-6e46-44ee-8eb5-83ef1c7452c7.json",
    "misp-feed/crowdsec-alerts-feed/6a10e5d8-f1cd-42b0-8240-a4650efd83d6.json",
    "misp-feed/crowdsec-alerts-feed/8f09de10-6867-45c6-814d-3d91a33d3af7.json",
};

const std::vector<std::string> kStixFixtures = {
    "stix/misp-stix_test_events_collection_stix21.json",
    "stix/opencti_DATA-TEST-STIX2_v2.json",
    "stix/oasis_sighting-of-an-indicator.json",
    "stix/oasis_sighting-of-observed-data.json",
    "stix/oasis_using-marking-definitions.json",
    "stix/oasis_using-granular-markings.json",
    "stix/oasis_poisonivy.json",
};

// Whether the writers export an indicator at all (values the reader made canonical always are,
// but for `other`; MISP also takes `text`).
bool Exported(const Indicator& indicator, bool misp) {
  if (indicator.kind == "other") return false;
  if (indicator.kind == "text") return misp;
  auto canonical = CanonicalValue(indicator.kind, indicator.value);
  return canonical && *canonical == indicator.value;
}

std::string EffectiveTlp(const IntelEvent& event, const Indicator& indicator) {
  return std::string(Name(std::max(ParseTlp(event.tlp).value_or(Tlp::kRed),
                                   ParseTlp(indicator.tlp).value_or(Tlp::kRed))));
}

// What a MISP round trip must keep of each indicator: kind, value, TLP, for detection, valid
// until, first seen, comment, its group's name and the values it shares its group with (the
// group's uuid too, where the group had one).
using MispKey = std::tuple<std::string, std::string, std::string, bool, std::string, std::string,
                           std::string, std::string, std::string>;

std::vector<MispKey> MispKeys(const IntelEvent& event) {
  std::map<std::string, std::vector<std::string>> members;
  std::map<std::string, bool> named;
  for (const Indicator& indicator : event.indicators) {
    if (!Exported(indicator, true) || indicator.group.empty()) continue;
    members[indicator.group].push_back(indicator.kind + "=" + indicator.value);
    named[indicator.group] = named[indicator.group] || !indicator.group_name.empty();
  }
  std::vector<MispKey> keys;
  for (const Indicator& indicator : event.indicators) {
    if (!Exported(indicator, true)) continue;
    std::string together;
    if (!indicator.group.empty() &&
        (members[indicator.group].size() >= 2 || named[indicator.group])) {
      auto sorted = members[indicator.group];
      std::sort(sorted.begin(), sorted.end());
      for (const auto& member : sorted) together += member + " ";
    }
    keys.emplace_back(indicator.kind, indicator.value, EffectiveTlp(event, indicator),
                      indicator.for_detection && Detectable(indicator.kind),
                      indicator.valid_until.value_or(""), indicator.first_seen.value_or(""),
                      indicator.comment, together.empty() ? "" : indicator.group_name, together);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// The groups that had a uuid (a MISP object's, a composite attribute's): a round trip keeps it.
std::set<std::string> GroupUuids(const IntelEvent& event) {
  std::set<std::string> uuids;
  for (const Indicator& indicator : event.indicators) {
    if (Exported(indicator, true) && IsUuid(indicator.group)) uuids.insert(indicator.group);
  }
  return uuids;
}

bool Includes(const std::set<std::string>& all, const std::set<std::string>& part) {
  return std::includes(all.begin(), all.end(), part.begin(), part.end());
}

// What a STIX round trip must keep: kind (a host is a domain name in STIX), value, TLP, valid
// until, and, for what is not a CVE (a vulnerability is no indicator), for detection.
using StixKey = std::tuple<std::string, std::string, std::string, std::string, bool>;

std::vector<StixKey> StixKeys(const IntelEvent& event, bool only_exported) {
  std::vector<StixKey> keys;
  for (const Indicator& indicator : event.indicators) {
    if (only_exported && (!Exported(indicator, false) || !indicator.for_detection)) {
      if (indicator.kind != "cve" || !Exported(indicator, false)) continue;
    }
    keys.emplace_back(indicator.kind == "host" ? "domain" : indicator.kind, indicator.value,
                      EffectiveTlp(event, indicator),
                      indicator.kind == "cve" ? "" : indicator.valid_until.value_or(""),
                      indicator.kind != "cve");
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// What a caller exporting for detection hands the STIX writer: for-detection values and CVEs.
IntelEvent ForDetection(IntelEvent event) {
  std::erase_if(event.indicators, [](const Indicator& indicator) {
    return !(indicator.for_detection || indicator.kind == "cve") || !Exported(indicator, false);
  });
  return event;
}

// ---------------------------------------------------------------------------------------------
// Identifiers

TEST(ExportUuid, DerivedUuidsAreStableRfcVersion5AndDistinct) {
  const std::string one = DerivedUuid("event\nx");
  EXPECT_EQ(one, DerivedUuid("event\nx"));
  EXPECT_NE(one, DerivedUuid("event\ny"));
  EXPECT_TRUE(IsUuid(one)) << one;
  EXPECT_EQ(one[14], '5');
  EXPECT_THAT(std::string("89ab"), HasSubstr(std::string(1, one[19])));
}

TEST(ExportUuid, EventUuidComesFromItsSourceIdElseIsDerived) {
  IntelEvent event;
  event.source_id = "5A3C2FCD-8328-42bb-a95e-4f4402de0b81";
  EXPECT_EQ(ExportEventUuid(event), "5a3c2fcd-8328-42bb-a95e-4f4402de0b81");
  event.source_id = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3";
  EXPECT_EQ(ExportEventUuid(event), "84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3");
  event.source_id = "baken:intel-event:42";
  const std::string derived = ExportEventUuid(event);
  EXPECT_TRUE(IsUuid(derived));
  event.title = "renamed";
  EXPECT_EQ(ExportEventUuid(event), derived) << "the source id decides, not the title";
  event.source_id.clear();
  EXPECT_NE(ExportEventUuid(event), derived);
}

TEST(ExportUuid, ReExportsAreIdentical) {
  const std::vector<IntelEvent> events = {HandMadeGreen(), HandMadeStrict()};
  EXPECT_EQ(WriteMispEvents(events, MispOptions())->content,
            WriteMispEvents(events, MispOptions())->content);
  EXPECT_EQ(WriteStixBundle(events, StixOptions())->content,
            WriteStixBundle(events, StixOptions())->content);
}

// ---------------------------------------------------------------------------------------------
// MISP

TEST(MispExport, HandMadeEventsRoundTrip) {
  const std::vector<IntelEvent> events = {HandMadeGreen(), HandMadeStrict()};
  auto written = WriteMispEvents(events, MispOptions());
  ASSERT_TRUE(written) << written.error().message;
  // All but `other`.
  EXPECT_EQ(written->written, events[0].indicators.size() - 1 + events[1].indicators.size());
  ASSERT_EQ(written->left_out.size(), 1u);
  EXPECT_THAT(written->left_out[0], HasSubstr("other"));

  auto read = ReadMispEvents(written->content);
  ASSERT_TRUE(read) << ::testing::PrintToString(read.error().reasons);
  ASSERT_EQ(read->size(), 2u);
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(events[i].title);
    const IntelEvent& back = (*read)[i];
    EXPECT_EQ(back.source_id, ExportEventUuid(events[i]));
    EXPECT_EQ(back.tlp, events[i].tlp);
    EXPECT_TRUE(back.tlp_given);
    EXPECT_EQ(back.date, events[i].date);
    EXPECT_EQ(MispKeys(back), MispKeys(events[i]));
    EXPECT_TRUE(Includes(GroupUuids(back), GroupUuids(events[i])));
  }
  // The title on one line (the core format's rule), otherwise as it was.
  EXPECT_EQ((*read)[0].title, "Phishing \"Q4\"; it's a \\ test second line");
  EXPECT_EQ((*read)[0].threat_level, "high");
  EXPECT_EQ((*read)[0].creator, "Sector CERT");
  EXPECT_EQ((*read)[1].creator, "Baken CERT");
  // AMBER and stricter: MISP's "your organisation only", which reads back as the CERT's own.
  EXPECT_EQ((*read)[1].distribution, kCertOnly);
  EXPECT_EQ((*read)[0].distribution, kAllMembers);
  // The indicator kept inside the CERT stays so, in an event that is not.
  const IntelEvent& green = (*read)[0];
  for (const Indicator& indicator : green.indicators) {
    EXPECT_EQ(indicator.cert_only, indicator.tlp != "GREEN") << indicator.value;
  }
}

TEST(MispExport, TlpTagsUseTlp2NamesAndOnlyWhereStricter) {
  auto written = WriteMispEvent(HandMadeGreen(), MispOptions());
  ASSERT_TRUE(written);
  const Json event = Json::parse(written->content)["Event"];
  std::vector<std::string> event_tags;
  for (const Json& tag : event["Tag"]) event_tags.push_back(tag["name"]);
  EXPECT_EQ(std::count_if(event_tags.begin(), event_tags.end(),
                          [](const std::string& tag) { return tag.starts_with("tlp:"); }),
            1);
  EXPECT_THAT(event_tags, Contains("tlp:green"));
  EXPECT_THAT(event_tags, Contains("rsit:fraud=\"phishing\""));
  std::map<std::string, std::vector<std::string>> by_value;
  for (const Json& attribute : event["Attribute"]) {
    for (const Json& tag : attribute["Tag"]) by_value[attribute["value"]].push_back(tag["name"]);
  }
  EXPECT_THAT(by_value["198.51.100.0/24"], Contains("tlp:amber+strict"));
  EXPECT_THAT(by_value["198.51.100.0/24"], Contains("baken:valid-until=\"2027-03-01T12:30:00Z\""));
  EXPECT_THAT(by_value["2001:db8:1::/48"], Contains("tlp:red"));
  EXPECT_THAT(by_value["2001:db8::1"], Contains("tlp:amber"));
  for (const auto& tag : by_value["AS64500"]) EXPECT_FALSE(tag.starts_with("tlp:")) << tag;
}

TEST(MispExport, KindsBecomeTheMispTypesTheyAreReadFrom) {
  auto written = WriteMispEvent(HandMadeGreen(), MispOptions());
  ASSERT_TRUE(written);
  const Json event = Json::parse(written->content)["Event"];
  std::map<std::string, std::string> types;
  for (const Json& attribute : event["Attribute"]) types[attribute["value"]] = attribute["type"];
  for (const Json& object : event["Object"]) {
    for (const Json& attribute : object["Attribute"]) {
      types[attribute["value"]] = attribute["type"];
    }
  }
  EXPECT_EQ(types["192.0.2.1"], "ip-dst");
  EXPECT_EQ(types["198.51.100.0/24"], "ip-dst");
  EXPECT_EQ(types["evil.example"], "domain");
  EXPECT_EQ(types["www.bad.example"], "hostname");
  EXPECT_EQ(types["o'brien@bad.example"], "email");
  EXPECT_EQ(types["AS64500"], "AS");
  EXPECT_EQ(types["CVE-2026-12345"], "vulnerability");
  EXPECT_EQ(types["d41d8cd98f00b204e9800998ecf8427e"], "md5");
  EXPECT_FALSE(types.contains("HKLM\\Software\\Evil")) << "other is never exported";
  // Two groups: the domain-ip pair with its uuid, and the file (whose group was no uuid).
  ASSERT_EQ(event["Object"].size(), 2u);
  EXPECT_EQ(event["Object"][0]["name"], "domain-ip");
  EXPECT_EQ(event["Object"][0]["uuid"], "5f0c1c1e-1111-4a4a-8b8b-0123456789ab");
  EXPECT_EQ(event["Object"][1]["name"], "file");
  EXPECT_EQ(event["Object"][1]["Attribute"].size(), 3u);
}

TEST(MispExport, FixturesRoundTrip) {
  for (const std::string& fixture : kMispFixtures) {
    SCOPED_TRACE(fixture);
    const std::vector<IntelEvent> events = ReadMispFile(fixture);
    ASSERT_FALSE(events.empty());
    auto written = WriteMispEvents(events, MispOptions());
    ASSERT_TRUE(written);
    auto read = ReadMispEvents(written->content);
    ASSERT_TRUE(read) << ::testing::PrintToString(read.error().reasons);
    ASSERT_EQ(read->size(), events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ((*read)[i].tlp, events[i].tlp);
      EXPECT_EQ((*read)[i].source_id, ExportEventUuid(events[i]));
      EXPECT_EQ(MispKeys((*read)[i]), MispKeys(events[i]));
      EXPECT_TRUE(Includes(GroupUuids((*read)[i]), GroupUuids(events[i])));
    }
  }
}

TEST(MispExport, CompositeAttributesAreWrittenAsTheyWereRead) {
  // Two values from one composite attribute: one group of two, without a name, whose uuid is
  // the attribute's.
  const std::string document = R"({"Event": {"info": "composite", "Tag": [{"name": "tlp:green"}],
    "uuid": "5a3c2fcd-8328-42bb-a95e-4f4402de0b81",
    "Attribute": [
      {"type": "domain|ip", "value": "evil.example|192.0.2.9", "to_ids": true,
       "uuid": "6b4d3e2f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"},
      {"type": "filename|sha256", "value": "a.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "to_ids": true, "uuid": "7c5e4f3a-2b3c-4d4e-9f5a-6b7c8d9e0f1a"}]}})";
  auto events = ReadMispEvents(document);
  ASSERT_TRUE(events);
  ASSERT_EQ((*events)[0].indicators.size(), 4u);
  auto written = WriteMispEvent((*events)[0], MispOptions());
  ASSERT_TRUE(written);
  const Json event = Json::parse(written->content)["Event"];
  ASSERT_EQ(event["Attribute"].size(), 2u);
  EXPECT_EQ(event["Object"].size(), 0u);
  EXPECT_EQ(event["Attribute"][0]["type"], "domain|ip");
  EXPECT_EQ(event["Attribute"][0]["value"], "evil.example|192.0.2.9");
  EXPECT_EQ(event["Attribute"][0]["uuid"], "6b4d3e2f-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
  EXPECT_EQ(event["Attribute"][1]["type"], "filename|sha256");
  auto read = ReadMispEvents(written->content);
  ASSERT_TRUE(read);
  EXPECT_EQ(MispKeys((*read)[0]), MispKeys((*events)[0]));
  EXPECT_EQ(GroupUuids((*read)[0]), GroupUuids((*events)[0]));
  std::string errors;
  EXPECT_EQ(ValidateMisp(written->content, &errors), 0) << errors;
  // Parts that no longer agree (one stricter than the other) are an object of two.
  (*events)[0].indicators[1].tlp = "RED";
  written = WriteMispEvent((*events)[0], MispOptions());
  ASSERT_TRUE(written);
  const Json split = Json::parse(written->content)["Event"];
  ASSERT_EQ(split["Object"].size(), 1u);
  EXPECT_EQ(split["Object"][0]["name"], "domain-ip");
  EXPECT_EQ(split["Object"][0]["uuid"], "6b4d3e2f-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
  read = ReadMispEvents(written->content);
  ASSERT_TRUE(read);
  EXPECT_EQ(GroupUuids((*read)[0]), GroupUuids((*events)[0]));
}

TEST(MispExport, FollowsTheCoreFormatRules) {
  std::vector<std::vector<IntelEvent>> cases = {{HandMadeGreen(), HandMadeStrict()},
                                                {HostileValues()}};
  for (const std::string& fixture : kMispFixtures) cases.push_back(ReadMispFile(fixture));
  for (const auto& events : cases) {
    auto written = WriteMispEvents(events, MispOptions());
    ASSERT_TRUE(written);
    std::string errors;
    EXPECT_EQ(ValidateMisp(written->content, &errors), 0) << events[0].title << "\n" << errors;
  }
  auto single = WriteMispEvent(HandMadeGreen(), MispOptions());
  ASSERT_TRUE(single);
  std::string errors;
  EXPECT_EQ(ValidateMisp(single->content, &errors), 0) << errors;
}

TEST(MispExport, TheRulesCheckRefusesBrokenEvents) {
  auto written = WriteMispEvent(HandMadeGreen(), MispOptions());
  ASSERT_TRUE(written);
  const Json good = Json::parse(written->content);
  const auto fails = [](const Json& document, std::string_view expected) {
    std::string errors;
    EXPECT_EQ(ValidateMisp(document.dump(), &errors), 1) << expected;
    EXPECT_THAT(errors, HasSubstr(std::string(expected)));
  };
  Json broken = good;
  broken["Event"]["Attribute"][0]["category"] = "Financial fraud";
  fails(broken, "is not valid in category");
  broken = good;
  broken["Event"]["Attribute"][0]["to_ids"] = "1";
  fails(broken, "to_ids must be present as a JSON boolean");
  broken = good;
  broken["Event"]["distribution"] = "5";
  fails(broken, "distribution '5'");
  broken = good;
  broken["Event"].erase("uuid");
  fails(broken, "uuid is missing");
  broken = good;
  broken["Event"]["Attribute"][0]["value"] = "192.0.2.300";
  fails(broken, "not an address");
  broken = good;
  broken["Event"]["info"] = "two\nlines";
  fails(broken, "line break");
  broken = good;
  broken["Event"]["Object"][0]["Attribute"][0]["uuid"] = good["Event"]["uuid"];
  fails(broken, "used twice");
}

TEST(MispExport, ValidUntilIsReadBackFromItsTag) {
  // The reader's side of the tag, on its own: a MISP event as another tool might write it.
  const std::string document =
      R"({"Event": {"info": "x", "uuid": "5a3c2fcd-8328-42bb-a95e-4f4402de0b81",
    "Tag": [{"name": "tlp:green"}],
    "Attribute": [{"type": "domain", "value": "evil.example", "to_ids": true,
      "Tag": [{"name": "baken:valid-until=\"2027-05-01T10:00:00Z\""}]},
      {"type": "domain", "value": "other.example", "to_ids": true,
      "Tag": [{"name": "baken:valid-until=\"someday\""}]}]}})";
  auto read = ReadMispEvents(document);
  ASSERT_TRUE(read);
  ASSERT_EQ((*read)[0].indicators.size(), 2u);
  EXPECT_EQ((*read)[0].indicators[0].valid_until, "2027-05-01T10:00:00Z");
  EXPECT_EQ((*read)[0].indicators[1].valid_until, std::nullopt);
}

TEST(MispExport, HostileValuesAreLeftOutAndSaid) {
  auto written = WriteMispEvent(HostileValues(), MispOptions());
  ASSERT_TRUE(written);
  // The /0 is a value MISP can hold (only block lists refuse it); a TLD is not a MISP domain.
  EXPECT_EQ(written->left_out.size(), kHostileLeftOut - 1);
  EXPECT_EQ(written->written, 2u);
  auto read = ReadMispEvents(written->content);
  ASSERT_TRUE(read);
  std::set<std::string> values;
  for (const Indicator& indicator : (*read)[0].indicators) values.insert(indicator.value);
  EXPECT_EQ(values, (std::set<std::string>{"_dmarc.fine.example", "0.0.0.0/0"}));
}

TEST(MispExport, RefusesATimestampThatIsNoTime) {
  MispWriteOptions options = MispOptions();
  options.timestamp = "yesterday";
  EXPECT_FALSE(WriteMispEvent(HandMadeGreen(), options));
}

// ---------------------------------------------------------------------------------------------
// MISP feed

TEST(MispFeedExport, ManifestHashesAndEventsReadBack) {
  std::vector<IntelEvent> events = {HandMadeGreen(), HandMadeStrict()};
  for (IntelEvent& event : ReadMispFile("misp/pymisp_existing_event.json")) {
    events.push_back(std::move(event));
  }
  auto feed = WriteMispFeed(events, MispOptions());
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->written, 3u);
  ASSERT_EQ(feed->files.size(), 5u);

  auto manifest = ReadMispManifest(feed->files.at("manifest.json"));
  ASSERT_TRUE(manifest);
  EXPECT_TRUE(manifest->problems.empty());
  ASSERT_EQ(manifest->entries.size(), 3u);
  std::set<std::string> uuids;
  for (const ManifestEntry& entry : manifest->entries) {
    uuids.insert(entry.uuid);
    EXPECT_EQ(entry.timestamp, 1796637600);  // kNow
    ASSERT_TRUE(feed->files.contains(entry.uuid + ".json")) << entry.uuid;
    auto read = ReadMispEvents(feed->files.at(entry.uuid + ".json"));
    ASSERT_TRUE(read);
    EXPECT_EQ((*read)[0].source_id, entry.uuid);
    EXPECT_EQ((*read)[0].title, entry.info);
    EXPECT_EQ((*read)[0].date.value_or(""), entry.date);
    const auto original = std::find_if(events.begin(), events.end(), [&](const IntelEvent& e) {
      return ExportEventUuid(e) == entry.uuid;
    });
    ASSERT_NE(original, events.end());
    EXPECT_EQ(MispKeys((*read)[0]), MispKeys(*original));
  }
  EXPECT_EQ(uuids, (std::set<std::string>{ExportEventUuid(events[0]), ExportEventUuid(events[1]),
                                          "5a3c2fcd-8328-42bb-a95e-4f4402de0b81"}));

  // One line (MISP's order: md5, event uuid) per for-detection value.
  const MispHashes hashes = ReadMispHashes(feed->files.at("hashes.csv"));
  EXPECT_TRUE(hashes.problems.empty());
  std::multiset<std::pair<std::string, std::string>> expected;
  for (const IntelEvent& event : events) {
    for (const Indicator& indicator : event.indicators) {
      if (Exported(indicator, true) && indicator.for_detection && Detectable(indicator.kind)) {
        expected.emplace(Md5Hex(indicator.value), ExportEventUuid(event));
      }
    }
  }
  std::multiset<std::pair<std::string, std::string>> found;
  for (const FeedHash& hash : hashes.hashes) found.emplace(hash.md5, hash.event_uuid);
  EXPECT_EQ(found, expected);
  EXPECT_GT(found.size(), 20u);
  EXPECT_TRUE(feed->files.at("hashes.csv").starts_with(Md5Hex("192.0.2.1") + ","));
}

TEST(MispFeedExport, TwoEventsWithOneUuidGetTwoFiles) {
  IntelEvent one = HandMadeStrict();
  IntelEvent two = HandMadeStrict();
  two.title = "Another event that claims the same uuid";
  auto feed = WriteMispFeed({one, two}, MispOptions());
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->files.size(), 4u);
  EXPECT_THAT(::testing::PrintToString(feed->left_out), HasSubstr("another event's"));
}

// ---------------------------------------------------------------------------------------------
// STIX 2.1

TEST(StixExport, HandMadeEventsRoundTrip) {
  const std::vector<IntelEvent> events = {HandMadeGreen(), HandMadeStrict()};
  auto written = WriteStixBundle(events, StixOptions());
  ASSERT_TRUE(written) << written.error().message;
  // Neither text nor other has a STIX pattern.
  EXPECT_EQ(written->left_out.size(), 2u);
  auto read = ReadStixBundle(written->content);
  ASSERT_TRUE(read) << ::testing::PrintToString(read.error().reasons);
  ASSERT_EQ(read->size(), 2u);
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(events[i].title);
    EXPECT_EQ((*read)[i].title, events[i].title) << "a report's name may hold line breaks";
    EXPECT_EQ((*read)[i].tlp, events[i].tlp);
    EXPECT_EQ((*read)[i].date, events[i].date);
    EXPECT_EQ((*read)[i].source_id, "report--" + ExportEventUuid(events[i]));
    EXPECT_EQ(StixKeys((*read)[i], false), StixKeys(events[i], true));
    EXPECT_TRUE((*read)[i].problems.empty()) << ::testing::PrintToString((*read)[i].problems);
  }
  EXPECT_EQ((*read)[0].description, events[0].description);
  EXPECT_EQ((*read)[0].confidence, 80);
  EXPECT_EQ((*read)[0].creator, "Baken CERT");
  // The comment is the indicator's name, quotes, backslash and line break included.
  const auto with_comment =
      std::find_if((*read)[0].indicators.begin(), (*read)[0].indicators.end(),
                   [](const Indicator& indicator) { return indicator.value == "192.0.2.1"; });
  ASSERT_NE(with_comment, (*read)[0].indicators.end());
  EXPECT_EQ(with_comment->comment, events[0].indicators[0].comment);
  EXPECT_EQ(with_comment->first_seen, "2026-11-01T08:00:00Z");
}

TEST(StixExport, PatternsEscapeQuotesAndBackslashes) {
  auto written = WriteStixBundle({HandMadeGreen()}, StixOptions());
  ASSERT_TRUE(written);
  std::map<std::string, std::string> patterns;
  const Json bundle = Json::parse(written->content);
  for (const Json& object : bundle["objects"]) {
    if (object["type"] == "indicator") {
      const std::string pattern = object["pattern"];
      auto reading = ReadStixPattern(pattern);
      ASSERT_TRUE(reading) << pattern;
      ASSERT_EQ(reading->comparisons.size(), 1u) << pattern;
      EXPECT_FALSE(reading->joined_by_and);
      patterns[reading->comparisons[0].value] = pattern;
    }
  }
  EXPECT_EQ(patterns["invoice 'final' \\ copy.pdf.exe"],
            "[file:name = 'invoice \\'final\\' \\\\ copy.pdf.exe']");
  EXPECT_EQ(patterns["o'brien@bad.example"], "[email-addr:value = 'o\\'brien@bad.example']");
  EXPECT_EQ(patterns["64500"], "[autonomous-system:number = 64500]");
  EXPECT_EQ(patterns["2001:db8:1::/48"], "[ipv6-addr:value = '2001:db8:1::/48']");
  EXPECT_EQ(patterns["198.51.100.0/24"], "[ipv4-addr:value = '198.51.100.0/24']");
  EXPECT_EQ(patterns["da39a3ee5e6b4b0d3255bfef95601890afd80709"],
            "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']");
}

TEST(StixExport, MarkingsAreTheStandardTlp2Definitions) {
  auto written = WriteStixBundle({HandMadeGreen(), HandMadeStrict()}, StixOptions());
  ASSERT_TRUE(written);
  std::set<std::string> defined;
  std::set<std::string> used;
  const Json bundle = Json::parse(written->content);
  for (const Json& object : bundle["objects"]) {
    if (object["type"] == "marking-definition") {
      defined.insert(object["id"]);
      EXPECT_TRUE(StandardTlpMarking(object["id"].get<std::string>())) << object["id"];
    }
    for (const Json& ref : object.value("object_marking_refs", Json::array())) used.insert(ref);
  }
  // Those used, and only those: nothing in these two events is CLEAR.
  EXPECT_EQ(defined, used);
  EXPECT_EQ(defined.size(), 4u);
  EXPECT_FALSE(defined.contains("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"));
  EXPECT_TRUE(defined.contains("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"));
}

TEST(StixExport, FixturesRoundTrip) {
  for (const std::string& fixture : kStixFixtures) {
    SCOPED_TRACE(fixture);
    std::vector<IntelEvent> events;
    for (const IntelEvent& event : ReadStixFile(fixture)) {
      IntelEvent exported = ForDetection(event);
      if (!exported.indicators.empty()) events.push_back(std::move(exported));
    }
    auto written = WriteStixBundle(events, StixOptions());
    ASSERT_TRUE(written);
    auto read = ReadStixBundle(written->content);
    ASSERT_TRUE(read);
    ASSERT_EQ(read->size(), events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ((*read)[i].tlp, events[i].tlp);
      EXPECT_EQ(StixKeys((*read)[i], false), StixKeys(events[i], true));
    }
  }
}

TEST(StixExport, MispFixturesBecomeBundlesThatReadBack) {
  for (const std::string& fixture : kMispFixtures) {
    SCOPED_TRACE(fixture);
    std::vector<IntelEvent> events;
    for (const IntelEvent& event : ReadMispFile(fixture)) {
      IntelEvent exported = ForDetection(event);
      if (!exported.indicators.empty()) events.push_back(std::move(exported));
    }
    if (events.empty()) continue;  // nothing for detection in it (a proposal, a deleted value)
    auto written = WriteStixBundle(events, StixOptions());
    ASSERT_TRUE(written);
    auto read = ReadStixBundle(written->content);
    ASSERT_TRUE(read);
    ASSERT_EQ(read->size(), events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(StixKeys((*read)[i], false), StixKeys(events[i], true));
    }
  }
}

TEST(StixExport, ValidUntilIsAlwaysAfterValidFrom) {
  IntelEvent event = HandMadeStrict();
  // First seen after its end (a sender's mistake), still valid now: valid from now.
  event.indicators[0].first_seen = "2027-06-01T00:00:00Z";
  event.indicators[0].valid_until = "2027-01-01T00:00:00Z";
  // First seen after its end, and the end is over: left out.
  event.indicators[1].first_seen = "2026-03-01T00:00:00Z";
  event.indicators[1].valid_until = "2026-02-01T00:00:00Z";
  auto written = WriteStixBundle({event}, StixOptions());
  ASSERT_TRUE(written);
  ASSERT_EQ(written->left_out.size(), 1u);
  EXPECT_THAT(written->left_out[0], HasSubstr("no longer valid"));
  const Json bundle = Json::parse(written->content);
  for (const Json& object : bundle["objects"]) {
    if (object.contains("valid_until")) {
      EXPECT_EQ(object["valid_from"], "2026-12-07T10:00:00.000Z");
      EXPECT_GT(object["valid_until"].get<std::string>(), object["valid_from"].get<std::string>());
    }
  }
  std::string errors;
  EXPECT_EQ(ValidateStix(written->content, &errors), 0) << errors;
}

TEST(StixExport, AnEventWithNothingToReferToIsLeftOut) {
  IntelEvent event;
  event.title = "Only a note";
  event.tlp = "GREEN";
  event.indicators.push_back(Make("text", "a note", "GREEN", false));
  auto written = WriteStixBundle({event}, StixOptions());
  ASSERT_TRUE(written);
  EXPECT_THAT(::testing::PrintToString(written->left_out), HasSubstr("no report"));
  EXPECT_THAT(written->content, Not(HasSubstr("\"report\"")));
}

TEST(StixExport, ValidatesAgainstTheOasisSchemas) {
  std::vector<std::vector<IntelEvent>> cases = {{HandMadeGreen(), HandMadeStrict()},
                                                {HostileValues()}};
  for (const std::string& fixture : kStixFixtures) cases.push_back(ReadStixFile(fixture));
  for (const std::string& fixture : kMispFixtures) cases.push_back(ReadMispFile(fixture));
  for (const auto& events : cases) {
    auto written = WriteStixBundle(events, StixOptions());
    ASSERT_TRUE(written);
    std::string errors;
    EXPECT_EQ(ValidateStix(written->content, &errors), 0) << events[0].title << "\n" << errors;
  }
}

TEST(StixExport, TheSchemaCheckRefusesBrokenBundles) {
  auto written = WriteStixBundle({HandMadeGreen()}, StixOptions());
  ASSERT_TRUE(written);
  const Json good = Json::parse(written->content);
  size_t indicator = 0;
  while (good["objects"][indicator]["type"] != "indicator") ++indicator;
  const auto fails = [](const Json& bundle, std::string_view expected) {
    std::string errors;
    EXPECT_EQ(ValidateStix(bundle.dump(), &errors), 1) << expected;
    EXPECT_THAT(errors, HasSubstr(std::string(expected)));
  };
  Json broken = good;
  broken["objects"][indicator].erase("pattern_type");
  fails(broken, "'pattern_type' is a required property");
  broken = good;
  broken["objects"][indicator]["id"] = "indicator--not-a-uuid";
  fails(broken, "does not match");
  broken = good;
  broken["objects"][indicator]["created"] = "2026-12-07T10:00:00Z";  // no milliseconds
  fails(broken, "created");
  broken = good;
  broken["objects"][indicator]["valid_until"] = "2000-01-01T00:00:00.000Z";
  fails(broken, "valid_until is not later than valid_from");
  broken = good;
  broken["objects"][indicator]["type"] = "indicatorr";
  fails(broken, "no schema for type");
}

TEST(StixExport, RefusesANowThatIsNoTime) {
  StixWriteOptions options = StixOptions();
  options.now = "2026-12-07";
  EXPECT_FALSE(WriteStixBundle({HandMadeGreen()}, options));
}

// ---------------------------------------------------------------------------------------------
// Block lists

TEST(BlockListExport, PlainListsHoldEachSafeValueOnce) {
  std::vector<IntelEvent> events = {HandMadeGreen(), HandMadeStrict(), HostileValues(),
                                    HandMadeStrict()};
  const ExportOutput addresses = WritePlainBlockList(events, BlockListKind::kAddresses);
  EXPECT_EQ(addresses.content,
            "192.0.2.1\n2001:db8::1\n198.51.100.0/24\n2001:db8:1::/48\n203.0.113.5\n"
            "198.51.100.77\n");
  EXPECT_EQ(addresses.written, 6u);
  EXPECT_EQ(addresses.left_out.size(), 2u);  // "192.0.2.1; drop" and 0.0.0.0/0
  const ExportOutput domains = WritePlainBlockList(events, BlockListKind::kDomains);
  EXPECT_EQ(domains.content,
            "evil.example\nwww.bad.example\nc2.intrusion.example\n_dmarc.fine.example\n");
  EXPECT_EQ(domains.left_out.size(), 6u);
}

TEST(BlockListExport, CsvReadsBackCellForCell) {
  const ExportOutput csv = WriteCsvList({HandMadeGreen(), HostileValues()});
  std::istringstream input(csv.content);
  CsvReader reader(input);
  CsvRecord record;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(&record)) {
    EXPECT_FALSE(record.problem) << *record.problem;
    rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"kind", "value", "tlp", "valid_until", "event"}));
  // Every detectable value of the first event, then the hostile event's TLD, /0 and _dmarc.
  EXPECT_EQ(rows.size(), 1 + (HandMadeGreen().indicators.size() - 2) + 3);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"ip", "192.0.2.1", "GREEN", "2027-01-31T00:00:00Z",
                                               HandMadeGreen().title}));
  EXPECT_EQ(rows[3][2], "AMBER+STRICT");
  EXPECT_EQ(csv.written, rows.size() - 1);
}

TEST(BlockListExport, RpzZonePassesNamedCheckzone) {
  RpzOptions options;
  options.origin = "rpz.baken.local.";
  options.serial = 2026120701;
  auto zone = WriteRpzZone({HandMadeGreen(), HandMadeStrict(), HostileValues()}, options);
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_THAT(zone->content, HasSubstr("\nevil.example.rpz.baken.local. CNAME .\n"));
  EXPECT_THAT(zone->content, HasSubstr("\n*.evil.example.rpz.baken.local. CNAME .\n"));
  // A host is that name only.
  EXPECT_THAT(zone->content, HasSubstr("\nwww.bad.example.rpz.baken.local. CNAME .\n"));
  EXPECT_THAT(zone->content, Not(HasSubstr("*.www.bad.example")));
  EXPECT_THAT(zone->content, HasSubstr(" 2026120701 "));
  EXPECT_EQ(zone->written, 4u);
  EXPECT_EQ(zone->left_out.size(), 6u);
  // Nothing hostile got in: every line is a comment, $TTL, or a record of the zone.
  const std::regex record(
      R"(^(;.*|\$TTL [0-9]+|rpz\.baken\.local\. IN (SOA|NS) .*|(\*\.)?[a-z0-9_.-]+\.rpz\.baken\.local\. CNAME \.)$)");
  std::istringstream lines(zone->content);
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, record)) << line;
    ++count;
  }
  EXPECT_EQ(count, 4u + 4 + 3);  // comment, $TTL, SOA, NS; four names; three of them domains
  const auto file = Temp().Write("rpz.zone", zone->content);
  std::string errors;
  EXPECT_EQ(RunCommand("named-checkzone rpz.baken.local. " + file.string(), &errors), 0) << errors;
}

TEST(BlockListExport, RpzLeavesOutWhatDoesNotFitAndBindRefusesBrokenZones) {
  IntelEvent event;
  event.title = "Long names";
  event.tlp = "CLEAR";
  // 240 characters: a host name, but too long below the origin.
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(59, static_cast<char>('a' + i)) + ".";
  long_name += "example";
  ASSERT_TRUE(CanonicalValue("domain", long_name)) << long_name.size();
  event.indicators.push_back(Make("domain", long_name, "CLEAR"));
  event.indicators.push_back(Make("domain", "fits.example", "CLEAR"));
  RpzOptions options;
  options.origin = "rpz.baken.local.";
  auto zone = WriteRpzZone({event}, options);
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->written, 1u);
  ASSERT_EQ(zone->left_out.size(), 1u);
  EXPECT_THAT(zone->left_out[0], HasSubstr("too long"));
  std::string errors;
  EXPECT_EQ(RunCommand("named-checkzone rpz.baken.local. " +
                           Temp().Write("long.zone", zone->content).string(),
                       &errors),
            0)
      << errors;
  // The check can fail: a CNAME beside other data at one name, and a stray line.
  EXPECT_NE(RunCommand("named-checkzone rpz.baken.local. " +
                           Temp()
                               .Write("broken.zone",
                                      zone->content + "fits.example.rpz.baken.local. A 192.0.2.1\n")
                               .string(),
                       &errors),
            0);
  EXPECT_NE(
      RunCommand("named-checkzone rpz.baken.local. " +
                     Temp().Write("broken2.zone", zone->content + "evil\"name CNAME\n").string(),
                 &errors),
      0);
}

TEST(BlockListExport, RpzRefusesAnOriginThatIsNoName) {
  RpzOptions options;
  options.origin = "rpz.baken.local";  // not absolute
  EXPECT_FALSE(WriteRpzZone({}, options));
  options.origin = "rpz baken.local.";
  EXPECT_FALSE(WriteRpzZone({}, options));
}

// The options of one Suricata rule, read the way Suricata's parser reads them: `name:value;`
// or `name;`, a quoted value with \" \; \\ escapes. Empty when the rule is not of that shape.
std::vector<std::pair<std::string, std::string>> RuleOptions(const std::string& rule,
                                                             std::string* header) {
  const size_t open = rule.find(" (");
  if (open == std::string::npos || rule.back() != ')') return {};
  *header = rule.substr(0, open);
  const std::string body = rule.substr(open + 2, rule.size() - open - 3);
  std::vector<std::pair<std::string, std::string>> options;
  size_t at = 0;
  while (at < body.size()) {
    while (at < body.size() && body[at] == ' ') ++at;
    if (at >= body.size()) break;
    std::string name;
    while (at < body.size() && body[at] != ':' && body[at] != ';') name += body[at++];
    std::string value;
    if (at < body.size() && body[at] == ':') {
      ++at;
      if (at < body.size() && body[at] == '"') {
        ++at;
        while (at < body.size() && body[at] != '"') {
          if (body[at] == '\\') {
            if (at + 1 >= body.size() ||
                std::string_view("\";\\").find(body[at + 1]) == std::string_view::npos) {
              return {};  // an escape Suricata does not know
            }
            ++at;
          } else if (body[at] == ';') {
            return {};  // an unescaped ';' inside quotes ends the option in Suricata
          }
          value += body[at++];
        }
        if (at >= body.size()) return {};
        ++at;
      } else {
        while (at < body.size() && body[at] != ';') value += body[at++];
      }
    }
    if (at >= body.size() || body[at] != ';') return {};
    ++at;
    options.emplace_back(name, value);
  }
  return options;
}

TEST(BlockListExport, SuricataRulesHaveOneOptionListEachAndUniqueSids) {
  SuricataOptions options;
  options.sid_base = 9'200'000;
  options.rev = 3;
  auto rules = WriteSuricataRules({HandMadeGreen(), HandMadeStrict(), HostileValues()}, options);
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->written, 10u);  // six addresses, four names
  EXPECT_EQ(rules->left_out.size(), 8u);
  std::istringstream lines(rules->content);
  std::string line;
  std::set<uint64_t> sids;
  size_t count = 0;
  const std::set<std::string> known = {"msg",    "sid",       "rev",      "dns.query", "content",
                                       "nocase", "dotprefix", "endswith", "startswith"};
  while (std::getline(lines, line)) {
    if (line.starts_with("#")) continue;
    ++count;
    std::string header;
    const auto parsed = RuleOptions(line, &header);
    ASSERT_FALSE(parsed.empty()) << line;
    std::map<std::string, std::string> by_name;
    for (const auto& [name, value] : parsed) {
      EXPECT_TRUE(known.contains(name)) << name << " in " << line;
      EXPECT_FALSE(by_name.contains(name) && name != "content") << line;
      by_name[name] = value;
    }
    EXPECT_THAT(by_name["msg"], HasSubstr("Baken intel TLP:"));
    EXPECT_EQ(by_name["rev"], "3");
    const uint64_t sid = std::stoull(by_name["sid"]);
    EXPECT_TRUE(sids.insert(sid).second) << line;
    if (header.starts_with("alert ip ")) {
      const std::regex ip_header(R"(^alert ip any any <> ([0-9a-f.:/]+) any$)");
      std::smatch match;
      ASSERT_TRUE(std::regex_match(header, match, ip_header)) << header;
      const std::string address = match[1];
      EXPECT_TRUE(CanonicalValue(address.find('/') == std::string::npos ? "ip" : "cidr", address))
          << address;
      EXPECT_EQ(parsed.size(), 3u) << line;
    } else {
      EXPECT_EQ(header, "alert dns any any -> any any");
      EXPECT_TRUE(by_name.contains("dns.query")) << line;
      EXPECT_TRUE(by_name.contains("nocase")) << line;
      EXPECT_TRUE(std::regex_match(by_name["content"], std::regex(R"(^\.?[a-z0-9_.-]+$)"))) << line;
      // A domain matches itself and what is under it; a host itself only.
      EXPECT_EQ(by_name.contains("dotprefix"), by_name["content"].starts_with(".")) << line;
      EXPECT_TRUE(by_name.contains("endswith")) << line;
    }
  }
  EXPECT_EQ(count, 10u);
  EXPECT_EQ(*sids.begin(), 9'200'000u);
  EXPECT_EQ(*sids.rbegin(), 9'200'009u);
  // The hostile title stays inside its message, escaped.
  EXPECT_THAT(
      rules->content,
      HasSubstr("msg:\"Baken intel TLP:CLEAR Hostile \\\"\\; sid:1\\; rev:1\\;) alert ip any "
                "any -> any any (msg:\\\"x IN A 1.2.3.4 (domain _dmarc.fine.example)\""));
  EXPECT_THAT(rules->content,
              HasSubstr("dns.query; dotprefix; content:\".evil.example\"; nocase; endswith;"));
  EXPECT_THAT(rules->content, HasSubstr("alert ip any any <> 2001:db8:1::/48 any"));
}

TEST(BlockListExport, TheSuricataCheckCanFail) {
  std::string header;
  EXPECT_TRUE(
      RuleOptions("alert ip any any <> 192.0.2.1 any (msg:\"x\"; sid:1; rev:1;)", &header).size() ==
      3);
  EXPECT_TRUE(
      RuleOptions("alert ip any any <> 192.0.2.1 any (msg:\"x\"; sid:1; rev:1)", &header).empty());
  EXPECT_TRUE(RuleOptions("alert ip any any <> 192.0.2.1 any (msg:\"a;b\"; sid:1; rev:1;)", &header)
                  .empty());
  EXPECT_TRUE(
      RuleOptions("alert ip any any <> 192.0.2.1 any (msg:\"a\\nb\"; sid:1; rev:1;)", &header)
          .empty());
}

TEST(BlockListExport, SuricataRefusesSidsThatOverflow) {
  SuricataOptions options;
  options.sid_base = 4'294'967'290u;
  EXPECT_FALSE(WriteSuricataRules({HandMadeGreen()}, options));
  options.sid_base = 0;
  EXPECT_FALSE(WriteSuricataRules({HandMadeGreen()}, options));
}

}  // namespace
}  // namespace baken::intel
