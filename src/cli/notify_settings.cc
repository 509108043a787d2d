#include "cli/notify_settings.h"

#include <tuple>

#include <fmt/format.h>

namespace baken::cli {

Result<std::optional<service::NotifySettings>> NotifySettingsFrom(
    const Config& config, const NotifyArguments& arguments,
    std::optional<notify::Templates>* templates) {
  service::NotifySettings settings;
  settings.dry_run = arguments.dry_run;
  std::tie(settings.from, settings.message_id_domain) = SenderOf(config, arguments);
  settings.retry_seconds =
      arguments.retry_seconds >= 0 ? arguments.retry_seconds : config.retry_seconds.value_or(60);
  settings.max_attempts = config.max_attempts.value_or(settings.max_attempts);
  if (arguments.lease_seconds > 0) settings.lease_seconds = arguments.lease_seconds;
  settings.smtp.url = arguments.smtp;
  if (settings.smtp.url.empty()) {
    settings.smtp.url = config.smtp_url;
    settings.smtp.username = config.smtp_username;
    settings.smtp.password = config.smtp_password;
  }
  if (settings.smtp.url.empty() && !settings.dry_run) return std::nullopt;
  settings.openpgp_home = config.openpgp_home;
  settings.sign_as = config.openpgp_sign_as;
  if (!arguments.templates.empty()) {
    BAKEN_ASSIGN_OR_RETURN(*templates, notify::Templates::LoadDirectory(arguments.templates));
    settings.templates = &**templates;
  }
  return settings;
}

std::pair<std::string, std::string> SenderOf(const Config& config,
                                             const NotifyArguments& arguments) {
  std::pair<std::string, std::string> sender{service::NotifySettings{}.from,
                                             service::NotifySettings{}.message_id_domain};
  if (!arguments.from.empty()) {
    sender.first = arguments.from;
  } else if (!config.from.empty()) {
    sender.first = config.from;
  }
  if (!arguments.domain.empty()) {
    sender.second = arguments.domain;
  } else if (!config.message_id_domain.empty()) {
    sender.second = config.message_id_domain;
  }
  return sender;
}

std::vector<std::string> AsOptions(const NotifyArguments& arguments) {
  std::vector<std::string> options;
  const auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    options.push_back(name);
    options.push_back(value);
  };
  add("--smtp", arguments.smtp);
  add("--from", arguments.from);
  add("--message-id-domain", arguments.domain);
  add("--templates", arguments.templates);
  if (arguments.retry_seconds >= 0) {
    options.push_back("--retry-seconds");
    options.push_back(fmt::format("{}", arguments.retry_seconds));
  }
  if (arguments.lease_seconds > 0) {
    options.push_back("--lease");
    options.push_back(fmt::format("{}", arguments.lease_seconds));
  }
  return options;
}

disclosure::ReportMailSettings ReportMailFrom(const Config& config,
                                              const NotifyArguments& arguments) {
  disclosure::ReportMailSettings mail;
  std::tie(mail.from, mail.message_id_domain) = SenderOf(config, arguments);
  mail.portal_url = config.portal_url;
  mail.analysts_email = config.organisation_email;
  mail.status_link_days = config.disclosure.status_link_days;
  return mail;
}

}  // namespace baken::cli
