#ifndef BAKEN_CLI_NOTIFY_SETTINGS_H_
#define BAKEN_CLI_NOTIFY_SETTINGS_H_

// The notify settings of `baken notify`, `baken worker` and `baken job run notify`: the
// command line's options, the configuration file and the defaults, in that order.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/config.h"
#include "common/error.h"
#include "disclosure/report_mail.h"
#include "notify/digest.h"
#include "service/notify_service.h"

namespace baken::cli {

struct NotifyArguments {
  std::string smtp;
  std::string from;    // empty: from the configuration file, else the default
  std::string domain;  // likewise
  std::string templates;
  int64_t retry_seconds = -1;  // -1: from the configuration file, else 60
  int64_t lease_seconds = 0;   // how long a message taken for delivery is held; 0: 60
  bool dry_run = false;
};

// The notify settings from the command line, the configuration file and the defaults, in
// that order; nullopt when there is no mail server (and `dry_run` is off).
Result<std::optional<service::NotifySettings>> NotifySettingsFrom(
    const Config& config, const NotifyArguments& arguments,
    std::optional<notify::Templates>* templates);

// The sender and the Message-ID domain from the command line, the configuration file and the
// defaults, with or without a mail server (a page's e-mail is planned without one).
std::pair<std::string, std::string> SenderOf(const Config& config,
                                             const NotifyArguments& arguments);

// How the notices of researchers' reports go out: the sender as above, the portal's address for
// links, the organisation's address for the analysts.
disclosure::ReportMailSettings ReportMailFrom(const Config& config,
                                              const NotifyArguments& arguments);

// The options that give `arguments` to another command (`baken job run notify`).
std::vector<std::string> AsOptions(const NotifyArguments& arguments);

}  // namespace baken::cli

#endif  // BAKEN_CLI_NOTIFY_SETTINGS_H_
