#ifndef BAKEN_CLI_CONFIG_H_
#define BAKEN_CLI_CONFIG_H_

// The configuration file: settings an operator sets once rather than on every command. JSON,
// every part optional; command-line options win over it. Found at --config FILE, else
// $BAKEN_CONFIG; without either there is none and the defaults apply.
//
//   {"smtp": {"url": "smtp://mail.example.nl:587", "username": "baken", "password": "…",
//             "from": "CERT Gemeenten <cert@example.nl>", "message_id_domain": "example.nl"},
//    "notify": {"retry_seconds": 60, "max_attempts": 8},
//    "feeds": {"tlp": "AMBER", "tlp_by_feed": {"Accessible-HTTP": "GREEN"}, "digest_hours": 24,
//              "retention_days": 180},
//    "organisation": {"name": "IBD", "full_name": "Informatiebeveiligingsdienst voor gemeenten",
//                     "phone": "+31 70 373 8000", "email": "info@ibd.example.nl",
//                     "logo": "https://ibd.example.nl/logo.svg"},
//    "portal": {"url": "https://baken.ibd.example.nl"},
//    "advisories": {"providers": ["https://www.ncsc.nl/.well-known/csaf/provider-metadata.json"]},
//    "jobs": {"notify": {"every_seconds": 60, "limit_seconds": 900},
//             "advisory_sync": {"every_seconds": 3600}, "retention": {"every_seconds": 86400}},
//    "oncall": {"breach_warning_hours": 12, "heartbeats": {"Accessible-RDP": 26}},
//    "disclosure": {"proof_of_work_bits": 20, "reports_per_hour": 5, "challenges_per_hour": 60,
//                   "status_link_days": 180, "response_days": 7, "reminders": 2,
//                   "security_txt": true, "security_txt_private_hosts": false},
//    "openpgp": {"home": "/var/lib/baken/gnupg", "sign_as": "cert@example.nl"}}
//
// The file may hold the SMTP password: keep it readable by the service account only.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/tlp.h"
#include "disclosure/proof_of_work.h"
#include "disclosure/report_service.h"

namespace baken::cli {

// A scheduled job's interval and time limit (jobs/scheduler.h); unset: the job's default.
struct JobTiming {
  std::optional<int64_t> every_seconds;
  std::optional<int64_t> limit_seconds;
};

struct Config {
  std::string smtp_url;
  std::string smtp_username;
  std::string smtp_password;
  std::string from;
  std::string message_id_domain;
  std::optional<int64_t> retry_seconds;
  std::optional<int> max_attempts;
  std::optional<Tlp> default_tlp;
  std::map<std::string, Tlp, std::less<>> tlp_by_feed;  // by feed.name
  std::optional<int> digest_hours;
  std::optional<int> retention_days;
  // Whose service this is, as the portal shows it (header, footer, sign-in page).
  std::string organisation_name;
  std::string organisation_full_name;
  std::string organisation_phone;
  std::string organisation_email;
  std::string organisation_logo;
  // Where the portal is, for links in e-mails (a page's): "https://baken.example.nl".
  std::string portal_url;
  // The CSAF providers the advisory_sync job follows (none: the job is not scheduled).
  std::vector<std::string> advisory_providers;
  std::map<std::string, JobTiming, std::less<>> jobs;  // by job name
  // Pages Baken raises itself (decision 0019): a data breach this many hours before its AP
  // deadline without a decision; a feed that has not arrived for this many hours.
  std::optional<int64_t> breach_warning_hours;
  std::map<std::string, int64_t, std::less<>> heartbeats;  // feed name → hours
  // Researchers' reports (decision 0020): the public intake's limits, the reporter's links,
  // how long a member has to answer and how often it is reminded.
  disclosure::DisclosureSettings disclosure;
  // The GnuPG home with the CERT's key (decision 0021): opens encrypted reports, checks
  // signatures. Empty: no OpenPGP.
  std::string openpgp_home;
  // The CERT's key that signs every outgoing message (a fingerprint or its address); empty:
  // messages go unsigned (and unencrypted).
  std::string openpgp_sign_as;
};

// Parses the file's text; `source` names it in errors, which say which setting is wrong.
Result<Config> ParseConfig(std::string_view text, std::string_view source);
// The configuration at `path` (--config), else $BAKEN_CONFIG, else an empty one.
Result<Config> LoadConfig(const std::string& path);

}  // namespace baken::cli

#endif  // BAKEN_CLI_CONFIG_H_
