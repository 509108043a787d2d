#include "cli/feed_commands.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include "auth/principal.h"
#include "cli/config.h"
#include "cli/job_commands.h"
#include "cli/notify_settings.h"
#include "common/quote.h"
#include "common/time.h"
#include "feeds/mapped_csv.h"
#include "feeds/shadowserver.h"
#include "registry/member_json.h"
#include "service/events_service.h"
#include "service/ingest_service.h"
#include "service/leases.h"
#include "service/notify_service.h"
#include "service/registry_service.h"
#include "work/work_service.h"

namespace baken::cli {

namespace {

using registry::Json;

struct IngestArguments {
  std::vector<std::string> files;
  std::string feed;
  std::string report;
  std::string tlp;  // empty: from the configuration file, else AMBER
  std::string schema;
  std::string mapping;
  int digest_hours = 0;  // 0: from the configuration file, else 24
  bool dry_run = false;
};

int Ingest(const GlobalOptions& options, const IngestArguments& arguments) {
  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  service::IngestOptions ingest;
  if (!arguments.feed.empty()) {
    ingest.feed.kind = feeds::ParseFeedKind(arguments.feed);
    if (!ingest.feed.kind) {
      return Fail(
          fmt::format("--feed {}: use shadowserver, intelmq or csv", Quote(arguments.feed)));
    }
  }
  if (!arguments.tlp.empty()) {
    // Given for this run: it applies to every feed in it.
    const std::optional<Tlp> tlp = ParseTlp(arguments.tlp);
    if (!tlp) {
      return Fail(fmt::format("--tlp {}: use CLEAR, GREEN, AMBER, AMBER+STRICT or RED",
                              Quote(arguments.tlp)));
    }
    ingest.tlp = *tlp;
  } else {
    ingest.tlp = config->default_tlp.value_or(Tlp::kAmber);
    ingest.tlp_by_feed = config->tlp_by_feed;
  }
  ingest.feed.report = arguments.report;
  ingest.dry_run = arguments.dry_run;
  const int hours =
      arguments.digest_hours > 0 ? arguments.digest_hours : config->digest_hours.value_or(24);
  ingest.digest_period_seconds = int64_t{hours} * 3600;
  std::optional<feeds::ShadowserverSchema> schema;
  if (!arguments.schema.empty()) {
    auto loaded = feeds::ShadowserverSchema::Load(arguments.schema);
    if (!loaded) return Fail(loaded.error());
    schema = std::move(*loaded);
    ingest.feed.schema = &*schema;
  }
  std::optional<feeds::CsvMapping> mapping;
  if (!arguments.mapping.empty()) {
    auto loaded = feeds::LoadCsvMapping(arguments.mapping);
    if (!loaded) return Fail(loaded.error());
    mapping = std::move(*loaded);
    ingest.feed.mapping = &*mapping;
  }
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::RegistryService registry(**store, nullptr);
  auto constituency = registry.BuildConstituency();
  if (!constituency) return Fail(constituency.error());
  service::IngestService service(**store, *constituency);
  auto summary = service.IngestFiles(auth::CommandLineOperator(), arguments.files, ingest);
  if (!summary) return Fail(summary.error());
  if (options.json) {
    PrintJson(service::SummaryToJson(*summary));
  } else {
    std::cout << fmt::format("{}parsed {}, routed {}, unrouted {}, duplicates {}, rejected {}\n",
                             arguments.dry_run ? "dry run, nothing stored: " : "", summary->parsed,
                             summary->routed, summary->unrouted, summary->duplicates,
                             summary->rejected);
    for (const service::IngestError& error : summary->errors) {
      std::cout << fmt::format("  {}{}: {}\n", error.file,
                               error.line ? fmt::format(":{}", *error.line) : "", error.reason);
    }
    if (summary->error_count > static_cast<int64_t>(summary->errors.size())) {
      std::cout << fmt::format("  … and {} more\n",
                               summary->error_count - static_cast<int64_t>(summary->errors.size()));
    }
    for (const service::IngestNote& note : summary->notes) {
      std::cout << fmt::format("  note: {}: {}\n", note.file, note.note);
    }
  }
  // A rejected row or file is a failure of part of the work (exit 1), though the rest is kept.
  return summary->error_count > 0 ? kFailed : kOk;
}

struct EventsArguments {
  std::string member;
  std::string feed;
  bool unrouted = false;
  int64_t limit = 0;
};

int EventsList(const GlobalOptions& options, const EventsArguments& arguments) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::EventsService events(**store);
  store::EventQuery query;
  if (!arguments.member.empty()) query.member = arguments.member;
  if (!arguments.feed.empty()) query.feed_name = arguments.feed;
  query.unrouted = arguments.unrouted;
  query.limit = arguments.limit;
  // Streamed: a list of a million events is written as it is read.
  bool first = true;
  if (options.json) std::cout << "{\"events\": [";
  const Status status =
      events.ForEach(auth::CommandLineOperator(), query, [&](const store::StoredEvent& event) {
        if (options.json) {
          std::cout << (first ? "\n  " : ",\n  ") << service::EventToJsonText(event);
        } else {
          const store::EventRecord& r = event.record;
          std::cout << fmt::format(
              "{:>8}  {:<8}  {:<28}  {:<28}  {}{}  {}\n", event.id, r.member.value_or("-"),
              r.feed_name,
              r.classification_identifier.empty() ? r.classification_type
                                                  : r.classification_identifier,
              r.source_ip.empty() ? "-" : r.source_ip,
              r.source_port ? fmt::format(":{}", *r.source_port) : "", r.time_source);
        }
        first = false;
        return true;
      });
  if (options.json) std::cout << (first ? "]}\n" : "\n]}\n");
  if (!status) return Fail(status.error());
  return kOk;
}

int EventsPurge(const GlobalOptions& options, int given_days) {
  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  const int days = given_days != 0 ? given_days : config->retention_days.value_or(180);
  if (days < 1) return Fail("--older-than must be at least 1 day");
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::EventsService events(**store);
  auto removed = events.Purge(auth::CommandLineOperator(), days);
  if (!removed) return Fail(removed.error());
  if (options.json) {
    PrintJson(Json{{"removed", *removed}});
  } else {
    std::cout << fmt::format("removed {} events observed more than {} days ago\n", *removed, days);
  }
  return kOk;
}

int OutboxList(const GlobalOptions& options, const std::string& state_name, int64_t limit) {
  std::optional<store::OutboxState> state;
  if (!state_name.empty()) {
    state = store::ParseOutboxState(state_name);
    if (!state) {
      return Fail(fmt::format("--state {}: use pending, held, sending, sent, failed or unknown",
                              Quote(state_name)));
    }
  }
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::EventsService events(**store);
  auto messages = events.Outbox(auth::CommandLineOperator(), state, limit);
  if (!messages) return Fail(messages.error());
  if (options.json) {
    Json list = Json::array();
    for (const store::OutboxMessage& message : *messages) {
      list.push_back(service::OutboxMessageToJson(message));
    }
    PrintJson(Json{{"messages", std::move(list)}});
    return kOk;
  }
  for (const store::OutboxMessage& message : *messages) {
    std::cout << fmt::format("{:>6}  {:<8}  {:<8}  {:<26}  TLP:{:<12}  {:>5} events  {}\n",
                             message.id, store::Name(message.state), message.member,
                             message.feed_name, message.tlp, message.event_count,
                             message.reason.value_or(message.subject));
  }
  if (messages->empty()) std::cout << "the outbox is empty\n";
  return kOk;
}

constexpr std::string_view kNoMailServer =
    "no mail server: give --smtp smtp://HOST:PORT or set smtp.url in the configuration file "
    "(--config FILE or BAKEN_CONFIG)";

// Several runs (and workers) may deliver from one outbox at once: each message is taken with a
// lease first (docs/decisions/0017-shared-work.md), so no lock file is needed.
int Notify(const GlobalOptions& options, const NotifyArguments& arguments) {
  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  std::optional<notify::Templates> templates;
  auto loaded = NotifySettingsFrom(*config, arguments, &templates);
  if (!loaded) return Fail(loaded.error());
  if (!*loaded) return Fail(kNoMailServer);
  const service::NotifySettings& settings = **loaded;
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  // The researchers' reports' reminders and notices first, so that they go out in this run.
  std::optional<registry::Json> reports;
  if (!arguments.dry_run) {
    auto planned = disclosure::PlanReportMail(**store, config->disclosure,
                                              ReportMailFrom(*config, arguments), {});
    if (!planned) return Fail(planned.error());
    reports = registry::Json(*planned);
  }
  service::NotifyService notifier(**store);
  auto summary = notifier.Run(auth::CommandLineOperator(), settings);
  if (!summary) return Fail(summary.error());
  if (options.json) {
    registry::Json printed = service::NotifySummaryToJson(*summary);
    if (reports) printed["reports"] = *reports;
    PrintJson(printed);
  } else {
    for (const service::PlannedMessage& message : summary->planned) {
      std::cout << fmt::format(
          "{} {} {} TLP:{} {} events -> {}: {}\n", arguments.dry_run ? "would plan" : "planned",
          message.state, message.member, message.tlp, message.events,
          message.recipients.empty() ? "nobody"
                                     : fmt::format("{}", fmt::join(message.recipients, ", ")),
          message.reason.empty() ? message.subject : message.reason);
    }
    if (!arguments.dry_run) {
      std::cout << fmt::format("sent {}, held {}, retrying {}, failed {}, unknown {}\n",
                               summary->sent, summary->held, summary->retrying, summary->failed,
                               summary->unknown);
    }
    for (const std::string& problem : summary->problems) std::cerr << "baken: " << problem << "\n";
  }
  // A message that could not be built is held and the rest went out, but the run did not do
  // all its work: the operator must look (exit 1), as for a failed delivery.
  return summary->failed > 0 || summary->retrying > 0 || summary->unknown > 0 ||
                 summary->unbuildable > 0
             ? kFailed
             : kOk;
}

struct WorkerArguments {
  std::string spool;
  std::string id;  // empty: host name and process id
  int64_t lease_seconds = 60;
  int64_t notify_every_seconds = 0;  // 0: from the configuration file, else 60
  int64_t max_attempts = 5;
  int digest_hours = 0;  // 0: from the configuration file, else 24
  bool once = false;
  NotifyArguments notify;
};

// Set by SIGTERM and SIGINT: the worker finishes the unit it is doing and stops.
volatile std::sig_atomic_t worker_stop = 0;

extern "C" void StopWorker(int /*signal*/) { worker_stop = 1; }

int Worker(const GlobalOptions& options, const WorkerArguments& arguments) {
  // First of all, so that a stop asked while the worker starts is a clean stop too.
  struct sigaction action = {};
  action.sa_handler = StopWorker;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);

