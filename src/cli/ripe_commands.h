#ifndef BAKEN_CLI_RIPE_COMMANDS_H_
#define BAKEN_CLI_RIPE_COMMANDS_H_

// `baken ripe load|lookup`: the abuse contacts of the RIPE database, from its dump files, for
// reports that reach no member (decision 0022).

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

class RipeCommands {
 public:
  RipeCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~RipeCommands();
  RipeCommands(const RipeCommands&) = delete;
  RipeCommands& operator=(const RipeCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_RIPE_COMMANDS_H_
