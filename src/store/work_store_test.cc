// Shared work and delivery leases (docs/decisions/0017-shared-work.md), on both engines: who
// takes what, when a lease runs out, giving up, and two transactions claiming at once. Time is
// an input here: every call is given its "now", so leases run out without waiting.

#include <future>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

constexpr std::string_view kT0 = "2026-12-05T10:00:00Z";
constexpr std::string_view kT1 = "2026-12-05T10:00:30Z";  // within a lease taken at kT0
constexpr std::string_view kLeaseEnd = "2026-12-05T10:01:00Z";
constexpr std::string_view kT2 = "2026-12-05T10:01:01Z";  // after it
constexpr std::string_view kT2LeaseEnd = "2026-12-05T10:02:01Z";

class WorkStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  bool Add(std::string_view kind, std::string_view key, std::string_view run_after = kT0) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto added = (*tx)->Work().Add(kind, key, R"({"path": "x"})", run_after, kT0);
    EXPECT_TRUE(added) << added.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return added.value_or(false);
  }
  std::optional<WorkItem> Claim(std::string_view owner, std::string_view now,
                                std::string_view until, int64_t max_attempts = 3,
                                const WorkFilter& filter = {}) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto claimed = (*tx)->Work().Claim(owner, now, until, max_attempts, filter);
    EXPECT_TRUE(claimed) << claimed.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return claimed.value_or(std::nullopt);
  }
  std::optional<WorkItem> Find(std::string_view kind, std::string_view key) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    return (*tx)->Work().Find(kind, key).value_or(std::nullopt);
  }
  bool Finish(const WorkItem& item, std::string_view owner, WorkState state,
              std::string_view run_after, std::optional<std::string> error = std::nullopt) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto held = (*tx)->Work().Finish(item.id, owner, state, run_after, error,
                                     std::string(R"({"ok": true})"), kT1);
    EXPECT_TRUE(held) << held.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return held.value_or(false);
  }
  int64_t AddMessage(const std::string& message_id) {
    OutboxMessage message;
    message.member = "GM0363";
    message.feed_name = "Accessible-RDP";
    message.tlp = "AMBER";
    message.language = "nl";
    message.recipients = {"soc@example.nl"};
    message.message_id = message_id;
    message.mime = "Subject: x\r\n\r\nbody\r\n";
    message.created_at = std::string(kT0);
    message.updated_at = std::string(kT0);
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto digest =
        (*tx)->Digests().Create({"GM0363", message_id, "AMBER", std::string(kT0)}, kT0, kT0);
    EXPECT_TRUE(digest) << digest.error().message;
    message.digest_id = digest.value_or(0);
    auto id = (*tx)->Outbox().Add(message);
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return id.value_or(0);
  }
  std::optional<OutboxMessage> ClaimMessage(std::string_view owner, std::string_view now,
                                            std::string_view until) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto claimed = (*tx)->Outbox().ClaimDeliverable(owner, now, until);
    EXPECT_TRUE(claimed) << claimed.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return claimed.value_or(std::nullopt);
  }

  testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(WorkStoreTest, TheSameKeyIsOneUnitAndTheOldestDueIsTakenFirst) {
  EXPECT_TRUE(Add("ingest", "aaa"));
  EXPECT_FALSE(Add("ingest", "aaa"));  // the same file dropped twice
  EXPECT_TRUE(Add("ingest", "bbb"));
  EXPECT_TRUE(Add("job", "aaa"));                            // another kind, another unit
  EXPECT_TRUE(Add("job", "later", "2026-12-05T11:00:00Z"));  // not due yet

  const auto first = Claim("w1", kT0, kLeaseEnd);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, "ingest");
  EXPECT_EQ(first->key, "aaa");
  EXPECT_EQ(first->state, WorkState::kLeased);
  EXPECT_EQ(first->lease_owner, "w1");
  EXPECT_EQ(first->attempts, 1);
  const auto second = Claim("w2", kT0, kLeaseEnd);
  const auto third = Claim("w3", kT0, kLeaseEnd);
  ASSERT_TRUE(second && third);
  EXPECT_EQ(second->key, "bbb");
  EXPECT_EQ(third->kind, "job");
  EXPECT_FALSE(Claim("w4", kT1, "2026-12-05T10:01:30Z"));  // the rest is leased or not due

  const auto stored = Find("ingest", "aaa");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, WorkState::kLeased);
  EXPECT_EQ(stored->lease_until, std::string(kLeaseEnd));
}

