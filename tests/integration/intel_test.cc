// Threat intelligence over real HTTP to a real `baken serve` (decision 0023): an analyst takes
// in a list and a member's system on it becomes that member's finding; members share events of
// their own, read what TLP and distribution give them, and add only to their own; anonymous
// callers get nothing; a member's sighting warns the others by e-mail (a real SMTP server on
// loopback) without naming it, and an AMBER+STRICT indicator from outside reaches nothing
// another member can read.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "intel/misp_reader.h"
#include "intel/stix_reader.h"
#include "notify/test_mail.h"
#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/cli_test.h"
#include "support/file_server.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
};

class IntelHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Bee (GM0002) holds 198.51.100.0/24 and bee.example.nl.
    Cli({"member", "import", (SourceDir() / "tests/data/intel/members.json").string()});
    tokens_["analyst"] = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    tokens_["aa"] = AddUserWithToken("trusted@aa.example.nl", "member", "GM0001");
    tokens_["bee"] = AddUserWithToken("trusted@bee.example.nl", "member", "GM0002");
    tokens_["anonymous"] = "";
    server_ = std::make_unique<BakenServer>(database_.location());
    ASSERT_TRUE(server_->running()) << "baken serve did not start";
  }

  std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", database_.location()};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunBaken(full, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string AddUserWithToken(const std::string& email, const std::string& role,
                               const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, "correct horse battery staple\n");
    return Json::parse(Cli({"--json", "token", "create", "--email", email}))["token"];
  }

  // A client of the test's server, with its timeouts.
  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    return client;
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& who,
             const std::string& body = "", const std::string& type = "application/json") {
    httplib::Client client = Client();
    httplib::Headers headers;
    const std::string& token = tokens_.at(who);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Result result = method == "GET"      ? client.Get(path, headers)
                             : method == "DELETE" ? client.Delete(path, headers)
                                                  : client.Post(path, headers, body, type);
    Reply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }
  Json Ok(const std::string& method, const std::string& path, const std::string& who,
          const std::string& body = "", const std::string& type = "application/json") {
    Reply reply = Call(method, path, who, body, type);
    EXPECT_TRUE(reply.status == 200 || reply.status == 201)
        << method << " " << path << " as " << who << ": " << reply.status << " "
        << reply.body.dump();
    return reply.body;
  }

  // The mails `baken notify` sends now, each as its recipients and plain text.
  std::vector<std::pair<std::vector<std::string>, std::string>> Notify() {
    EXPECT_TRUE(smtp_.running()) << smtp_.error();
    const size_t before = smtp_.Received().size();
    Cli({"--json", "notify", "--smtp", smtp_.url(), "--retry-seconds", "0"});
    std::vector<std::pair<std::vector<std::string>, std::string>> mails;
    const auto received = smtp_.Received();
    for (size_t i = before; i < received.size(); ++i) {
      mails.emplace_back(received[i].rcpt_tos, notify::testing::PlainText(received[i].data));
    }
    return mails;
  }

  TempDir dir_;
  SmtpServer smtp_;
  store::testing::TestDatabase database_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<BakenServer> server_;
};

TEST_F(IntelHttpTest, AnAddressInAMembersRangeBecomesItsFindingAndNoOneElsesEvent) {
  const Json taken =
      Ok("POST",
         "/api/v1/intel/imports?format=list&tlp=AMBER&distribution=members"
         "&name=c2.txt",
         "analyst", "198.51.100.23\t# C2 seen by a partner\n203.0.113.8\n", "text/plain");
  EXPECT_EQ(taken["indicators"], 2);
  EXPECT_EQ(taken["findings"], 1);
  const int64_t event = taken["events"][0]["id"];

  // Bee's own system is Bee's finding, in its findings list like a feed's.
  const Json bee_findings = Ok("GET", "/api/v1/events?feed=threat-intel", "bee");
  ASSERT_EQ(bee_findings["events"].size(), 1u) << bee_findings.dump();
  const std::string finding = bee_findings["events"][0].dump();
  EXPECT_NE(finding.find("198.51.100.23"), std::string::npos) << finding;
  EXPECT_EQ(finding.find("203.0.113.8"), std::string::npos) << finding;
  EXPECT_TRUE(Ok("GET", "/api/v1/events?feed=threat-intel", "aa")["events"].empty());
  // The AMBER event itself names no one: no member reads it.
  EXPECT_EQ(Call("GET", "/api/v1/intel/events/" + std::to_string(event), "bee").status, 404);
  EXPECT_TRUE(Ok("GET", "/api/v1/intel/events", "aa")["events"].empty());
  EXPECT_EQ(Ok("GET", "/api/v1/intel/events", "analyst")["events"].size(), 1u);
  // Only analysts take in.
  EXPECT_EQ(
      Call("POST", "/api/v1/intel/imports?format=list&tlp=GREEN", "aa", "192.0.2.1\n", "text/plain")
          .status,
      403);
  EXPECT_EQ(Call("GET", "/api/v1/intel/events", "anonymous").status, 401);
  // A list without its TLP is refused with the translation table's code.
  const Reply no_tlp =
      Call("POST", "/api/v1/intel/imports?format=list", "analyst", "192.0.2.1\n", "text/plain");
  EXPECT_EQ(no_tlp.status, 400);
  EXPECT_EQ(no_tlp.body["code"], "intel.list_tlp_missing") << no_tlp.body.dump();
}

