#include "store/work_repository.h"

#include <fmt/format.h>

namespace baken::store {

namespace {

using sql::Connection;
using sql::Statement;

constexpr std::string_view kWorkColumns =
    "id, kind, work_key, payload, state, run_after, lease_owner, lease_until, attempts, "
    "last_error, result, created_at, finished_at";

std::optional<WorkState> ParseWorkState(std::string_view text) {
  for (WorkState state :
       {WorkState::kReady, WorkState::kLeased, WorkState::kDone, WorkState::kFailed}) {
    if (Name(state) == text) return state;
  }
  return std::nullopt;
}

constexpr JobOutcome kJobOutcomes[] = {JobOutcome::kRunning, JobOutcome::kOk, JobOutcome::kFailed,
                                       JobOutcome::kCutOff, JobOutcome::kInterrupted};

std::optional<JobOutcome> ParseJobOutcome(std::string_view text) {
  for (JobOutcome outcome : kJobOutcomes) {
    if (Name(outcome) == text) return outcome;
  }
  return std::nullopt;
}

WorkItem ReadItem(const Statement& row) {
  WorkItem item;
  item.id = row.ColumnInt(0);
  item.kind = row.ColumnText(1);
  item.key = row.ColumnText(2);
  item.payload = row.ColumnText(3);
  item.state = ParseWorkState(row.ColumnText(4)).value_or(WorkState::kFailed);
  item.run_after = row.ColumnText(5);
  item.lease_owner = row.ColumnOptionalText(6);
  item.lease_until = row.ColumnOptionalText(7);
  item.attempts = row.ColumnInt(8);
  item.last_error = row.ColumnOptionalText(9);
  item.result = row.ColumnOptionalText(10);
  item.created_at = row.ColumnText(11);
  item.finished_at = row.ColumnOptionalText(12);
  return item;
}

class SqlWorkRepository final : public WorkRepository {
 public:
  explicit SqlWorkRepository(Connection& db) : db_(db) {}

  Result<bool> Add(std::string_view kind, std::string_view key, std::string_view payload,
                   std::string_view run_after, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO work (kind, work_key, payload, state, run_after, attempts, "
                    "created_at) VALUES (?1, ?2, ?3, 'ready', ?4, 0, ?5) "
                    "ON CONFLICT (kind, work_key) DO NOTHING"));
    insert.Bind(1, kind).Bind(2, key).Bind(3, payload).Bind(4, run_after).Bind(5, now);
    BAKEN_RETURN_IF_ERROR(insert.Run());
    return db_.Changes() == 1;
  }

