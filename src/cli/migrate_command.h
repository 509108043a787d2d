#ifndef BAKEN_CLI_MIGRATE_COMMAND_H_
#define BAKEN_CLI_MIGRATE_COMMAND_H_

// `baken migrate --from sqlite:PATH --to postgresql://…`: an installation moved to PostgreSQL.

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

// Adds the command to `app`; its callback sets `status` to the exit status. The object holds
// the parsed arguments and must outlive app.parse().
class MigrateCommand {
 public:
  MigrateCommand(CLI::App& app, const GlobalOptions& options, int& status);
  ~MigrateCommand();
  MigrateCommand(const MigrateCommand&) = delete;
  MigrateCommand& operator=(const MigrateCommand&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_MIGRATE_COMMAND_H_
