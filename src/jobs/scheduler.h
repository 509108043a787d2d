#ifndef BAKEN_JOBS_SCHEDULER_H_
#define BAKEN_JOBS_SCHEDULER_H_

// Baken's own clock (decision 0019): the scheduled jobs, run by `baken serve` and by
// `baken worker` alike. Each job is a unit of shared work (store::WorkRepository, decision
// 0017) whose lease keeps two processes from running it at once, on either engine. The holder
// runs it in a child process (`baken job run NAME`, child_process.h), so that a job that hangs
// is cut off at its time limit; every run is recorded (job_runs) with its outcome, and a job
// that failed is tried again after a backoff instead of at its next interval.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "jobs/child_process.h"
#include "store/store.h"

namespace baken::jobs {

using Clock = std::function<std::chrono::system_clock::time_point()>;

// The jobs Baken knows.
inline constexpr std::string_view kNotify = "notify";               // digests, warnings, mail
inline constexpr std::string_view kAdvisorySync = "advisory_sync";  // the configured providers
inline constexpr std::string_view kRetention = "retention";         // old events removed
inline constexpr std::string_view kEscalate = "escalate";           // pages moved on (oncall)
inline constexpr std::string_view kIntelSync = "intel_sync";        // the followed MISP feeds

struct JobSchedule {
  std::string name;
  int64_t every_seconds = 3600;
  int64_t limit_seconds = 900;  // a run that takes longer is cut off
};

// Every job's name, and its default interval and time limit (nullopt for an unknown name).
const std::vector<std::string_view>& JobNames();
std::optional<JobSchedule> DefaultSchedule(std::string_view name);

// How long after a failed run a job is tried again: 30 s after the first failure in a row,
// doubling with each next one, never longer than its interval.
int64_t BackoffSeconds(int64_t failures_in_a_row, int64_t every_seconds);

struct SchedulerSettings {
  std::string owner;              // the lease holder: "HOST:PID", or a worker's --id
  std::vector<JobSchedule> jobs;  // the jobs this process runs
  // `baken job run` without the job's name: the program, its arguments, the environment that
  // names the store. The job's name and time limit are added per run.
  ChildSpec command;
};

// One run, for the process's log.
struct RunReport {
  std::string job;
  store::JobOutcome outcome = store::JobOutcome::kOk;
  std::optional<std::string> error;
  nlohmann::json summary;  // what the job printed (JSON), or null
  std::string next_run;    // UTC
  bool lost = false;       // another process took the job over meanwhile
};
nlohmann::json RunReportToJson(const RunReport& report);

class Scheduler {
 public:
  Scheduler(store::Store& store, Clock clock, SchedulerSettings settings);

  // Adds each job's unit unless it exists, due at once.
  Status Schedule();
  // What this process takes from the shared work: files or not, and its own jobs.
  store::WorkFilter Filter(bool files) const;
  // Takes one due job of this process's and runs it; nullopt when none is due. `stop` is asked
  // while the job runs whether the process is stopping (then the child is ended and the job is
  // due again at once, for whoever is left).
  Result<std::optional<RunReport>> RunDue(const std::function<bool()>& stop);
  // Runs a job whose unit this process has claimed (a worker claims files and jobs alike).
  Result<RunReport> Run(const store::WorkItem& item, const std::function<bool()>& stop);

 private:
  const JobSchedule* Find(std::string_view name) const;
  std::string At(int64_t seconds_from_now) const;

  store::Store& store_;
  Clock clock_;
  SchedulerSettings settings_;
};

}  // namespace baken::jobs

#endif  // BAKEN_JOBS_SCHEDULER_H_
