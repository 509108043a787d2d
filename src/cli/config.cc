#include "cli/config.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/support.h"
#include "common/json_limits.h"
#include "common/quote.h"
#include "jobs/scheduler.h"

namespace baken::cli {

namespace {

using nlohmann::json;

}  // namespace

Result<Config> ParseConfig(std::string_view text, std::string_view source) {
  auto parsed = ParseJson<json>(text);
  if (!parsed) {
    return InvalidArgument(
        fmt::format("{}: the configuration is not valid JSON: {}", source, parsed.error().message));
  }
  const json& document = *parsed;
  if (!document.is_object()) {
    return InvalidArgument(fmt::format("{}: the configuration is not a JSON object", source));
  }
  const auto fail = [&](std::string_view where, std::string_view problem) {
    return InvalidArgument(fmt::format("{}: {}: {}", source, where, problem));
  };
  Config config;
  const auto section = [&](const char* name) -> Result<json> {
    const auto found = document.find(name);
    if (found == document.end()) return json::object();
    if (!found->is_object()) return fail(name, "must be an object");
    return *found;
  };
  const auto text_of = [&](const json& object, const char* name, std::string_view where,
                           std::string* out) -> Status {
    const auto found = object.find(name);
    if (found == object.end()) return {};
    if (!found->is_string()) return fail(fmt::format("{}.{}", where, name), "must be a string");
    *out = found->get<std::string>();
    return {};
  };
  const auto number_of = [&](const json& object, const char* name, std::string_view where,
                             int64_t low, int64_t high) -> Result<std::optional<int64_t>> {
    const auto found = object.find(name);
    if (found == object.end()) return std::optional<int64_t>();
    if (!found->is_number_integer() || found->get<int64_t>() < low ||
        found->get<int64_t>() > high) {
      return fail(fmt::format("{}.{}", where, name),
                  fmt::format("must be a whole number from {} to {}", low, high));
    }
    return std::optional<int64_t>(found->get<int64_t>());
  };
  const auto tlp_of = [&](const json& value, std::string_view where) -> Result<Tlp> {
    const std::optional<Tlp> tlp =
        value.is_string() ? ParseTlp(value.get<std::string>()) : std::nullopt;
    if (!tlp) return fail(where, "must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
    return *tlp;
  };

  BAKEN_ASSIGN_OR_RETURN(const json smtp, section("smtp"));
  BAKEN_RETURN_IF_ERROR(text_of(smtp, "url", "smtp", &config.smtp_url));
  BAKEN_RETURN_IF_ERROR(text_of(smtp, "username", "smtp", &config.smtp_username));
  BAKEN_RETURN_IF_ERROR(text_of(smtp, "password", "smtp", &config.smtp_password));
  BAKEN_RETURN_IF_ERROR(text_of(smtp, "from", "smtp", &config.from));
  BAKEN_RETURN_IF_ERROR(text_of(smtp, "message_id_domain", "smtp", &config.message_id_domain));

  BAKEN_ASSIGN_OR_RETURN(const json notify, section("notify"));
  BAKEN_ASSIGN_OR_RETURN(config.retry_seconds,
                         number_of(notify, "retry_seconds", "notify", 0, 86400));
  BAKEN_ASSIGN_OR_RETURN(const auto attempts, number_of(notify, "max_attempts", "notify", 1, 100));
  if (attempts) config.max_attempts = static_cast<int>(*attempts);

  BAKEN_ASSIGN_OR_RETURN(const json organisation, section("organisation"));
  BAKEN_RETURN_IF_ERROR(text_of(organisation, "name", "organisation", &config.organisation_name));
  BAKEN_RETURN_IF_ERROR(
      text_of(organisation, "full_name", "organisation", &config.organisation_full_name));
  BAKEN_RETURN_IF_ERROR(text_of(organisation, "phone", "organisation", &config.organisation_phone));
  BAKEN_RETURN_IF_ERROR(text_of(organisation, "email", "organisation", &config.organisation_email));
  BAKEN_RETURN_IF_ERROR(text_of(organisation, "logo", "organisation", &config.organisation_logo));
  if (!config.organisation_logo.empty() && config.organisation_logo.rfind("https://", 0) != 0 &&
      config.organisation_logo.front() != '/') {
    return fail("organisation.logo", "must be an https:// URL or a path on this server");
  }

  BAKEN_ASSIGN_OR_RETURN(const json feeds, section("feeds"));
  if (const auto found = feeds.find("tlp"); found != feeds.end()) {
    BAKEN_ASSIGN_OR_RETURN(config.default_tlp, tlp_of(*found, "feeds.tlp"));
  }
  if (const auto found = feeds.find("tlp_by_feed"); found != feeds.end()) {
    if (!found->is_object()) return fail("feeds.tlp_by_feed", "must be an object");
    for (const auto& [feed, value] : found->items()) {
      BAKEN_ASSIGN_OR_RETURN(const Tlp tlp,
                             tlp_of(value, fmt::format("feeds.tlp_by_feed.{}", Quote(feed))));
      config.tlp_by_feed.emplace(feed, tlp);
    }
  }
  BAKEN_ASSIGN_OR_RETURN(const auto hours, number_of(feeds, "digest_hours", "feeds", 1, 24 * 31));
  if (hours) config.digest_hours = static_cast<int>(*hours);
  BAKEN_ASSIGN_OR_RETURN(const auto days, number_of(feeds, "retention_days", "feeds", 1, 36500));
  if (days) config.retention_days = static_cast<int>(*days);

  BAKEN_ASSIGN_OR_RETURN(const json portal, section("portal"));
  BAKEN_RETURN_IF_ERROR(text_of(portal, "url", "portal", &config.portal_url));
  while (!config.portal_url.empty() && config.portal_url.back() == '/')
    config.portal_url.pop_back();
  if (!config.portal_url.empty() && !config.portal_url.starts_with("https://") &&
      !config.portal_url.starts_with("http://")) {
    return fail("portal.url", "must be an https:// URL");
  }

  BAKEN_ASSIGN_OR_RETURN(const json advisories, section("advisories"));
  if (const auto found = advisories.find("providers"); found != advisories.end()) {
    if (!found->is_array()) return fail("advisories.providers", "must be a list of URLs");
    for (size_t i = 0; i < found->size(); ++i) {
      const json& provider = (*found)[i];
      if (!provider.is_string() || provider.get<std::string>().empty()) {
        return fail(fmt::format("advisories.providers[{}]", i),
                    "must be a provider-metadata.json URL or a provider's domain");
      }
      config.advisory_providers.push_back(provider.get<std::string>());
    }
  }

  BAKEN_ASSIGN_OR_RETURN(const json jobs, section("jobs"));
  for (const auto& [name, value] : jobs.items()) {
    const std::string where = fmt::format("jobs.{}", name);
    if (std::find(jobs::JobNames().begin(), jobs::JobNames().end(), name) ==
        jobs::JobNames().end()) {
      return fail(where, fmt::format("is not a job of Baken's (those are: {})",
                                     fmt::join(jobs::JobNames(), ", ")));
    }
    if (!value.is_object()) return fail(where, "must be an object");
    JobTiming timing;
    BAKEN_ASSIGN_OR_RETURN(timing.every_seconds,
                           number_of(value, "every_seconds", where, 1, 7 * 86400));
    BAKEN_ASSIGN_OR_RETURN(timing.limit_seconds,
                           number_of(value, "limit_seconds", where, 1, 86400));
    config.jobs.emplace(name, timing);
  }

  BAKEN_ASSIGN_OR_RETURN(const json oncall, section("oncall"));
  BAKEN_ASSIGN_OR_RETURN(const auto warning,
                         number_of(oncall, "breach_warning_hours", "oncall", 1, 71));
  if (warning) config.breach_warning_hours = *warning;
  if (const auto found = oncall.find("heartbeats"); found != oncall.end()) {
    if (!found->is_object()) {
      return fail("oncall.heartbeats", "must be an object of feed names and hours");
    }
    for (const auto& [feed, value] : found->items()) {
      const std::string where = fmt::format("oncall.heartbeats.{}", feed);
      if (feed.empty() || feed.size() > 200) return fail(where, "is not a feed name");
      if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
          value.get<int64_t>() > 24 * 31) {
        return fail(where, "must be a whole number of hours from 1 to 744");
      }
      config.heartbeats.emplace(feed, value.get<int64_t>());
    }
  }

  BAKEN_ASSIGN_OR_RETURN(const json reports, section("disclosure"));
  const auto set = [&](const char* name, int64_t low, int64_t high, int64_t* target) -> Status {
    BAKEN_ASSIGN_OR_RETURN(const auto value, number_of(reports, name, "disclosure", low, high));
    if (value) *target = *value;
    return {};
  };
  int64_t bits = config.disclosure.proof_bits;
  BAKEN_RETURN_IF_ERROR(set("proof_of_work_bits", 0, disclosure::kMaxProofBits, &bits));
  config.disclosure.proof_bits = static_cast<int>(bits);
  BAKEN_RETURN_IF_ERROR(set("reports_per_hour", 1, 10000, &config.disclosure.reports_per_hour));
  BAKEN_RETURN_IF_ERROR(
      set("challenges_per_hour", 1, 100000, &config.disclosure.challenges_per_hour));
  BAKEN_RETURN_IF_ERROR(set("status_link_days", 1, 3650, &config.disclosure.status_link_days));
  BAKEN_RETURN_IF_ERROR(set("response_days", 1, 365, &config.disclosure.response_days));
  BAKEN_RETURN_IF_ERROR(set("reminders", 0, 20, &config.disclosure.reminders));
  for (const auto& [name, target] :
       {std::pair{"security_txt", &config.disclosure.security_txt},
        std::pair{"security_txt_private_hosts", &config.disclosure.security_txt_private_hosts}}) {
    if (const auto found = reports.find(name); found != reports.end()) {
      if (!found->is_boolean())
        return fail(fmt::format("disclosure.{}", name), "must be true or false");
      *target = found->get<bool>();
    }
  }
  BAKEN_ASSIGN_OR_RETURN(const json openpgp, section("openpgp"));
  if (const auto found = openpgp.find("home"); found != openpgp.end()) {
    if (!found->is_string() || found->get<std::string>().empty()) {
      return fail("openpgp.home", "must be the path of a GnuPG home directory");
    }
    config.openpgp_home = found->get<std::string>();
  }
  BAKEN_RETURN_IF_ERROR(text_of(openpgp, "sign_as", "openpgp", &config.openpgp_sign_as));
  if (!config.openpgp_sign_as.empty() && config.openpgp_home.empty()) {
    return fail("openpgp.sign_as", "needs openpgp.home, the GnuPG home that holds the key");
  }
  return config;
}

Result<Config> LoadConfig(const std::string& path) {
  std::string location = path;
  if (location.empty()) {
    if (const char* env = std::getenv("BAKEN_CONFIG"); env != nullptr) location = env;
  }
  if (location.empty()) return Config{};
  BAKEN_ASSIGN_OR_RETURN(const std::string text, ReadFile(location));
  return ParseConfig(text, location);
}

}  // namespace baken::cli
