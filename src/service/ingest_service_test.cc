// Ingest's write transactions (service/ingest_service.h), on a real store of either engine:
// where the store groups batches a transaction holds several, every event is stored and
// counted once across batches and transactions, and a run stopped after a commit keeps what
// was committed and nothing after it.

#include "service/ingest_service.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "auth/principal.h"
#include "net/ip_address.h"
#include "store/sql.h"
#include "store/test_database.h"

namespace baken::service {
namespace {

class IngestServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    routing::Constituency::Builder builder;
    builder.AddNetblock(*net::ParsePrefix("192.0.2.0/24"), "GM0363");
    auto constituency = std::move(builder).Build();
    ASSERT_TRUE(constituency) << constituency.error().message;
    constituency_ = std::move(*constituency);
    directory_ = std::filesystem::temp_directory_path() /
                 fmt::format("baken-ingest-service-test-{}", getpid());
    std::filesystem::create_directories(directory_);
  }

  void TearDown() override { std::filesystem::remove_all(directory_); }

  // A scan_rdp report of `rows` rows: 192.0.2.x (the member's) and 198.51.100.x (nobody's)
  // in turn, every fourth row a repeat of the row two before it (a duplicate in the run, in
  // another batch when batches are three rows).
  std::string Report(size_t rows) {
    const std::filesystem::path path = directory_ / "2026-11-22-scan_rdp-test.csv";
    std::ofstream out(path);
    out << "timestamp,ip,port\n";
    for (size_t row = 0; row < rows; ++row) {
      const size_t n = row % 4 == 3 ? row - 2 : row;
      out << fmt::format("2026-11-22 01:02:03,{}.{},3389\n", n % 2 == 0 ? "192.0.2" : "198.51.100",
                         n);
    }
    return path.string();
  }

  // Ingests `report` in batches of three rows, two to a transaction where the store groups
  // them, counting the commits in commits_; the commit numbered stop_at_commit_ stops the run.
  Result<IngestSummary> Ingest(const std::string& report,
                               std::chrono::milliseconds time_limit = std::chrono::hours(1)) {
    IngestOptions options;
    options.batch_size = 3;
    options.batches_per_transaction = 2;
    options.transaction_time_limit = time_limit;
    options.after_batch = [this]() -> Status {
      if (++commits_ == stop_at_commit_) return Unavailable("stopped for the test");
      return {};
    };
    IngestService ingest(*store_, constituency_);
    return ingest.IngestFiles(auth::CommandLineOperator(), {report}, options);
  }

  int64_t StoredEvents() {
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    auto count = (*tx)->Events().Count(registry::Scope::All(), store::EventQuery{});
    EXPECT_TRUE(count) << count.error().message;
    return count ? *count : -1;
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const routing::Constituency> constituency_;
  std::filesystem::path directory_;
  int commits_ = 0;
  int stop_at_commit_ = 0;  // 0: none
};

TEST_F(IngestServiceTest, EveryEventIsStoredAndCountedOnceAcrossBatchesAndTransactions) {
  const std::string report = Report(40);  // 30 distinct, 10 repeats
  auto summary = Ingest(report);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->parsed, 40);
  EXPECT_EQ(summary->duplicates, 10);
  EXPECT_EQ(summary->routed + summary->unrouted, 30);
  EXPECT_EQ(summary->routed, 20);
  EXPECT_EQ(StoredEvents(), 30);
  // 14 batches: in 7 transactions where the store groups two, else one each.
  EXPECT_EQ(commits_, store_->GroupsIngestBatches() ? 7 : 14);

  // Again: everything is known now.
  auto again = Ingest(report);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->duplicates, 40);
  EXPECT_EQ(again->routed + again->unrouted, 0);
  EXPECT_EQ(StoredEvents(), 30);
}

TEST_F(IngestServiceTest, ARunStoppedAfterACommitKeepsWhatWasCommittedAndNothingAfter) {
  const std::string report = Report(40);
  stop_at_commit_ = 2;
  auto summary = Ingest(report);
  EXPECT_FALSE(summary);
  EXPECT_EQ(commits_, 2);
  // The rows of the first two commits: 12 rows where a transaction holds two batches of
  // three, 6 where each batch is its own; three of every four rows are new.
  EXPECT_EQ(StoredEvents(), store_->GroupsIngestBatches() ? 9 : 5);
}

TEST_F(IngestServiceTest, AStoreFailureTakesBackTheBatchesOfItsTransactionAndNoMore) {
  // The store refuses the 13th dedup key: the first of the sixth batch (rows 15 to 17; row 15
  // repeats row 13, which is checked against the index all the same).
  const bool postgresql = database_.location().starts_with("postgresql://");
  auto db = postgresql ? store::sql::OpenPostgresql(database_.location())
                       : store::sql::OpenSqlite(database_.location());
  ASSERT_TRUE(db) << db.error().message;
  const Status trigger =
      postgresql
          ? (*db)->Execute(
                "CREATE FUNCTION refuse_thirteenth_key() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN IF (SELECT count(*) FROM event_keys) >= 12 THEN "
                "RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$; "
                "CREATE TRIGGER refuse_thirteenth_key BEFORE INSERT ON event_keys "
                "FOR EACH ROW EXECUTE FUNCTION refuse_thirteenth_key()")
          : (*db)->Execute(
                "CREATE TRIGGER refuse_thirteenth_key BEFORE INSERT ON event_keys "
                "WHEN (SELECT count(*) FROM event_keys) >= 12 "
                "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");
  ASSERT_TRUE(trigger) << trigger.error().message;
  db->reset();

  const std::string report = Report(40);
  auto summary = Ingest(report);
  ASSERT_FALSE(summary);
  EXPECT_NE(summary.error().message.find("refused for the test"), std::string::npos)
      << summary.error().message;
  if (store_->GroupsIngestBatches()) {
    // Batches five and six share a transaction: the fifth goes with the sixth. Rows 0 to 11
    // stay, of which 9 are new.
    EXPECT_EQ(commits_, 2);
    EXPECT_EQ(StoredEvents(), 9);
  } else {
    // Each batch on its own: the first five stay (rows 0 to 14, 12 new).
    EXPECT_EQ(commits_, 5);
    EXPECT_EQ(StoredEvents(), 12);
  }
}

TEST_F(IngestServiceTest, ATransactionOlderThanItsLimitCommitsAfterTheBatchInHand) {
  const std::string report = Report(40);
  auto summary = Ingest(report, std::chrono::milliseconds(0));  // always too old
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(commits_, 14);
  EXPECT_EQ(StoredEvents(), 30);
}

}  // namespace
}  // namespace baken::service
