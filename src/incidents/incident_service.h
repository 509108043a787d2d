#ifndef BAKEN_INCIDENTS_INCIDENT_SERVICE_H_
#define BAKEN_INCIDENTS_INCIDENT_SERVICE_H_

// The incident use cases, shared by the API and the command line (decision 0018). Each takes
// the principal and reads through its scope and its roles (reader.h); what a caller may not
// see does not exist for it (kNotFound). Fields come as JSON objects, as the API receives
// them, and are checked here, once: a refusal names every bad field (coded, i18n/problems.json).
// Every change writes the incident's own history and an audit entry in its transaction.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "common/error.h"
#include "common/time.h"
#include "registry/member_json.h"
#include "store/incident_repository.h"
#include "store/store.h"

namespace baken::incidents {

using Json = registry::Json;
using Clock = std::function<std::chrono::system_clock::time_point()>;

// The largest attachment, once decoded: 10 MiB, evidence such as a mail or a log excerpt; a
// disk image belongs elsewhere.
inline constexpr int64_t kMaxAttachmentBytes = int64_t{10} << 20;

class IncidentService {
 public:
  explicit IncidentService(
      store::Store& store, Clock clock = [] { return baken::Now(); })
      : store_(store), clock_(std::move(clock)) {}

  // A member's user reports an incident for its own member (title, description, tlp); staff
  // open one with any of the incident's fields, and `members` to take part from the start.
  Result<Json> Create(const auth::Principal& who, const Json& fields);
  // The same within the caller's transaction, for a use case that opens an incident as part
  // of its own change (a researcher's report becoming one); the new incident's id.
  Result<int64_t> CreateIn(store::Transaction& tx, const auth::Principal& who, const Json& fields);
  // {"incidents": [...], "total": N}: each as the caller may see it.
  Result<Json> List(const auth::Principal& who, const store::IncidentQuery& query);
  // The incident with its participations, tasks, journal and (staff) links.
  Result<Json> Get(const auth::Principal& who, int64_t id);
  // Staff: the fields given change (title, description, classification, type, cause, impact,
  // priority, tlp, coordinator).
  Result<Json> Update(const auth::Principal& who, int64_t id, const Json& fields);
  // Staff: a transition (incident.h); closing checks the closing rules.
  Result<Json> Move(const auth::Principal& who, int64_t id, const Json& fields);
  // Staff: `id` is a duplicate of `into`: closed, its participations moved.
  Result<Json> Merge(const auth::Principal& who, int64_t id, const Json& fields);
  Result<Json> History(const auth::Principal& who, int64_t id);

  // A journal entry: a member's user writes in its own participation; staff in a member's
  // participation (`member`) or in the coordination.
  Result<Json> AddEntry(const auth::Principal& who, int64_t id, const Json& fields);
  // Staff: a coordination entry becomes readable for the participants (TLP permitting).
  Result<Json> ReleaseEntry(const auth::Principal& who, int64_t id, int64_t entry);

  // Staff: a task of the coordination or (`member`) of a participation.
  Result<Json> AddTask(const auth::Principal& who, int64_t id, const Json& fields);
  // Staff change any field; a member's user may mark its participation's task done.
  Result<Json> UpdateTask(const auth::Principal& who, int64_t id, int64_t task, const Json& fields);

  // Evidence (decision 0018): `name`, `media_type`, `content_base64` (at most
  // kMaxAttachmentBytes once decoded), `tlp`, and for staff `member` (a participation's; none:
  // the coordination's, which only staff read). A member's user adds to its own participation.
  Result<Json> AddAttachment(const auth::Principal& who, int64_t id, const Json& fields);
  // {"attachments": [...]}: those the caller may read (TLP and roles as for journal entries).
  Result<Json> Attachments(const auth::Principal& who, int64_t id);
  // One attachment with its bytes, for a download; 404 for what the caller may not read.
  Result<store::IncidentAttachment> Attachment(const auth::Principal& who, int64_t id,
                                               int64_t attachment);

  // Staff: links to events, advisories, warnings and other incidents.
  Result<Json> AddLink(const auth::Principal& who, int64_t id, const Json& fields);

  // Staff: members take part, by hand (`members`) or as the owners of events (`events`).
  Result<Json> AddParticipations(const auth::Principal& who, int64_t id, const Json& fields);
  Result<Json> Participations(const auth::Principal& who, int64_t id);
  Result<Json> GetParticipation(const auth::Principal& who, int64_t id, std::string_view member);
  // Staff: title and named; staff and the member's trusted and privacy contacts: the
  // data-breach decision (`breach`).
  Result<Json> UpdateParticipation(const auth::Principal& who, int64_t id, std::string_view member,
                                   const Json& fields);
  // Staff: a participation's transition; closing checks its rules.
  Result<Json> MoveParticipation(const auth::Principal& who, int64_t id, std::string_view member,
                                 const Json& fields);

  // A participation's data breach (datalek): staff and the member's trusted and privacy
  // contacts read and keep it; for anyone else it does not exist (404). The 72 hours for the
  // AP run from `aware_at`, the moment the member became aware, not from the record's creation.
  Result<Json> GetBreach(const auth::Principal& who, int64_t id, std::string_view member);
  // Records it (`aware_at` needed the first time; the participation becomes a breach) or
  // changes the fields given: `details` (the facts the AP's form asks for), the AP decision
  // (`notify` with `ap_notified_at` and `ap_reference`, or `no_notify` with its reason; a
  // notification after the deadline needs `delay_reason`) and the Art. 34 decision about the
  // people concerned (`inform`, or `no_inform` with its reason).
  Result<Json> SaveBreach(const auth::Principal& who, int64_t id, std::string_view member,
                          const Json& fields);
  // A later message to the AP about a notified breach (Art. 33(4), in phases): `kind`
  // (supplement, change, withdrawal), `sent_at` (UTC, not before the notification nor in the
  // future) and `note` (what it said). Who may keep the breach may add; none after a withdrawal.
  Result<Json> AddBreachUpdate(const auth::Principal& who, int64_t id, std::string_view member,
                               const Json& fields);
  // The member's breach register (Art. 33(5)): every breach, notified or not, oldest first.
  Result<Json> Register(const auth::Principal& who, std::string_view member);
  // The same as CSV (common/csv_writer.h's cell rule).
  Result<std::string> RegisterCsv(const auth::Principal& who, std::string_view member);

  // Staff: "partner X is hacked". Opens a coordinating incident (source partner, cause third
  // party unless given) with every member that uses the partner taking part (said by the
  // member or an analyst, or seen in its inventory under one of the partner's vendor names),
  // and, with `notice`, a message to the partner's contacts that the next `baken notify` sends
  // (held when the incident's TLP is AMBER+STRICT or RED).
  Result<Json> OpenForPartner(const auth::Principal& who, int64_t partner_id, const Json& fields);

  // The threat report's table: incidents created in [from, to) (dates or UTC times, "" for
  // unbounded) by RSIT type, cause, impact and member kind, each with its share.
  Result<Json> Stats(const auth::Principal& who, std::string_view from, std::string_view to);

 private:
  std::string Now() const;

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::incidents

#endif  // BAKEN_INCIDENTS_INCIDENT_SERVICE_H_
