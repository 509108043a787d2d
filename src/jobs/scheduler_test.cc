// The scheduler on both engines, with a clock the test sets and small shell scripts standing in
// for `baken job run` (the real command is tests/integration/jobs_test.cc's): a run is recorded
// with its outcome and what it printed; a failed job comes back after 30 s, then 60 s, never
// later than its interval, and at its interval once it runs well; a job that hangs is cut off
// at its time limit; while one process runs a job, another does not take it; a run whose
// process died is marked interrupted by the next holder.

#include "jobs/scheduler.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::jobs {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // A scheduler whose job `name` runs `script` in /bin/sh (the job's name is $0).
  SchedulerSettings Settings(const std::string& owner, const std::string& name,
                             const std::string& script, int64_t every = 3600, int64_t limit = 60) {
    SchedulerSettings settings;
    settings.owner = owner;
    settings.jobs.push_back(JobSchedule{name, every, limit});
    settings.command.program = "/bin/sh";
    settings.command.args = {"-c", script};
    return settings;
  }
  std::vector<store::JobRun> Runs(const std::string& job = "") {
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    return (*tx)->Work().Runs(job, 100).value_or(std::vector<store::JobRun>{});
  }
  store::WorkItem Unit(const std::string& job) {
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    return (*tx)->Work().Find("job", job).value_or(std::nullopt).value_or(store::WorkItem{});
  }
  std::string At(int64_t seconds_from_now) const {
    return FormatUtc(now_ + seconds(seconds_from_now));
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + std::chrono::hours{9};
};

TEST_F(SchedulerTest, AFailingJobBacksOffAndComesBackAtItsIntervalOnceItRunsWell) {
  // The script fails until the file `healed` exists.
  const fs::path healed = database_.folder() / "healed";
  Scheduler scheduler(
      *store_, [this] { return now_; },
      Settings("serve-1", "advisory_sync",
               fmt::format("if [ -e {} ]; then echo '{{\"fetched\": 3}}'; else "
                           "echo 'baken: provider down' >&2; exit 1; fi",
                           healed.string()),
               /*every=*/100));
  ASSERT_TRUE(scheduler.Schedule());
  ASSERT_TRUE(scheduler.Schedule());  // a second process starting: still one job

  std::vector<int64_t> waits;
  for (int failure = 0; failure < 4; ++failure) {
    auto ran = scheduler.RunDue(nullptr);
    ASSERT_TRUE(ran) << ran.error().message;
    ASSERT_TRUE(*ran) << "failure " << failure;
    EXPECT_EQ((*ran)->outcome, store::JobOutcome::kFailed);
    EXPECT_EQ((*ran)->error, "provider down");
    const auto next = ParseUtc((*ran)->next_run);
    ASSERT_TRUE(next);
    waits.push_back(std::chrono::duration_cast<seconds>(*next - now_).count());
    // Not before its backoff.
    now_ = *next - seconds(1);
    auto early = scheduler.RunDue(nullptr);
    ASSERT_TRUE(early);
    EXPECT_FALSE(*early);
    now_ += seconds(1);
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{30, 60, 100, 100}));
  EXPECT_EQ(Unit("advisory_sync").attempts, 4);
  EXPECT_EQ(Unit("advisory_sync").last_error, "provider down");

  std::ofstream(healed) << "";
  auto ran = scheduler.RunDue(nullptr);
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ((*ran)->outcome, store::JobOutcome::kOk);
  EXPECT_EQ((*ran)->summary["fetched"], 3);
  EXPECT_EQ((*ran)->next_run, At(100));
  EXPECT_EQ(Unit("advisory_sync").attempts, 0);
  EXPECT_FALSE(Unit("advisory_sync").last_error);

  const auto runs = Runs("advisory_sync");
  ASSERT_EQ(runs.size(), 5u);
  EXPECT_EQ(runs[0].outcome, store::JobOutcome::kOk);
  EXPECT_EQ(runs[0].summary, R"({"fetched":3})");
  EXPECT_EQ(runs[0].holder, "serve-1");
  for (size_t i = 1; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].outcome, store::JobOutcome::kFailed);
    EXPECT_EQ(runs[i].error, "provider down");
    EXPECT_TRUE(runs[i].finished_at);
  }
}

