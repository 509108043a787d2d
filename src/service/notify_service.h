#ifndef BAKEN_SERVICE_NOTIFY_SERVICE_H_
#define BAKEN_SERVICE_NOTIFY_SERVICE_H_

// `baken notify`: turns due digests into outbox messages and delivers the outbox over SMTP.
//
// Who receives what follows TLP 2.0 (docs/decisions/0005-notifications.md):
//   CLEAR, GREEN          the member's general and trusted contacts;
//   AMBER, AMBER+STRICT   its trusted contacts only;
//   RED                   nobody automatically: the message is held for an analyst.
// A digest no contact may receive becomes one held message that says why; it is never sent
// to someone else instead. Recipients are grouped by language (nl, en): one message each.
//
// A message is sent at most once, also across crashes and with several processes: a process
// first takes the message with a lease in its name (a committed write); the outbox row is
// marked "sending" in its own committed transaction just before the SMTP server is given the
// end of the message, and only while this process still holds the lease; "sent" right after
// the server accepts it. A process that dies in between leaves the row "sending"; once its
// lease ran out, the next run marks it "unknown" (it may have arrived) for an analyst to
// check, rather than risk a second copy. A process that dies earlier leaves it "pending", and
// the server, which never saw the end of the message, discarded it: it is sent again, once,
// after the lease ran out.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "notify/digest.h"
#include "notify/smtp.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::service {

struct NotifySettings {
  std::string from = "Baken CERT <cert@baken.invalid>";
  std::string message_id_domain = "baken.invalid";
  notify::SmtpSettings smtp;
  const notify::Templates* templates = nullptr;  // the built-in ones when null
  int max_attempts = 8;
  int64_t retry_seconds = 60;  // the first wait after a temporary failure; doubles, max 6 h
  bool dry_run = false;        // show what would be planned and sent; change nothing
  // The clock that decides which week the weekly overviews cover; now when unset.
  std::optional<std::chrono::system_clock::time_point> now;
  // Several processes deliver from one outbox (docs/decisions/0017-shared-work.md): each takes
  // a message with a lease in its name before it talks to the mail server, and a message left
  // "sending" counts as interrupted only once its holder's lease ran out.
  std::string owner;           // who takes messages; "HOST:PID" when empty (service/leases.h)
  int64_t lease_seconds = 60;  // how long a taken message stays this process's
  // The clock of the leases; the system clock when unset.
  std::function<std::chrono::system_clock::time_point()> clock;
  // OpenPGP (decision 0021): with a home and a key to sign as, every message is signed
  // (PGP/MIME) as it goes to the mail server, and encrypted as well when every recipient has a
  // public key on file.
  std::string openpgp_home;
  std::string sign_as;
};

struct PlannedMessage {
  std::string member;
  std::string feed_name;
  std::string tlp;
  std::string language;
  std::vector<std::string> recipients;
  std::string subject;
  std::string state;   // "pending" or "held"
  std::string reason;  // why held
  int64_t events = 0;
};

struct NotifySummary {
  std::vector<PlannedMessage> planned;  // messages made from digests in this run
  int64_t sent = 0;
  int64_t retrying = 0;  // temporary failures, to be tried again later
  int64_t failed = 0;    // given up
  int64_t held = 0;      // planned held
  int64_t unknown = 0;   // found "sending" from a run that stopped
  // Messages that could not be built (e.g. a contact's address the mail builder refuses): held
  // with the reason, also counted in `held`; the run goes on for the others.
  int64_t unbuildable = 0;
  std::vector<std::string> problems;  // one line per failure, for the operator
};

registry::Json NotifySummaryToJson(const NotifySummary& summary);

class NotifyService {
 public:
  explicit NotifyService(store::Store& store) : store_(store) {}

  // Staff only. Only one Run at a time may work on a store: the caller holds a lock.
  Result<NotifySummary> Run(const auth::Principal& who, const NotifySettings& settings);

  // Staff only: an analyst's decision to send a held TLP:RED message to the recipients it was
  // made for (the member's trusted contacts). It becomes pending and goes out with the next
  // run. Refused (kConflict) for any other message: a message held for want of recipients
  // has no one to release it to.
  Result<store::OutboxMessage> Release(const auth::Principal& who, int64_t id);

  // Staff only: an analyst's decision on a message whose delivery is "unknown" (Baken stopped
  // while the server took it) or "failed": `arrived` when the recipients confirm they have it
  // (it becomes sent), otherwise it is sent again with the next run (pending; for an unknown
  // one the analyst accepts that a second copy may arrive). Refused (kConflict) for messages
  // in other states.
  Result<store::OutboxMessage> Resolve(const auth::Principal& who, int64_t id, bool arrived);

 private:
  Status RecoverInterrupted(const NotifySettings& settings, NotifySummary* summary);
  Status Plan(const NotifySettings& settings, store::Transaction& tx, const store::Digest& digest,
              NotifySummary* summary);
  // Vulnerability warnings: for each advisory revision not yet warned of, the members whose
  // findings are new or changed get a warning (docs/decisions/0007). `dry_run`: plan into
  // this transaction, which the caller rolls back.
  Status PlanWarnings(const NotifySettings& settings, store::Transaction* dry_run,
                      NotifySummary* summary);
  // Weekly overviews: each member that was warned in the last complete ISO week (Monday to
  // Sunday, UTC) and has no overview of it yet gets one listing those warnings.
  Status PlanOverviews(const NotifySettings& settings, store::Transaction* dry_run,
                       NotifySummary* summary);
  // Data breaches (decision 0018): each reminder of the AP's 72 hours (24 and 48 hours after
  // the member became aware, 4 hours before the deadline, and once overdue) that has fallen
  // due goes once to the member's privacy and CISO contacts and to the coordinator; when
  // several fell due (no run for a while), only the latest is sent.
  Status PlanBreachReminders(const NotifySettings& settings, store::Transaction* dry_run,
                             NotifySummary* summary);
  // Notices to partners about incidents (IncidentService::OpenForPartner): each becomes its
  // messages to the partner's contacts with an e-mail address, one per language, once; held
  // when the incident is AMBER+STRICT or RED (the partner is outside the constituency).
  Status PlanPartnerNotices(const NotifySettings& settings, store::Transaction* dry_run,
                            NotifySummary* summary);
  // News for participants (a released coordination entry, an entry or a task for the member):
  // to the member's contacts its TLP allows (as for digests), one message per language; at
  // AMBER+STRICT and RED to its trusted contacts, saying only that there is news.
  Status PlanIncidentNews(const NotifySettings& settings, store::Transaction* dry_run,
                          NotifySummary* summary);
  // Sighting warnings (decision 0023): each becomes its messages to the warned member's
  // contacts that take warnings, one per language; held when the member may no longer
  // receive the indicator (its event changed since the sighting) or has no such contact.
  Status PlanIntelWarnings(const NotifySettings& settings, store::Transaction* dry_run,
                           NotifySummary* summary);
  // Delivers a message this process took (ClaimDeliverable) in the name of `owner`.
  Status Deliver(const NotifySettings& settings, const std::string& owner,
                 store::OutboxMessage message, NotifySummary* summary);
  // The message signed as settings.sign_as, and encrypted when every recipient has a key.
  Result<std::string> ProtectForRecipients(const NotifySettings& settings,
                                           const store::OutboxMessage& message);

  store::Store& store_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_NOTIFY_SERVICE_H_
