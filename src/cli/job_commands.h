#ifndef BAKEN_CLI_JOB_COMMANDS_H_
#define BAKEN_CLI_JOB_COMMANDS_H_

// `baken job run NAME` (one run of a scheduled job, as `baken serve` and `baken worker` start
// it in a child process) and `baken job list`; and the scheduler settings those two processes
// take from the configuration (decision 0019).

#include <atomic>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/config.h"
#include "cli/notify_settings.h"
#include "cli/support.h"
#include "jobs/scheduler.h"

namespace baken::cli {

class JobCommands {
 public:
  JobCommands(CLI::App& app, const GlobalOptions& options, int& status);
  ~JobCommands();
  JobCommands(const JobCommands&) = delete;
  JobCommands& operator=(const JobCommands&) = delete;

 private:
  struct Arguments;
  std::unique_ptr<Arguments> arguments_;
};

// The jobs this process runs and how it starts them: notify when there is a mail server,
// advisory_sync when providers are configured, retention always; each with the interval and
// time limit of the configuration, else its default. `notify` is passed on to the child.
jobs::SchedulerSettings SchedulerSettingsFor(const GlobalOptions& options, const Config& config,
                                             const NotifyArguments& notify, bool mail_server,
                                             std::string owner);

// `baken serve`'s scheduler thread: runs due jobs until `stop`, and says what it did on
// stdout (errors on stderr).
void RunScheduler(jobs::Scheduler& scheduler, const std::atomic<bool>& stop, bool json);

}  // namespace baken::cli

#endif  // BAKEN_CLI_JOB_COMMANDS_H_
