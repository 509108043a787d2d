#include "jobs/scheduler.h"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "common/quote.h"
#include "common/time.h"
#include "registry/member_json.h"
#include "service/leases.h"

namespace baken::jobs {

namespace {

using nlohmann::json;
using store::JobOutcome;

constexpr std::string_view kJobKind = "job";
// A job's lease lasts its time limit and this much more: the holder kills a run at the limit
// and records it well within the margin.
constexpr int64_t kLeaseMarginSeconds = 60;
constexpr int64_t kFirstBackoffSeconds = 30;

// The last line a failed child wrote on stderr, without the program's "baken: " prefix: the
// error it stopped on.
std::string LastErrorLine(const std::string& err) {
  std::string_view text(err);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const size_t newline = text.rfind('\n');
  if (newline != std::string_view::npos) text.remove_prefix(newline + 1);
  if (text.starts_with("baken: ")) text.remove_prefix(7);
  return std::string(text.substr(0, 2000));
}

}  // namespace

const std::vector<std::string_view>& JobNames() {
  static const std::vector<std::string_view> kNames = {kNotify, kAdvisorySync, kRetention,
                                                       kEscalate, kIntelSync};
  return kNames;
}

std::optional<JobSchedule> DefaultSchedule(std::string_view name) {
  if (name == kNotify) return JobSchedule{std::string(name), 60, 900};
  if (name == kAdvisorySync) return JobSchedule{std::string(name), 3600, 1800};
  if (name == kRetention) return JobSchedule{std::string(name), 86400, 3600};
  // A page's steps are minutes apart: the engine looks twice a minute.
  if (name == kEscalate) return JobSchedule{std::string(name), 30, 120};
  if (name == kIntelSync) return JobSchedule{std::string(name), 3600, 1800};
  return std::nullopt;
}

int64_t BackoffSeconds(int64_t failures_in_a_row, int64_t every_seconds) {
  int64_t wait = kFirstBackoffSeconds;
  for (int64_t i = 1; i < failures_in_a_row && wait < every_seconds; ++i) wait *= 2;
  return std::max<int64_t>(1, std::min(wait, every_seconds));
}

json RunReportToJson(const RunReport& report) {
  json out{
      {"job", report.job}, {"outcome", store::Name(report.outcome)}, {"next_run", report.next_run}};
  if (report.error) out["error"] = *report.error;
  if (!report.summary.is_null()) out["summary"] = report.summary;
  if (report.lost) out["lost"] = true;
  return out;
}

Scheduler::Scheduler(store::Store& store, Clock clock, SchedulerSettings settings)
    : store_(store), clock_(std::move(clock)), settings_(std::move(settings)) {}

std::string Scheduler::At(int64_t seconds_from_now) const {
  return FormatUtc(clock_() + std::chrono::seconds(seconds_from_now));
}

const JobSchedule* Scheduler::Find(std::string_view name) const {
  for (const JobSchedule& job : settings_.jobs) {
    if (job.name == name) return &job;
  }
  return nullptr;
}

Status Scheduler::Schedule() {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  const std::string now = At(0);
  for (const JobSchedule& job : settings_.jobs) {
    BAKEN_RETURN_IF_ERROR(tx->Work().Add(kJobKind, job.name, "{}", now, now));
  }
  return tx->Commit();
}

store::WorkFilter Scheduler::Filter(bool files) const {
  store::WorkFilter filter{files, std::vector<std::string>{}};
  for (const JobSchedule& job : settings_.jobs) filter.jobs->push_back(job.name);
  return filter;
}

Result<std::optional<RunReport>> Scheduler::RunDue(const std::function<bool()>& stop) {
  std::optional<store::WorkItem> item;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    const std::string now = At(0);
    BAKEN_RETURN_IF_ERROR(service::EndLeasesOfGoneProcesses(*tx, now));
    // The lease is set to the job's own length by Run.
    BAKEN_ASSIGN_OR_RETURN(item, tx->Work().Claim(settings_.owner, now, At(kLeaseMarginSeconds),
                                                  /*max_attempts=*/1, Filter(false)));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  if (!item) return std::optional<RunReport>();
  BAKEN_ASSIGN_OR_RETURN(RunReport report, Run(*item, stop));
  return std::optional<RunReport>(std::move(report));
}

Result<RunReport> Scheduler::Run(const store::WorkItem& item, const std::function<bool()>& stop) {
  RunReport report;
  report.job = item.key;
  const JobSchedule* schedule = Find(item.key);
  if (schedule == nullptr) {
    return Internal(fmt::format("job {} is not one this process runs", Quote(item.key)));
  }
  int64_t run_id = 0;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    const std::string now = At(0);
    BAKEN_ASSIGN_OR_RETURN(const bool held,
                           tx->Work().Renew(item.id, settings_.owner,
                                            At(schedule->limit_seconds + kLeaseMarginSeconds)));
    if (!held) {
      report.lost = true;
      return report;
    }
    // This process holds the job: a run still marked running was cut short with its process.
    BAKEN_RETURN_IF_ERROR(tx->Work().InterruptRuns(item.key, now));
    BAKEN_ASSIGN_OR_RETURN(run_id, tx->Work().StartRun(item.key, settings_.owner, now));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }

  ChildSpec command = settings_.command;
  command.args.push_back(item.key);
  command.limit = std::chrono::seconds(schedule->limit_seconds);
  auto child = RunChild(command, stop);
  int64_t next_in = schedule->every_seconds;
  if (!child) {
    report.outcome = JobOutcome::kFailed;
    report.error = child.error().message;
  } else if (child->cut_off) {
    report.outcome = JobOutcome::kCutOff;
    report.error = fmt::format("cut off after {} s, its time limit", schedule->limit_seconds);
  } else if (child->stopped) {
    report.outcome = JobOutcome::kInterrupted;
    report.error = "the process running it was stopping";
    next_in = 0;  // for whoever is left
  } else if (child->exit_code == 0) {
    report.outcome = JobOutcome::kOk;
  } else {
    report.outcome = JobOutcome::kFailed;
    const std::string line = LastErrorLine(child->err);
    report.error = !line.empty() ? line
                   : child->exit_code < 0
                       ? std::string("the job's process was killed")
                       : fmt::format("the job's process ended with status {}", child->exit_code);
  }
  if (child && report.outcome != JobOutcome::kOk && !child->err.empty()) {
    // All the child said, on this process's stderr: the record keeps the last line, and a
    // sanitizer's report in a job must reach whoever watches this process.
    std::cerr << fmt::format("baken: job {} ({}):\n{}", item.key, store::Name(report.outcome),
                             child->err);
    if (child->err.back() != '\n') std::cerr << "\n";
  }
  if (child) {
    json printed = json::parse(child->out, nullptr, /*allow_exceptions=*/false);
    if (!printed.is_discarded()) report.summary = std::move(printed);
  }
  if (report.outcome == JobOutcome::kFailed || report.outcome == JobOutcome::kCutOff) {
    next_in = BackoffSeconds(item.attempts, schedule->every_seconds);
  }
  report.next_run = At(next_in);
  const std::optional<std::string> summary =
      report.summary.is_null() ? std::nullopt : std::optional(registry::DumpJson(report.summary));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  const std::string now = At(0);
  BAKEN_RETURN_IF_ERROR(tx->Work().FinishRun(run_id, report.outcome, summary, report.error, now));
  BAKEN_ASSIGN_OR_RETURN(const bool held,
                         tx->Work().Finish(item.id, settings_.owner, store::WorkState::kReady,
                                           report.next_run, report.error, summary, now));
  report.lost = !held;
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return report;
}

}  // namespace baken::jobs