// An indicator against the stored feed events: a sinkhole saw Bee's system talk to a C2
// address; the indicator for that address finds the event, for analysts and for Bee, whose
// finding it is, and for no other member, who may read the indicator but not Bee's finding.
TEST_F(IntelHttpTest, AnIndicatorFindsTheFeedEventsThatNameItInTheReadersScope) {
  const std::string feed = dir_.File("sinkhole.json");
  std::ofstream(feed) << R"({"feed.name": "sinkhole", "classification.type": "infected-system", )"
                      << R"("source.ip": "198.51.100.23", "destination.ip": "203.0.113.50", )"
                      << R"("time.source": "2026-12-06T08:00:00+00:00"})"
                      << "\n"
                      << R"({"feed.name": "sinkhole", "classification.type": "infected-system", )"
                      << R"("source.ip": "198.51.100.24", "destination.ip": "203.0.113.51", )"
                      << R"("time.source": "2026-12-06T08:00:00+00:00"})"
                      << "\n";
  Cli({"ingest", feed, "--feed", "intelmq"});
  const Json taken = Ok("POST",
                        "/api/v1/intel/imports?format=list&tlp=GREEN&distribution=members"
                        "&name=c2.txt",
                        "analyst", "203.0.113.50\n192.0.2.99\n", "text/plain");
  const int64_t event = taken["events"][0]["id"];
  const Json indicators = Ok("GET", fmt::format("/api/v1/intel/events/{}", event), "analyst");
  int64_t c2 = 0;
  for (const Json& indicator : indicators["indicators"]) {
    if (indicator["value"] == "203.0.113.50") c2 = indicator["id"];
  }
  ASSERT_NE(c2, 0) << indicators.dump();

  const Json analyst =
      Ok("GET", fmt::format("/api/v1/intel/indicators/{}/feed-events", c2), "analyst");
  ASSERT_EQ(analyst["matches"].size(), 1u) << analyst.dump();
  EXPECT_EQ(analyst["matches"][0]["field"], "destination.ip");
  EXPECT_EQ(analyst["matches"][0]["member"], "GM0002");
  EXPECT_EQ(analyst["matches"][0]["feed"], "sinkhole");
  EXPECT_EQ(analyst["events_read"], 2);
  EXPECT_FALSE(analyst["truncated"]);
  const Json whole =
      Ok("GET", fmt::format("/api/v1/intel/events/{}/feed-events?days=7", event), "analyst");
  EXPECT_EQ(whole["matches"].size(), 1u) << whole.dump();

  const Json bee = Ok("GET", fmt::format("/api/v1/intel/indicators/{}/feed-events", c2), "bee");
  ASSERT_EQ(bee["matches"].size(), 1u) << bee.dump();
  const Json aa = Ok("GET", fmt::format("/api/v1/intel/indicators/{}/feed-events", c2), "aa");
  EXPECT_TRUE(aa["matches"].empty()) << aa.dump();
  EXPECT_EQ(aa["events_read"], 0);  // Aa's scope holds none of Bee's findings
  EXPECT_EQ(
      Call("GET", fmt::format("/api/v1/intel/indicators/{}/feed-events?days=0", c2), "aa").status,
      400);
  EXPECT_EQ(Call("GET", "/api/v1/intel/indicators/999999/feed-events", "aa").status, 404);
}

