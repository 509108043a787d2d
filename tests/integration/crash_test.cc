// Crash safety of ingest and notify: `baken` is killed with SIGKILL at random moments, many
// times, and then allowed to finish. Afterwards every event is stored exactly once, every
// routed event went out in exactly one message per language group, and no message reached the
// SMTP server twice (docs/decisions/0005-notifications.md).

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notify/test_mail.h"
#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::microseconds;

constexpr int kRowsPerFile = 1000;
constexpr int kKillsPerPhase = 12;
// Twenty reports, so that notify has sixty messages to send and a kill lands amid the work.
const std::pair<const char*, const char*> kReports[] = {
    {"scan_activemq", "Accessible-ActiveMQ"}, {"scan_adb", "Accessible-ADB"},
    {"scan_afp", "Accessible-AFP"},           {"scan_amqp", "Accessible-AMQP"},
    {"scan_ard", "Accessible-ARD"},           {"scan_bgp", "Open-BGP"},
    {"scan_chargen", "Open-Chargen"},         {"scan_coap", "Accessible-CoAP"},
    {"scan_couchdb", "Accessible-CouchDB"},   {"scan_cwmp", "Accessible-CWMP"},
    {"scan_docker", "Accessible-Docker"},     {"scan_elasticsearch", "Open-Elasticsearch"},
    {"scan_ftp", "Accessible-FTP"},           {"scan_hadoop", "Accessible-Hadoop"},
    {"scan_http", "Accessible-HTTP"},         {"scan_dns", "DNS-Open-Resolvers"},
    {"scan_rdp", "Accessible-RDP"},           {"scan_smb", "Accessible-SMB"},
    {"scan_telnet", "Accessible-Telnet"},     {"scan_vnc", "Accessible-VNC"}};
constexpr size_t kReportCount = sizeof kReports / sizeof kReports[0];
// tests/data/feeds/notify_members.json owns the first three; the last is nobody's.
const char* const kNetworks[] = {"192.0.2.", "198.51.100.", "203.0.113.", "172.16.0."};

class CrashTest : public ::testing::Test {
 protected:
  CommandResult Baken(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", database_.location()});
    return RunBaken(args, "", 300);
  }
  Json BakenJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    const auto result = Baken(args);
    EXPECT_LE(result.exit_code, 1) << result.err;
    return Json::parse(result.out, nullptr, false);
  }
  std::vector<std::string> WithDb(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", database_.location()});
    return args;
  }
  // Kills `args` at random moments within `span` until it was killed `kills` times.
  int KillRepeatedly(const std::vector<std::string>& args, microseconds span, int kills) {
    std::uniform_int_distribution<int64_t> pick(0, span.count());
    int killed = 0;
    for (int attempt = 0; attempt < kills * 4 && killed < kills; ++attempt) {
      int exit_code = 0;
      if (RunBakenAndKill(WithDb(args), microseconds(pick(random_)), &exit_code)) ++killed;
    }
    return killed;
  }
  microseconds Timed(const std::vector<std::string>& args) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = Baken(args);
    EXPECT_LE(result.exit_code, 1) << result.err;
    return std::chrono::duration_cast<microseconds>(std::chrono::steady_clock::now() - start);
  }

  TempDir dir_;
  store::testing::TestDatabase database_;
  std::mt19937_64 random_{std::random_device{}()};
};

