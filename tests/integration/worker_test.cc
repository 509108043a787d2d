// Several `baken worker` processes on one database (issue 14's "Done when"; decision 0017):
// three workers take feed files from a spool and deliver their messages to a real SMTP server
// on loopback, while the test kills a random worker with SIGKILL and starts a new one, over and
// over. Afterwards every finding is stored once, no message reached the server twice, every
// "sent" message arrived exactly once, nothing is left pending or leased, and the messages
// whose outcome is unknown (a kill between "sending" and the server's answer) are no more than
// the kills that landed there. Runs on SQLite and, as WorkerTest.*.postgresql, on PostgreSQL.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify/test_mail.h"
#include "service/leases.h"
#include "store/store.h"
#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr int kFiles = 30;
constexpr int kRowsPerFile = 300;
constexpr int kOverlap = 60;  // rows the second file of a report repeats from the first
constexpr int kMinKills = 20;
// Fifteen reports, two files each: every report brings its own digests (and messages), so
// delivery goes on while files still come in.
const char* const kReports[] = {"scan_activemq", "scan_adb",  "scan_afp",     "scan_amqp",
                                "scan_ard",      "scan_bgp",  "scan_chargen", "scan_coap",
                                "scan_couchdb",  "scan_cwmp", "scan_docker",  "scan_ftp",
                                "scan_hadoop",   "scan_rdp",  "scan_vnc"};
// tests/data/feeds/notify_members.json owns the first three; the last is nobody's.
const char* const kNetworks[] = {"192.0.2.", "198.51.100.", "203.0.113.", "172.16.0."};

// A `baken worker` of the test's: killed with the test process if that dies.
struct WorkerProcess {
  pid_t pid = -1;
  std::string id;
};

WorkerProcess StartWorker(const std::vector<std::string>& args, const std::string& id,
                          const fs::path& log) {
  std::vector<std::string> all = {BakenBinary()};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"--id", id});
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null = ::open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(out, 1);
    dup2(out, 2);
    std::vector<char*> argv;
    for (std::string& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return {pid, id};
}

int WaitFor(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// When the test fails: what the workers said (their errors, the units they did not finish),
// for the reader of the failure; their log files go with the test's folder.
class WorkerLogsOnFailure {
 public:
  WorkerLogsOnFailure(fs::path folder, const int& started)
      : folder_(std::move(folder)), started_(started) {}
  WorkerLogsOnFailure(const WorkerLogsOnFailure&) = delete;
  WorkerLogsOnFailure& operator=(const WorkerLogsOnFailure&) = delete;
  ~WorkerLogsOnFailure() {
    if (!::testing::Test::HasFailure()) return;
    for (int n = 1; n <= started_; ++n) {
      std::ifstream log(folder_ / fmt::format("w{}.log", n));
      std::vector<std::string> lines;
      for (std::string line; std::getline(log, line);) {
        if (line.find("\"state\":\"done\"") == std::string::npos) lines.push_back(line);
      }
      std::cout << fmt::format("[worker test] w{}: {} lines besides finished units\n", n,
                               lines.size());
      for (size_t i = lines.size() > 30 ? lines.size() - 30 : 0; i < lines.size(); ++i) {
        std::cout << "  " << lines[i] << "\n";
      }
    }
  }

 private:
  fs::path folder_;
  const int& started_;
};

class WorkerTest : public ::testing::Test {
 protected:
  CommandResult Baken(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", database_.location()});
    return RunBaken(args, "", 120);
  }
  Json BakenJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    const CommandResult result = Baken(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Json::parse(result.out, nullptr, false);
  }
  std::unique_ptr<store::Store> OpenStore() {
    auto opened = store::Store::Open(database_.location());
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  store::testing::TestDatabase database_;
  std::mt19937_64 random_{std::random_device{}()};
};

std::vector<store::WorkItem> ItemsOr(Result<std::vector<store::WorkItem>> items) {
  EXPECT_TRUE(items) << items.error().message;
  return items ? std::move(*items) : std::vector<store::WorkItem>{};
}
std::vector<store::OutboxMessage> MessagesOr(Result<std::vector<store::OutboxMessage>> messages) {
  EXPECT_TRUE(messages) << messages.error().message;
  return messages ? std::move(*messages) : std::vector<store::OutboxMessage>{};
}

// Where a kill landed, from what the killed worker held in the store at that moment.
struct Landing {
  bool ingest = false;           // it held a feed file
  bool before_end = false;       // it held a message it had not yet handed over
  bool while_sending = false;    // it had handed over the end of a message: outcome unknown
  std::vector<int64_t> sending;  // the messages it had handed over the end of
};

// The processes `parent` started (a worker runs its scheduled jobs, such as notify, each in a
// child `baken job run`, which holds messages under its own name "HOST:PID").
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;  // gone meanwhile
    // "PID (COMMAND) STATE PPID ...": the command may hold spaces and parentheses.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    pid_t ppid = 0;
    if (rest >> state >> ppid && ppid == parent) children.push_back(std::stoi(name));
  }
  return children;
}

