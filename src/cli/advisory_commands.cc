#include "cli/advisory_commands.h"

#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "service/advisory_service.h"

namespace baken::cli {

namespace {

int Import(const GlobalOptions& options, const std::vector<std::string>& paths) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  service::AdvisoryService service(**store);
  auto summary = service.ImportFiles(auth::CommandLineOperator(), paths);
  if (!summary) return Fail(summary.error());
  if (options.json) {
    PrintJson(service::ImportSummaryToJson(*summary));
  } else {
    std::cout << fmt::format("imported {}, updated {}, unchanged {}, refused {}\n",
                             summary->imported, summary->updated, summary->unchanged,
                             summary->refused.size());
    for (const auto& refused : summary->refused) {
      std::cout << fmt::format("  refused {}:\n", refused.file);
      for (const std::string& reason : refused.reasons) std::cout << "    " << reason << "\n";
    }
    for (const auto& flagged : summary->flagged) {
      std::cout << fmt::format("  note {} {}: {}\n", flagged.file, flagged.where, flagged.what);
    }
  }
  // A refused document is a failure of part of the work (exit 1); the others are kept.
  return summary->refused.empty() ? kOk : kFailed;
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
advisory->add_subcommand("list", "the advisories stored, newest first")
    ->callback([&options, &status] { status = List(options); });
auto* matches = advisory->add_subcommand(
    "matches", "which members' assets an advisory concerns, and how (affected, not, unknown)");
matches->add_option("ID", arguments_->id, "the CSAF document.tracking.id or the CVE id")
    ->required();
matches->callback([this, &options, &status] { status = Matches(options, arguments_->id); });
}  // namespace baken::cli

}  // namespace baken::cli
