#ifndef BAKEN_CLI_OPENPGP_COMMANDS_H_
#define BAKEN_CLI_OPENPGP_COMMANDS_H_

// `baken openpgp import|list|remove`: the public keys on file for contacts' addresses, to which
// Baken's mail is encrypted (decision 0021).

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

class OpenPgpCommands {
 public:
  OpenPgpCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~OpenPgpCommands();
  OpenPgpCommands(const OpenPgpCommands&) = delete;
  OpenPgpCommands& operator=(const OpenPgpCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_OPENPGP_COMMANDS_H_
