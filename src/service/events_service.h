#ifndef BAKEN_SERVICE_EVENTS_SERVICE_H_
#define BAKEN_SERVICE_EVENTS_SERVICE_H_

// Reading what ingest stored: events (scoped to the caller's member), the outbox (staff), and
// retention. Shared by the command line and the HTTP API.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "registry/member_json.h"
#include "service/registry_service.h"
#include "store/store.h"

namespace baken::service {

// How the unrouted workflow groups events: by the AS number a feed gave (source.asn), or by
// the address's network (an IPv4 /24, an IPv6 /48), the ranges an analyst assigns.
enum class UnroutedGrouping { kAsn, kPrefix };

struct UnroutedGroup {
  std::string key;  // "64500" or "192.0.2.0/24": the value a claim would take
  int64_t events = 0;
  std::string first_seen;  // time.observation of the oldest and newest event
  std::string last_seen;
  std::vector<std::string> feeds;  // a sample: the first kGroupSample distinct ones met
  std::vector<std::string> types;  // classification.type, likewise
  // Members' approved claims that overlap the key (the same AS; a containing or contained
  // netblock): what the analyst is warned of before assigning, as in the claims review.
  std::vector<Overlap> overlaps;
};

struct UnroutedGroups {
  std::vector<UnroutedGroup> groups;  // the page asked for, most events first
  int64_t total = 0;                  // groups in all
  int64_t events = 0;                 // unrouted events in all
  int64_t without_key = 0;            // events with no AS number (or no address) to group by
};

inline constexpr size_t kGroupSample = 5;

struct WeekCount {
  std::string week;  // the Monday, "2026-11-30"
  int64_t events = 0;
};

// The overview's figures: findings per week, and what is new since the previous sign-in.
struct Overview {
  std::optional<std::string> member;          // whose events; nullopt: every member's (staff)
  std::vector<WeekCount> weeks;               // oldest first, the current week last, zeros included
  std::optional<std::string> previous_visit;  // the caller's sign-in before the latest
  int64_t new_events = 0;                     // observed since previous_visit
};

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
  // One event, when the principal may see it (a member user: its member's, and a TLP:RED one
  // only once released).
  Result<std::optional<store::StoredEvent>> Find(const auth::Principal& who, int64_t id);
  // One page of a list as a person reads it (query.offset and query.limit), and the true total
  // of the query, read in one transaction so that the two agree.
  Result<int64_t> Page(const auth::Principal& who, const store::EventQuery& query,
                       const std::function<bool(const store::StoredEvent&)>& visit);
  // Staff only: removes events observed more than `days` days ago (those still waiting to be
  // notified stay). Returns how many were removed.
  Result<int64_t> Purge(const auth::Principal& who, int days);
  // Staff only (kPermissionDenied for a member's users): the unrouted events grouped, with
  // the number of groups, a page of them (`offset`, `limit`) and the true totals. Every
  // unrouted event is read once per call (docs/performance.md has what that costs).
  Result<UnroutedGroups> GroupUnrouted(const auth::Principal& who, UnroutedGrouping by,
                                       int64_t offset, int64_t limit);
  // Findings per week for the `weeks` weeks up to `now` (the clock is the caller's), of the
  // caller's member (a member's user asking for another member: kNotFound), or for staff of
  // every member or the one named; and the events since the caller's previous sign-in.
  Result<Overview> GetOverview(const auth::Principal& who, std::optional<std::string> member,
                               int weeks, std::chrono::system_clock::time_point now);
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

registry::Json UnroutedGroupsToJson(const UnroutedGroups& groups);
registry::Json OverviewToJson(const Overview& overview);

// The group an event belongs to ("" when it has no such key): its source.asn, or the /24 or
// /48 around its source.ip.
std::string UnroutedGroupKey(UnroutedGrouping by, const store::EventRecord& event);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_EVENTS_SERVICE_H_
