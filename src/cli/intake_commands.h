#ifndef BAKEN_CLI_INTAKE_COMMANDS_H_
#define BAKEN_CLI_INTAKE_COMMANDS_H_

// `baken intake mail` and `baken intake json`: researchers' reports that arrive by e-mail (an
// MTA pipe or a Maildir folder) and partners' reports in bulk as JSON (decision 0021).

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

// Adds the commands to `app`; their callbacks set `status` to the exit status. The object holds
// the parsed arguments and must outlive app.parse().
class IntakeCommands {
 public:
  IntakeCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~IntakeCommands();
  IntakeCommands(const IntakeCommands&) = delete;
  IntakeCommands& operator=(const IntakeCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_INTAKE_COMMANDS_H_
