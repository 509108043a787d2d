#include "cli/incident_commands.h"

#include <iostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "disclosure/report_service.h"
#include "incidents/incident_service.h"

namespace baken::cli {

namespace {

// One table of the report: "  phishing (fraud)   27   6.3 %".
void PrintRows(const registry::Json& rows, std::string_view title, std::string_view key) {
  std::cout << title << "\n";
  for (const auto& row : rows) {
    std::string name;
    if (key == "type") {
      name = row["type"].is_null() ? "(unclassified)"
                                   : fmt::format("{}:{}", row["classification"].get<std::string>(),
                                                 row["type"].get<std::string>());
    } else {
      name =
          row[std::string(key)].is_null() ? "(not set)" : row[std::string(key)].get<std::string>();
    }
    std::cout << fmt::format("  {:<58} {:>6} {:>6.1f} %\n", name, row["count"].get<int64_t>(),
                             row["share"].get<double>());
  }
}

int Stats(const GlobalOptions& options, const std::string& from, const std::string& to) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  incidents::IncidentService service(**store);
  auto stats = service.Stats(auth::CommandLineOperator(), from, to);
  if (!stats) return Fail(stats.error());
  if (options.json) {
    PrintJson(*stats);
    return kOk;
  }
  std::cout << fmt::format("incidents created {} up to {}: {}\n", from.empty() ? "ever" : from,
                           to.empty() ? "now" : to, (*stats)["total"].get<int64_t>());
  PrintRows((*stats)["by_classification"], "by RSIT classification", "classification");
  PrintRows((*stats)["by_type"], "by RSIT type", "type");
  PrintRows((*stats)["by_cause"], "by cause", "cause");
  PrintRows((*stats)["by_impact"], "by impact", "impact");
  PrintRows((*stats)["by_member_kind"], "by member kind", "member_kind");
  return kOk;
}

// `baken stats reports`: the researchers' reports of a period (decision 0020).
int ReportStats(const GlobalOptions& options, const std::string& from, const std::string& to) {
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  auto stats = disclosure::ReportService(**store, {}).Stats(auth::CommandLineOperator(), from, to);
  if (!stats) return Fail(stats.error());
  if (options.json) {
    PrintJson(*stats);
    return kOk;
  }
  std::cout << fmt::format("researchers' reports received {} up to {}: {}\n",
                           from.empty() ? "ever" : from, to.empty() ? "now" : to,
                           (*stats)["reports"].get<int64_t>());
  for (const auto& month : (*stats)["by_month"]) {
    std::cout << fmt::format("  {}  {:>5} (valid {}, invalid {}, accepted {}, closed {})\n",
                             month["month"].get<std::string>(), month["total"].get<int64_t>(),
                             month["valid"].get<int64_t>(), month["invalid"].get<int64_t>(),
                             month["accepted"].get<int64_t>(), month["closed"].get<int64_t>());
  }
  const auto median = [](const registry::Json& figure) {
    return figure["median"].is_null() ? std::string("-")
                                      : fmt::format("{:.1f} h", figure["median"].get<double>());
  };
  std::cout << fmt::format("members notified: {}; median time to acknowledge {}, to fix {}\n",
                           (*stats)["notifications"]["total"].get<int64_t>(),
                           median((*stats)["hours_to_acknowledge"]),
                           median((*stats)["hours_to_fix"]));
  return kOk;
}

}  // namespace

struct IncidentCommands::Arguments {
  std::string from;
  std::string to;
};

IncidentCommands::~IncidentCommands() = default;

IncidentCommands::IncidentCommands(CLI::App& app, const GlobalOptions& options, int& status)
    : arguments_(std::make_unique<Arguments>()) {
  auto* stats = app.add_subcommand("stats", "figures for reports");
  stats->require_subcommand(1);
  auto* incidents = stats->add_subcommand(
      "incidents", "incidents created in a period, by RSIT type, cause, impact and member kind");
  incidents->add_option("--from", arguments_->from,
                        "from this date (YYYY-MM-DD, midnight UTC) or UTC time, inclusive");
  incidents->add_option("--to", arguments_->to, "up to this date or UTC time, exclusive");
  incidents->callback(
      [this, &options, &status] { status = Stats(options, arguments_->from, arguments_->to); });
  auto* reports = stats->add_subcommand(
      "reports",
      "researchers' reports received in a period: per month, the members' answers, "
      "the median time to acknowledge and to fix");
  reports->add_option("--from", arguments_->from,
                      "from this date (YYYY-MM-DD, midnight UTC) or UTC time, inclusive");
  reports->add_option("--to", arguments_->to, "up to this date or UTC time, exclusive");
  reports->callback([this, &options, &status] {
    status = ReportStats(options, arguments_->from, arguments_->to);
  });
}

}  // namespace baken::cli
