#ifndef BAKEN_CLI_INCIDENT_COMMANDS_H_
#define BAKEN_CLI_INCIDENT_COMMANDS_H_

// `baken stats incidents`: the threat report's table of incidents (decision 0018).

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

// Adds the commands to `app`; their callbacks set `status` to the exit status. The object holds
// the parsed arguments and must outlive app.parse().
class IncidentCommands {
 public:
  IncidentCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~IncidentCommands();
  IncidentCommands(const IncidentCommands&) = delete;
  IncidentCommands& operator=(const IncidentCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_INCIDENT_COMMANDS_H_
