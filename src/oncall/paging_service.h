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
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::oncall {

using Json = registry::Json;
using Clock = std::function<std::chrono::system_clock::time_point()>;

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

// How a page goes out by e-mail: the escalate job takes this from the configuration.
struct PageMail {
  std::string from = "Baken CERT <cert@baken.invalid>";
  std::string message_id_domain = "baken.invalid";
  std::string portal_url;  // where analysts acknowledge it; empty: the e-mail has no link
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
  // `via`: how it was answered ("api", "portal", "link").
  Result<Json> Acknowledge(const auth::Principal& who, int64_t id, std::string_view via);
  Result<Json> Resolve(const auth::Principal& who, int64_t id, std::string_view via);

  // The escalate job: every due page moved on to now. {"pages": n, "notified": n, ...}.
  Result<Json> Escalate(const PageMail& mail);

 private:
  Result<std::pair<int64_t, bool>> Trigger(store::Transaction& tx, const PageRequest& request,
                                           std::string_view now);
  Result<Json> Answer(const auth::Principal& who, int64_t id, bool resolve, std::string_view via);
  Status EscalatePage(int64_t id, const PageMail& mail, Json& summary);

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_PAGING_SERVICE_H_