// Analysts follow a MISP feed over the API; the intel_sync job takes it in; members may not.
TEST_F(IntelHttpTest, AnalystsFollowAFeedThatTheNextSyncTakesIn) {
  FileServer feed;
  const std::filesystem::path folder =
      SourceDir() / "tests/data/cti/misp-feed/crowdsec-alerts-feed";
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(file.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    feed.Serve("/misp/" + file.path().filename().string(), text.str());
  }
  EXPECT_EQ(
      Call("POST", "/api/v1/intel/followed", "aa", Json{{"url", feed.Url("/misp/")}}.dump()).status,
      403);
  const Reply plain = Call("POST", "/api/v1/intel/followed", "analyst",
                           Json{{"url", "http://feeds.example.org/misp/"}}.dump());
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(plain.body["code"], "intel.feed_url_plain") << plain.body.dump();
  const Reply unknown = Call("POST", "/api/v1/intel/followed", "analyst",
                             Json{{"url", feed.Url("/misp/")}, {"distribution", "world"}}.dump());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["code"], "intel.distribution_unknown") << unknown.body.dump();

  const Json added = Ok("POST", "/api/v1/intel/followed", "analyst",
                        Json{{"url", feed.Url("/misp/manifest.json")},
                             {"distribution", "named"},
                             {"named", {"GM0001"}}}
                            .dump());
  EXPECT_EQ(added["url"], feed.Url("/misp/"));
  EXPECT_TRUE(added["last_run_at"].is_null());
  EXPECT_TRUE(feed.TakeRequests().empty());  // nothing is fetched until the job runs
  Cli({"job", "run", "intel_sync"});
  const Json listed = Ok("GET", "/api/v1/intel/followed", "analyst");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["events"], 3);
  EXPECT_FALSE(listed[0]["last_run_at"].is_null());
  // Named for Aa at the feed's TLP (none: AMBER): Aa reads the events, Bee none of them.
  EXPECT_EQ(Ok("GET", "/api/v1/intel/events", "aa")["total"], 3);
  EXPECT_EQ(Ok("GET", "/api/v1/intel/events", "bee")["total"], 0);
  EXPECT_EQ(Call("GET", "/api/v1/intel/followed", "bee").status, 403);

  const int64_t id = added["id"];
  EXPECT_EQ(Call("DELETE", fmt::format("/api/v1/intel/followed/{}", id), "bee").status, 403);
  EXPECT_EQ(Ok("DELETE", fmt::format("/api/v1/intel/followed/{}", id), "analyst")["removed"], id);
  EXPECT_TRUE(Ok("GET", "/api/v1/intel/followed", "analyst").empty());
  EXPECT_EQ(Call("DELETE", fmt::format("/api/v1/intel/followed/{}", id), "analyst").status, 404);
  EXPECT_EQ(Ok("GET", "/api/v1/intel/events", "aa")["total"], 3);  // what was taken in stays
}

TEST_F(IntelHttpTest, MembersShareTheirOwnEventsAndAddOnlyToThem) {
  const Json created = Ok("POST", "/api/v1/intel/events", "aa",
                          R"({"title": "Phishing wave", "tlp": "GREEN", "distribution": "members",
                              "indicators": [{"value": "login-aa.example.com"},
                                             {"value": "https://login-aa.example.com/x"}]})");
  const std::string id = std::to_string(created["id"].get<int64_t>());
  const Json read = Ok("GET", "/api/v1/intel/events/" + id, "bee");
  ASSERT_EQ(read["indicators"].size(), 2u) << read.dump();
  EXPECT_EQ(read["indicators"][1]["kind"], "url");
  EXPECT_EQ(Call("POST", "/api/v1/intel/events/" + id + "/indicators", "bee",
                 R"({"indicators": [{"value": "192.0.2.7"}]})")
                .status,
            403);
  const Json added = Ok("POST", "/api/v1/intel/events/" + id + "/indicators", "aa",
                        R"({"indicators": [{"value": "192.0.2.7", "comment": "sender"}]})");
  ASSERT_EQ(added["added"].size(), 1u);
  const Json found = Ok("GET", "/api/v1/intel/indicators?q=192.0.2.7", "bee");
  ASSERT_EQ(found["indicators"].size(), 1u) << found.dump();
  EXPECT_EQ(found["indicators"][0]["comment"], "sender");
  const Reply bad = Call("POST", "/api/v1/intel/events/" + id + "/indicators", "aa",
                         R"({"indicators": [{"value": "not a value at all"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.dump().find("indicators[0].value"), std::string::npos) << bad.body.dump();
  EXPECT_EQ(Call("GET", "/api/v1/intel/indicators?kind=nonsense", "bee").status, 400);
}

