// Crash safety of paging (decision 0019, issue 16), on both engines, with the test's clock
// (BAKEN_TEST_CLOCK), a real SMTP server and two slow webhook gateways on loopback.
//
// First, `baken job run escalate` is killed with SIGKILL at random points, at least twenty
// times, over ten pages (seven by hand, three that it raises itself for urgent incidents):
// right after it moved a random number of pages on (so that the next page's transaction is
// under way), after a random number of notifications went out, while a webhook POST waits for
// the gateway's answer, and at a random moment (start-up, raising, planning). Each kill is
// checked afterwards against the store and the gateways, and counted by where it landed; at
// each step of the clock a run is then let finish. In the end every notification that was due
// was delivered: every e-mail exactly once (no step to the same person twice), every webhook at
// least once and always under one delivery id, and each is in its page's history once.
//
// Second, two `baken worker` processes share one database and run the escalate job every
// second of a clock the test moves fast, while one of them is killed and replaced over and
// over: no two escalate runs were ever alive at the same time (watched in /proc every 2 ms,
// and in the job's recorded runs), and every page was still planned once and delivered.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/time.h"
#include "notify/test_mail.h"
#include "store/oncall_repository.h"
#include "store/store.h"
#include "support/api_site.h"
#include "support/baken_process.h"
#include "support/process.h"
#include "support/smtp_server.h"
#include "support/webhook_receiver.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
namespace fs = std::filesystem;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + std::chrono::hours{22};

// A notification's key: page, round, step, person, channel; and its target: the same without
// the channel (what "no step twice to the same target" is about).
using Key = std::tuple<int64_t, int64_t, int64_t, std::string, std::string>;
using Target = std::tuple<int64_t, int64_t, int64_t, std::string>;

Target TargetOf(const Key& key) {
  return {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key)};
}
std::string Show(const Key& key) {
  return fmt::format("page {} round {} step {} {} by {}", std::get<0>(key), std::get<1>(key),
                     std::get<2>(key), std::get<3>(key), std::get<4>(key));
}

// What the store says about the pages and their notifications at one moment.
struct StoreView {
  std::map<int64_t, std::string> progress;  // page -> its state, round, step, next step
  std::map<int64_t, int64_t> steps;         // page -> its next step
  std::map<int64_t, store::NotificationRecord> notifications;  // by id
  int due_pages = 0;          // triggered, not exhausted, a step due
  int due_notifications = 0;  // planned and due (a webhook taken by a run is not, for 70 s)
  int due_webhooks = 0;
  int done = 0;  // sent (e-mail) or delivered (webhook)
};

std::string ProgressOf(const store::PageRecord& page) {
  return fmt::format("{}/{}/{}/{}/{}", page.state, page.round, page.step, page.exhausted,
                     page.next_at);
}

// How many pages moved on since `before` (a page raised since counts once it took a step).
int Moved(const StoreView& before, const std::map<int64_t, std::string>& now,
          const std::map<int64_t, int64_t>& steps_now) {
  int moved = 0;
  for (const auto& [id, progress] : now) {
    const auto was = before.progress.find(id);
    moved += was == before.progress.end() ? steps_now.at(id) > 0 : was->second != progress;
  }
  return moved;
}

bool SameRow(const store::NotificationRecord& a, const store::NotificationRecord& b) {
  return a.state == b.state && a.attempts == b.attempts && a.due_at == b.due_at;
}

// A small file under /proc, or nullopt when the process is gone.
std::optional<std::string> ReadProc(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return text;
}

struct ProcStat {
  char state = '?';
  pid_t parent = 0;
};

// From /proc/PID/stat, "PID (COMM) STATE PPID ...": COMM may hold anything, so after its last ')'.
std::optional<ProcStat> StatOf(pid_t pid) {
  const auto text = ReadProc(fmt::format("/proc/{}/stat", pid));
  if (!text) return std::nullopt;
  const size_t close = text->rfind(')');
  if (close == std::string::npos || close + 4 >= text->size()) return std::nullopt;
  ProcStat stat;
  stat.state = (*text)[close + 2];
  stat.parent = static_cast<pid_t>(std::strtol(text->c_str() + close + 4, nullptr, 10));
  return stat;
}

// Whether SIGKILL waits for the process (sent, not yet taken effect): it can do nothing more.
bool KillPending(pid_t pid) {
  const auto status = ReadProc(fmt::format("/proc/{}/status", pid));
  if (!status) return true;  // gone
  const uint64_t kill_bit = uint64_t{1} << (SIGKILL - 1);
  for (const char* field : {"\nSigPnd:", "\nShdPnd:"}) {
    const size_t at = status->find(field);
    if (at == std::string::npos) continue;
    if ((std::strtoull(status->c_str() + at + std::strlen(field), nullptr, 16) & kill_bit) != 0) {
      return true;
    }
  }
  return false;
}

// Watches /proc for the escalate runs of the test's workers: the `baken job run ... escalate`
// processes they start (classified once they exec'd: before, a child still has its worker's
// command line). Every 2 ms it looks which of them are alive — not ended, not a zombie. Two
// alive at once is the job running twice at once, unless one of them already has its SIGKILL
// pending: the child of a worker the test just killed dies with it (PR_SET_PDEATHSIG), an
// instant later, and runs no more code meanwhile. A run lasts tens of milliseconds at least
// (a process start, the store, a gateway that answers after 60 ms), so two runs that overlap
// cannot slip between two looks.
class EscalateWatch {
 public:
  EscalateWatch() : thread_([this] { Watch(); }) {}
  ~EscalateWatch() {
    stop_ = true;
    thread_.join();
  }
  EscalateWatch(const EscalateWatch&) = delete;
  EscalateWatch& operator=(const EscalateWatch&) = delete;

  // Called right after the fork: the worker starts no child before it has exec'd and started.
  void AddWorker(pid_t pid) {
    std::lock_guard lock(mutex_);
    workers_.insert(pid);
  }
  // Whether `worker`'s escalate run was alive at the last look.
  bool Running(pid_t worker) {
    std::lock_guard lock(mutex_);
    return alive_under_.count(worker) > 0;
  }

  struct Report {
    int64_t looks = 0;
    int64_t looks_with_a_run = 0;
    size_t runs = 0;     // escalate processes seen
    size_t parents = 0;  // workers they were started by
    int64_t overlaps = 0;
    std::vector<std::string> details;  // the first overlaps
  };
  Report report() {
    std::lock_guard lock(mutex_);
    Report out = report_;
    out.runs = runs_.size();
    std::set<pid_t> parents;
    for (const auto& [pid, run] : runs_) parents.insert(run.parent);
    out.parents = parents.size();
    return out;
  }

