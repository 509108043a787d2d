#include "jobs/job_bodies.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "auth/principal.h"
#include "common/quote.h"
#include "common/time.h"
#include "intel/feed_follower.h"
#include "jobs/scheduler.h"
#include "service/advisory_sync.h"
#include "service/events_service.h"

namespace baken::jobs {

namespace {

using nlohmann::json;

JobResult Failed(std::string error) { return {json(), std::move(error)}; }

JobResult Notify(store::Store& store, const JobContext& context) {
  if (!context.notify) {
    return Failed(
        "no mail server: set smtp.url in the configuration file (--config FILE or BAKEN_CONFIG)");
  }
  service::NotifySettings settings = *context.notify;
  settings.clock = [] { return Now(); };
  // The reports' reminders and notices first, so that their messages go out in this run.
  auto reports = disclosure::PlanReportMail(store, context.disclosure, context.report_mail,
                                            [] { return Now(); });
  if (!reports) return Failed(reports.error().message);
  auto summary = service::NotifyService(store).Run(auth::CommandLineOperator(), settings);
  if (!summary) return Failed(summary.error().message);
  json result = service::NotifySummaryToJson(*summary);
  result["reports"] = *reports;
  return {std::move(result), std::nullopt};
}

JobResult Retention(store::Store& store, const JobContext& context) {
  auto removed =
      service::EventsService(store).Purge(auth::CommandLineOperator(), context.retention_days);
  if (!removed) return Failed(removed.error().message);
  return {json{{"removed", *removed}, {"days", context.retention_days}}, std::nullopt};
}

// Baken's own pages first (an urgent incident, a breach deadline, a heartbeat), so that they
// go out in the same run.
JobResult Escalate(store::Store& store, const JobContext& context) {
  registry::Json raised = registry::Json::object();
  const Status sources = oncall::RaisePages(
      store, [] { return Now(); }, context.page_sources, raised);
  if (!sources) return Failed(sources.error().message);
  auto summary = oncall::PagingService(store).Escalate(context.page_mail);
  if (!summary) return Failed(summary.error().message);
  for (const auto& [name, value] : raised.items()) (*summary)[name] = value;
  return {*summary, std::nullopt};
}

JobResult AdvisorySync(store::Store& store, const JobContext& context) {
  if (context.advisory_providers.empty()) {
    return Failed("no providers: set advisories.providers in the configuration file");
  }
  json providers = json::array();
  std::vector<std::string> errors;
  for (const std::string& url : context.advisory_providers) {
    auto summary = service::AdvisorySyncService(store).Sync(auth::CommandLineOperator(), url);
    if (!summary) {
      errors.push_back(fmt::format("{}: {}", Quote(url), summary.error().message));
      providers.push_back(json{{"provider", url}, {"error", summary.error().message}});
      continue;
    }
    providers.push_back(json{{"provider", url}, {"sync", service::SyncSummaryToJson(*summary)}});
  }
  JobResult result{json{{"providers", std::move(providers)}}, std::nullopt};
  if (!errors.empty()) {
    result.error = fmt::format("{} of {} providers failed: {}", errors.size(),
                               context.advisory_providers.size(), fmt::join(errors, "; "));
  }
  return result;
}

// Every followed MISP feed once; matched against the register as imports are.
JobResult IntelSync(store::Store& store) {
  auto intel = intel::IntelServiceOverRegister(store, [] { return Now(); });
  if (!intel) return Failed(intel.error().message);
  auto runs =
      intel::FeedFollower(store, *intel, [] { return Now(); }).RunAll(auth::CommandLineOperator());
  if (!runs) return Failed(runs.error().message);
  json feeds = json::array();
  std::vector<std::string> errors;
  for (const intel::FeedRun& run : *runs) {
    feeds.push_back(json(intel::FeedRunToJson(run)));
    if (run.error) errors.push_back(*run.error);
  }
  JobResult result{json{{"feeds", std::move(feeds)}}, std::nullopt};
  if (!errors.empty()) {
    result.error = fmt::format("{} of {} followed feeds could not be read: {}", errors.size(),
                               runs->size(), fmt::join(errors, "; "));
  }
  return result;
}

}  // namespace

JobResult RunJobHere(store::Store& store, std::string_view name, const JobContext& context) {
  if (name == kNotify) return Notify(store, context);
  if (name == kRetention) return Retention(store, context);
  if (name == kAdvisorySync) return AdvisorySync(store, context);
  if (name == kEscalate) return Escalate(store, context);
  if (name == kIntelSync) return IntelSync(store);
  return Failed(fmt::format("{} is not a job of Baken's", Quote(name)));
}

}  // namespace baken::jobs