TEST_F(IntelHttpTest, ASightingWarnsTheOtherMembersByMailWithoutNamingTheSighter) {
  const Json created = Ok("POST", "/api/v1/intel/events", "analyst",
                          R"({"title": "Phishing kit aimed at municipalities", "tlp": "GREEN",
                              "distribution": "members",
                              "indicators": [{"value": "evil-c2.example.com"}]})");
  const Json event =
      Ok("GET", "/api/v1/intel/events/" + std::to_string(created["id"].get<int64_t>()), "aa");
  const std::string indicator = std::to_string(event["indicators"][0]["id"].get<int64_t>());

  // Aa saw it and does not want to be named: the two other members are to be warned.
  const Json sighted = Ok("POST", "/api/v1/intel/indicators/" + indicator + "/sightings", "aa",
                          R"({"kind": "seen", "count": 3})");
  EXPECT_EQ(sighted["warned"], 2);
  const auto mails = Notify();
  // Bee's trusted contact gets it; Samenwerking Cee has no contact that takes warnings, so its
  // warning is held; Aa, the sighter, gets nothing.
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].first, std::vector<std::string>{"trusted@bee.example.nl"});
  const std::string& text = mails[0].second;
  EXPECT_NE(text.find("evil-c2[.]example[.]com"), std::string::npos) << text;
  EXPECT_NE(text.find("Een andere deelnemer heeft"), std::string::npos) << text;
  for (const char* sighter : {"Aa", "GM0001", "aa.example.nl"}) {
    EXPECT_EQ(text.find(sighter), std::string::npos) << sighter << " named in\n" << text;
  }
  // The weight rose; who saw it is for the analysts.
  const Json seen = Ok("GET", "/api/v1/intel/indicators/" + indicator, "bee");
  EXPECT_EQ(seen["seen"], 3);
  EXPECT_FALSE(seen.contains("sightings"));
  const Json analysts = Ok("GET", "/api/v1/intel/indicators/" + indicator, "analyst");
  ASSERT_EQ(analysts["sightings"].size(), 1u);
  EXPECT_EQ(analysts["sightings"][0]["member"], "GM0001");

  // Bee's log matches: the known value is a sighting (Aa is warned this time, by name since
  // Bee agrees), the unknown one is said.
  const Json logged = Ok("POST", "/api/v1/intel/sightings", "bee",
                         R"({"values": ["EVIL-C2.example.com.", "unknown.example.org"],
                             "named": true})");
  ASSERT_EQ(logged["matched"].size(), 1u) << logged.dump();
  EXPECT_EQ(logged["unknown"], Json::array({"unknown.example.org"}));
  const auto second = Notify();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].first, std::vector<std::string>{"trusted@aa.example.nl"});
  EXPECT_NE(second[0].second.find("Gemeente Bee heeft"), std::string::npos) << second[0].second;
}

