#ifndef BAKEN_WORK_WORK_SERVICE_H_
#define BAKEN_WORK_WORK_SERVICE_H_

// `baken worker`: work shared by several processes on one database
// (docs/decisions/0017-shared-work.md). Spooled feed files and scheduled jobs are units of work
// in the store (store::WorkRepository); a worker takes one with a lease, does it with the
// services every other command uses (ingest, notify, retention) and marks it done. A worker
// that dies leaves its unit leased; another takes it over once the lease has run out, and
// since ingest stores each event once (dedup keys) and delivery takes each message with a
// lease of its own, nothing is done twice.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/error.h"
#include "jobs/scheduler.h"
#include "registry/member_json.h"
#include "service/ingest_service.h"
#include "service/notify_service.h"
#include "store/store.h"

namespace baken::work {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct WorkerSettings {
  std::string owner;           // this worker's name, as leases show it
  int64_t lease_seconds = 60;  // a unit a worker stopped on is taken over after this long
  int64_t max_attempts = 5;    // a file whose workers keep dying is given up after this many
  std::optional<std::filesystem::path> spool;  // where feed files are dropped
  service::IngestOptions ingest;               // how spooled files are read
  // The pass after an ingest that tells and delivers what the file brought; nullopt without a
  // mail server. The scheduled jobs (notify among them) are the Scheduler's.
  std::optional<service::NotifySettings> notify;
};

// One finished unit, for the worker's log (a JSON line with --json).
struct UnitReport {
  std::string kind;  // "ingest", "job", or "notify" for the pass after an ingest
  std::string key;   // a file's SHA-256 and name ("<sha256>/<name>"), a job's name
  // A file: "done", "failed", "ready" (tried again), "lost" (taken over); a job: its run's
  // outcome ("ok", "failed", "cut_off", "interrupted") or "lost".
  std::string state;
  std::string file;  // a spooled file's name
  std::optional<std::string> error;
  registry::Json detail;  // the ingest or notify summary
};
registry::Json ReportToJson(const UnitReport& report);

class WorkService {
 public:
  // `scheduler` runs the scheduled jobs this worker takes; null: it takes none.
  WorkService(store::Store& store, Clock clock, jobs::Scheduler* scheduler);

  // Adds the scheduled jobs unless they exist, due at once.
  Status ScheduleJobs();
  // Adds a unit for every file in the spool whose name and content are new (names starting
  // with "." or ending in ".tmp" or ".part" are files still being written, and wait). A file
  // ingested already (dropped again, or one whose move a killed worker did not finish) goes to
  // done/.
  // Returns how many units were added.
  Result<int64_t> ScanSpool(const WorkerSettings& settings);
  // Takes one unit and does it; nullopt when there was nothing to take. `stop` is asked while a
  // job runs whether the worker is stopping.
  Result<std::optional<UnitReport>> RunOne(const auth::Principal& who,
                                           const WorkerSettings& settings,
                                           const std::function<bool()>& stop = nullptr);
  // What `baken notify` does, with this worker's leases: due digests into messages, and the
  // deliverable messages out.
  Result<UnitReport> NotifyPass(const auth::Principal& who, const WorkerSettings& settings);

 private:
  Result<UnitReport> Ingest(const auth::Principal& who, const WorkerSettings& settings,
                            const store::WorkItem& item);
  // Ends the unit; false when another worker took it over meanwhile.
  Result<bool> Finish(const WorkerSettings& settings, const store::WorkItem& item,
                      store::WorkState state, std::string_view run_after,
                      const std::optional<std::string>& error,
                      const std::optional<std::string>& result);
  std::string Now() const;
  std::string Later(int64_t seconds) const;

  store::Store& store_;
  Clock clock_;
  jobs::Scheduler* scheduler_;
  // Hashes of spooled files already read, by path, size and modification time, so that a
  // poll does not read every waiting file again.
  std::map<std::tuple<std::string, uintmax_t, int64_t>, std::string> hashes_;
  // Spooled names that are not UTF-8 and could not be renamed, said once each (ScanSpool).
  std::set<std::string> unrenamable_;
};

// Moves a spooled file into the spool's done/ folder (a name taken there gets the content's
// hash added); false when it was gone already.
Result<bool> MoveToDone(const std::filesystem::path& file, std::string_view sha256);

}  // namespace baken::work

#endif  // BAKEN_WORK_WORK_SERVICE_H_
