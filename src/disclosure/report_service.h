#ifndef BAKEN_DISCLOSURE_REPORT_SERVICE_H_
#define BAKEN_DISCLOSURE_REPORT_SERVICE_H_

// Researchers' reports, the use cases (docs/decisions/0020-disclosure.md): the public intake
// with its proof of work and rate limit, routing to the members that own what a report names,
// the reporter's status by link, the member's side (read, answer, write to the reporter through
// the CERT), the analysts' side (the queue, states, candidates, messages) and the reminders.
// HTTP handlers (http/disclosure_handlers.cc) and commands only read requests and hand them
// over; the SQL is store/disclosure_repository.h.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/error.h"
#include "disclosure/submission.h"
#include "mail/openpgp.h"
#include "routing/constituency.h"
#include "store/disclosure_repository.h"
#include "store/store.h"

namespace baken::disclosure {

using Json = nlohmann::ordered_json;
using Clock = std::function<std::chrono::system_clock::time_point()>;

// From the configuration file's "disclosure" part (cli/config.h).
struct DisclosureSettings {
  int proof_bits = 20;               // the public form's proof of work
  int64_t reports_per_hour = 5;      // per source address
  int64_t challenges_per_hour = 60;  // per source address
  int64_t status_link_days = 180;
  int64_t response_days = 7;  // a member's answer is asked within this many days
  int64_t reminders = 2;      // then "no response", and the analysts are told
  // A report that reaches no member: look up the security.txt of the hosts it names, from
  // public addresses only unless private ones are allowed (a test host on loopback).
  bool security_txt = true;
  bool security_txt_private_hosts = false;
};

// What the reporter gets back: the report's reference and the status link's token (shown once).
struct Receipt {
  int64_t id = 0;
  std::string reference;
  std::string token;
  std::string token_expires_at;
};

// "CVD-2026-00017": the year it came in and its number.
std::string ReferenceOf(const store::VulnerabilityReport& report);

class ReportService {
 public:
  ReportService(store::Store& store, DisclosureSettings settings, Clock clock = {});

  // The public intake. A challenge for the proof of work; `source` is the caller's address.
  Result<Json> Challenge(std::string_view source);
  // A report from the public form (or a script): the proof of work, the rate limit, then the
  // same as Enter. Routed through `snapshot` at once.
  Result<Receipt> Submit(const Json& body, std::string_view source,
                         const routing::Constituency& snapshot);
  // A report an analyst enters (by phone, from a partner's JSON): no proof of work.
  Result<Receipt> Enter(const auth::Principal& who, const Json& body, std::string_view channel,
                        const routing::Constituency& snapshot);

  // A report by e-mail (`baken intake mail`, report_service_mail.cc): the message read and
  // opened (`openpgp` may be null), made a submission (mail_report.h), received on channel
  // "mail" and archived for the analysts, in one transaction. The same message taken in again
  // (an MTA that retries) is the same report: `duplicate`, and no new token.
  struct MailReceipt {
    Receipt receipt;
    bool duplicate = false;
    std::string format;  // plain, xarf-0.2, …
    bool encrypted = false;
    std::string signature;  // mail/openpgp.h Signature::state
    std::string sender;
  };
  Result<MailReceipt> TakeInMail(std::string_view raw, const mail::OpenPgp* openpgp,
                                 const routing::Constituency& snapshot);

  // The reporter, by the status link's token: what the status page shows.
  Result<Json> Status(std::string_view token);
  // The reporter adds information through the link: {"text"}.
  Result<Json> AddFromReporter(std::string_view token, const Json& body);

  // Analysts: the queue (?state, ?unrouted), one report with everything, its history.
  Result<Json> List(const auth::Principal& who, const store::ReportQuery& query);
  Result<Json> Get(const auth::Principal& who, int64_t id);
  // {"state", "reason"}: the report's own states (report.h).
  Result<Json> Move(const auth::Principal& who, int64_t id, const Json& body);
  // {"tlp", "member_summary"}.
  Result<Json> Update(const auth::Principal& who, int64_t id, const Json& body);
  // {"member"}: notifies a member by hand, or confirms a proposed candidate.
  Result<Json> NotifyMember(const auth::Principal& who, int64_t id, const Json& body);
  Result<Json> Withdraw(const auth::Principal& who, int64_t id, std::string_view member);
  // {"text", "member"}: to the reporter (no member; shown on the status page) or to a member.
  Result<Json> AddMessage(const auth::Principal& who, int64_t id, const Json& body);
  // Passes a member's message meant for the reporter on to the status page.
  Result<Json> ReleaseMessage(const auth::Principal& who, int64_t id, int64_t message);
  // {"into", "reason"} (report_service_triage.cc): the report is a duplicate of `into` and is
  // closed; what it names joins `into`, and each member keeps one live notification, on `into`.
  // Returns `into`.
  Result<Json> Merge(const auth::Principal& who, int64_t id, const Json& body);
  // The report becomes an incident (the incident's fields as POST /incidents takes them): the
  // members it reached take part, its TLP is the report's unless given, and the report points
  // at it. Once per report.
  Result<Json> OpenIncident(const auth::Principal& who, int64_t id, const Json& body);

  // Members: their notifications; one with what the member may read of its report (a member's
  // user viewing it for the first time marks it seen); an answer {"state", "note",
  // "reference", "named"}; a message {"text", "for_reporter"}.
  Result<Json> Notifications(const auth::Principal& who, int64_t limit, int64_t offset);
  Result<Json> Notification(const auth::Principal& who, int64_t id);
  Result<Json> Answer(const auth::Principal& who, int64_t id, const Json& body);
  Result<Json> AddMemberMessage(const auth::Principal& who, int64_t id, const Json& body);
  // An attachment, for staff (`notification` unset) or through a member's notification when
  // the member may read the report's text.
  Result<store::ReportAttachment> Attachment(const auth::Principal& who, int64_t report,
                                             std::optional<int64_t> notification,
                                             int64_t attachment);

  // Analysts: an e-mail the report came in, with the message as it arrived.
  Result<store::ReportMail> Mail(const auth::Principal& who, int64_t report, int64_t mail);

  // Analysts: the reports received in [from, to) (dates or UTC times; empty: open-ended): per
  // month and state, per channel, the members' answers, and the median hours from notice to
  // acknowledgement and to fix.
  Result<Json> Stats(const auth::Principal& who, std::string_view from, std::string_view to);

  // The clock's work (the notify job): a reminder for each notification whose answer is due,
  // or, after the last, "no response" and a message to the analysts. Returns how many changed.
  Result<int64_t> RemindDue();

 private:
  std::string Now() const;
  std::chrono::system_clock::time_point NowPoint() const;
  Result<Receipt> Receive(store::Transaction& tx, Submission submission, std::string_view channel,
                          std::string_view source_key, std::string_view submitted_by,
                          const routing::Constituency& snapshot);

  store::Store& store_;
  DisclosureSettings settings_;
  Clock clock_;
};

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_REPORT_SERVICE_H_