TEST_F(IntelHttpTest, AnAmberStrictIndicatorFromOutsideReachesNothingAnotherMemberReads) {
  // A partner's AMBER+STRICT indicator, given to Aa and Bee by name, with an address in Bee's
  // range: without the source's permission it stays inside the CERT.
  const Json taken =
      Ok("POST", "/api/v1/intel/imports?distribution=named&named=GM0001,GM0002&name=strict.json",
         "analyst",
         R"({"type": "bundle", "id": "bundle--5d0c9a5f-0000-4000-8000-000000000001", "objects": [
          {"type": "indicator", "spec_version": "2.1",
           "id": "indicator--5d0c9a5f-0000-4000-8000-000000000002",
           "created": "2026-12-01T00:00:00Z", "modified": "2026-12-01T00:00:00Z",
           "pattern": "[ipv4-addr:value = '198.51.100.77'] ", "pattern_type": "stix",
           "valid_from": "2026-12-01T00:00:00Z",
           "object_marking_refs": ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]}]})");
  EXPECT_EQ(taken["indicators"], 1);
  const std::string event = std::to_string(taken["events"][0]["id"].get<int64_t>());
  const Json as_analyst = Ok("GET", "/api/v1/intel/events/" + event, "analyst");
  ASSERT_EQ(as_analyst["indicators"].size(), 1u);
  const std::string indicator = std::to_string(as_analyst["indicators"][0]["id"].get<int64_t>());
  EXPECT_EQ(as_analyst["indicators"][0]["tlp"], "AMBER+STRICT");

  for (const std::string who : {"aa", "bee"}) {
    EXPECT_EQ(Call("GET", "/api/v1/intel/events/" + event, who).status, 404) << who;
    EXPECT_EQ(Call("GET", "/api/v1/intel/indicators/" + indicator, who).status, 404) << who;
    EXPECT_EQ(Call("POST", "/api/v1/intel/indicators/" + indicator + "/sightings", who,
                   R"({"kind": "seen"})")
                  .status,
              404)
        << who;
    for (const std::string path : {"/api/v1/intel/events", "/api/v1/intel/indicators",
                                   "/api/v1/intel/indicators?q=198.51.100.77"}) {
      const Json listed = Ok("GET", path, who);
      EXPECT_EQ(listed.dump().find("198.51.100.77"), std::string::npos) << who << " " << path;
    }
  }
  // Bee's finding for its own address is held as RED: not in its list until an analyst
  // releases it, and no mail goes out.
  EXPECT_TRUE(Ok("GET", "/api/v1/events?feed=threat-intel", "bee")["events"].empty());
  // Not on Aa's behalf either: Aa may not receive it, so it cannot have seen it.
  const Reply behalf = Call("POST", "/api/v1/intel/indicators/" + indicator + "/sightings",
                            "analyst", R"({"kind": "seen", "member": "GM0001"})");
  EXPECT_EQ(behalf.status, 400);
  EXPECT_EQ(behalf.body["code"], "intel.sighting_not_received") << behalf.body.dump();
  // The CERT's own sighting warns nobody: no member may receive it.
  const Json sighted = Ok("POST", "/api/v1/intel/indicators/" + indicator + "/sightings", "analyst",
                          R"({"kind": "seen"})");
  EXPECT_EQ(sighted["warned"], 0);
  for (const auto& [to, text] : Notify()) {
    EXPECT_EQ(text.find("198.51.100.77"), std::string::npos) << text;
  }
  // Nor is it in any file of Bee's feed.
  const std::string key = Ok("POST", "/api/v1/intel/feeds/key", "bee", "{}")["token"];
  httplib::Client client = Client();
  for (const std::string file :
       {"misp.json", "stix.json", "ip.txt", "indicators.csv", "suricata.rules",
        "misp-feed/manifest.json", "misp-feed/hashes.csv"}) {
    auto served = client.Get("/api/v1/intel/feed/" + key + "/" + file);
    ASSERT_TRUE(served) << file;
    EXPECT_EQ(served->status, 200) << file;
    EXPECT_EQ(served->body.find("198.51.100.77"), std::string::npos) << file << "\n"
                                                                     << served->body;
    // hashes.csv names values by their MD5.
    EXPECT_EQ(served->body.find(Md5Hex("198.51.100.77")), std::string::npos) << file;
  }
}

// A list's name is its file name or a query parameter: any bytes. One that is not UTF-8 is
// repaired when taken in, so that every export and a member's feed keep being served (JSON
// holds UTF-8 only: a stored raw byte made them all fail).
TEST_F(IntelHttpTest, AListNamedInAnotherEncodingIsTakenInAndEveryExportStillServes) {
  const Json taken = Ok("POST",
                        "/api/v1/intel/imports?format=list&tlp=GREEN&distribution=members"
                        "&name=r%E9gion.txt",
                        "analyst", "203.0.113.60\n", "text/plain");
  const int64_t event = taken["events"][0]["id"];
  const Json shown = Ok("GET", fmt::format("/api/v1/intel/events/{}", event), "analyst");
  EXPECT_EQ(shown["title"], "r\xEF\xBF\xBDgion.txt") << shown.dump();
  const std::string key = Ok("POST", "/api/v1/intel/feeds/key", "bee", "{}")["token"];
  httplib::Client client = Client();
  for (const std::string file : {"misp.json", "stix.json", "misp-feed/manifest.json"}) {
    auto served = client.Get("/api/v1/intel/feed/" + key + "/" + file);
    ASSERT_TRUE(served) << file;
    EXPECT_EQ(served->status, 200) << file << "\n" << served->body;
    if (file != "misp-feed/manifest.json") {
      EXPECT_NE(served->body.find("203.0.113.60"), std::string::npos) << file;
    }
  }
}

