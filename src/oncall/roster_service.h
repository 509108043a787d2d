#ifndef BAKEN_ONCALL_ROSTER_SERVICE_H_
#define BAKEN_ONCALL_ROSTER_SERVICE_H_

// The piket roster's use cases (decision 0019), for the API: rotations and overrides kept by
// analysts, and who is on duty now and over the coming days with the gaps nobody covers.
// Staff only; fields are checked once here and every refusal names its field (coded,
// i18n/problems.json). Every change is in the audit log.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "auth/principal.h"
#include "common/error.h"
#include "common/time.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::oncall {

using Json = registry::Json;
using Clock = std::function<std::chrono::system_clock::time_point()>;

inline constexpr int64_t kMaxDutyDays = 31;

class RosterService {
 public:
  explicit RosterService(
      store::Store& store, Clock clock = [] { return baken::Now(); })
      : store_(store), clock_(std::move(clock)) {}

  // {"rotations": [...]}, by name.
  Result<Json> Rotations(const auth::Principal& who);
  // `name`, `shift` (daily, weekly), `handover` (HH:MM local), `handover_day` (1 Monday .. 7
  // Sunday, weekly), `start_date` (YYYY-MM-DD; a weekly rotation's is a handover day),
  // `coverage` (always, office_hours, outside_office_hours), `office_start`, `office_end`,
  // `holidays`, `participants` (analysts' e-mail addresses, in turn).
  Result<Json> CreateRotation(const auth::Principal& who, const Json& fields);
  // The fields given change.
  Result<Json> UpdateRotation(const auth::Principal& who, int64_t id, const Json& fields);
  // `person` (an analyst's address; the caller when not given), `start_at`, `end_at` (UTC, at
  // most kMaxDutyDays apart, ending in the future), `reason`.
  Result<Json> AddOverride(const auth::Principal& who, int64_t rotation, const Json& fields);
  Result<Json> CancelOverride(const auth::Principal& who, int64_t rotation, int64_t id);
  // Who is on duty at `from` (now when not given) and over `days` days from it: per rotation
  // its duty now and its shifts, the overrides, and the gaps where no rotation has anyone.
  Result<Json> Duty(const auth::Principal& who, std::optional<std::string> from, int64_t days);

 private:
  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_ROSTER_SERVICE_H_