// True once `pid` has ended (a zombie has ended too).
bool ProcessEnded(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() &&
         (line[close + 2] == 'Z' || line[close + 2] == 'X');
}

// The names a worker and its job children hold messages under.
std::vector<std::string> HolderNames(const std::string& id, const std::vector<pid_t>& children) {
  std::vector<std::string> names = {id};
  const std::string this_process = service::ProcessOwnerName();
  const std::string host = this_process.substr(0, this_process.rfind(':'));
  for (const pid_t child : children) names.push_back(fmt::format("{}:{}", host, child));
  return names;
}

Landing WhereItLanded(store::Store& store, const std::vector<std::string>& holders) {
  const auto held_by_it = [&](const std::optional<std::string>& owner) {
    return owner && std::find(holders.begin(), holders.end(), *owner) != holders.end();
  };
  Landing landing;
  auto tx = store.Begin(store::Access::kRead);
  if (!tx) return landing;
  for (const store::WorkItem& item : ItemsOr((*tx)->Work().List("ingest"))) {
    if (item.state == store::WorkState::kLeased && held_by_it(item.lease_owner)) {
      landing.ingest = true;
    }
  }
  store::OutboxQuery query;
  query.with_red = true;
  for (const store::OutboxMessage& message :
       MessagesOr((*tx)->Outbox().List(registry::Scope::All(), query))) {
    if (!held_by_it(message.lease_owner)) continue;
    if (message.state == store::OutboxState::kPending) landing.before_end = true;
    if (message.state == store::OutboxState::kSending) {
      landing.while_sending = true;
      landing.sending.push_back(message.id);
    }
  }
  return landing;
}

