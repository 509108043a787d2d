#ifndef BAKEN_ONCALL_PAGING_SERVICE_H_
#define BAKEN_ONCALL_PAGING_SERVICE_H_

// Pages and their escalation (decision 0019): escalation policies kept by analysts; pages
// triggered by hand or by Baken itself (an urgent incident, a data breach's deadline, a feed
// that did not arrive), one open page per problem; acknowledging and resolving; and the
// `escalate` job's tick, which moves every due page on (oncall/escalation.h) and plans each
// notification once, in the transaction that puts its e-mail in the outbox.
// Staff only; refusals name their field (coded, i18n/problems.json); changes are audited.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "auth/principal.h"
#include "common/error.h"
#include "common/time.h"
#include "oncall/page_delivery.h"
#include "registry/member_json.h"
#include "store/oncall_repository.h"
#include "store/store.h"

namespace baken::oncall {

inline constexpr int64_t kMaxPagesListed = 500;

// A page Baken raises itself.
struct PageRequest {
  std::string source;    // incident, breach, heartbeat, manual
  std::string severity;  // critical, high, low
  std::string dedup_key;
  std::string subject;  // what it is about, shown behind sign-in only
  int64_t policy_id = 0;
  std::string by;  // who or what raised it
};

class PagingService {
 public:
  explicit PagingService(
      store::Store& store, Clock clock = [] { return baken::Now(); })
      : store_(store), clock_(std::move(clock)) {}

  // {"policies": [...]}, by name.
  Result<Json> Policies(const auth::Principal& who);
  // `name`, `steps` ([{"delay_minutes", "targets": [{"kind": "on_duty"|"everyone",
  // "rotation"} | {"kind": "person", "person"}]}]), `repeat`, `ack_timeout_minutes`.
  Result<Json> CreatePolicy(const auth::Principal& who, const Json& fields);
  Result<Json> UpdatePolicy(const auth::Principal& who, int64_t id, const Json& fields);

  // {"pages": [...]}, newest first: the open ones, or all.
  Result<Json> Pages(const auth::Principal& who, bool open_only, int64_t limit);
  // One page with its history.
  Result<Json> Page(const auth::Principal& who, int64_t id);
  // A page raised by an analyst: `policy`, `severity`, `subject`, `dedup_key` (optional: the
  // same problem pages once). 201 for a new page, 200 with the open one it joined.
  Result<std::pair<Json, bool>> PageByHand(const auth::Principal& who, const Json& fields);
  // A page Baken raises: the page's id, and whether it is new (false: an open page for the
  // same problem absorbed it).
  Result<std::pair<int64_t, bool>> Trigger(const PageRequest& request);
  // A page Baken raises for a problem of its own, once ever per dedup key (also after that
  // page was resolved): the new page's id, or nothing when the key was used before.
  Result<std::optional<int64_t>> RaiseOnce(const PageRequest& request);
  // Resolved by Baken itself (`why`: "the feed arrived"), as "baken".
  Status ResolveByBaken(int64_t id, std::string_view why);
  // `via`: how it was answered ("api", "portal", "link").
  Result<Json> Acknowledge(const auth::Principal& who, int64_t id, std::string_view via);
  Result<Json> Resolve(const auth::Principal& who, int64_t id, std::string_view via);

  // A one-time link from a page (no sign-in: the link is the proof): what it answers (the
  // page's number, severity, kind of source, state) while it is unused and unexpired.
  Result<Json> Link(std::string_view token);
  // `action`: "acknowledge" or "resolve", as the analyst the link was sent to; once.
  Result<Json> AnswerByLink(std::string_view token, const Json& body);

  // The escalate job: every due page moved on to now. {"pages": n, "notified": n, ...}.
  Result<Json> Escalate(const PageMail& mail);

 private:
  Result<std::pair<int64_t, bool>> Trigger(store::Transaction& tx, const PageRequest& request,
                                           std::string_view now);
  Result<Json> Answer(const auth::Principal& who, int64_t id, bool resolve, std::string_view via);
  Result<Json> AnswerIn(store::Transaction& tx, const auth::Principal& who, int64_t id,
                        bool resolve, std::string_view via);
  Result<store::PageLinkRecord> UsableLink(store::Transaction& tx, std::string_view token);
  Status EscalatePage(int64_t id, Json& summary);

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_PAGING_SERVICE_H_
