// A data breach's 72 hours, end to end: the clock of the real `baken` is set by the test
// (BAKEN_TEST_CLOCK, common/time.h), `baken notify` runs against a real SMTP server on loopback,
// and is killed at chosen moments: right after it planned a reminder and before the server had
// it, and at a random point of a later run. Each reminder (24 h and 48 h after awareness, 4 h
// before the deadline, overdue) arrives once, at its moment, to the member's privacy officer and
// CISO and to the coordinator, and never to the member's general contact.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time.h"
#include "incidents/incident_service.h"
#include "notify/test_mail.h"
#include "store/store.h"
#include "support/baken_process.h"
#include "support/cli_test.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

class BreachReminderTest : public CliTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    clock_file_ = dir_.File("clock");
    SetClock(std::chrono::sys_days{std::chrono::year{2026} / 12 / 1});
    ::setenv("BAKEN_TEST_CLOCK", clock_file_.c_str(), 1);
    ASSERT_EQ(
        Baken({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()})
            .exit_code,
        0);
  }
  void TearDown() override { ::unsetenv("BAKEN_TEST_CLOCK"); }

  void SetClock(std::chrono::system_clock::time_point when) {
    std::ofstream(clock_file_, std::ios::trunc) << FormatUtc(when) << "\n";
  }
  std::vector<std::string> Notify() const {
    return {"--db", database_.location(),  "notify",      "--smtp", smtp_.url(), "--retry-seconds",
            "0",    "--message-id-domain", "cert.example"};
  }
  // The breach reminders in the outbox, by state.
  std::map<std::string, int> Reminders(store::Store& store) {
    std::map<std::string, int> states;
    auto tx = store.Begin(store::Access::kRead);
    if (!tx) return states;
    auto messages = (*tx)->Outbox().List(registry::Scope::All(), store::OutboxQuery{});
    if (!messages) return states;
    for (const auto& message : *messages) {
      if (message.incident_id) ++states[std::string(store::Name(message.state))];
    }
    return states;
  }
  int PlannedReminders(store::Store& store) {
    int planned = 0;
    for (const auto& [state, count] : Reminders(store)) planned += count;
    return planned;
  }

  SmtpServer smtp_;
  std::string clock_file_;
  std::mt19937 random_{20261205};
};