 private:
  struct Run {
    pid_t parent = 0;
    bool ended = false;
  };

  void Watch() {
    while (!stop_) {
      Look();
      std::this_thread::sleep_for(milliseconds(2));
    }
  }

  void Look() {
    std::set<pid_t> workers;
    {
      std::lock_guard lock(mutex_);
      workers = workers_;
    }
    if (DIR* proc = ::opendir("/proc")) {
      while (const dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        const long number = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0') continue;
        const auto pid = static_cast<pid_t>(number);
        if (ignored_.count(pid) > 0 || runs_.count(pid) > 0) continue;
        const auto stat = StatOf(pid);
        if (!stat) continue;
        if (workers.count(stat->parent) == 0) {
          ignored_.insert(pid);  // not a worker's child (a worker, the test's own commands)
          continue;
        }
        const auto cmdline = ReadProc(fmt::format("/proc/{}/cmdline", pid));
        if (!cmdline) continue;
        std::vector<std::string> args;
        for (size_t start = 0; start < cmdline->size();) {
          const size_t nul = cmdline->find('\0', start);
          args.push_back(cmdline->substr(start, nul - start));
          if (nul == std::string::npos) break;
          start = nul + 1;
        }
        const auto has = [&](const char* word) {
          return std::find(args.begin(), args.end(), word) != args.end();
        };
        if (!has("job")) continue;  // forked, not exec'd yet: look again next time
        if (has("escalate")) {
          runs_[pid] = Run{stat->parent, false};
        } else {
          ignored_.insert(pid);  // another job (retention)
        }
      }
      ::closedir(proc);
    }
    std::vector<pid_t> alive;
    std::set<pid_t> alive_under;
    for (auto& [pid, run] : runs_) {
      if (run.ended) continue;
      const auto stat = StatOf(pid);
      if (!stat || stat->state == 'Z' || stat->state == 'X') {
        run.ended = true;
        continue;
      }
      alive.push_back(pid);
      alive_under.insert(run.parent);
    }
    std::vector<pid_t> live;
    if (alive.size() >= 2) {
      for (pid_t pid : alive) {
        if (!KillPending(pid)) live.push_back(pid);
      }
    }
    std::lock_guard lock(mutex_);
    ++report_.looks;
    report_.looks_with_a_run += alive.empty() ? 0 : 1;
    alive_under_ = std::move(alive_under);
    if (live.size() >= 2) {
      ++report_.overlaps;
      if (report_.details.size() < 5) {
        std::string detail = "escalate runs alive at once:";
        for (pid_t pid : live) detail += fmt::format(" {} (worker {})", pid, runs_[pid].parent);
        report_.details.push_back(detail);
      }
    }
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::set<pid_t> workers_;
  std::set<pid_t> alive_under_;
  Report report_;
  // Only the watching thread uses these.
  std::map<pid_t, Run> runs_;
  std::set<pid_t> ignored_;
  std::thread thread_;  // last: it starts when everything above exists
};

// The test's `baken worker` processes: killed with the test process if that dies, and killed
// when the group goes out of scope (a failed assertion) unless stopped before.
class Workers {
 public:
  Workers(std::vector<std::string> args, fs::path folder, EscalateWatch& watch)
      : args_(std::move(args)), folder_(std::move(folder)), watch_(watch) {}
  ~Workers() {
    for (pid_t pid : pids_) {
      ::kill(pid, SIGKILL);
      Wait(pid);
    }
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void Start() {
    // Everything the child needs is made before the fork: the test's other threads (the clock,
    // the watch, the gateways) may hold the allocator's lock at that moment.
    std::vector<std::string> all = {BakenBinary()};
    all.insert(all.end(), args_.begin(), args_.end());
    std::vector<char*> argv;
    for (std::string& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string log = (folder_ / fmt::format("worker-{}.log", ++started_)).string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      ::dup2(null, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    watch_.AddWorker(pid);
    pids_.push_back(pid);
  }
  size_t size() const { return pids_.size(); }
  pid_t pid(size_t index) const { return pids_[index]; }
  // SIGKILL, and reaped: gone for the others' check of gone lease holders.
  void Kill(size_t index) {
    ::kill(pids_[index], SIGKILL);
    Wait(pids_[index]);
    pids_.erase(pids_.begin() + static_cast<std::ptrdiff_t>(index));
  }
  // SIGTERM: the worker ends its run and stops; its exit status. (Sent once it takes SIGTERM:
  // one still starting up would die of it like any program.)
  int Stop(size_t index) {
    const int status = StopProcessOnceItCatchesTerm(pids_[index], seconds(120));
    pids_.erase(pids_.begin() + static_cast<std::ptrdiff_t>(index));
    return status;
  }
  int started() const { return started_; }

 private:
  static int Wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::vector<std::string> args_;
  fs::path folder_;
  EscalateWatch& watch_;
  std::vector<pid_t> pids_;
  int started_ = 0;
};

// The site, its clock, the store read directly, the webhooks.
class PagingCrashSite : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    clock_file_ = (site_.database().folder() / "clock").string();
    SetClock(kT0);
    ::setenv("BAKEN_TEST_CLOCK", clock_file_.c_str(), 1);
    site_.Cli({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()});
    site_.AddUser("anna", "anna@cert.example.nl", "analyst");
    site_.AddUser("bram", "bram@cert.example.nl", "analyst");
    site_.AddUser("carla", "carla@cert.example.nl", "analyst");
    site_.AddUser("lead", "teamlead@cert.example.nl", "admin");
    ASSERT_TRUE(site_.Serve()) << "baken serve did not start";
  }
  void TearDown() override { ::unsetenv("BAKEN_TEST_CLOCK"); }

  void SetClock(std::chrono::system_clock::time_point when) {
    WriteClock(when);
    now_ = FormatUtc(when);
  }
  // Written beside the clock file and renamed over it: a `baken` that reads it while the test
  // moves it (the workers below) sees the old time or the new, never an empty file. (Only the
  // file: the ticker of the workers' test calls this from its own thread.)
  void WriteClock(std::chrono::system_clock::time_point when) const {
    const std::string next = clock_file_ + ".next";
    std::ofstream(next, std::ios::trunc) << FormatUtc(when) << "\n";
    fs::rename(next, clock_file_);
  }
  void WriteConfig(const Json& config) {
    config_ = (site_.database().folder() / "baken.json").string();
    std::ofstream(config_) << config.dump(2);
  }
  std::vector<std::string> EscalateArgs() const {
    return {"--db",     site_.database().location(), "--config",    config_, "--json", "job", "run",
            "escalate", "--message-id-domain",       "cert.example"};
  }
  // A verified webhook of `who`'s at `gateway`: its channel ("webhook:N") and secret.
  std::pair<std::string, std::string> AddWebhook(const std::string& who, WebhookReceiver& gateway) {
    const ApiReply method = site_.Call("POST", "/api/v1/contact-methods", who,
                                       {{"label", "SMS-gateway"}, {"url", gateway.url()}});
    const std::vector<WebhookCall> calls = gateway.calls();
    if (method.status != 201 || calls.empty()) {
      ADD_FAILURE() << "no webhook for " << who << ": " << method.text;
      return {};
    }
    const std::string code = calls.back().json().value("code", "");
    const ApiReply verified = site_.Call(
        "POST", fmt::format("/api/v1/contact-methods/{}/verify", method.body["id"].get<int64_t>()),
        who, {{"code", code}});
    EXPECT_EQ(verified.status, 200) << verified.text;
    return {method.body["channel"].get<std::string>(), method.body["secret"].get<std::string>()};
  }
  std::unique_ptr<store::Store> OpenStore() {
    auto opened = store::Store::Open(site_.database().location());
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }
  // The pages' progress (and, for the pages raised meanwhile, their step).
  std::map<int64_t, std::string> Progress(std::map<int64_t, int64_t>* steps = nullptr) {
    std::map<int64_t, std::string> progress;
    auto tx = store_->Begin(store::Access::kRead);
    if (!tx) return progress;
    auto pages = (*tx)->Oncall().Pages(/*open_only=*/false, 1000);
    if (!pages) return progress;
    for (const store::PageRecord& page : *pages) {
      progress[page.id] = ProgressOf(page);
      if (steps != nullptr) (*steps)[page.id] = page.step;
    }
    return progress;
  }
  StoreView View() {
    StoreView view;
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx) << tx.error().message;
    if (!tx) return view;
    auto pages = (*tx)->Oncall().Pages(/*open_only=*/false, 1000);
    EXPECT_TRUE(pages) << pages.error().message;
    if (!pages) return view;
    for (const store::PageRecord& page : *pages) {
      view.progress[page.id] = ProgressOf(page);
      view.steps[page.id] = page.step;
      view.due_pages += page.state == "triggered" && !page.exhausted && page.next_at <= now_;
      auto rows = (*tx)->Oncall().Notifications(page.id);
      EXPECT_TRUE(rows) << rows.error().message;
      if (!rows) continue;
      for (const store::NotificationRecord& row : *rows) {
        view.notifications[row.id] = row;
        const bool due = row.state == "planned" && row.due_at <= now_;
        view.due_notifications += due;
        view.due_webhooks += due && row.channel != "email";
        view.done += row.state == "sent" || row.state == "delivered";
      }
    }
    return view;
  }
  // The notifications as the store keeps them, by key.
  std::map<Key, store::NotificationRecord> Rows() {
    std::map<Key, store::NotificationRecord> rows;
    for (const auto& [id, row] : View().notifications) {
      const Key key{row.page_id, row.round, row.step, row.person, row.channel};
      EXPECT_EQ(rows.count(key), 0u) << Show(key) << " planned twice";
      rows[key] = row;
    }
    return rows;
  }

