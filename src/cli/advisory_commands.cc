#include "cli/advisory_commands.h"

#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "service/advisory_service.h"
#include "service/advisory_sync.h"

namespace baken::cli {

namespace {

void PrintImportCounts(const service::AdvisoryImportSummary& summary) {
  std::cout << fmt::format("imported {}, updated {}, unchanged {}, refused {}\n", summary.imported,
                           summary.updated, summary.unchanged, summary.refused.size());
  for (const auto& refused : summary.refused) {
    std::cout << fmt::format("  refused {}:\n", refused.file);
    for (const std::string& reason : refused.reasons) std::cout << "    " << reason << "\n";
  }
  for (const auto& flagged : summary.flagged) {
    std::cout << fmt::format("  note {} {}: {}\n", flagged.file, flagged.where, flagged.what);
  }
}

int Import(const GlobalOptions& options, const std::vector<std::string>& paths) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::AdvisoryService service(**store);
  auto summary = service.ImportFiles(auth::CommandLineOperator(), paths);
  if (!summary) return Fail(summary.error());
  if (options.json) {
    PrintJson(service::ImportSummaryToJson(*summary));
  } else {
    PrintImportCounts(*summary);
  }
  // A refused document is a failure of part of the work (exit 1); the others are kept.
  return summary->refused.empty() ? kOk : kFailed;
}

int Sync(const GlobalOptions& options, const std::string& url) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::AdvisorySyncService service(**store);
  auto summary = service.Sync(auth::CommandLineOperator(), url);
  if (!summary) return Fail(summary.error());
  if (options.json) {
    PrintJson(service::SyncSummaryToJson(*summary));
  } else {
    std::cout << fmt::format("provider {} ({})\n", summary->provider_metadata, summary->publisher);
    for (const auto& listing : summary->listings) {
      std::cout << fmt::format("  {} ({}): listed {}, fetched {}, up to {}\n", listing.url,
                               listing.kind, listing.listed, listing.fetched,
                               listing.cursor_after.empty() ? "-" : listing.cursor_after);
    }
    PrintImportCounts(summary->import);
    for (const auto& failure : summary->failures) {
      std::cout << fmt::format("  failed {}: {}\n", failure.url, failure.reason);
    }
    for (const auto& document : summary->unverified) {
      std::cout << fmt::format("  unverified (no hash file) {}\n", document);
    }
    for (const auto& note : summary->notes) std::cout << fmt::format("  note {}\n", note);
  }
  // Failed fetches are tried again on the next run; the run still reports them (exit 1).
  return summary->failures.empty() && summary->import.refused.empty() ? kOk : kFailed;
}

int List(const GlobalOptions& options) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::AdvisoryService service(**store);
  auto advisories = service.List(auth::CommandLineOperator());
  if (!advisories) return Fail(advisories.error());
  if (options.json) {
    registry::Json list = registry::Json::array();
    for (const store::StoredAdvisory& advisory : *advisories) {
      list.push_back({{"id", advisory.tracking_id},
                      {"publisher", advisory.publisher_namespace},
                      {"format", advisory.format},
                      {"version", advisory.version},
                      {"current_release", advisory.current_release},
                      {"title", advisory.title},
                      {"tlp", advisory.tlp ? registry::Json(*advisory.tlp) : registry::Json()}});
    }
    PrintJson(list);
    return kOk;
  }
  for (const store::StoredAdvisory& advisory : *advisories) {
    std::cout << fmt::format("{}  {}  v{}  {}\n", advisory.current_release, advisory.tracking_id,
                             advisory.version, advisory.title);
  }
  return kOk;
}

int Matches(const GlobalOptions& options, const std::string& id) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::AdvisoryService service(**store);
  auto matches = service.Matches(auth::CommandLineOperator(), id);
  if (!matches) return Fail(matches.error());
  if (options.json) {
    registry::Json list = registry::Json::array();
    for (const advisories::Match& match : *matches) list.push_back(service::MatchToJson(match));
    PrintJson(list);
    return kOk;
  }
  for (const advisories::Match& match : *matches) {
    std::cout << fmt::format(
        "{}  {}  {}  {}{}\n    {}\n", match.member, match.asset, advisories::Name(match.outcome),
        match.risk ? advisories::Name(match.risk->level) : "-",
        match.cves.empty() ? "" : fmt::format("  {}", fmt::join(match.cves, ", ")),
        fmt::join(match.reasons, "\n    "));
  }
  return kOk;
}

}  // namespace

struct AdvisoryCommands::Arguments {
  std::vector<std::string> paths;
  std::string id;
  std::string url;
};

AdvisoryCommands::~AdvisoryCommands() = default;

AdvisoryCommands::AdvisoryCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* advisory = app.add_subcommand("advisory", "security advisories (CSAF 2.0, CVE JSON 5)");
  advisory->require_subcommand(1);
  auto* import = advisory->add_subcommand("import", "read advisories from files or folders");
  import->add_option("FILE", arguments_->paths, "CSAF or CVE JSON files, or folders of them")
      ->required();
  import->callback([this, &options, &status] { status = Import(options, arguments_->paths);
});
auto* sync = advisory->add_subcommand(
    "sync", "fetch what a CSAF provider published since the last sync, and import it");
sync->add_option("URL", arguments_->url, "the provider-metadata.json URL, or the provider's domain")
    ->required();
sync->callback([this, &options, &status] { status = Sync(options, arguments_->url); });
advisory->add_subcommand("list", "the advisories stored, newest first")
    ->callback([&options, &status] { status = List(options); });
auto* matches = advisory->add_subcommand(
    "matches", "which members' assets an advisory concerns, and how (affected, not, unknown)");
matches->add_option("ID", arguments_->id, "the CSAF document.tracking.id or the CVE id")
    ->required();
matches->callback([this, &options, &status] { status = Matches(options, arguments_->id); });
}  // namespace baken::cli

}  // namespace baken::cli
