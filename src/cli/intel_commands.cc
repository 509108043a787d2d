#include "cli/intel_commands.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "auth/principal.h"
#include "intel/intel_service.h"
#include "service/registry_service.h"

namespace baken::cli {

namespace {

int Import(const GlobalOptions& options, const std::string& file, intel::ImportOptions import) {
  auto bytes = ReadFile(file);
  if (!bytes) return Fail(bytes.error());
  auto store = OpenStore(options);
  if (!store) return Fail(store.error());
  import.name = std::filesystem::path(file).filename().string();
  // Indicators in a member's netblock or domain become findings for it.
  service::RegistryService registry(**store, nullptr);
  auto constituency = registry.BuildConstituency();
  if (!constituency) return Fail(constituency.error());
  intel::IntelService service(**store, {}, *constituency);
  auto taken = service.Import(auth::CommandLineOperator(), *bytes, import);
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

}  // namespace

struct IntelCommands::Arguments {
  std::string file;
  intel::ImportOptions import;
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
}  // namespace baken::cli

}  // namespace baken::cli
