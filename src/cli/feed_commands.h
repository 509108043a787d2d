#ifndef BAKEN_CLI_FEED_COMMANDS_H_
#define BAKEN_CLI_FEED_COMMANDS_H_

// `baken ingest`, `baken events …`, `baken outbox …` and `baken notify`.

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/support.h"

namespace baken::cli {

// Adds the commands to `app`; their callbacks set `status` to the exit status. The returned
// object holds the parsed arguments and must outlive app.parse().
class FeedCommands {
 public:
  FeedCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~FeedCommands();
  FeedCommands(const FeedCommands&) = delete;
  FeedCommands& operator=(const FeedCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

}  // namespace baken::cli

#endif  // BAKEN_CLI_FEED_COMMANDS_H_
