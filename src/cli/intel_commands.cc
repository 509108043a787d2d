#include "cli/intel_commands.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "auth/principal.h"
#include "common/time.h"
#include "intel/feed_follower.h"
#include "intel/intel_service.h"

namespace baken::cli {

namespace {

int Import(const GlobalOptions& options, const std::string& file, intel::ImportOptions import) {
  auto bytes = ReadFile(file);
  if (!bytes) return Fail(bytes.error());
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  import.name = std::filesystem::path(file).filename().string();
  auto service = intel::IntelServiceOverRegister(**store, {});
  if (!service) return Fail(service.error());
  auto taken = service->Import(auth::CommandLineOperator(), *bytes, import);
  if (!taken) return Fail(taken.error());
  if (options.json) {
    PrintJson(*taken);
    return kOk;
  }
  std::cout << fmt::format(
      "{}: {} events ({}), {} indicators; {} taken in before; {} new findings for members\n",
      import.name, (*taken)["events"].size(), (*taken)["format"].get<std::string>(),
      (*taken)["indicators"].get<int64_t>(), (*taken)["skipped"].size(),
      (*taken)["findings"].get<int64_t>());
  for (const auto& event : (*taken)["events"]) {
    std::cout << fmt::format("  {} {} TLP:{} {}: {} indicators\n", event["id"].get<int64_t>(),
                             event["distribution"].get<std::string>(),
                             event["tlp"].get<std::string>(), event["title"].get<std::string>(),
                             event["indicators"].get<size_t>());
    for (const auto& problem : event["problems"]) {
      std::cerr << "baken: " << problem.get<std::string>() << "\n";
    }
  }
  return kOk;
}

// A followed feed's run, one line, and its failures and problems on stderr.
void PrintRun(const intel::FeedRun& run) {
  if (run.error) {
    std::cerr << fmt::format("baken: {}: {}\n", run.url, *run.error);
    return;
  }
  std::cout << fmt::format(
      "{}: {} events listed, {} new, {} updated, {} unchanged, {} withdrawn, {} left for the "
      "next run, {} given up; indicators {} added, {} changed, {} ended; {} new findings for "
      "members\n",
      run.url, run.listed, run.created, run.updated, run.unchanged, run.withdrawn, run.deferred,
      run.given_up, run.indicators_added, run.indicators_changed, run.indicators_ended,
      run.findings);
  for (const auto& failure : run.failures) {
    std::cerr << fmt::format("baken: {} (tried again next run)\n", failure.reason);
  }
  for (const std::string& problem : run.problems) {
    std::cerr << fmt::format("baken: {}: {}\n", run.url, problem);
  }
}

// The feed follower over the store, matching against the register as imports do.
template <typename Body>
int WithFollower(const GlobalOptions& options, Body body) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto service = intel::IntelServiceOverRegister(**store, {});
  if (!service) return Fail(service.error());
  intel::FeedFollower follower(**store, *service, [] { return Now(); });
  return body(follower);
}

int Follow(const GlobalOptions& options, const std::string& url,
           const intel::FollowOptions& follow) {
  return WithFollower(options, [&](intel::FeedFollower& follower) {
    auto run = follower.Follow(auth::CommandLineOperator(), url, follow);
    if (!run) return Fail(run.error());
    if (options.json) {
      PrintJson(intel::FeedRunToJson(*run));
    } else {
      PrintRun(*run);
    }
    return run->error ? Fail(*run->error) : kOk;
  });
}

// Every followed feed once (what the intel_sync job runs); fails when a feed's manifest could
// not be read, after the others had their run.
int SyncFeeds(const GlobalOptions& options) {
  return WithFollower(options, [&](intel::FeedFollower& follower) {
    auto runs = follower.RunAll(auth::CommandLineOperator());
    if (!runs) return Fail(runs.error());
    registry::Json list = registry::Json::array();
    int64_t failed = 0;
    for (const intel::FeedRun& run : *runs) {
      list.push_back(intel::FeedRunToJson(run));
      if (run.error) ++failed;
      if (!options.json) PrintRun(run);
    }
    if (options.json) PrintJson(registry::Json{{"feeds", std::move(list)}});
    if (failed > 0) {
      return Fail(fmt::format("{} of {} followed feeds could not be read", failed, runs->size()));
    }
    return kOk;
  });
}

int ListFollowed(const GlobalOptions& options) {
  return WithFollower(options, [&](intel::FeedFollower& follower) {
    auto feeds = follower.Followed(auth::CommandLineOperator());
    if (!feeds) return Fail(feeds.error());
    if (options.json) {
      PrintJson(*feeds);
      return kOk;
    }
    for (const auto& feed : *feeds) {
      std::cout << fmt::format(
          "{} ({}): {} events, {} failing; last run {}{}\n", feed["url"].get<std::string>(),
          feed["distribution"].is_null() ? "as each event says"
                                         : feed["distribution"].get<std::string>(),
          feed["events"].get<int64_t>(), feed["failing"].get<int64_t>(),
          feed["last_run_at"].is_null() ? "never" : feed["last_run_at"].get<std::string>(),
          feed["last_error"].is_null() ? "" : ": " + feed["last_error"].get<std::string>());
    }
    return kOk;
  });
}

int Unfollow(const GlobalOptions& options, const std::string& url) {
  return WithFollower(options, [&](intel::FeedFollower& follower) {
    const Status done = follower.Unfollow(auth::CommandLineOperator(), url);
    if (!done) return Fail(done.error());
    if (!options.json) std::cout << fmt::format("{}: no longer followed\n", url);
    return kOk;
  });
}

}  // namespace

