#include "cli/job_commands.h"

#include <chrono>
#include <iostream>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "auth/principal.h"
#include "jobs/job_bodies.h"
#include "jobs/jobs_service.h"
#include "registry/member_json.h"

namespace baken::cli {

namespace {

using nlohmann::json;

// `baken job run NAME`: exit 0 when the run did its work, 1 when it failed (the error is the
// last line on stderr, which the scheduler records); the summary goes to stdout either way.
int RunJob(const GlobalOptions& options, const std::string& name, const NotifyArguments& notify) {
  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  jobs::JobContext context;
  std::optional<notify::Templates> templates;
  auto notify_settings = NotifySettingsFrom(*config, notify, &templates);
  if (!notify_settings) return Fail(notify_settings.error());
  context.notify = std::move(*notify_settings);
  context.retention_days = config->retention_days.value_or(180);
  context.advisory_providers = config->advisory_providers;
  std::tie(context.page_mail.from, context.page_mail.message_id_domain) = SenderOf(*config, notify);
  context.page_mail.portal_url = config->portal_url;
  context.disclosure = config->disclosure;
  context.report_mail = ReportMailFrom(*config, notify);
  if (config->breach_warning_hours) {
    context.page_sources.breach_warning = std::chrono::hours{*config->breach_warning_hours};
  }
  for (const auto& [feed, hours] : config->heartbeats) {
    context.page_sources.heartbeats.emplace(feed, std::chrono::hours{hours});
  }
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  const jobs::JobResult result = jobs::RunJobHere(**store, name, context);
  if (!result.summary.is_null()) {
    if (options.json) {
      PrintJson(result.summary);
    } else {
      std::cout << fmt::format("{}: {}\n", name, registry::DumpJson(result.summary));
    }
  }
  if (result.error) return Fail(*result.error);
  return kOk;
}

int ListJobs(const GlobalOptions& options, int64_t limit) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto overview = jobs::JobsService(**store).Overview(auth::CommandLineOperator(), "", limit);
  if (!overview) return Fail(overview.error());
  if (options.json) {
    PrintJson(*overview);
    return kOk;
  }
  for (const json& job : (*overview)["jobs"]) {
    std::cout << fmt::format(
        "{:<14} {:<8} next {}  last success {}  failures in a row {}\n",
        job["name"].get<std::string>(), job["state"].get<std::string>(),
        job["next_run"].is_string() ? job["next_run"].get<std::string>() : "-",
        job["last_success"].is_string() ? job["last_success"].get<std::string>() : "never",
        job["failures_in_a_row"].get<int64_t>());
  }
  for (const json& run : (*overview)["runs"]) {
    std::cout << fmt::format(
        "  {} {:<14} {:<11} {}{}\n", run["started_at"].get<std::string>(),
        run["job"].get<std::string>(), run["outcome"].get<std::string>(),
        run["holder"].get<std::string>(),
        run["error"].is_string() ? ": " + run["error"].get<std::string>() : std::string());
  }
  return kOk;
}

}  // namespace

struct JobCommands::Arguments {
  std::string name;
  NotifyArguments notify;
  int64_t limit = 50;
};

JobCommands::~JobCommands() = default;

JobCommands::JobCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* job =
      app.add_subcommand("job", "scheduled jobs: notify, advisory_sync, retention, escalate");
  job->require_subcommand(1);
  auto* run = job->add_subcommand(
      "run", "run a scheduled job once, here (serve and worker run each in such a process)");
  std::vector<std::string> names(jobs::JobNames().begin(), jobs::JobNames().end());
  run->add_option("NAME", arguments_->name, "the job")->required()->check(CLI::IsMember(names));
  NotifyArguments& notify = arguments_->notify;
  run->add_option("--smtp", notify.smtp,
                  "mail server for notify, smtp://HOST:PORT (default: smtp.url of the "
                  "configuration)");
  run->add_option("--from", notify.from, "sender (default Baken CERT <cert@baken.invalid>)");
  run->add_option("--message-id-domain", notify.domain,
                  "domain of Message-IDs (default baken.invalid)");
  run->add_option("--templates", notify.templates,
                  "folder with templates replacing the built-in ones");
  run->add_option("--retry-seconds", notify.retry_seconds,
                  "first wait after a temporary failure (default 60; doubles)")
      ->check(CLI::Range(int64_t{0}, int64_t{86400}));
  run->add_option("--lease", notify.lease_seconds,
                  "seconds a message taken for delivery stays this run's (default 60)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  run->callback([this, &options, &status] {
    status = RunJob(options, arguments_->name, arguments_->notify);
  });
  auto* list = job->add_subcommand("list", "the scheduled jobs and their latest runs");
  list->add_option("--limit", arguments_->limit, "runs to show (default 50)")
      ->check(CLI::Range(int64_t{1}, jobs::kMaxRunsListed));
  list->callback([this, &options, &status] { status = ListJobs(options, arguments_->limit); });
}

jobs::SchedulerSettings SchedulerSettingsFor(const GlobalOptions& options, const Config& config,
                                             const NotifyArguments& notify, bool mail_server,
                                             std::string owner) {
  jobs::SchedulerSettings settings;
  settings.owner = std::move(owner);
  for (std::string_view name : jobs::JobNames()) {
    if (name == jobs::kNotify && !mail_server) continue;
    if (name == jobs::kAdvisorySync && config.advisory_providers.empty()) continue;
    jobs::JobSchedule schedule = *jobs::DefaultSchedule(name);
    if (const auto timing = config.jobs.find(name); timing != config.jobs.end()) {
      schedule.every_seconds = timing->second.every_seconds.value_or(schedule.every_seconds);
      schedule.limit_seconds = timing->second.limit_seconds.value_or(schedule.limit_seconds);
    }
    settings.jobs.push_back(std::move(schedule));
  }
  // The same program; the store through the environment, so that a PostgreSQL URL with its
  // password does not show in the process list.
  settings.command.program = "/proc/self/exe";
  settings.command.args = {"job", "run", "--json"};
  if (!options.config.empty()) {
    settings.command.args.push_back("--config");
    settings.command.args.push_back(options.config);
  }
  for (std::string& option : AsOptions(notify)) settings.command.args.push_back(std::move(option));
  settings.command.environment.emplace_back("BAKEN_DB", DatabaseLocation(options));
  return settings;
}

void RunScheduler(jobs::Scheduler& scheduler, const std::atomic<bool>& stop, bool json) {
  const auto stopping = [&stop] { return stop.load(); };
  bool scheduled = false;
  while (!stop) {
    if (!scheduled) {
      if (auto status = scheduler.Schedule(); !status) {
        std::cerr << "baken: scheduled jobs: " << status.error().message << "\n";
      } else {
        scheduled = true;
      }
    }
    if (scheduled) {
      auto ran = scheduler.RunDue(stopping);
      if (!ran) {
        std::cerr << "baken: scheduled jobs: " << ran.error().message << "\n";
      } else if (*ran) {
        const jobs::RunReport& report = **ran;
        if (json) {
          std::cout << registry::DumpJson(jobs::RunReportToJson(report)) << std::endl;
        } else {
          std::cout << fmt::format(
                           "job {} {}{}; next run {}\n", report.job, store::Name(report.outcome),
                           report.error ? ": " + *report.error : std::string(), report.next_run)
                    << std::flush;
        }
        continue;  // another may be due
      }
    }
    // Nothing due: look again in a second.
    for (int slice = 0; slice < 10 && !stop; ++slice) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace baken::cli
