// The work service on both engines, with a clock the test sets: a spooled file is one unit, a
// unit a dead worker held is taken over only after its lease ran out, a done file moves to
// done/ (also a copy dropped again). Scheduled jobs are jobs/scheduler_test.cc's.

#include "work/work_service.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "auth/principal.h"
#include "common/time.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::work {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

class WorkServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    spool_ = database_.folder() / "spool";
    fs::create_directories(spool_);
    settings_.owner = "worker-b";
    settings_.lease_seconds = 60;
    settings_.spool = spool_;
  }
  void WriteFeed(const std::string& name, int rows) {
    std::ofstream file(spool_ / name);
    file << "timestamp,ip,port\n";
    for (int i = 0; i < rows; ++i) {
      file << fmt::format("2026-11-22 03:00:{:02},192.0.2.{},3389\n", i % 60, i + 1);
    }
  }
  int64_t StoredEvents() {
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    return (*tx)->Events().Count(registry::Scope::All(), {}).value_or(-1);
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
  fs::path spool_;
  WorkerSettings settings_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + std::chrono::hours{10};
};

TEST_F(WorkServiceTest, AFileADeadWorkerHeldIsTakenOverAfterItsLeaseAndDoneOnce) {
  WorkService service(
      *store_, [this] { return now_; }, nullptr);
  WriteFeed("2026-11-22-scan_rdp-a.csv", 20);
  EXPECT_EQ(service.ScanSpool(settings_).value_or(-1), 1);
  EXPECT_EQ(service.ScanSpool(settings_).value_or(-1), 0);  // the same file: one unit

  // Worker A takes it and dies at once.
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    auto claimed =
        (*tx)->Work().Claim("worker-a", FormatUtc(now_), FormatUtc(now_ + seconds(60)), 5);
    ASSERT_TRUE(claimed && *claimed);
    ASSERT_TRUE((*tx)->Commit());
  }
  now_ += seconds(59);
  auto none = service.RunOne(auth::CommandLineOperator(), settings_);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none) << "taken while worker A's lease lasted";
  EXPECT_EQ(StoredEvents(), 0);

  now_ += seconds(2);
  auto unit = service.RunOne(auth::CommandLineOperator(), settings_);
  ASSERT_TRUE(unit) << unit.error().message;
  ASSERT_TRUE(*unit);
  EXPECT_EQ((*unit)->kind, "ingest");
  EXPECT_EQ((*unit)->state, "done");
  EXPECT_EQ((*unit)->file, "2026-11-22-scan_rdp-a.csv");
  EXPECT_EQ((*unit)->detail["parsed"], 20);
  EXPECT_EQ(StoredEvents(), 20);
  EXPECT_TRUE(fs::exists(spool_ / "done" / "2026-11-22-scan_rdp-a.csv"));
  EXPECT_FALSE(fs::exists(spool_ / "2026-11-22-scan_rdp-a.csv"));
  {
    auto tx = store_->Begin(store::Access::kRead);
    ASSERT_TRUE(tx);
    const auto units = (*tx)->Work().List("ingest").value();
    ASSERT_EQ(units.size(), 1u);
    EXPECT_EQ(units[0].state, store::WorkState::kDone);
    EXPECT_EQ(units[0].attempts, 2);
    EXPECT_EQ(units[0].lease_owner, "worker-b");
  }

  // Dropped again under its name: known and done, so it goes to done/ beside the first, and
  // nothing is ingested twice.
  WriteFeed("2026-11-22-scan_rdp-a.csv", 20);
  EXPECT_EQ(service.ScanSpool(settings_).value_or(-1), 0);
  EXPECT_FALSE(fs::exists(spool_ / "2026-11-22-scan_rdp-a.csv"));
  EXPECT_EQ(std::distance(fs::directory_iterator(spool_ / "done"), fs::directory_iterator()), 2);
  auto nothing = service.RunOne(auth::CommandLineOperator(), settings_);
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(*nothing);
  EXPECT_EQ(StoredEvents(), 20);
}

}  // namespace
}  // namespace baken::work