TEST_F(SchedulerTest, AJobThatHangsIsCutOffAtItsLimit) {
  Scheduler scheduler(
      *store_, [this] { return now_; },
      Settings("serve-1", "notify", "echo started; exec sleep 60", 60,
               /*limit=*/1));
  ASSERT_TRUE(scheduler.Schedule());
  const auto started = std::chrono::steady_clock::now();
  auto ran = scheduler.RunDue(nullptr);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ((*ran)->outcome, store::JobOutcome::kCutOff);
  EXPECT_THAT((*ran)->error.value_or(""), HasSubstr("cut off after 1 s"));
  EXPECT_LT(took, seconds(30)) << "the hung job was waited for";
  EXPECT_EQ((*ran)->next_run, At(30));  // tried again after the first backoff
  const auto runs = Runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].outcome, store::JobOutcome::kCutOff);
}

TEST_F(SchedulerTest, WhileOneProcessRunsAJobAnotherDoesNotTakeIt) {
  const fs::path go = database_.folder() / "go";
  const fs::path running = database_.folder() / "running";
  // The job says it runs, then waits until the test lets it end.
  const std::string script =
      fmt::format("touch {}; while [ ! -e {} ]; do sleep 0.05; done; echo '{{}}'", running.string(),
                  go.string());
  Scheduler first(
      *store_, [this] { return now_; }, Settings("host-a:1", "retention", script));
  // The second process looks later, long after the usual lease: the holder's lease covers the
  // job's time limit.
  Scheduler second(
      *store_, [this] { return now_ + seconds(59); }, Settings("host-b:2", "retention", script));
  ASSERT_TRUE(first.Schedule());
  ASSERT_TRUE(second.Schedule());
  Result<std::optional<RunReport>> first_run = std::optional<RunReport>();
  std::thread runner([&] { first_run = first.RunDue(nullptr); });
  const auto give_up = std::chrono::steady_clock::now() + seconds(30);
  while (!fs::exists(running) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(fs::exists(running));
  auto taken = second.RunDue(nullptr);
  std::ofstream(go) << "";
  runner.join();
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_FALSE(*taken) << "the second process ran the job while the first did";
  ASSERT_TRUE(first_run && *first_run);
  EXPECT_EQ((*first_run)->outcome, store::JobOutcome::kOk);
  EXPECT_EQ(Runs().size(), 1u);
}

TEST_F(SchedulerTest, ARunWhoseProcessDiedIsMarkedInterruptedByTheNextHolder) {
  // A process took the job and died in the middle: its lease runs out, its run stays
  // "running".
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Work().Add("job", "retention", "{}", At(0), At(0)));
    ASSERT_TRUE((*tx)->Work().Claim("gone", At(0), At(60), 1, {}));
    ASSERT_TRUE((*tx)->Work().StartRun("retention", "gone", At(0)));
    ASSERT_TRUE((*tx)->Commit());
  }
  Scheduler scheduler(
      *store_, [this] { return now_; },
      Settings("serve-1", "retention", "echo '{\"removed\": 0}'", 86400));
  auto early = scheduler.RunDue(nullptr);
  ASSERT_TRUE(early);
  EXPECT_FALSE(*early) << "taken while the dead process's lease lasted";
  now_ += seconds(61);
  auto ran = scheduler.RunDue(nullptr);
  ASSERT_TRUE(ran && *ran);
  EXPECT_EQ((*ran)->outcome, store::JobOutcome::kOk);
  const auto runs = Runs("retention");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].holder, "gone");
  EXPECT_EQ(runs[1].outcome, store::JobOutcome::kInterrupted);
  EXPECT_EQ(runs[1].finished_at, At(0));
}

TEST(BackoffTest, DoublesFromThirtySecondsUpToTheInterval) {
  EXPECT_EQ(BackoffSeconds(1, 3600), 30);
  EXPECT_EQ(BackoffSeconds(2, 3600), 60);
  EXPECT_EQ(BackoffSeconds(3, 3600), 120);
  EXPECT_EQ(BackoffSeconds(8, 3600), 3600);
  EXPECT_EQ(BackoffSeconds(1000, 3600), 3600);
  EXPECT_EQ(BackoffSeconds(1, 10), 10);  // a job run every 10 s waits no longer than that
}

}  // namespace
}  // namespace baken::jobs
