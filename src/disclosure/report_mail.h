#ifndef BAKEN_DISCLOSURE_REPORT_MAIL_H_
#define BAKEN_DISCLOSURE_REPORT_MAIL_H_

// The e-mails a report's notices become (decision 0020), planned into the outbox by the
// `notify` job and `baken notify`, each notice once, in one transaction with its messages:
// a member's notice or reminder (content-free, to its trusted contacts), the analysts' "no
// response" (to the organisation's address), the reporter's receipt and news (with a fresh
// status link each time: only a link's hash is kept, so an old one cannot be sent again).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "disclosure/report_service.h"
#include "store/store.h"

namespace baken::disclosure {

struct ReportMailSettings {
  std::string from = "Baken CERT <cert@baken.invalid>";
  std::string message_id_domain = "baken.invalid";
  std::string portal_url;      // links in the messages; empty: none (the reporter's is held)
  std::string analysts_email;  // the organisation's address
  int64_t status_link_days = 180;
};

// The reports' work of the `notify` job and `baken notify`: the reminders that are due
// (ReportService::RemindDue), every unplanned notice, then where reports that reach
// no member may go (SuggestContacts). Returns what it did:
// {"suggested", "reminded", "planned", "held"}.
Result<nlohmann::json> PlanReportMail(store::Store& store, const DisclosureSettings& disclosure,
                                      const ReportMailSettings& settings, const Clock& clock);

// Where a report that reaches no member may go: the abuse contact of the loaded RIPE data
// (SuggestRipeContacts, local, up to 100 items), then, when enabled, the security.txt of up to
// `limit` items, once per report and item, outside any transaction (a host may be slow); keeps
// what was found, or why nothing was. Returns how many were looked up.
Result<int64_t> SuggestContacts(store::Store& store, const DisclosureSettings& disclosure,
                                const Clock& clock, int64_t limit = 20);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_REPORT_MAIL_H_