TEST_F(IntelHttpTest, AMembersFeedKeyServesWhatItMayReceiveConditionallyAndStopsWhenReplaced) {
  // GREEN for all members, for detection; an AMBER one naming only Aa; an expired one.
  Ok("POST", "/api/v1/intel/events", "analyst",
     R"({"title": "Scanners", "tlp": "GREEN", "distribution": "members",
         "indicators": [{"value": "203.0.113.50"}, {"value": "bad-domain.example.com"},
                        {"value": "203.0.113.51", "valid_until": "2020-01-01T00:00:00Z"},
                        {"value": "203.0.113.52", "for_detection": false}]})");
  Ok("POST", "/api/v1/intel/events", "analyst",
     R"({"title": "For Aa", "tlp": "AMBER", "distribution": "named", "named": ["GM0001"],
         "indicators": [{"value": "192.0.2.200"}]})");

  const Json feed = Ok("GET", "/api/v1/intel/feeds", "bee");
  EXPECT_TRUE(feed["token_created_at"].is_null());
  const Json made = Ok("POST", "/api/v1/intel/feeds/key", "bee", "{}");
  const std::string key = made["token"];
  ASSERT_FALSE(key.empty());
  EXPECT_FALSE(Ok("GET", "/api/v1/intel/feeds", "bee")["token_created_at"].is_null());
  // Bee cannot make Aa's key.
  EXPECT_EQ(Call("POST", "/api/v1/intel/feeds/key", "bee", R"({"member": "GM0001"})").status, 403);

  httplib::Client client = Client();
  const std::string base = "/api/v1/intel/feed/" + key + "/";
  auto ips = client.Get(base + "ip.txt");
  ASSERT_TRUE(ips);
  ASSERT_EQ(ips->status, 200) << ips->body;
  EXPECT_EQ(ips->body,
            "203.0.113.50\n");  // not expired, not the AMBER one, not "not for detection"
  // Its own caching only: revalidated with the ETag, not "no-store".
  EXPECT_EQ(ips->get_header_value_count("Cache-Control"), 1u);
  EXPECT_EQ(ips->get_header_value("Cache-Control"), "private, no-cache");
  const std::string etag = ips->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = client.Get(base + "ip.txt", httplib::Headers{{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  // The zone loads in BIND's own checker.
  auto zone = client.Get(base + "rpz.zone");
  ASSERT_TRUE(zone);
  ASSERT_EQ(zone->status, 200);
  EXPECT_NE(zone->body.find("\nbad-domain.example.com.rpz.baken.invalid. CNAME .\n"),
            std::string::npos)
      << zone->body;
  const std::string zone_file = (dir_.path() / "rpz.zone").string();
  std::ofstream(zone_file) << zone->body;
  EXPECT_EQ(std::system(("named-checkzone -q rpz.baken.invalid. " + zone_file).c_str()), 0)
      << zone->body;

  // MISP and STIX read back with Baken's own readers: every value Bee may receive, with its TLP.
  auto misp = client.Get(base + "misp.json");
  ASSERT_TRUE(misp);
  auto misp_events = intel::ReadMispEvents(misp->body);
  ASSERT_TRUE(misp_events) << misp->body;
  std::set<std::string> misp_values;
  for (const auto& event : *misp_events) {
    for (const auto& indicator : event.indicators) {
      misp_values.insert(indicator.value);
      EXPECT_EQ(indicator.tlp, "GREEN");
    }
  }
  EXPECT_EQ(misp_values, (std::set<std::string>{"203.0.113.50", "bad-domain.example.com"}));
  auto stix = client.Get(base + "stix.json");
  ASSERT_TRUE(stix);
  auto stix_events = intel::ReadStixBundle(stix->body);
  ASSERT_TRUE(stix_events) << stix->body;
  std::set<std::string> stix_values;
  for (const auto& event : *stix_events) {
    for (const auto& indicator : event.indicators) stix_values.insert(indicator.value);
  }
  EXPECT_EQ(stix_values, misp_values);
  auto manifest = client.Get(base + "misp-feed/manifest.json");
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->status, 200);
  const Json events = Json::parse(manifest->body);
  ASSERT_EQ(events.size(), 1u);
  auto event_file = client.Get(base + "misp-feed/" + events.begin().key() + ".json");
  ASSERT_TRUE(event_file);
  EXPECT_EQ(event_file->status, 200);

  // Aa's own feed holds its AMBER value too; signed-in downloads give the same.
  auto aa_ips = Call("GET", "/api/v1/intel/exports/indicators.csv", "aa");
  EXPECT_EQ(aa_ips.status, 200);
  // A new key stops the old one; an unknown key or file is nothing.
  Ok("POST", "/api/v1/intel/feeds/key", "bee", "{}");
  auto old = client.Get(base + "ip.txt");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 404);
  auto unknown = client.Get("/api/v1/intel/feed/bkn_nothing/ip.txt");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/intel/exports/passwd", "aa").status, 404);
}

}  // namespace
}  // namespace baken::testing