  ApiSite site_;
  SmtpServer smtp_{SmtpServerOptions{.timeout_seconds = 900}};
  std::string clock_file_;
  std::string now_;  // the test clock, as the store writes times
  std::string config_;
  std::unique_ptr<store::Store> store_;
  std::mt19937_64 random_{std::random_device{}()};
};

// --- Escalate killed at random points -----------------------------------------------------

constexpr int kManualPages = 7;
constexpr int kIncidents = 3;
constexpr int kPages = kManualPages + kIncidents;
constexpr int kMinKills = 20;
// The gateways hold each POST this long before they answer: the window the posting kills aim
// at, and what makes a webhook the slow part of a run.
constexpr milliseconds kReplyDelay{120};

// Where a kill is aimed.
enum class Aim {
  kWhilePosting,     // a POST has waited a random part of the gateway's delay
  kAfterPagesMoved,  // a random number of the due pages moved on
  kAfterDelivered,   // a random number of notifications more went out
  kAnyMoment,        // from halfway through its start-up to half a second into the work
};
const char* Name(Aim aim) {
  switch (aim) {
    case Aim::kWhilePosting:
      return "while posting";
    case Aim::kAfterPagesMoved:
      return "after pages moved";
    case Aim::kAfterDelivered:
      return "after notifications went out";
    case Aim::kAnyMoment:
      return "at a random moment";
  }
  return "?";
}

// Where the kills landed, from the store and the gateways after each.
struct Landings {
  int kills = 0;
  int nothing_done = 0;  // before the run committed anything (and with no POST under way)
  int mid_run = 0;       // it had done some of the due work and left some (or a POST) undone
  int planning = 0;      // some due pages moved on (or raised), others not yet
  int delivering = 0;    // the pages planned, some notifications out, others still due
  int posting = 0;       // a POST of its waited for the gateway's answer
  std::map<std::string, int> by_aim;
};

class PagingCrashTest : public PagingCrashSite {
 protected:
  // One run of escalate, killed where the aim of the moment says (it may also finish first);
  // true when it was killed.
  bool KillOnce(Landings& landings) {
    const StoreView before = View();
    const int to_raise = kPages - static_cast<int>(before.progress.size());
    const int due_pages = before.due_pages + to_raise;
    // What will be due at once in this run: the due notifications, and what the due pages plan
    // at once (the policy's steps plan three or four notifications due at once per page).
    const int due_soon = before.due_notifications + 3 * due_pages;
    // While pages are due, the kills go at planning; then in turn at a POST (twice as often:
    // the moment that decides "at least once"), at the e-mails and webhooks going out, and at a
    // random moment.
    Aim aim = Aim::kAfterPagesMoved;
    if (due_pages < 2) {
      static const Aim kDelivering[] = {Aim::kWhilePosting, Aim::kAfterDelivered,
                                        Aim::kWhilePosting, Aim::kAnyMoment};
      aim = kDelivering[static_cast<size_t>(landings.kills) % std::size(kDelivering)];
    }
    if (aim == Aim::kWhilePosting && before.due_webhooks == 0 && due_pages == 0) {
      aim = Aim::kAnyMoment;
    }
    if (aim == Aim::kAfterDelivered && due_soon < 2) aim = Aim::kAnyMoment;

    std::function<bool()> ready = [] { return true; };
    milliseconds delay{0};
    if (aim == Aim::kWhilePosting) {
      // Half the delay at most: the other half is the test's margin to kill before the answer.
      const milliseconds held{
          std::uniform_int_distribution<int64_t>(0, kReplyDelay.count() / 2)(random_)};
      ready = [this, held] {
        for (WebhookReceiver* gateway : gateways_) {
          const auto since = gateway->WaitingSince();
          if (since && Steady::now() - *since >= held) return true;
        }
        return false;
      };
    } else if (aim == Aim::kAfterPagesMoved) {
      // At most half of them, so that the next kills still find pages due.
      const int moved = std::uniform_int_distribution<int>(1, due_pages / 2)(random_);
      ready = [this, &before, moved] {
        std::map<int64_t, int64_t> steps;
        const auto progress = Progress(&steps);
        return Moved(before, progress, steps) >= moved;
      };
    } else if (aim == Aim::kAfterDelivered) {
      const int more = std::uniform_int_distribution<int>(1, std::min(3, due_soon - 1))(random_);
      ready = [this, &before, more] { return View().done >= before.done + more; };
    } else {
      delay = milliseconds{std::uniform_int_distribution<int64_t>(
          start_up_.count() / 2, start_up_.count() + 500)(random_)};
    }
    std::optional<Steady::time_point> ready_at;
    const auto started = Steady::now();
    int exit_code = 0;
    const bool killed = RunBakenAndKillWhen(
        EscalateArgs(),
        [&] {
          if (!ready()) return false;
          ready_at = Steady::now();
          return true;
        },
        std::chrono::duration_cast<std::chrono::microseconds>(delay), &exit_code);
    const auto returned = Steady::now();
    if (!killed) {
      EXPECT_EQ(exit_code, 0) << "escalate failed at " << now_;
      return false;
    }
    // The gateways answer what they hold (to nobody): then every call is recorded.
    for (WebhookReceiver* gateway : gateways_) {
      const auto give_up = Steady::now() + seconds(5);
      while (gateway->WaitingSince() && Steady::now() < give_up) {
        std::this_thread::sleep_for(milliseconds(2));
      }
    }

    // Killed somewhere in [ready_at + delay, returned]: a POST that came in before that window
    // and was answered after it was under way when the process died.
    const auto kill_earliest = ready_at.value_or(started) + delay;
    bool posting = false;
    for (WebhookReceiver* gateway : gateways_) {
      for (const WebhookCall& call : gateway->calls()) {
        posting |= call.arrived >= started && call.arrived <= kill_earliest &&
                   call.answered_at >= returned;
      }
    }
    const StoreView after = View();
    const int moved = Moved(before, after.progress, after.steps);
    bool rows_changed = after.notifications.size() != before.notifications.size();
    for (const auto& [id, row] : before.notifications) {
      const auto now = after.notifications.find(id);
      rows_changed |= now == after.notifications.end() || !SameRow(row, now->second);
    }
    const bool changed =
        moved > 0 || rows_changed || after.progress.size() > before.progress.size();
    const bool pages_left = after.due_pages > 0 || static_cast<int>(after.progress.size()) < kPages;
    const bool unfinished = pages_left || after.due_notifications > 0;

    ++landings.kills;
    ++landings.by_aim[Name(aim)];
    landings.posting += posting;
    if (!changed && !posting) ++landings.nothing_done;
    if (changed && (unfinished || posting)) {
      ++landings.mid_run;
      if (pages_left) {
        ++landings.planning;
      } else {
        ++landings.delivering;
      }
    } else if (posting) {
      ++landings.mid_run;
      ++landings.delivering;
    }
    return true;
  }