TEST_F(WorkerTest, ThreeWorkersKilledTwentyTimesStoreEveryEventOnceAndSendEveryMessageAtMostOnce) {
  SmtpServerOptions smtp_options;
  smtp_options.timeout_seconds = 600;
  // The server takes a while to answer each message, so that some kills land between
  // "sending" and its answer: the one moment whose outcome cannot be known.
  smtp_options.reply_delay_ms = 150;
  SmtpServer smtp(smtp_options);
  ASSERT_TRUE(smtp.running()) << smtp.error();
  ASSERT_EQ(
      Baken({"member", "import", (SourceDir() / "tests/data/feeds/notify_members.json").string()})
          .exit_code,
      0);

  // The files, written outside the spool first; the second file of each report repeats some
  // rows of the first (the same findings, reported twice).
  const fs::path folder = database_.folder();
  const fs::path spool = folder / "spool";
  const fs::path staging = folder / "staging";
  fs::create_directories(spool);
  fs::create_directories(staging);
  std::set<std::string> expected;  // "feed report|ip|port" of every distinct finding
  std::vector<std::string> names;
  for (int f = 0; f < kFiles; ++f) {
    const std::string report = kReports[f / 2];
    const bool second = f % 2 == 1;
    const std::string name = fmt::format("2026-11-22-{}-part{}.csv", report, f % 2 + 1);
    std::ofstream file(staging / name);
    file << "timestamp,ip,port\n";
    for (int row = 0; row < kRowsPerFile; ++row) {
      // The second file's first rows are the first file's last ones.
      const int n = second ? row + kRowsPerFile - kOverlap : row;
      const std::string ip = fmt::format("{}{}", kNetworks[n % 4], 1 + (n / 4) % 250);
      const int port = 1000 + n / 1000;
      file << fmt::format("2026-11-22 03:{:02}:{:02},{},{}\n", n / 60 % 60, n % 60, ip, port);
      expected.insert(fmt::format("{}|{}|{}", report, ip, port));
    }
    names.push_back(name);
  }
  ASSERT_EQ(expected.size(), std::size(kReports) * (2 * kRowsPerFile - kOverlap));

  const std::vector<std::string> worker_args = {
      "--json", "worker", "--spool", spool.string(), "--smtp", smtp.url(), "--lease", "2",
      "--notify-every", "1", "--retry-seconds", "0",
      // Kills aimed at files hit the same file now and then; it must not be given up here.
      "--max-attempts", "20"};
  int started = 0;
  const WorkerLogsOnFailure logs(folder, started);
  std::vector<WorkerProcess> workers;
  const auto start = [&] {
    const std::string id = fmt::format("w{}", ++started);
    std::vector<std::string> args = {"--db", database_.LocationFor(id)};
    args.insert(args.end(), worker_args.begin(), worker_args.end());
    workers.push_back(StartWorker(args, id, folder / (id + ".log")));
  };
  for (int i = 0; i < 3; ++i) start();

  // Files arrive one by one (written under a .part name and renamed, as a spool wants), and a
  // random worker is killed every so often and replaced.
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::uniform_int_distribution<int> pause_ms(300, 1500);
  int kills = 0;
  int ingest_kills = 0;
  int delivery_kills = 0;
  int sending_kills = 0;
  std::map<int64_t, std::string> left_sending;  // message id -> the killed worker
  size_t dropped = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while ((kills < kMinKills || dropped < names.size()) &&
         std::chrono::steady_clock::now() < deadline) {
    if (dropped < names.size()) {
      const fs::path part = spool / (names[dropped] + ".part");
      fs::copy_file(staging / names[dropped], part);
      fs::rename(part, spool / names[dropped]);
      ++dropped;
    }
    if (kills >= kMinKills + 4) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random_)));
      continue;
    }
    // Kills aimed in turn at a worker holding a file, one holding a message, and any worker at
    // a random moment; an aimed kill that finds no such worker within the pause hits a random
    // one.
    const int aim = kills % 3;
    size_t victim = std::uniform_int_distribution<size_t>(0, workers.size() - 1)(random_);
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(aim == 2 ? pause_ms(random_) : 1500);
    while (aim != 2 && std::chrono::steady_clock::now() < until) {
      bool found = false;
      for (size_t w = 0; w < workers.size() && !found; ++w) {
        const Landing holds =
            WhereItLanded(*store, HolderNames(workers[w].id, ChildrenOf(workers[w].pid)));
        if (aim == 0 ? holds.ingest : (holds.before_end || holds.while_sending)) {
          victim = w;
          found = true;
        }
      }
      if (found) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    while (aim == 2 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // Its job children die with it (they ask the kernel for that); one started after this
    // look has not got as far as a message when it dies.
    const std::vector<pid_t> children = ChildrenOf(workers[victim].pid);
    kill(workers[victim].pid, SIGKILL);
    WaitFor(workers[victim].pid);
    const auto ended_by = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (const pid_t child : children) {
      while (!ProcessEnded(child) && std::chrono::steady_clock::now() < ended_by) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      EXPECT_TRUE(ProcessEnded(child)) << "job " << child << " outlived its worker";
    }
    // On PostgreSQL a COMMIT the worker sent just before it died may land after the kill: where
    // the kill landed is read once the server has ended the sessions of the worker and its jobs.
    EXPECT_TRUE(database_.WaitUntilSessionsEnd(workers[victim].id, std::chrono::seconds(30)))
        << workers[victim].id << "'s database sessions outlived it";
    const Landing landing = WhereItLanded(*store, HolderNames(workers[victim].id, children));
    ++kills;
    ingest_kills += landing.ingest;
    delivery_kills += landing.before_end || landing.while_sending;
    sending_kills += landing.while_sending;
    for (const int64_t id : landing.sending) left_sending[id] = workers[victim].id;
    workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(victim));
    start();
  }
  EXPECT_EQ(dropped, names.size());
  EXPECT_GE(kills, kMinKills);
  std::cout << fmt::format(
      "[worker test] {} kills: {} while a worker held a file, {} while it held a message ({} "
      "after handing over its end); {} messages received so far\n",
      kills, ingest_kills, delivery_kills, sending_kills, smtp.ReceivedCount());

  // The survivors finish the work: leases of the killed run out (2 s) and are taken over.
  const auto settled = [&] {
    auto tx = store->Begin(store::Access::kRead);
    if (!tx) return false;
    int done = 0;
    for (const store::WorkItem& item : ItemsOr((*tx)->Work().List("ingest"))) {
      done += item.state == store::WorkState::kDone;
    }
    if (done < kFiles) return false;
    store::OutboxQuery query;
    query.with_red = true;
    for (const store::OutboxMessage& message :
         MessagesOr((*tx)->Outbox().List(registry::Scope::All(), query))) {
      if (message.state == store::OutboxState::kPending ||
          message.state == store::OutboxState::kSending) {
        return false;
      }
    }
    return true;
  };
  // Settled for three seconds on end: a notify run (every second) may still plan messages from
  // the last file after it is done. Generous for a loaded machine; it ends once that holds.
  const auto finish_by = std::chrono::steady_clock::now() + std::chrono::seconds(150);
  const auto quiet = std::chrono::seconds(3);
  std::optional<std::chrono::steady_clock::time_point> settled_since;
  while (std::chrono::steady_clock::now() < finish_by) {
    const auto now = std::chrono::steady_clock::now();
    if (!settled()) {
      settled_since.reset();
    } else if (!settled_since) {
      settled_since = now;
    } else if (now - *settled_since >= quiet) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(settled_since && std::chrono::steady_clock::now() - *settled_since >= quiet)
      << "the workers did not finish the work within 150 s";
  for (const WorkerProcess& worker : workers) {
    EXPECT_EQ(StopProcessOnceItCatchesTerm(worker.pid, std::chrono::seconds(120)), 0)
        << worker.id << " did not stop cleanly on SIGTERM";
  }
  store.reset();

  // Every file is one unit, done, and moved to done/; none is left in the spool.
  {
    auto check = OpenStore();
    ASSERT_TRUE(check);
    auto tx = check->Begin(store::Access::kRead);
    ASSERT_TRUE(tx);
    const auto units = (*tx)->Work().List("ingest");
    ASSERT_TRUE(units);
    EXPECT_EQ(units->size(), static_cast<size_t>(kFiles));
    for (const store::WorkItem& unit : *units) {
      EXPECT_EQ(unit.state, store::WorkState::kDone)
          << unit.payload << ": " << unit.last_error.value_or("");
    }
  }
  for (const std::string& name : names) {
    EXPECT_TRUE(fs::exists(spool / "done" / name)) << name;
    EXPECT_FALSE(fs::exists(spool / name)) << name;
  }

  // Every finding stored once: as many events as distinct findings, none twice.
  const Json events = BakenJson({"events", "list"})["events"];
  std::multiset<std::string> stored;
  for (const Json& event : events) {
    stored.insert(fmt::format("{}|{}|{}", event["feed.name"].get<std::string>(),
                              event["source.ip"].get<std::string>(),
                              event["source.port"].get<int>()));
  }
  EXPECT_EQ(stored.size(), expected.size()) << "events stored more than once, or missing";
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()).size(), stored.size())
      << "an event was stored twice";

  // No message reached the server twice; every sent one exactly once; held ones never;
  // unknown ones at most once, and no more of them than kills after a hand-over.
  std::map<std::string, int> received;  // Message-ID -> times
  for (const auto& mail : smtp.Received()) {
    ++received[notify::testing::ParseMail(mail.data).top.headers.at("message-id")];
  }
  const Json outbox = BakenJson({"outbox", "list", "--limit", "10000"})["messages"];
  std::map<std::string, int> states;
  std::set<std::string> known;
  for (const Json& message : outbox) {
    const std::string state = message["state"];
    const std::string id = "<" + message["message_id"].get<std::string>() + ">";
    known.insert(id);
    ++states[state];
    const int times = received.count(id) ? received[id] : 0;
    if (state == "sent") {
      EXPECT_EQ(times, 1) << id;
    } else if (state == "held") {
      EXPECT_EQ(times, 0) << id;
    } else {
      EXPECT_EQ(state, "unknown") << id << ": " << message["reason"];
      EXPECT_LE(times, 1) << id;
    }
  }
  for (const auto& [id, times] : received) {
    EXPECT_EQ(times, 1) << id << " reached the server " << times << " times";
    EXPECT_TRUE(known.count(id)) << id << " is not in the outbox";
  }
  EXPECT_GT(states["sent"], 0);
  EXPECT_LE(states["unknown"], sending_kills);
  // Each unknown message is one a killed worker had handed over the end of: no other cause.
  {
    auto check = OpenStore();
    ASSERT_TRUE(check);
    auto tx = check->Begin(store::Access::kRead);
    ASSERT_TRUE(tx);
    store::OutboxQuery query;
    query.with_red = true;
    for (const store::OutboxMessage& message :
         MessagesOr((*tx)->Outbox().List(registry::Scope::All(), query))) {
      if (message.state != store::OutboxState::kUnknown) continue;
      EXPECT_TRUE(left_sending.count(message.id))
          << "message " << message.id << " is unknown, last held by "
          << message.lease_owner.value_or("nobody") << ", which was not killed while sending it";
    }
  }
  std::cout << fmt::format(
      "[worker test] {} events stored ({} distinct findings); outbox: {} sent, {} held, {} "
      "unknown (bounded by {} kills after a hand-over); {} messages received\n",
      stored.size(), expected.size(), states["sent"], states["held"], states["unknown"],
      sending_kills, smtp.ReceivedCount());
  RecordProperty("kills", kills);
  RecordProperty("unknown", states["unknown"]);
}

