#include "jobs/jobs_service.h"

namespace baken::jobs {

using nlohmann::json;

namespace {

// A JSON column as the value it holds (text that is not JSON as text).
json Parsed(const std::optional<std::string>& text) {
  if (!text) return json();
  json value = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? json(*text) : value;
}

json Optional(const std::optional<std::string>& text) { return text ? json(*text) : json(); }

}  // namespace

json JobRunToJson(const store::JobRun& run) {
  return json{{"id", run.id},
              {"job", run.job},
              {"holder", run.holder},
              {"started_at", run.started_at},
              {"finished_at", Optional(run.finished_at)},
              {"outcome", store::Name(run.outcome)},
              {"summary", Parsed(run.summary)},
              {"error", Optional(run.error)}};
}

Result<json> JobsService::Overview(const auth::Principal& who, std::string_view job,
                                   int64_t limit) {
  if (!who.IsStaff()) return PermissionDenied("only analysts see the scheduled jobs");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const auto units, tx->Work().List("job"));
  BAKEN_ASSIGN_OR_RETURN(const auto last, tx->Work().LastSuccesses());
  json jobs = json::array();
  for (const store::WorkItem& unit : units) {
    const auto success = last.find(unit.key);
    const bool running = unit.state == store::WorkState::kLeased;
    jobs.push_back(
        json{{"name", unit.key},
             {"state", running ? "running" : "waiting"},
             {"next_run", running ? json() : json(unit.run_after)},
             {"holder", running ? Optional(unit.lease_owner) : json()},
             // Claims since the last success: while it runs, the current one counts too.
             {"failures_in_a_row", std::max<int64_t>(0, unit.attempts - (running ? 1 : 0))},
             {"last_error", Optional(unit.last_error)},
             {"last_success", success == last.end() ? json() : json(success->second)}});
  }
  BAKEN_ASSIGN_OR_RETURN(const auto runs, tx->Work().Runs(job, limit));
  json listed = json::array();
  for (const store::JobRun& run : runs) listed.push_back(JobRunToJson(run));
  return json{{"jobs", std::move(jobs)}, {"runs", std::move(listed)}};
}

Result<std::map<std::string, std::string, std::less<>>> JobsService::LastSuccesses() {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Work().LastSuccesses();
}

}  // namespace baken::jobs