  // At `at` on the clock: escalate killed up to `kills` times, until a run finishes by itself
  // (it did all that was due); then one more to the end. How many kills landed.
  int Step(std::chrono::system_clock::time_point at, int kills, Landings& landings) {
    SetClock(at);
    int killed = 0;
    while (killed < kills && KillOnce(landings)) {
      ++killed;
    }
    const CommandResult run = RunBaken(EscalateArgs());
    EXPECT_EQ(run.exit_code, 0) << run.err;
    // Nothing due is left: every page moved on, every due notification went out (a webhook a
    // killed run took comes due again 70 s after it was taken).
    const StoreView view = View();
    EXPECT_EQ(view.progress.size(), static_cast<size_t>(kPages)) << "at " << now_;
    EXPECT_EQ(view.due_pages, 0) << "at " << now_;
    EXPECT_EQ(view.due_notifications, 0) << "at " << now_;
    return killed;
  }

  // How long `baken` takes to start and open the store (a command that does nothing else),
  // for the kills at a random moment: measured, as it differs from one machine (and load) to
  // the next; the sanitizers make it most of a run.
  void MeasureStartUp() {
    const auto started = Steady::now();
    site_.Cli({"--json", "job", "list"});
    start_up_ = std::chrono::duration_cast<milliseconds>(Steady::now() - started);
  }