struct IntelCommands::Arguments {
  std::string file;
  intel::ImportOptions import;
  std::string url;
  std::string distribution;
  intel::FollowOptions follow;
};

IntelCommands::~IntelCommands() = default;

IntelCommands::IntelCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* intel = app.add_subcommand("intel", "threat intelligence shared between members");
  intel->require_subcommand(1);
  auto* import = intel->add_subcommand(
      "import",
      "take in a MISP event (or restSearch answer, or feed event file), a STIX 2.1 "
      "bundle or a plain list of indicators");
  import->add_option("FILE", arguments_->file, "the document")->required();
  import
      ->add_option("--format", arguments_->import.format,
                   "misp, stix or list (default: told by the content)")
      ->check(CLI::IsMember({"misp", "stix", "list"}));
  import->add_option("--tlp", arguments_->import.tlp,
                     "the TLP a list was shared under (a list says none)");
  import
      ->add_option("--distribution", arguments_->import.distribution,
                   "who it is for, instead of what the document says: cert, named, members, "
                   "partners")
      ->check(CLI::IsMember({"cert", "named", "members", "partners"}));
  import->add_option("--named", arguments_->import.named,
                     "a member concerned (repeatable): AMBER reaches only these");
  import->callback([this, &options, &status] {
    status = Import(options, arguments_->file, arguments_->import);
});

auto* follow = intel->add_subcommand(
    "follow",
    "follow a MISP feed (its folder's URL, or its manifest.json): take in its events now and "
    "their changes on every intel_sync run");
follow->add_option("URL", arguments_->url, "the feed")->required();
follow
    ->add_option("--distribution", arguments_->distribution,
                 "who its events are for, instead of what each says: cert, named, members, "
                 "partners")
    ->check(CLI::IsMember({"cert", "named", "members", "partners"}));
follow->add_option("--named", arguments_->follow.named,
                   "a member concerned (repeatable): AMBER reaches only these");
follow->callback([this, &options, &status] {
  if (!arguments_->distribution.empty()) {
    arguments_->follow.distribution = arguments_->distribution;
  }
  status = Follow(options, arguments_->url, arguments_->follow);
});
intel->add_subcommand("sync", "one run of every followed feed (the intel_sync job)")
    ->callback([&options, &status] { status = SyncFeeds(options); });
intel->add_subcommand("followed", "the followed feeds and how far they were taken in")
    ->callback([&options, &status] { status = ListFollowed(options); });
auto* unfollow =
    intel->add_subcommand("unfollow", "stop following a feed; what was taken in from it stays");
unfollow->add_option("URL", arguments_->url, "the feed")->required();
unfollow->callback([this, &options, &status] { status = Unfollow(options, arguments_->url); });
}  // namespace baken::cli

}  // namespace baken::cli
