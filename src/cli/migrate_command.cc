#include "cli/migrate_command.h"

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/quote.h"
#include "common/time.h"
#include "store/copy.h"

namespace baken::cli {

namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

int Migrate(const GlobalOptions& options, const std::string& from, const std::string& to) {
  // The global --db names neither side: both are spelled out, so that nobody copies the wrong
  // way round by accident.
  if (!from.starts_with(kSqlitePrefix) || from.size() == kSqlitePrefix.size()) {
    std::cerr << fmt::format("baken: --from {} must be sqlite:PATH, the SQLite file to copy\n",
                             Quote(from));
    return kUsage;
  }
  if (!to.starts_with("postgresql://") && !to.starts_with("postgres://")) {
    std::cerr << fmt::format(
        "baken: --to {} must be a postgresql:// URL, the empty database to copy into\n",
        Quote(store::RedactedLocation(to)));
    return kUsage;
  }
  const std::string path = from.substr(kSqlitePrefix.size());
  auto report = store::CopyInstallation(path, to, auth::CommandLineOperator().actor, NowUtc());
  if (!report) return Fail(report.error());
  if (options.json) {
    registry::Json tables = registry::Json::object();
    for (const auto& [name, rows] : report->tables) tables[name] = rows;
    PrintJson(registry::Json{{"tables", std::move(tables)}, {"rows", report->rows}});
    return kOk;
  }
  for (const auto& [name, rows] : report->tables) {
    std::cout << fmt::format("{:<26} {:>12}\n", name, rows);
  }
  std::cout << fmt::format("copied {} rows in {} tables from {} to {}; the counts agree\n",
                           report->rows, report->tables.size(), from, store::RedactedLocation(to));
  return kOk;
}

}  // namespace

struct MigrateCommand::Arguments {
  std::string from;
  std::string to;
};

MigrateCommand::~MigrateCommand() = default;

MigrateCommand::MigrateCommand(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* command = app.add_subcommand(
      "migrate", "copy a whole installation from SQLite into an empty PostgreSQL database");
  command->add_option("--from", arguments_->from, "sqlite:PATH, the SQLite file to copy")
      ->required();
  command
      ->add_option("--to", arguments_->to,
                   "postgresql://… URL of an empty database (UTF8, LOCALE 'C') to copy into")
      ->required();
  command->callback(
      [this, &options, &status] { status = Migrate(options, arguments_->from, arguments_->to); });
}

}  // namespace baken::cli