  std::vector<WebhookReceiver*> gateways_;
  milliseconds start_up_{0};
};

TEST_F(PagingCrashTest, EveryDueNotificationGoesOutAndNoStepTwiceToTheSameTarget) {
  WriteConfig({{"portal", {{"url", "https://baken.cert.example"}}}});
  WebhookReceiver anna_gateway(kReplyDelay);
  WebhookReceiver bram_gateway(kReplyDelay);
  gateways_ = {&anna_gateway, &bram_gateway};
  const auto [anna_channel, anna_secret] = AddWebhook("anna", anna_gateway);
  const auto [bram_channel, bram_secret] = AddWebhook("bram", bram_gateway);
  ASSERT_FALSE(anna_channel.empty());
  ASSERT_FALSE(bram_channel.empty());
  // Anna: SMS at once, e-mail after 2 minutes; Bram: both at once; Carla: no rules, e-mail.
  ASSERT_EQ(site_
                .Call("PUT", "/api/v1/notification-rules", "anna",
                      {{"rules",
                        {{{"channel", anna_channel}, {"delay_minutes", 0}},
                         {{"channel", "email"}, {"delay_minutes", 2}}}}})
                .status,
            200);
  ASSERT_EQ(site_
                .Call("PUT", "/api/v1/notification-rules", "bram",
                      {{"rules",
                        {{{"channel", bram_channel}, {"delay_minutes", 0}},
                         {{"channel", "email"}, {"delay_minutes", 0}}}}})
                .status,
            200);
  const ApiReply piket = site_.Call("POST", "/api/v1/rosters", "lead",
                                    {{"name", "IBD-piket"},
                                     {"shift", "daily"},
                                     {"start_date", "2026-12-01"},
                                     {"participants", {"anna@cert.example.nl"}}});
  ASSERT_EQ(piket.status, 201) << piket.text;
  const ApiReply team =
      site_.Call("POST", "/api/v1/rosters", "lead",
                 {{"name", "Team"},
                  {"shift", "weekly"},
                  {"start_date", "2026-11-30"},
                  {"participants",
                   {"anna@cert.example.nl", "bram@cert.example.nl", "carla@cert.example.nl"}}});
  ASSERT_EQ(team.status, 201) << team.text;
  // The person on duty and Bram at once; five minutes later the whole team.
  const ApiReply policy =
      site_.Call("POST", "/api/v1/escalation-policies", "lead",
                 {{"name", "Spoed"},
                  {"default", true},
                  {"steps",
                   {{{"delay_minutes", 0},
                     {"targets",
                      {{{"kind", "on_duty"}, {"rotation", piket.body["id"]}},
                       {{"kind", "person"}, {"person", "bram@cert.example.nl"}}}}},
                    {{"delay_minutes", 5},
                     {"targets", {{{"kind", "everyone"}, {"rotation", team.body["id"]}}}}}}}});
  ASSERT_EQ(policy.status, 201) << policy.text;

  // Pages by hand, and urgent incidents that escalate raises itself.
  std::set<int64_t> manual;
  for (int i = 0; i < kManualPages; ++i) {
    const ApiReply page = site_.Call("POST", "/api/v1/pages", "lead",
                                     {{"policy", policy.body["id"]},
                                      {"severity", "critical"},
                                      {"subject", fmt::format("Storing {}", i)},
                                      {"dedup_key", fmt::format("storing-{}", i)}});
    ASSERT_EQ(page.status, 201) << page.text;
    manual.insert(page.body["id"].get<int64_t>());
  }
  std::set<std::string> incident_keys;
  for (int i = 0; i < kIncidents; ++i) {
    const ApiReply incident = site_.Call("POST", "/api/v1/incidents", "anna",
                                         {{"title", fmt::format("Ransomware {}", i)},
                                          {"priority", "urgent"},
                                          {"members", {"GM0001"}}});
    ASSERT_EQ(incident.status, 201) << incident.text;
    incident_keys.insert(fmt::format("incident:{}", incident.body["id"].get<int64_t>()));
  }
  store_ = OpenStore();
  ASSERT_TRUE(store_);
  MeasureStartUp();

  // The clock in steps: the first step at once (webhooks, Bram's e-mail), Anna's e-mail two
  // minutes on, the team at five, Anna's second e-mail at seven; at nine the webhooks killed
  // runs had taken (due again 70 s after) and the kills earlier steps could not use (a run
  // that finished by itself left nothing to kill). At eleven, with no kills, what the kills at
  // nine left taken comes due once more and goes.
  Landings landings;
  const auto test_start = Steady::now();
  int owed = 0;
  for (const auto& [at, kills] : std::vector<std::pair<minutes, int>>{
           {minutes{0}, 9}, {minutes{2}, 4}, {minutes{5}, 9}, {minutes{7}, 4}, {minutes{9}, 0}}) {
    owed += kills;
    owed -= Step(kT0 + at, owed, landings);
  }
  Step(kT0 + minutes{11}, 0, landings);
  // Once more: nothing is left to go, and nothing goes twice.
  const CommandResult last = RunBaken(EscalateArgs());
  ASSERT_EQ(last.exit_code, 0) << last.err;
  const Json summary = Json::parse(last.out, nullptr, false);
  EXPECT_EQ(summary["planned"], 0) << last.out;
  EXPECT_EQ(summary["notified"], 0) << last.out;
  EXPECT_EQ(summary["retried"], 0) << last.out;
  site_.Cli({"notify", "--smtp", smtp_.url(), "--retry-seconds", "0", "--message-id-domain",
             "cert.example"});

  std::cout << fmt::format(
      "[paging crash test] {} kills in {} s: {} before the run had done anything, {} amid the "
      "work ({} while planning, {} while delivering), {} while a webhook POST waited for its "
      "answer\n",
      landings.kills, std::chrono::duration_cast<seconds>(Steady::now() - test_start).count(),
      landings.nothing_done, landings.mid_run, landings.planning, landings.delivering,
      landings.posting);
  std::cout << fmt::format("[paging crash test]   (a `baken` took {} ms to start)\n",
                           start_up_.count());
  for (const auto& [aim, count] : landings.by_aim) {
    std::cout << fmt::format("[paging crash test]   {} aimed {}\n", count, aim);
  }
  RecordProperty("kills", landings.kills);
  RecordProperty("kills_mid_run", landings.mid_run);
  RecordProperty("kills_while_posting", landings.posting);
  // The kills landed where it matters: amid the planning, amid the delivery, and while a
  // gateway held a POST — not only before the process did anything.
  EXPECT_GE(landings.kills, kMinKills);
  EXPECT_GE(landings.mid_run, kMinKills / 2);
  EXPECT_GE(landings.planning, 3);
  EXPECT_GE(landings.delivering, 5);
  EXPECT_GE(landings.posting, 4);

  // Ten pages: the seven by hand and one per urgent incident, raised once each.
  const ApiReply listed = site_.Call("GET", "/api/v1/pages?state=all", "anna");
  ASSERT_EQ(listed.status, 200);
  std::set<int64_t> pages;
  std::multiset<std::string> raised;
  for (const Json& page : listed.body["pages"]) {
    pages.insert(page["id"].get<int64_t>());
    if (page["source"] == "incident") raised.insert(page["dedup_key"].get<std::string>());
  }
  ASSERT_EQ(pages.size(), static_cast<size_t>(kPages)) << listed.text;
  for (int64_t page : manual) EXPECT_EQ(pages.count(page), 1u) << page;
  EXPECT_EQ(raised, std::multiset<std::string>(incident_keys.begin(), incident_keys.end()));

  // What was due, from the policy and the rules (not from the store): per page, the first
  // step to Anna (on duty) and Bram, the second to all three; each by their channels.
  const std::map<std::string, std::vector<std::string>> channels = {
      {"anna@cert.example.nl", {anna_channel, "email"}},
      {"bram@cert.example.nl", {bram_channel, "email"}},
      {"carla@cert.example.nl", {"email"}}};
  std::set<Key> expected;
  for (int64_t page : pages) {
    for (const auto& [step, people] : std::vector<std::pair<int64_t, std::vector<std::string>>>{
             {0, {"anna@cert.example.nl", "bram@cert.example.nl"}},
             {1, {"anna@cert.example.nl", "bram@cert.example.nl", "carla@cert.example.nl"}}}) {
      for (const std::string& person : people) {
        for (const std::string& channel : channels.at(person)) {
          expected.insert(Key{page, 0, step, person, channel});
        }
      }
    }
  }
  ASSERT_EQ(expected.size(), static_cast<size_t>(kPages * 9));

  // Planned once each, nothing else, and all gone out.
  const std::map<Key, store::NotificationRecord> rows = Rows();
  std::set<Key> planned;
  std::map<int64_t, Key> key_of;  // notification id -> key
  for (const auto& [key, row] : rows) {
    planned.insert(key);
    key_of[row.id] = key;
    EXPECT_EQ(row.state, std::get<4>(key) == "email" ? "sent" : "delivered")
        << Show(key) << ": " << row.last_error.value_or("");
  }
  EXPECT_EQ(planned, expected);

  // (a) E-mail: each step to each person exactly once at the SMTP server, the page's own.
  const std::regex message_id(R"(<baken\.page-(\d+)-n(\d+)@cert\.example>)");
  std::map<Target, int> mails;
  for (const ReceivedMail& mail : smtp_.Received()) {
    const notify::testing::Mail parsed = notify::testing::ParseMail(mail.data);
    std::smatch match;
    const std::string id = parsed.top.headers.at("message-id");
    ASSERT_TRUE(std::regex_match(id, match, message_id)) << id;
    const int64_t page = std::stoll(match[1]);
    const auto key = key_of.find(std::stoll(match[2]));
    ASSERT_NE(key, key_of.end()) << id << " is no notification of the store's";
    EXPECT_EQ(std::get<0>(key->second), page) << id;
    EXPECT_EQ(std::get<4>(key->second), "email") << id;
    EXPECT_EQ(mail.rcpt_tos, std::vector<std::string>{std::get<3>(key->second)}) << id;
    EXPECT_THAT(notify::testing::PlainText(mail.data),
                HasSubstr(fmt::format("Pagina {} vraagt om uw aandacht", page)));
    ++mails[TargetOf(key->second)];
  }
  size_t expected_mails = 0;
  for (const Key& key : expected) {
    if (std::get<4>(key) != "email") continue;
    ++expected_mails;
    EXPECT_EQ(mails[TargetOf(key)], 1)
        << Show(key) << " reached the SMTP server " << mails[TargetOf(key)] << " times";
  }
  EXPECT_EQ(smtp_.ReceivedCount(), expected_mails);

  // (b) Webhooks: each reached its person's gateway with a 200 at least once, signed, and
  // always under one delivery id (a repeat is allowed: at least once; counted).
  const std::regex delivery_id(R"(page-(\d+)-n(\d+))");
  std::map<Target, std::set<std::string>> deliveries;
  std::map<Target, int> answered_ok;
  int page_calls = 0;
  for (const auto& [gateway, person, secret] :
       std::vector<std::tuple<WebhookReceiver*, std::string, std::string>>{
           {&anna_gateway, "anna@cert.example.nl", anna_secret},
           {&bram_gateway, "bram@cert.example.nl", bram_secret}}) {
    for (const WebhookCall& call : gateway->calls()) {
      const Json body = call.json();
      if (body.value("type", "") != "page") continue;  // the verification code
      ++page_calls;
      EXPECT_TRUE(WebhookReceiver::Signed(call, secret)) << call.body;
      const std::string id = body.value("delivery", "");
      std::smatch match;
      ASSERT_TRUE(std::regex_match(id, match, delivery_id)) << call.body;
      const auto key = key_of.find(std::stoll(match[2]));
      ASSERT_NE(key, key_of.end()) << call.body;
      EXPECT_EQ(std::get<3>(key->second), person) << call.body;
      EXPECT_EQ(std::get<4>(key->second),
                person == "anna@cert.example.nl" ? anna_channel : bram_channel);
      EXPECT_EQ(body["page"], std::get<0>(key->second)) << call.body;
      EXPECT_EQ(body["round"], std::get<1>(key->second) + 1) << call.body;
      EXPECT_EQ(body["step"], std::get<2>(key->second) + 1) << call.body;
      deliveries[TargetOf(key->second)].insert(id);
      answered_ok[TargetOf(key->second)] += call.answered == 200;
    }
  }
  int webhooks = 0;
  for (const Key& key : expected) {
    if (std::get<4>(key) == "email") continue;
    ++webhooks;
    EXPECT_GE(answered_ok[TargetOf(key)], 1) << Show(key) << " never reached its gateway";
    EXPECT_EQ(deliveries[TargetOf(key)].size(), 1u)
        << Show(key) << " went under more than one delivery id";
  }
  std::cout << fmt::format(
      "[paging crash test] {} e-mails, each once; {} webhooks in {} POSTs: {} repeats of a "
      "delivery a killed run had posted already\n",
      smtp_.ReceivedCount(), webhooks, page_calls, page_calls - webhooks);
  RecordProperty("webhook_repeats", page_calls - webhooks);

  // (c) Each page's history has each notification once: the run that committed it.
  for (int64_t page : pages) {
    const ApiReply history = site_.Call("GET", fmt::format("/api/v1/pages/{}", page), "anna");
    ASSERT_EQ(history.status, 200) << history.text;
    std::multiset<Key> notified;
    std::vector<std::string> kinds;
    for (const Json& event : history.body["history"]) {
      kinds.push_back(event["kind"]);
      if (event["kind"] != "notified") continue;
      notified.insert(Key{page, event["round"].get<int64_t>(), event["step"].get<int64_t>(),
                          event["person"].get<std::string>(), event["channel"].get<std::string>()});
    }
    std::multiset<Key> want;
    for (const Key& key : expected) {
      if (std::get<0>(key) == page) want.insert(key);
    }
    EXPECT_EQ(notified, want) << "page " << page << ": " << history.text;
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "created"), 1) << history.text;
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "exhausted"), 1) << history.text;
  }

  // The outbox sent every page's e-mail (the outbox's own crash safety is CrashTest's).
  const Json outbox =
      Json::parse(site_.Cli({"--json", "outbox", "list", "--limit", "1000"}), nullptr, false);
  ASSERT_TRUE(outbox["messages"].is_array()) << outbox.dump();
  EXPECT_EQ(outbox["messages"].size(), expected_mails);
  for (const Json& message : outbox["messages"]) {
    EXPECT_EQ(message["state"], "sent") << message.dump();
  }
}