  auto config = LoadConfig(options.config);
  if (!config) return Fail(config.error());
  work::WorkerSettings settings;
  settings.owner = arguments.id.empty() ? service::ProcessOwnerName() : arguments.id;
  settings.lease_seconds = arguments.lease_seconds;
  settings.max_attempts = arguments.max_attempts;
  if (!arguments.spool.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(arguments.spool, error)) {
      return Fail(fmt::format("--spool {}: not a folder", Quote(arguments.spool)));
    }
    settings.spool = arguments.spool;
  }
  settings.ingest.tlp = config->default_tlp.value_or(Tlp::kAmber);
  settings.ingest.tlp_by_feed = config->tlp_by_feed;
  const int hours =
      arguments.digest_hours > 0 ? arguments.digest_hours : config->digest_hours.value_or(24);
  settings.ingest.digest_period_seconds = int64_t{hours} * 3600;
  std::optional<notify::Templates> templates;
  auto notify = NotifySettingsFrom(*config, arguments.notify, &templates);
  if (!notify) return Fail(notify.error());
  settings.notify = std::move(*notify);
  if (!settings.notify) {
    std::cerr << "baken: worker " << settings.owner
              << " ingests but delivers nothing: no mail server (give --smtp smtp://HOST:PORT "
                 "or set smtp.url in the configuration file)\n";
  }
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());

  // The scheduled jobs, each run in a child `baken job run` that delivers with this worker's
  // lease length and mail options.
  NotifyArguments job_notify = arguments.notify;
  job_notify.lease_seconds = arguments.lease_seconds;
  jobs::SchedulerSettings job_settings = SchedulerSettingsFor(
      options, *config, job_notify, settings.notify.has_value(), settings.owner);
  for (jobs::JobSchedule& job : job_settings.jobs) {
    if (job.name == jobs::kNotify && arguments.notify_every_seconds > 0) {
      job.every_seconds = arguments.notify_every_seconds;
    }
  }
  jobs::Scheduler scheduler(
      **store, [] { return Now(); }, std::move(job_settings));
  work::WorkService service(
      **store, [] { return Now(); }, &scheduler);
  const auth::Principal who = auth::CommandLineOperator();
  const auto report = [&](const work::UnitReport& unit) {
    if (options.json) {
      registry::Json line = work::ReportToJson(unit);
      line["worker"] = settings.owner;
      std::cout << registry::DumpJson(line) << std::endl;  // one line per unit, as it finishes
    } else if (unit.kind != "notify" || unit.detail.value("sent", 0) > 0) {
      std::cout << fmt::format("{} {} {}{}{}\n", settings.owner, unit.kind,
                               unit.file.empty() ? unit.key : unit.file, " " + unit.state,
                               unit.error ? ": " + *unit.error : std::string())
                << std::flush;
    }
  };
  if (const Status scheduled = service.ScheduleJobs(); !scheduled) {
    return Fail(scheduled.error());
  }
  // A store that cannot be reached (a restart, a fail-over) is tried again at the next poll;
  // with --once it ends the run.
  int status = kOk;
  const auto trouble = [&](const Error& error) {
    std::cerr << "baken: worker " << settings.owner << ": " << error.message << "\n";
    status = kFailed;
  };
  while (worker_stop == 0) {
    if (auto scanned = service.ScanSpool(settings); !scanned) trouble(scanned.error());
    auto unit = service.RunOne(who, settings, [] { return worker_stop != 0; });
    if (!unit) {
      trouble(unit.error());
      if (arguments.once) break;
    } else if (*unit) {
      report(**unit);
      if ((*unit)->kind == "ingest" && (*unit)->state == "done" && settings.notify) {
        // What the file brought is told and delivered at once, by whichever worker is free.
        if (auto pass = service.NotifyPass(who, settings); pass) {
          report(*pass);
        } else {
          trouble(pass.error());
        }
      }
      continue;
    } else if (arguments.once) {
      break;
    }
    // Nothing to take: look again shortly.
    for (int slice = 0; slice < 10 && worker_stop == 0; ++slice) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return status;
}

