#ifndef BAKEN_SERVICE_EVENTS_SERVICE_H_
#define BAKEN_SERVICE_EVENTS_SERVICE_H_

// Reading what ingest stored: events (scoped to the caller's member), the outbox (staff), and
// retention. Shared by the command line and the HTTP API.

#include <functional>
#include <optional>
#include <string>

#include "auth/principal.h"
#include "common/error.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::service {

class EventsService {
 public:
  explicit EventsService(store::Store& store) : store_(store) {}

  // Events the principal may see (a member user: only its member's), oldest first. A member
  // user asking for another member or for unrouted events gets an empty list, not an error,
  // because the scope already excludes them.
  Status ForEach(const auth::Principal& who, const store::EventQuery& query,
                 const std::function<bool(const store::StoredEvent&)>& visit);
  // One page of a list as a person reads it (query.offset and query.limit), and the true total
  // of the query, read in one transaction so that the two agree.
  Result<int64_t> Page(const auth::Principal& who, const store::EventQuery& query,
                       const std::function<bool(const store::StoredEvent&)>& visit);
  // Staff only: removes events observed more than `days` days ago (those still waiting to be
  // notified stay). Returns how many were removed.
  Result<int64_t> Purge(const auth::Principal& who, int days);
  // The outbox, newest first: all of it for staff; for a member's users, the messages sent to
  // their member (kPermissionDenied when they ask for another state).
  Result<std::vector<store::OutboxMessage>> Outbox(const auth::Principal& who,
                                                   std::optional<store::OutboxState> state,
                                                   int64_t limit);

 private:
  store::Store& store_;
};

// The contract's event form: the IntelMQ fields, "tlp" (the level Baken keeps and shares the
// event at, common/tlp.h names) and "baken.member" (the routed member code or null), as
// compact JSON text.
std::string EventToJsonText(const store::StoredEvent& event);

// An outbox message for lists: everything but the MIME text.
registry::Json OutboxMessageToJson(const store::OutboxMessage& message);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_EVENTS_SERVICE_H_
