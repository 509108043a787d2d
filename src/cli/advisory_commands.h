#ifndef BAKEN_CLI_ADVISORY_COMMANDS_H_
#define BAKEN_CLI_ADVISORY_COMMANDS_H_

// `baken advisory import|list|matches`.

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

// Adds the commands to `app`; their callbacks set `status` to the exit status. The object holds
// the parsed arguments and must outlive app.parse().
class AdvisoryCommands {
 public:
  AdvisoryCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~AdvisoryCommands();
  AdvisoryCommands(const AdvisoryCommands&) = delete;
  AdvisoryCommands& operator=(const AdvisoryCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_ADVISORY_COMMANDS_H_