int OutboxRelease(const GlobalOptions& options, int64_t id) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::NotifyService notifier(**store);
  auto released = notifier.Release(auth::CommandLineOperator(), id);
  if (!released) return Fail(released.error());
  if (options.json) {
    PrintJson(service::OutboxMessageToJson(*released));
  } else {
    std::cout << fmt::format("message {} to {} is released; the next baken notify sends it\n",
                             released->id, fmt::join(released->recipients, ", "));
  }
  return kOk;
}

int OutboxResolve(const GlobalOptions& options, int64_t id, bool arrived) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::NotifyService notifier(**store);
  auto resolved = notifier.Resolve(auth::CommandLineOperator(), id, arrived);
  if (!resolved) return Fail(resolved.error());
  if (options.json) {
    PrintJson(service::OutboxMessageToJson(*resolved));
  } else {
    std::cout << fmt::format("message {} is {}\n", resolved->id,
                             arrived ? "recorded as sent" : "sent again by the next baken notify");
  }
  return kOk;
}

}  // namespace

struct FeedCommands::Arguments {
  IngestArguments ingest;
  EventsArguments list;
  int purge_days = 0;  // 0: from the configuration file, else 180
  std::string state;
  int64_t outbox_limit = 200;
  int64_t release_id = 0;
  int64_t resolve_id = 0;
  NotifyArguments notify;
  WorkerArguments worker;
};