// A file from a system with another encoding (Latin-1 "région") has a name that is not UTF-8,
// which neither the work queue's JSON nor PostgreSQL's text can hold. The worker gives it its
// percent-encoded name in the spool and takes it in; the spool goes on for the other files.
TEST_F(WorkerTest, AFileNamedInAnotherEncodingIsTakenInUnderAPercentEncodedName) {
  const auto imported =
      Baken({"member", "import", (SourceDir() / "tests/data/feeds/notify_members.json").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const fs::path spool = database_.folder() / "spool";
  fs::create_directories(spool);
  const std::string latin1 = "2026-11-22-scan_rdp-r\xE9gion.csv";
  std::ofstream(spool / latin1) << "timestamp,ip,port\n"
                                   "2026-11-22 03:00:00,192.0.2.10,3389\n"
                                   "2026-11-22 03:00:01,203.0.113.30,3389\n";
  std::ofstream(spool / "2026-11-22-scan_rdp-utf8.csv") << "timestamp,ip,port\n"
                                                           "2026-11-22 03:00:02,192.0.2.11,3389\n";
  const CommandResult worked = Baken({"--json", "worker", "--spool", spool.string(), "--once"});
  ASSERT_EQ(worked.exit_code, 0) << worked.err;
  EXPECT_THAT(worked.out, ::testing::HasSubstr("2026-11-22-scan_rdp-r%E9gion.csv"));
  EXPECT_FALSE(fs::exists(spool / latin1));
  EXPECT_TRUE(fs::exists(spool / "done" / "2026-11-22-scan_rdp-r%E9gion.csv"));
  EXPECT_TRUE(fs::exists(spool / "done" / "2026-11-22-scan_rdp-utf8.csv"));
  const Json events = BakenJson({"events", "list"})["events"];
  EXPECT_EQ(events.size(), 3u) << events.dump(2);
}

}  // namespace
}  // namespace baken::testing