// --- Two workers, one database ------------------------------------------------------------

constexpr int kWorkerKills = 10;
constexpr int kWorkerPages = 4;
constexpr int kRounds = 5;  // the policy's one step, repeated four times
// The test's clock runs 20 times fast: a second every 50 ms. The escalate job runs every
// second of it, so it is due again as soon as a run ends and the two workers compete for it
// all the time; a round of pages comes every minute (3 s).
constexpr milliseconds kTick{50};

TEST_F(PagingCrashTest, TwoWorkersOnOneDatabaseNeverRunEscalateTwiceAtOnce) {
  WriteConfig({{"portal", {{"url", "https://baken.cert.example"}}},
               {"jobs", {{"escalate", {{"every_seconds", 1}, {"limit_seconds", 600}}}}}});
  WebhookReceiver anna_gateway(milliseconds{60});
  WebhookReceiver bram_gateway(milliseconds{60});
  const auto [anna_channel, anna_secret] = AddWebhook("anna", anna_gateway);
  const auto [bram_channel, bram_secret] = AddWebhook("bram", bram_gateway);
  ASSERT_FALSE(anna_channel.empty());
  ASSERT_FALSE(bram_channel.empty());
  for (const auto& [who, channel] : std::vector<std::pair<std::string, std::string>>{
           {"anna", anna_channel}, {"bram", bram_channel}}) {
    ASSERT_EQ(site_
                  .Call("PUT", "/api/v1/notification-rules", who,
                        {{"rules", {{{"channel", channel}, {"delay_minutes", 0}}}}})
                  .status,
              200);
  }
  const ApiReply policy =
      site_.Call("POST", "/api/v1/escalation-policies", "lead",
                 {{"name", "Herhaald"},
                  {"steps",
                   {{{"delay_minutes", 1},
                     {"targets",
                      {{{"kind", "person"}, {"person", "anna@cert.example.nl"}},
                       {{"kind", "person"}, {"person", "bram@cert.example.nl"}}}}}}},
                  {"repeat", kRounds - 1}});
  ASSERT_EQ(policy.status, 201) << policy.text;
  std::set<int64_t> pages;
  for (int i = 0; i < kWorkerPages; ++i) {
    const ApiReply page = site_.Call("POST", "/api/v1/pages", "lead",
                                     {{"policy", policy.body["id"]},
                                      {"severity", "high"},
                                      {"subject", fmt::format("Storing {}", i)},
                                      {"dedup_key", fmt::format("storing-{}", i)}});
    ASSERT_EQ(page.status, 201) << page.text;
    pages.insert(page.body["id"].get<int64_t>());
  }
  ASSERT_EQ(pages.size(), static_cast<size_t>(kWorkerPages));
  store_ = OpenStore();
  ASSERT_TRUE(store_);

  // The clock runs from here on (stopped also when an assertion fails).
  struct Ticker {
    std::atomic<bool> stop{false};
    std::atomic<int64_t> elapsed{0};  // test seconds since kT0
    std::thread thread;
    ~Ticker() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } ticker;
  ticker.thread = std::thread([this, &ticker] {
    while (!ticker.stop) {
      std::this_thread::sleep_for(kTick);
      WriteClock(kT0 + seconds{++ticker.elapsed});
    }
  });

  EscalateWatch watch;
  Workers workers({"--db", site_.database().location(), "--config", config_, "worker",
                   "--message-id-domain", "cert.example"},
                  site_.database().folder(), watch);
  workers.Start();
  workers.Start();

  const auto escalate_runs = [&] {
    const ApiReply jobs = site_.Call("GET", "/api/v1/jobs?job=escalate&limit=500", "anna");
    EXPECT_EQ(jobs.status, 200) << jobs.text;
    return jobs.status == 200 ? jobs.body["runs"] : Json::array();
  };
  const auto last_run = [&] {
    int64_t last = 0;
    for (const Json& run : escalate_runs()) last = std::max(last, run["id"].get<int64_t>());
    return last;
  };
  const auto ended_well_after = [&](int64_t id) {
    int ok = 0;
    for (const Json& run : escalate_runs()) {
      ok += run["id"].get<int64_t>() > id && run["outcome"] == "ok";
    }
    return ok;
  };

  // Kill a worker and start another in its place, over and over: mostly the one whose escalate
  // run is alive (a random moment into it), otherwise either; until every round came due.
  // Between two kills a run ends well, so that the job passes from worker to worker, both ways,
  // and not only from a killed one (a run takes about a second, most of it the sanitizers'
  // start-up).
  int kills = 0;
  int kills_mid_run = 0;
  std::uniform_int_distribution<int64_t> pause_ms(0, 500);
  std::uniform_int_distribution<int64_t> into_run_ms(0, 40);
  const auto give_up = Steady::now() + seconds(90);
  while ((ticker.elapsed < (kRounds + 1) * 60 || kills < kWorkerKills) && Steady::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(pause_ms(random_)));
    size_t victim = std::uniform_int_distribution<size_t>(0, workers.size() - 1)(random_);
    if (kills % 3 != 2) {
      const auto until = Steady::now() + seconds(3);
      bool found = false;
      while (!found && Steady::now() < until) {
        for (size_t w = 0; w < workers.size() && !found; ++w) {
          if (watch.Running(workers.pid(w))) {
            victim = w;
            found = true;
          }
        }
        if (!found) std::this_thread::sleep_for(milliseconds(1));
      }
      if (found) std::this_thread::sleep_for(milliseconds(into_run_ms(random_)));
    }
    kills_mid_run += watch.Running(workers.pid(victim));
    workers.Kill(victim);
    ++kills;
    workers.Start();
    const int64_t mark = last_run();
    const auto wait_until = Steady::now() + seconds(30);
    while (ended_well_after(mark) == 0 && Steady::now() < wait_until) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    ASSERT_GE(ended_well_after(mark), 1) << "the job did not run again after kill " << kills;
  }
  EXPECT_GE(kills, kWorkerKills);

  // The two left finish the work (webhooks that killed runs had taken come due again), and the
  // job goes on after the last kill: two runs that started after it end well.
  std::set<Key> expected;
  for (int64_t page : pages) {
    for (int64_t round = 0; round < kRounds; ++round) {
      expected.insert(Key{page, round, 0, "anna@cert.example.nl", anna_channel});
      expected.insert(Key{page, round, 0, "bram@cert.example.nl", bram_channel});
    }
  }
  const int64_t last_before = last_run();
  const auto settled = [&] {
    if (ended_well_after(last_before) < 2) return false;
    const StoreView view = View();
    if (view.notifications.size() < expected.size()) return false;
    for (const auto& [id, row] : view.notifications) {
      if (row.state != "delivered") return false;
    }
    return true;
  };
  const auto finish_by = Steady::now() + seconds(60);
  while (!settled() && Steady::now() < finish_by) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(settled())
      << "the workers did not deliver everything (and run the job twice more) within a minute";
  while (workers.size() > 0) {
    EXPECT_EQ(workers.Stop(0), 0) << "a worker did not stop cleanly on SIGTERM";
  }
  ticker.stop = true;
  ticker.thread.join();
  const EscalateWatch::Report seen = watch.report();

  std::cout << fmt::format(
      "[paging crash test] {} workers started, {} killed ({} while their escalate run was "
      "alive); the watch saw {} escalate runs under {} workers in {} looks ({} with a run "
      "alive)\n",
      workers.started(), kills, kills_mid_run, seen.runs, seen.parents, seen.looks,
      seen.looks_with_a_run);
  RecordProperty("worker_kills", kills);
  RecordProperty("worker_kills_mid_run", kills_mid_run);
  // (1) Never two escalate runs alive at once; and the watch could have seen it: it saw many
  // runs, under many workers, alive in many of its looks.
  EXPECT_EQ(seen.overlaps, 0) << fmt::format("{}", fmt::join(seen.details, "; "));
  EXPECT_GE(seen.runs, 15u);
  EXPECT_GE(seen.parents, 4u);
  EXPECT_GE(seen.looks_with_a_run, 100);
  EXPECT_GE(kills_mid_run, kWorkerKills / 2);

  // (2) The record agrees: in the order they started, each run began when the one before had
  // ended (a run whose worker was killed ends when the next holder finds it, "interrupted").
  // The clock runs fast, so a second there is 50 ms. This alone would not show a job taken
  // over from a holder still running it: the new holder marks the old run interrupted as it
  // starts, so the record looks the same. The watch above is what shows that (checked by
  // making the scheduler's lease run out at once: the watch saw two runs alive in most of
  // its looks, the record nothing).
  const ApiReply jobs = site_.Call("GET", "/api/v1/jobs?job=escalate&limit=500", "anna");
  ASSERT_EQ(jobs.status, 200) << jobs.text;
  std::vector<Json> runs(jobs.body["runs"].begin(), jobs.body["runs"].end());
  std::sort(runs.begin(), runs.end(), [](const Json& a, const Json& b) {
    return a["id"].get<int64_t>() < b["id"].get<int64_t>();
  });
  ASSERT_GE(runs.size(), 15u) << jobs.text;
  std::set<std::string> holders;
  int ok = 0;
  int interrupted = 0;  // cut short by a kill: found so by the next holder
  for (size_t i = 0; i < runs.size(); ++i) {
    holders.insert(runs[i]["holder"].get<std::string>());
    ok += runs[i]["outcome"] == "ok";
    interrupted += runs[i]["outcome"] == "interrupted" &&
                   runs[i]["error"] == "the process running it stopped before the run ended";
    ASSERT_TRUE(runs[i]["finished_at"].is_string()) << "still running: " << runs[i].dump();
    if (i == 0) continue;
    EXPECT_GE(runs[i]["started_at"].get<std::string>(),
              runs[i - 1]["finished_at"].get<std::string>())
        << runs[i].dump() << " overlaps " << runs[i - 1].dump();
  }
  std::cout << fmt::format(
      "[paging crash test] {} escalate runs recorded, by {} holders: {} ok, {} cut short by a "
      "kill\n",
      runs.size(), holders.size(), ok, interrupted);
  EXPECT_GE(holders.size(), 4u);
  EXPECT_GE(ok, kills);
  EXPECT_GE(interrupted, kWorkerKills / 2);

  // (3) Every page's notifications planned once and delivered; each reached its gateway,
  // always under one delivery id.
  const std::map<Key, store::NotificationRecord> rows = Rows();
  std::set<Key> planned;
  std::map<int64_t, Key> key_of;
  for (const auto& [key, row] : rows) {
    planned.insert(key);
    key_of[row.id] = key;
  }
  EXPECT_EQ(planned, expected);
  std::map<Target, std::set<std::string>> deliveries;
  std::map<Target, int> answered_ok;
  int page_calls = 0;
  for (const auto& [gateway, secret] : std::vector<std::pair<WebhookReceiver*, std::string>>{
           {&anna_gateway, anna_secret}, {&bram_gateway, bram_secret}}) {
    for (const WebhookCall& call : gateway->calls()) {
      const Json body = call.json();
      if (body.value("type", "") != "page") continue;
      ++page_calls;
      EXPECT_TRUE(WebhookReceiver::Signed(call, secret)) << call.body;
      const std::string id = body.value("delivery", "");
      const size_t n = id.rfind("-n");
      const auto key =
          n == std::string::npos ? key_of.end() : key_of.find(std::stoll(id.substr(n + 2)));
      ASSERT_NE(key, key_of.end()) << call.body;
      deliveries[TargetOf(key->second)].insert(id);
      answered_ok[TargetOf(key->second)] += call.answered == 200;
    }
  }
  for (const Key& key : expected) {
    EXPECT_GE(answered_ok[TargetOf(key)], 1) << Show(key) << " never reached its gateway";
    EXPECT_EQ(deliveries[TargetOf(key)].size(), 1u) << Show(key);
  }
  std::cout << fmt::format("[paging crash test] {} webhooks in {} POSTs\n", expected.size(),
                           page_calls);
}

}  // namespace
}  // namespace baken::testing
