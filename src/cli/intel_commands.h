#ifndef BAKEN_CLI_INTEL_COMMANDS_H_
#define BAKEN_CLI_INTEL_COMMANDS_H_

// `baken intel import`: threat intelligence from a MISP event, a STIX bundle or a plain list
// (decision 0023).

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

class IntelCommands {
 public:
  IntelCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~IntelCommands();
  IntelCommands(const IntelCommands&) = delete;
  IntelCommands& operator=(const IntelCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_INTEL_COMMANDS_H_