TEST_F(BreachReminderTest, EachReminderArrivesOnceAtItsMomentAlsoWhenNotifyIsKilled) {
  const auto aware =
      std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + hours{15} + minutes{30};
  SetClock(aware + hours{1});
  auto store = store::Store::Open(database_.location());
  ASSERT_TRUE(store) << store.error().message;
  int64_t incident = 0;
  {
    incidents::IncidentService service(**store, [&] { return aware + hours{1}; });
    const auth::Principal cert = auth::CommandLineOperator();
    auto created = service.Create(cert, incidents::Json{{"title", "Brief naar verkeerd adres"},
                                                        {"coordinator", "analyst@cert.example.nl"},
                                                        {"members", {"GM0001"}}});
    ASSERT_TRUE(created) << created.error().message;
    incident = (*created)["id"];
    auto breach = service.SaveBreach(cert, incident, "GM0001",
                                     incidents::Json{{"aware_at", FormatUtc(aware)}});
    ASSERT_TRUE(breach) << breach.error().message;
    ASSERT_EQ((*breach)["deadline_at"], "2026-12-07T15:30:00Z");
  }

  // Nothing before the first moment.
  SetClock(aware + hours{24} - minutes{1});
  ASSERT_EQ(RunBaken(Notify()).exit_code, 0);
  EXPECT_EQ(smtp_.ReceivedCount(), 0u);

  int kills_after_planning = 0;
  const std::pair<std::string, std::chrono::system_clock::time_point> moments[] = {
      {"24h", aware + hours{24} + minutes{1}},
      {"48h", aware + hours{48} + minutes{1}},
      {"4h", aware + hours{68} + minutes{1}},
      {"overdue", aware + hours{72} + minutes{1}}};
  for (const auto& [kind, when] : moments) {
    SCOPED_TRACE(kind);
    SetClock(when);
    const size_t received_before = smtp_.ReceivedCount();
    const int planned_before = PlannedReminders(**store);
    // Killed as soon as the reminder is planned: the server has not had it yet.
    int exit_code = 0;
    const bool killed = RunBakenAndKillWhen(
        Notify(), [&] { return PlannedReminders(**store) > planned_before; },
        std::chrono::microseconds(0), &exit_code);
    if (killed && smtp_.ReceivedCount() == received_before &&
        PlannedReminders(**store) > planned_before) {
      ++kills_after_planning;
    }
    // And once more somewhere in a run that delivers.
    std::uniform_int_distribution<int64_t> within(0, 40'000);
    RunBakenAndKill(Notify(), std::chrono::microseconds(within(random_)), &exit_code);
    for (int run = 0; run < 2; ++run) ASSERT_EQ(RunBaken(Notify()).exit_code, 0);
    // A kill between "sending" and the server's answer leaves a message "unknown": an analyst
    // confirms it when it arrived and sends it again when not (decision 0005).
    std::set<std::string> arrived;
    for (const auto& mail : smtp_.Received()) {
      arrived.insert(notify::testing::ParseMail(mail.data).top.headers.at("message-id"));
    }
    const Json listed = BakenJson({"outbox", "list", "--state", "unknown", "--limit", "1000"});
    for (const Json& message : listed["messages"]) {
      const std::string id = "<" + message["message_id"].get<std::string>() + ">";
      Baken({"outbox", arrived.contains(id) ? "confirm" : "resend",
             std::to_string(message["id"].get<int64_t>())});
    }
    ASSERT_EQ(RunBaken(Notify()).exit_code, 0);
    // One message to the member's privacy officer and CISO (both Dutch), one to the
    // coordinator.
    EXPECT_EQ(smtp_.ReceivedCount(), received_before + 2);
    // Running again at the same moment sends nothing more.
    ASSERT_EQ(RunBaken(Notify()).exit_code, 0);
    EXPECT_EQ(smtp_.ReceivedCount(), received_before + 2);
  }
  EXPECT_GE(kills_after_planning, 1) << "no kill landed between planning and delivery";

  std::map<std::string, int> times;  // Message-ID -> times received
  std::map<std::string, std::set<std::string>> recipients;
  std::map<std::string, std::string> subjects;
  for (const auto& mail : smtp_.Received()) {
    const auto parsed = notify::testing::ParseMail(mail.data);
    const std::string id = parsed.top.headers.at("message-id");
    ++times[id];
    recipients[id].insert(mail.rcpt_tos.begin(), mail.rcpt_tos.end());
    subjects[id] = parsed.top.headers.at("subject");
  }
  ASSERT_EQ(times.size(), 8u);
  for (const auto& [id, count] : times) EXPECT_EQ(count, 1) << id;
  const auto participation_of = [](const std::string& id) {
    return id.substr(0, id.find('-', id.find('-') + 1));
  };
  for (const std::string kind : {"24h", "48h", "4h", "overdue"}) {
    const std::string prefix = participation_of(times.begin()->first);
    const std::string member_id = fmt::format("{}-{}.nl@cert.example>", prefix, kind);
    const std::string cert_id = fmt::format("{}-{}.cert@cert.example>", prefix, kind);
    ASSERT_TRUE(times.contains(member_id)) << member_id;
    ASSERT_TRUE(times.contains(cert_id)) << cert_id;
    EXPECT_EQ(recipients[member_id],
              (std::set<std::string>{"privacy@aa.example.nl", "trusted@aa.example.nl"}));
    EXPECT_EQ(recipients[cert_id], std::set<std::string>{"analyst@cert.example.nl"});
  }
  // Subjects are encoded words when not plain ASCII; these are plain.
  const std::string prefix = participation_of(times.begin()->first);
  EXPECT_EQ(
      subjects[prefix + "-24h.nl@cert.example>"],
      fmt::format("Datalek: nog 48 uur tot de meldtermijn van de AP (incident {})", incident));
  EXPECT_EQ(subjects[prefix + "-4h.nl@cert.example>"],
            fmt::format("Datalek: nog 4 uur tot de meldtermijn van de AP (incident {})", incident));
  EXPECT_EQ(subjects[prefix + "-overdue.nl@cert.example>"],
            fmt::format("Datalek: de termijn van 72 uur voor de AP is verstreken (incident {})",
                        incident));

  // Once the AP is notified, no more reminders: a day later nothing new goes out.
  {
    incidents::IncidentService service(**store, [&] { return aware + hours{73}; });
    ASSERT_TRUE(service.SaveBreach(auth::CommandLineOperator(), incident, "GM0001",
                                   incidents::Json{{"ap_decision", "no_notify"},
                                                   {"ap_reason", "geen risico voor betrokkenen"}}));
  }
  SetClock(aware + hours{96});
  ASSERT_EQ(RunBaken(Notify()).exit_code, 0);
  EXPECT_EQ(smtp_.ReceivedCount(), 8u);
}

}  // namespace
}  // namespace baken::testing
