#ifndef BAKEN_SERVICE_EVENTS_SERVICE_H_
#define BAKEN_SERVICE_EVENTS_SERVICE_H_

// Reading what ingest stored: events (scoped to the caller's member), the outbox (staff), and
// retention. Shared by the command line and the HTTP API.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::service {

struct OutboxPage {
  std::vector<store::OutboxMessage> messages;
  int64_t total = 0;
};

struct OutboxPreview {
  store::OutboxMessage message;
  std::string text;  // the message's text part, decoded
};

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
  // One page of the outbox and the true total of `query`, read in one transaction. The one
  // place the caller's scope applies to the outbox: for a member's users only their member's
  // sent messages, never TLP:RED (kPermissionDenied when they ask for another state).
  Result<OutboxPage> ListOutbox(const auth::Principal& who, store::OutboxQuery query);
  // Staff only: one message with its text as the recipients read it (a preview before a
  // release); kNotFound when there is no such message.
  Result<OutboxPreview> PreviewMessage(const auth::Principal& who, int64_t id);

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
