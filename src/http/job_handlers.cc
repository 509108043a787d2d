// The scheduled jobs and their runs (decision 0019), for analysts. The scheduler is in
// src/jobs; this only reads what it recorded.

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "common/quote.h"
#include "http/handler.h"
#include "jobs/jobs_service.h"
#include "jobs/scheduler.h"

namespace baken::http {

namespace {

// Every job with its next run, and the latest runs (of `job`, or of all), newest first.
Result<Reply> ListJobs(Handlers& api, Call& call) {
  const std::string job = call.request.get_param_value("job");
  if (!job.empty() &&
      std::find(jobs::JobNames().begin(), jobs::JobNames().end(), job) == jobs::JobNames().end()) {
    return InvalidArgument(fmt::format("job {} is not a job of Baken's", Quote(job)));
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 50, 1, jobs::kMaxRunsListed));
  return JsonReply(jobs::JobsService(api.store).Overview(*call.principal, job, limit));
}

}  // namespace

const std::vector<Route>& JobRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/jobs", true, &ListJobs, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
