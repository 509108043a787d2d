#ifndef BAKEN_JOBS_JOBS_SERVICE_H_
#define BAKEN_JOBS_JOBS_SERVICE_H_

// What analysts see of the scheduled jobs: each job's state and next run, and the runs.

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/error.h"
#include "store/store.h"

namespace baken::jobs {

inline constexpr int64_t kMaxRunsListed = 500;

class JobsService {
 public:
  explicit JobsService(store::Store& store) : store_(store) {}

  // {"jobs": [...], "runs": [...]}: every scheduled job with its next run, who holds it, its
  // failures in a row and last success; and the latest `limit` runs (of `job`, or of all).
  // Staff only.
  Result<nlohmann::json> Overview(const auth::Principal& who, std::string_view job, int64_t limit);
  // When each job last ran well (for /metrics, which checks its own readers).
  Result<std::map<std::string, std::string, std::less<>>> LastSuccesses();

 private:
  store::Store& store_;
};

nlohmann::json JobRunToJson(const store::JobRun& run);

}  // namespace baken::jobs

#endif  // BAKEN_JOBS_JOBS_SERVICE_H_