TEST_F(CrashTest, KilledIngestAndNotifyStoreEveryEventOnceAndSendEveryMessageOnce) {
  SmtpServerOptions smtp_options;
  smtp_options.timeout_seconds = 600;
  // A slow server makes the SMTP exchange the longest part of a notify run, so that many kills
  // land while a message is being taken, the moment that decides "sent once or twice".
  smtp_options.reply_delay_ms = 60;
  SmtpServer smtp(smtp_options);
  ASSERT_TRUE(smtp.running()) << smtp.error();
  ASSERT_EQ(
      Baken({"member", "import", (SourceDir() / "tests/data/feeds/notify_members.json").string()})
          .exit_code,
      0);

  // Every row a distinct system and port, so every row is a distinct event.
  std::vector<std::string> ingest = {"ingest"};
  std::set<std::string> expected;  // "feed|ip|port" of every event
  for (const auto& [report, feed_name] : kReports) {
    const std::string path = dir_.File(fmt::format("2026-11-22-{}-crash.csv", report));
    std::ofstream file(path);
    file << "timestamp,ip,port\n";
    for (int i = 0; i < kRowsPerFile; ++i) {
      const std::string ip = fmt::format("{}{}", kNetworks[i % 4], 1 + (i / 4) % 250);
      const int port = 1000 + i / 1000;  // distinct (ip, port) for every row of a file
      file << fmt::format("2026-11-22 03:{:02}:{:02},{},{}\n", i / 60 % 60, i % 60, ip, port);
      expected.insert(fmt::format("{}|{}|{}", feed_name, ip, port));
    }
    ingest.push_back(path);
  }
  ASSERT_EQ(expected.size(), kReportCount * kRowsPerFile);

  // Ingest, killed at random points of a run (measured with a dry run, which does the same
  // work and rolls back), then run to the end.
  const microseconds ingest_time = Timed([&] {
    auto dry = ingest;
    dry.push_back("--dry-run");
    return dry;
  }());
  EXPECT_EQ(KillRepeatedly(ingest, ingest_time + ingest_time / 4, kKillsPerPhase), kKillsPerPhase);
  const Json finished = BakenJson(ingest);
  EXPECT_EQ(finished["rejected"], 0);

  // Notify: first killed while it turns digests into messages (timed by a dry run, which does
  // that work and rolls back), then while it delivers them: after the server has taken a
  // random number more messages, plus a random part of the time one message takes, so that
  // kills land both between messages and while the server holds a message before its "250".
  const std::vector<std::string> notify = {"notify", "--smtp", smtp.url(), "--retry-seconds", "0"};
  const microseconds planning = Timed({"notify", "--dry-run"});
  std::uniform_int_distribution<int64_t> while_planning(0, planning.count());
  int notify_kills = 0;
  for (int attempt = 0;
       attempt < kKillsPerPhase && notify_kills < kKillsPerPhase / 3 && smtp.ReceivedCount() == 0;
       ++attempt) {
    // At a random moment of planning, and at the latest when the first message arrives.
    const auto start = std::chrono::steady_clock::now();
    const microseconds at(while_planning(random_));
    int exit_code = 0;
    notify_kills += RunBakenAndKillWhen(
        WithDb(notify),
        [&] { return std::chrono::steady_clock::now() - start >= at || smtp.ReceivedCount() > 0; },
        microseconds(0), &exit_code);
  }
  std::cout << "[crash test] planning took " << planning.count() / 1000 << " ms; " << notify_kills
            << " kills while planning\n";
  std::uniform_int_distribution<size_t> more(1, 3);
  std::uniform_int_distribution<int64_t> within(0, 90'000);
  for (int attempt = 0; attempt < kKillsPerPhase * 4 && notify_kills < kKillsPerPhase; ++attempt) {
    const size_t target = smtp.ReceivedCount() + more(random_);
    int exit_code = 0;
    notify_kills += RunBakenAndKillWhen(
        WithDb(notify), [&] { return smtp.ReceivedCount() >= target; },
        microseconds(within(random_)), &exit_code);
  }
  std::cout << "[crash test] " << notify_kills << " notify kills, " << smtp.ReceivedCount()
            << " messages received before the final runs\n";
  EXPECT_EQ(notify_kills, kKillsPerPhase);
  for (int run = 0; run < 3; ++run) Baken(notify);

  // A kill between committing "sending" and the server taking the end of the message leaves
  // it "unknown" whether or not it arrived. An analyst resolves each as the design asks
  // (docs/decisions/0005): confirm the ones that arrived, resend the ones that did not; one
  // more run then delivers those. Without this step a message killed before the server took
  // it would be missing below, by design (at most once).
  int unknown = 0;
  {
    std::map<std::string, int> arrived;  // Message-ID -> times received
    for (const auto& mail : smtp.Received()) {
      ++arrived[notify::testing::ParseMail(mail.data).top.headers.at("message-id")];
    }
    const Json listed = BakenJson({"outbox", "list", "--limit", "1000"});
    for (const Json& message : listed["messages"]) {
      if (message["state"] != "unknown") continue;
      ++unknown;
      const std::string id = "<" + message["message_id"].get<std::string>() + ">";
      const std::string row = std::to_string(message["id"].get<int64_t>());
      Baken({"outbox", arrived.count(id) ? "confirm" : "resend", row});
    }
    Baken(notify);
  }

  // Every event stored exactly once: the list has each expected event once, and a further
  // ingest finds only duplicates.
  const Json events = BakenJson({"events", "list"})["events"];
  std::multiset<std::string> stored;
  std::map<std::string, std::string> member_of;  // "feed|ip|port" -> member
  for (const Json& event : events) {
    const std::string key =
        fmt::format("{}|{}|{}", event["feed.name"].get<std::string>(),
                    event["source.ip"].get<std::string>(), event["source.port"].get<int>());
    stored.insert(key);
    member_of[key] =
        event["baken.member"].is_null() ? "" : event["baken.member"].get<std::string>();
  }
  EXPECT_EQ(stored.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()), expected);
  const Json again = BakenJson(ingest);
  EXPECT_EQ(again["duplicates"], kReportCount * kRowsPerFile);
  EXPECT_EQ(again["routed"], 0);

  // Every message in a final state; none reached the server twice; sent ones exactly once.
  const Json outbox = BakenJson({"outbox", "list", "--limit", "1000"})["messages"];
  std::map<std::string, int> received;  // Message-ID -> times received
  const auto times = [&](const std::string& id) {
    const auto found = received.find(id);
    return found == received.end() ? 0 : found->second;
  };
  std::map<std::string, std::multiset<std::string>> delivered;  // member|language -> events
  for (const auto& mail : smtp.Received()) {
    const auto parsed = notify::testing::ParseMail(mail.data);
    const std::string id = parsed.top.headers.at("message-id");
    ++received[id];
  }
  std::map<std::string, std::string> state_of;
  for (const Json& message : outbox) {
    const std::string state = message["state"];
    const std::string id = "<" + message["message_id"].get<std::string>() + ">";
    state_of[id] = state;
    EXPECT_TRUE(state == "sent" || state == "held")
        << "message " << message["id"] << " ended " << state << ": " << message["reason"];
    if (state == "sent") {
      EXPECT_EQ(times(id), 1) << id;
    }
    if (state == "held") {
      EXPECT_EQ(times(id), 0) << id;
    }
  }
  for (const auto& [id, count] : received) {
    EXPECT_EQ(count, 1) << id << " reached the server " << count << " times";
    EXPECT_TRUE(state_of.count(id)) << id << " is not in the outbox";
  }
  // Each routed event to a member with eligible contacts went out in exactly one message per
  // language: the attachments, together, list each of that member's events once.
  for (const auto& mail : smtp.Received()) {
    const auto parsed = notify::testing::ParseMail(mail.data);
    const std::string language = parsed.top.headers.at("content-language");
    const std::string to = parsed.top.headers.at("to");
    const std::string member = to.find("amsterdam") != std::string::npos ? "GM0363" : "SV0001";
    for (const auto& part : parsed.parts) {
      if (part.headers.count("content-disposition") == 0) continue;
      const std::string csv = notify::testing::DecodeBase64(part.body);
      // Columns: time.source, source.ip, source.port, ..., feed.name (last).
      size_t start = csv.find('\n') + 1;
      while (start < csv.size()) {
        const size_t end = csv.find('\n', start);
        std::string line = csv.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> cells;
        size_t from = 0;
        for (;;) {
          const size_t comma = line.find(',', from);
          cells.push_back(line.substr(from, comma - from));
          if (comma == std::string::npos) break;
          from = comma + 1;
        }
        if (cells.size() > 3) {
          delivered[member + "|" + language].insert(
              fmt::format("{}|{}|{}", cells.back(), cells[1], cells[2]));
        }
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  }
  for (const auto& [group, expected_member] : std::map<std::string, std::string>{
           {"GM0363|nl", "GM0363"}, {"GM0363|en", "GM0363"}, {"SV0001|en", "SV0001"}}) {
    std::multiset<std::string> want;
    for (const auto& [key, member] : member_of) {
      if (member == expected_member) want.insert(key);
    }
    EXPECT_EQ(delivered[group].size(), want.size()) << group;
    EXPECT_TRUE(delivered[group] == want) << group << ": events missing or repeated";
  }
  EXPECT_EQ(delivered.count("GM0599|nl"), 0u);  // no trusted contact: held, never sent
  RecordProperty("unknown_after_kill", unknown);
  std::cout << "[crash test] " << unknown << " of " << outbox.size()
            << " messages ended 'unknown' (killed while the server was taking them), resolved "
               "by confirm or resend\n";
}

}  // namespace
}  // namespace baken::testing