FeedCommands::~FeedCommands() = default;

FeedCommands::FeedCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  IngestArguments& ingest = arguments_->ingest;
  auto* command = app.add_subcommand("ingest", "read feed files, route, store and plan notices");
  command->add_option("FILE", ingest.files, "feed files (.csv, .json, .jsonl; gzip allowed)")
      ->required();
  command->add_option("--feed", ingest.feed, "shadowserver, intelmq or csv (default: recognised)");
  command->add_option("--report", ingest.report,
                      "Shadowserver report type, e.g. scan_rdp (default: from the file name)");
  command->add_option("--tlp", ingest.tlp,
                      "TLP level of these files (default: the configuration's level for the "
                      "feed, else AMBER)");
  command->add_option("--schema", ingest.schema, "a newer Shadowserver schema (intelmq.json)");
  command->add_option("--mapping", ingest.mapping, "mapping file for a plain CSV list");
  command
      ->add_option("--digest-hours", ingest.digest_hours,
                   "one notice per member and feed per this many hours (default 24)")
      ->check(CLI::Range(1, 24 * 31));
  command->add_flag("--dry-run", ingest.dry_run, "parse, route and count; store nothing");
  command->callback([&options, &status, &ingest] { status = Ingest(options, ingest); });

  auto* events = app.add_subcommand("events", "stored events");
  events->require_subcommand(1);
  EventsArguments& list = arguments_->list;
  auto* list_command = events->add_subcommand("list", "list events (IntelMQ fields)");
  list_command->add_option("--member", list.member, "only this member's events");
  list_command->add_option("--feed", list.feed, "only this feed (feed.name)");
  list_command->add_flag("--unrouted", list.unrouted, "only events no member owns");
  list_command->add_option("--limit", list.limit, "at most this many")->check(CLI::PositiveNumber);
  list_command->callback([&options, &status, &list] { status = EventsList(options, list); });
  int& purge_days = arguments_->purge_days;
  auto* purge = events->add_subcommand("purge", "remove old events (retention)");
  purge->add_option("--older-than", purge_days,
                    "days (default: feeds.retention_days of the configuration, else 180)");
  purge->callback([&options, &status, &purge_days] { status = EventsPurge(options, purge_days); });

  auto* outbox = app.add_subcommand("outbox", "notification messages");
  outbox->require_subcommand(1);
  std::string& state = arguments_->state;
  int64_t& outbox_limit = arguments_->outbox_limit;
  auto* outbox_list = outbox->add_subcommand("list", "pending, held, sent and failed messages");
  outbox_list->add_option("--state", state, "only messages in this state");
  outbox_list->add_option("--limit", outbox_limit, "at most this many (default 200)");
  outbox_list->callback([&options, &status, &state, &outbox_limit] {
    status = OutboxList(options, state, outbox_limit);
  });

  int64_t& release_id = arguments_->release_id;
  auto* release = outbox->add_subcommand("release", "send a held TLP:RED message after all");
  release->add_option("ID", release_id, "the message's id (outbox list)")->required();
  release->callback(
      [&options, &status, &release_id] { status = OutboxRelease(options, release_id); });

  int64_t& resolve_id = arguments_->resolve_id;
  auto* confirm = outbox->add_subcommand(
      "confirm", "record that an unknown or failed message did arrive (it becomes sent)");
  confirm->add_option("ID", resolve_id, "the message's id (outbox list)")->required();
  confirm->callback(
      [&options, &status, &resolve_id] { status = OutboxResolve(options, resolve_id, true); });
  auto* resend = outbox->add_subcommand(
      "resend", "send an unknown or failed message again with the next baken notify");
  resend->add_option("ID", resolve_id, "the message's id (outbox list)")->required();
  resend->callback(
      [&options, &status, &resolve_id] { status = OutboxResolve(options, resolve_id, false); });

  NotifyArguments& notify = arguments_->notify;
  auto* notify_command =
      app.add_subcommand("notify", "turn digests into messages and deliver the outbox");
  notify_command->add_option(
      "--smtp", notify.smtp,
      "mail server, smtp://HOST:PORT (default: smtp.url of the configuration)");
  notify_command->add_option("--from", notify.from,
                             "sender (default Baken CERT <cert@baken.invalid>)");
  notify_command->add_option("--message-id-domain", notify.domain,
                             "domain of Message-IDs (default baken.invalid)");
  notify_command->add_option("--templates", notify.templates,
                             "folder with templates replacing the built-in ones");
  notify_command
      ->add_option("--retry-seconds", notify.retry_seconds,
                   "first wait after a temporary failure (default 60; doubles)")
      ->check(CLI::Range(int64_t{0}, int64_t{86400}));
  notify_command->add_flag("--dry-run", notify.dry_run,
                           "show recipients and subjects; change and send nothing");
  notify_command->callback([&options, &status, &notify] { status = Notify(options, notify); });

  WorkerArguments& worker = arguments_->worker;
  auto* worker_command = app.add_subcommand(
      "worker",
      "take shared work from the store: spooled feed files, notification, delivery, jobs");
  worker_command->add_option("--spool", worker.spool,
                             "folder where feed files are dropped (done ones move to done/)");
  worker_command->add_option(
      "--smtp", worker.notify.smtp,
      "mail server, smtp://HOST:PORT (default: smtp.url of the configuration; none: no "
      "delivery)");
  worker_command->add_option("--from", worker.notify.from,
                             "sender (default Baken CERT <cert@baken.invalid>)");
  worker_command->add_option("--message-id-domain", worker.notify.domain,
                             "domain of Message-IDs (default baken.invalid)");
  worker_command->add_option("--templates", worker.notify.templates,
                             "folder with templates replacing the built-in ones");
  worker_command
      ->add_option("--retry-seconds", worker.notify.retry_seconds,
                   "first wait after a temporary failure (default 60; doubles)")
      ->check(CLI::Range(int64_t{0}, int64_t{86400}));
  worker_command
      ->add_option("--digest-hours", worker.digest_hours,
                   "one notice per member and feed per this many hours (default 24)")
      ->check(CLI::Range(1, 24 * 31));
  worker_command->add_option("--id", worker.id, "this worker's name (default HOST:PID)");
  worker_command
      ->add_option("--lease", worker.lease_seconds,
                   "seconds after which another worker takes over a unit this one stopped on "
                   "(default 60)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  worker_command
      ->add_option("--notify-every", worker.notify_every_seconds,
                   "seconds between notification runs when no file comes in (default: "
                   "jobs.notify.every_seconds of the configuration, else 60)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  worker_command
      ->add_option("--max-attempts", worker.max_attempts,
                   "a file whose workers stop this many times before it is done is given up "
                   "(default 5)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000}));
  worker_command->add_flag("--once", worker.once,
                           "do all the work there is now, then stop (for cron and tests)");
  worker_command->callback([&options, &status, &worker] { status = Worker(options, worker); });
}

}  // namespace baken::cli