TEST_F(WorkStoreTest, AnExpiredLeaseIsTakenOverAndTheFormerHolderLosesIt) {
  ASSERT_TRUE(Add("ingest", "aaa"));
  const auto first = Claim("w1", kT0, kLeaseEnd);
  ASSERT_TRUE(first);
  EXPECT_FALSE(Claim("w2", kT1, "2026-12-05T10:01:30Z"));  // still w1's

  // w1 renews while it works: its lease now ends later, and w2 still cannot take it.
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_EQ((*tx)->Work().Renew(first->id, "w1", "2026-12-05T10:01:30Z"), true);
    ASSERT_TRUE((*tx)->Commit());
  }
  EXPECT_FALSE(Claim("w2", kT2, kT2LeaseEnd));

  // w1 stops (killed); after its lease ran out, w2 takes it over.
  const auto taken = Claim("w2", "2026-12-05T10:01:31Z", kT2LeaseEnd);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->id, first->id);
  EXPECT_EQ(taken->lease_owner, "w2");
  EXPECT_EQ(taken->attempts, 2);

  // w1, still alive after all, can neither renew nor finish it.
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_EQ((*tx)->Work().Renew(first->id, "w1", "2026-12-05T10:05:00Z"), false);
    ASSERT_TRUE((*tx)->Commit());
  }
  EXPECT_FALSE(Finish(*first, "w1", WorkState::kDone, kT1));
  EXPECT_EQ(Find("ingest", "aaa")->state, WorkState::kLeased);
  EXPECT_TRUE(Finish(*taken, "w2", WorkState::kDone, kT1));
  const auto done = Find("ingest", "aaa");
  EXPECT_EQ(done->state, WorkState::kDone);
  EXPECT_EQ(done->result, R"({"ok": true})");
  EXPECT_EQ(done->finished_at, std::string(kT1));
  EXPECT_FALSE(Claim("w3", "2026-12-06T00:00:00Z", "2026-12-06T00:01:00Z"));  // done stays done
}

TEST_F(WorkStoreTest, AFileWhoseWorkersKeepDyingIsGivenUpButAJobIsNot) {
  ASSERT_TRUE(Add("ingest", "poison"));
  ASSERT_TRUE(Add("job", "notify"));
  // Three workers take the file and die; each time the lease runs out.
  const std::string_view starts[] = {"2026-12-05T10:00:00Z", "2026-12-05T10:02:00Z",
                                     "2026-12-05T10:04:00Z"};
  const std::string_view ends[] = {"2026-12-05T10:01:00Z", "2026-12-05T10:03:00Z",
                                   "2026-12-05T10:05:00Z"};
  for (int i = 0; i < 3; ++i) {
    auto claimed = Claim("w" + std::to_string(i), starts[i], ends[i]);
    ASSERT_TRUE(claimed);
    if (claimed->kind == "job") {
      // The job, taken now and then, runs fine and comes back ready; the file stays first.
      EXPECT_TRUE(Finish(*claimed, "w" + std::to_string(i), WorkState::kReady, starts[i]));
      claimed = Claim("w" + std::to_string(i), starts[i], ends[i]);
      ASSERT_TRUE(claimed);
    }
    EXPECT_EQ(claimed->key, "poison");
    EXPECT_EQ(claimed->attempts, i + 1);
  }
  // The fourth taker finds it has had its attempts: failed, and the job is taken instead.
  const auto next = Claim("w3", "2026-12-05T10:06:00Z", "2026-12-05T10:07:00Z");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->kind, "job");
  const auto poison = Find("ingest", "poison");
  EXPECT_EQ(poison->state, WorkState::kFailed);
  ASSERT_TRUE(poison->last_error);
  EXPECT_THAT(*poison->last_error, ::testing::HasSubstr("given up after 3 attempts"));
  EXPECT_THAT(*poison->last_error, ::testing::HasSubstr("w2"));

  // A job that fails keeps its error and comes back at its next run, however often.
  for (int run = 0; run < 5; ++run) {
    const std::string now = fmt::format("2026-12-05T11:0{}:00Z", run);
    const std::string until = fmt::format("2026-12-05T11:0{}:30Z", run);
    auto job = Claim("w3", now, until);
    ASSERT_TRUE(job) << run;
    EXPECT_TRUE(Finish(*job, "w3", WorkState::kReady, until, std::string("no mail server")));
    EXPECT_FALSE(Claim("w4", now, until));  // not before its next run
  }
  const auto job = Find("job", "notify");
  EXPECT_EQ(job->state, WorkState::kReady);
  EXPECT_EQ(job->last_error, "no mail server");
  EXPECT_GE(job->attempts, 5);
}