  Result<std::optional<WorkItem>> Find(std::string_view kind, std::string_view key) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            fmt::format("SELECT {} FROM work WHERE kind = ?1 AND work_key = ?2", kWorkColumns)));
    select.Bind(1, kind).Bind(2, key);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<WorkItem>();
    return ReadItem(select);
  }

  Result<std::optional<WorkItem>> Claim(std::string_view owner, std::string_view now,
                                        std::string_view until, int64_t max_attempts,
                                        const WorkFilter& filter) override {
    // The one place the engines differ: on PostgreSQL the candidate row is locked and rows
    // other transactions hold are skipped, so that claims never wait on one another. The
    // store's write lock, which the caller's transaction holds, serialises claims on SQLite
    // (and on PostgreSQL as well, today).
    const bool postgresql = db_.engine() == sql::Engine::kPostgresql;
    std::string jobs = "?3 = 1";
    if (filter.jobs) {
      jobs = "work_key IN (''";
      for (size_t i = 0; i < filter.jobs->size(); ++i) jobs += fmt::format(", ?{}", i + 4);
      jobs += ")";
    }
    BAKEN_ASSIGN_OR_RETURN(
        Statement select, db_.Prepare(fmt::format(
                              "SELECT {} FROM work WHERE ((state = 'ready' AND run_after <= ?1) OR "
                              "(state = 'leased' AND lease_until < ?1)) AND "
                              "((kind = 'ingest' AND ?2 = 1) OR (kind = 'job' AND {})) "
                              "ORDER BY run_after, id LIMIT 1{}",
                              kWorkColumns, jobs, postgresql ? " FOR UPDATE SKIP LOCKED" : "")));
    for (;;) {
      select.Reset();
      select.Bind(1, now)
          .Bind(2, int64_t{filter.files ? 1 : 0})
          .Bind(3, int64_t{filter.jobs ? 0 : 1});
      if (filter.jobs) {
        for (size_t i = 0; i < filter.jobs->size(); ++i) {
          select.Bind(static_cast<int>(i + 4), (*filter.jobs)[i]);
        }
      }
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) return std::optional<WorkItem>();
      WorkItem item = ReadItem(select);
      select.Reset();
      if (item.kind != "job" && item.attempts >= max_attempts) {
        // Every worker that took it stopped before it finished (a file that kills the process,
        // say): given up, for an operator to look at, instead of killing worker after worker.
        BAKEN_ASSIGN_OR_RETURN(
            Statement give_up,
            db_.Prepare("UPDATE work SET state = 'failed', finished_at = ?2, last_error = ?3, "
                        "lease_until = NULL WHERE id = ?1"));
        give_up.Bind(1, item.id)
            .Bind(2, now)
            .Bind(3, fmt::format("given up after {} attempts; the last worker ({}) stopped "
                                 "before it finished{}",
                                 item.attempts, item.lease_owner.value_or("?"),
                                 item.last_error ? ": " + *item.last_error : std::string()));
        BAKEN_RETURN_IF_ERROR(give_up.Run());
        continue;
      }
      BAKEN_ASSIGN_OR_RETURN(
          Statement lease,
          db_.Prepare("UPDATE work SET state = 'leased', lease_owner = ?2, lease_until = ?3, "
                      "attempts = attempts + 1 WHERE id = ?1"));
      lease.Bind(1, item.id).Bind(2, owner).Bind(3, until);
      BAKEN_RETURN_IF_ERROR(lease.Run());
      item.state = WorkState::kLeased;
      item.lease_owner = std::string(owner);
      item.lease_until = std::string(until);
      ++item.attempts;
      return item;
    }
  }

  Result<bool> Renew(int64_t id, std::string_view owner, std::string_view until) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE work SET lease_until = ?3 WHERE id = ?1 AND "
                                       "state = 'leased' AND lease_owner = ?2"));
    update.Bind(1, id).Bind(2, owner).Bind(3, until);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Result<bool> Finish(int64_t id, std::string_view owner, WorkState state,
                      std::string_view run_after, const std::optional<std::string>& error,
                      const std::optional<std::string>& result, std::string_view now) override {
    const bool finished = state == WorkState::kDone || state == WorkState::kFailed;
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE work SET state = ?3, run_after = ?4, last_error = ?5, result = ?6, "
                    "finished_at = ?7, lease_until = NULL, "
                    "attempts = CASE WHEN ?8 = 1 THEN attempts ELSE 0 END "
                    "WHERE id = ?1 AND state = 'leased' AND lease_owner = ?2"));
    update.Bind(1, id)
        .Bind(2, owner)
        .Bind(3, Name(state))
        .Bind(4, run_after)
        .Bind(5, error)
        .Bind(6, result)
        .Bind(7, finished ? std::optional<std::string>(std::string(now)) : std::nullopt)
        .Bind(8, int64_t{finished || error ? 1 : 0});
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Result<std::vector<WorkItem>> List(std::string_view kind) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM work WHERE ?1 = '' OR kind = ?1 ORDER BY id",
                                kWorkColumns)));
    select.Bind(1, kind);
    std::vector<WorkItem> items;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      items.push_back(ReadItem(select));
    }
    return items;
  }

  Result<std::vector<std::string>> LeaseHolders(std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT DISTINCT lease_owner FROM work WHERE state = "
                                       "'leased' AND lease_until >= ?1"));
    select.Bind(1, now);
    std::vector<std::string> owners;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      owners.push_back(select.ColumnText(0));
    }
    return owners;
  }

  Result<int64_t> StartRun(std::string_view job, std::string_view holder,
                           std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement insert,
                           db_.Prepare("INSERT INTO job_runs (job, holder, started_at, outcome) "
                                       "VALUES (?1, ?2, ?3, 'running') RETURNING id"));
    insert.Bind(1, job).Bind(2, holder).Bind(3, now);
    return sql::InsertedId(insert);
  }

  Status FinishRun(int64_t id, JobOutcome outcome, const std::optional<std::string>& summary,
                   const std::optional<std::string>& error, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE job_runs SET outcome = ?2, summary = ?3, error = ?4, finished_at = ?5 "
                    "WHERE id = ?1 AND outcome = 'running'"));
    update.Bind(1, id).Bind(2, Name(outcome)).Bind(3, summary).Bind(4, error).Bind(5, now);
    return update.Run();
  }

  Status InterruptRuns(std::string_view job, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE job_runs SET outcome = 'interrupted', finished_at = ?2, "
                    "error = 'the process running it stopped before the run ended' "
                    "WHERE job = ?1 AND outcome = 'running'"));
    update.Bind(1, job).Bind(2, now);
    return update.Run();
  }

  Result<std::vector<JobRun>> Runs(std::string_view job, int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, job, holder, started_at, finished_at, outcome, summary, error "
                    "FROM job_runs WHERE ?1 = '' OR job = ?1 ORDER BY id DESC LIMIT ?2"));
    select.Bind(1, job).Bind(2, limit);
    std::vector<JobRun> runs;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      JobRun run;
      run.id = select.ColumnInt(0);
      run.job = select.ColumnText(1);
      run.holder = select.ColumnText(2);
      run.started_at = select.ColumnText(3);
      run.finished_at = select.ColumnOptionalText(4);
      run.outcome = ParseJobOutcome(select.ColumnText(5)).value_or(JobOutcome::kFailed);
      run.summary = select.ColumnOptionalText(6);
      run.error = select.ColumnOptionalText(7);
      runs.push_back(std::move(run));
    }
    return runs;
  }

  Result<std::map<std::string, std::string, std::less<>>> LastSuccesses() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT job, max(finished_at) FROM job_runs "
                                       "WHERE outcome = 'ok' GROUP BY job"));
    std::map<std::string, std::string, std::less<>> last;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      last.emplace(select.ColumnText(0), select.ColumnText(1));
    }
    return last;
  }

  Status EndLeases(std::string_view owner) override {
    // An ended lease is one that ran out long ago: the unit is taken over at the next claim.
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE work SET lease_until = '' WHERE lease_owner = ?1 "
                                       "AND state = 'leased'"));
    update.Bind(1, owner);
    return update.Run();
  }

 private:
  Connection& db_;
};

}  // namespace

std::string_view Name(WorkState state) {
  switch (state) {
    case WorkState::kReady:
      return "ready";
    case WorkState::kLeased:
      return "leased";
    case WorkState::kDone:
      return "done";
    case WorkState::kFailed:
      return "failed";
  }
  return "failed";
}

std::string_view Name(JobOutcome outcome) {
  switch (outcome) {
    case JobOutcome::kRunning:
      return "running";
    case JobOutcome::kOk:
      return "ok";
    case JobOutcome::kFailed:
      return "failed";
    case JobOutcome::kCutOff:
      return "cut_off";
    case JobOutcome::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

std::unique_ptr<WorkRepository> MakeWorkRepository(sql::Connection& db) {
  return std::make_unique<SqlWorkRepository>(db);
}

}  // namespace baken::store