TEST_F(WorkStoreTest, AJobAWorkerCannotDoIsLeftToOthers) {
  ASSERT_TRUE(Add("job", "notify"));
  ASSERT_TRUE(Add("ingest", "aaa/x.csv"));
  // A worker without a mail server never takes the notify job, not even to put it back; a
  // process that takes no files (`baken serve`) leaves the file.
  EXPECT_FALSE(Claim("w1", kT0, kLeaseEnd, 3,
                     {.files = false, .jobs = std::vector<std::string>{"retention"}}));
  const auto file = Claim("w1", kT0, kLeaseEnd, 3,
                          {.files = true, .jobs = std::vector<std::string>{"retention"}});
  ASSERT_TRUE(file);
  EXPECT_EQ(file->kind, "ingest");
  EXPECT_FALSE(Claim("w2", kT0, kLeaseEnd, 3, {.files = true, .jobs = std::vector<std::string>{}}));
  const auto taken =
      Claim("w2", kT0, kLeaseEnd, 3, {.files = false, .jobs = std::vector<std::string>{"notify"}});
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->key, "notify");
}

TEST_F(WorkStoreTest, AJobsRunsAreRecordedAndAnUnfinishedOneIsMarkedInterrupted) {
  int64_t first = 0;
  int64_t second = 0;
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    first = (*tx)->Work().StartRun("retention", "host:1", kT0).value_or(0);
    ASSERT_TRUE((*tx)->Work().FinishRun(first, JobOutcome::kOk, std::string(R"({"removed": 3})"),
                                        std::nullopt, kT1));
    second = (*tx)->Work().StartRun("retention", "host:2", kT1).value_or(0);
    ASSERT_TRUE((*tx)->Work().StartRun("notify", "host:2", kT1));
    ASSERT_TRUE((*tx)->Commit());
  }
  ASSERT_GT(second, first);
  {
    // host:2 was killed; the next holder of retention says so, and notify's run stays running.
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Work().InterruptRuns("retention", kLeaseEnd));
    // A finished run is not finished again.
    ASSERT_TRUE((*tx)->Work().FinishRun(first, JobOutcome::kFailed, std::nullopt,
                                        std::string("late"), kLeaseEnd));
    ASSERT_TRUE((*tx)->Commit());
  }
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  const auto runs = (*tx)->Work().Runs("retention", 10);
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, second);  // newest first
  EXPECT_EQ((*runs)[0].outcome, JobOutcome::kInterrupted);
  EXPECT_EQ((*runs)[0].finished_at, kLeaseEnd);
  EXPECT_EQ((*runs)[1].outcome, JobOutcome::kOk);
  EXPECT_EQ((*runs)[1].summary, R"({"removed": 3})");
  EXPECT_EQ((*runs)[1].finished_at, kT1);
  EXPECT_FALSE((*runs)[1].error);
  const auto all = (*tx)->Work().Runs("", 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].job, "notify");
  EXPECT_EQ((*all)[0].outcome, JobOutcome::kRunning);
  EXPECT_EQ((*tx)->Work().Runs("", 1)->size(), 1u);
  const auto last = (*tx)->Work().LastSuccesses();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->size(), 1u);
  EXPECT_EQ(last->at("retention"), kT1);
}

TEST_F(WorkStoreTest, TwoTransactionsClaimingAtOnceTakeDifferentUnits) {
  ASSERT_TRUE(Add("ingest", "aaa"));
  ASSERT_TRUE(Add("ingest", "bbb"));
  auto first_tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(first_tx);
  auto first = (*first_tx)->Work().Claim("w1", kT0, kLeaseEnd, 3);
  ASSERT_TRUE(first && *first);
  // A second worker claims while the first transaction is still open: on SQLite it waits for
  // the write lock, on PostgreSQL for the store's lock too, and the row the first holds would
  // be skipped (SKIP LOCKED). Either way it must get the other unit.
  auto second = std::async(std::launch::async, [&]() -> std::optional<WorkItem> {
    auto tx = store_->Begin(Access::kWrite);
    if (!tx) return std::nullopt;
    auto claimed = (*tx)->Work().Claim("w2", kT0, kLeaseEnd, 3);
    if (!claimed || !(*tx)->Commit()) return std::nullopt;
    return *claimed;
  });
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  ASSERT_TRUE((*first_tx)->Commit());
  const std::optional<WorkItem> other = second.get();
  ASSERT_TRUE(other);
  EXPECT_EQ((*first)->key, "aaa");
  EXPECT_EQ(other->key, "bbb");
  EXPECT_EQ(other->lease_owner, "w2");
}

TEST_F(WorkStoreTest, AMessageIsTakenByOneProcessAndOnlyItsHolderMarksItSending) {
  const int64_t id = AddMessage("m1@baken.invalid");
  const auto taken = ClaimMessage("w1", kT0, kLeaseEnd);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->id, id);
  EXPECT_EQ(taken->lease_owner, "w1");
  EXPECT_FALSE(ClaimMessage("w2", kT1, kT2));  // w1 holds it

  // w1 is slow (its lease ran out before it reached the end of the message); w2 takes it over.
  const auto again = ClaimMessage("w2", kT2, kT2LeaseEnd);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, id);
  OutboxMessage sending = *again;
  sending.attempts = 1;
  sending.updated_at = std::string(kT2);
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    // w1 may no longer hand over the end of the message: only one process ever does.
    EXPECT_EQ((*tx)->Outbox().MarkSending(sending, "w1", kT2LeaseEnd), false);
    EXPECT_EQ((*tx)->Outbox().MarkSending(sending, "w2", kT2LeaseEnd), true);
    EXPECT_EQ((*tx)->Outbox().MarkSending(sending, "w2", kT2LeaseEnd), false);  // not pending
    ASSERT_TRUE((*tx)->Commit());
  }
  // "sending" while w2's lease lasts is w2's business, not an interruption.
  {
    auto tx = store_->Begin(Access::kRead);
    ASSERT_TRUE(tx);
    EXPECT_THAT((*tx)->Outbox().Interrupted(kT2).value(), ::testing::IsEmpty());
    const auto after = (*tx)->Outbox().Interrupted("2026-12-05T10:02:02Z").value();
    ASSERT_EQ(after.size(), 1u);  // w2 stopped before it saved the outcome
    EXPECT_EQ(after[0].id, id);
  }
  // w2 saves the outcome; w1's save is refused.
  OutboxMessage sent = sending;
  sent.state = OutboxState::kSent;
  sent.sent_at = std::string(kT2);
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    EXPECT_EQ((*tx)->Outbox().SaveOutcome(sent, "w1"), false);
    EXPECT_EQ((*tx)->Outbox().SaveOutcome(sent, "w2"), true);
    ASSERT_TRUE((*tx)->Commit());
  }
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  const auto stored = (*tx)->Outbox().Get(id).value();
  EXPECT_EQ(stored->state, OutboxState::kSent);
  EXPECT_THAT((*tx)->Outbox().Interrupted("2026-12-06T00:00:00Z").value(), ::testing::IsEmpty());
}

TEST_F(WorkStoreTest, TwoProcessesClaimingMessagesAtOnceTakeDifferentOnes) {
  AddMessage("m1@baken.invalid");
  AddMessage("m2@baken.invalid");
  auto first_tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(first_tx);
  auto first = (*first_tx)->Outbox().ClaimDeliverable("w1", kT0, kLeaseEnd);
  ASSERT_TRUE(first && *first);
  auto second = std::async(std::launch::async, [&]() -> std::optional<OutboxMessage> {
    auto tx = store_->Begin(Access::kWrite);
    if (!tx) return std::nullopt;
    auto claimed = (*tx)->Outbox().ClaimDeliverable("w2", kT0, kLeaseEnd);
    if (!claimed || !(*tx)->Commit()) return std::nullopt;
    return *claimed;
  });
  ASSERT_TRUE((*first_tx)->Commit());
  const auto other = second.get();
  ASSERT_TRUE(other);
  EXPECT_NE((*first)->id, other->id);
  EXPECT_EQ(other->lease_owner, "w2");
}

}  // namespace
}  // namespace baken::store
