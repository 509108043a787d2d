#ifndef BAKEN_STORE_ONCALL_REPOSITORY_H_
#define BAKEN_STORE_ONCALL_REPOSITORY_H_

// Piket (decision 0019): rotations with their participants in turn, and overrides. Kept as the
// analysts wrote them; who is on duty is computed from them by oncall/roster.h. Reached through
// Transaction::Oncall().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace baken::store {

struct RotationRecord {
  int64_t id = 0;
  std::string name;
  std::string shift = "weekly";     // daily, weekly (oncall::ShiftLength)
  std::string handover = "09:00";   // local time of day in Europe/Amsterdam
  int64_t handover_day = 1;         // ISO weekday of a weekly handover: Monday 1 .. Sunday 7
  std::string start_date;           // YYYY-MM-DD, the first shift's
  std::string coverage = "always";  // always, office_hours, outside_office_hours
  std::string office_start = "08:30";
  std::string office_end = "17:00";
  bool holidays = true;                   // Dutch public holidays are outside office hours
  std::vector<std::string> participants;  // staff users' e-mail addresses, in turn
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

struct OverrideRecord {
  int64_t id = 0;
  int64_t rotation_id = 0;
  std::string person;    // a staff user's e-mail address
  std::string start_at;  // UTC
  std::string end_at;
  std::string reason;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> cancelled_at;
  std::optional<std::string> cancelled_by;
};

// An escalation policy (oncall/escalation.h): its steps as JSON,
// [{"delay_minutes": 0, "targets": [{"kind": "on_duty", "rotation": 1}, ...]}, ...].
struct PolicyRecord {
  int64_t id = 0;
  std::string name;
  std::string steps = "[]";
  int64_t repeat_count = 0;
  int64_t ack_timeout_minutes = 0;  // 0: none
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// A page and its progress through its policy (oncall::Progress).
struct PageRecord {
  int64_t id = 0;
  std::string source;    // incident, breach, heartbeat, manual
  std::string severity;  // critical, high, low
  std::string dedup_key;
  std::string subject;  // what it is about (incident:12, feed:scan_rdp), behind sign-in only
  int64_t policy_id = 0;
  std::string state = "triggered";  // triggered, acknowledged, resolved (oncall::PageState)
  int64_t round = 0;
  int64_t repeats_left = 0;
  int64_t step = 0;
  bool exhausted = false;
  std::string next_at;  // UTC
  std::string created_by;
  std::string created_at;
  std::optional<std::string> acknowledged_by;
  std::optional<std::string> acknowledged_at;
  std::optional<std::string> resolved_by;
  std::optional<std::string> resolved_at;
};

// A page's history: created, absorbed (the same problem again), notified, skipped, repeated,
// exhausted, acknowledged, retriggered, resolved.
struct PageEventRecord {
  int64_t id = 0;
  int64_t page_id = 0;
  std::string at;
  std::string kind;
  std::optional<int64_t> round;
  std::optional<int64_t> step;
  std::optional<std::string> person;
  std::optional<std::string> channel;
  std::optional<std::string> detail;
};

class OncallRepository {
 public:
  virtual ~OncallRepository() = default;
  // kConflict when another rotation has this name (ASCII case ignored).
  virtual Result<int64_t> AddRotation(const RotationRecord& rotation) = 0;
  // Saves every field but the creation's, and replaces the participants.
  virtual Status UpdateRotation(const RotationRecord& rotation) = 0;
  virtual Result<std::optional<RotationRecord>> FindRotation(int64_t id) = 0;
  // Every rotation by name, with its participants.
  virtual Result<std::vector<RotationRecord>> Rotations() = 0;

  virtual Result<int64_t> AddOverride(const OverrideRecord& override_record) = 0;
  virtual Result<std::optional<OverrideRecord>> FindOverride(int64_t id) = 0;
  virtual Status CancelOverride(int64_t id, std::string_view by, std::string_view at) = 0;
  // The overrides not cancelled that overlap [from, until), by start.
  virtual Result<std::vector<OverrideRecord>> Overrides(std::string_view from,
                                                        std::string_view until) = 0;

  // kConflict when another policy has this name (ASCII case ignored).
  virtual Result<int64_t> AddPolicy(const PolicyRecord& policy) = 0;
  virtual Status UpdatePolicy(const PolicyRecord& policy) = 0;
  virtual Result<std::optional<PolicyRecord>> FindPolicy(int64_t id) = 0;
  virtual Result<std::vector<PolicyRecord>> Policies() = 0;

  // Adds the page unless an open one (not resolved) has its dedup key: the same problem pages
  // once. The id of the page that stands for it, and whether it is the new one.
  virtual Result<std::pair<int64_t, bool>> AddPage(const PageRecord& page) = 0;
  virtual Result<std::optional<PageRecord>> FindPage(int64_t id) = 0;
  // Pages newest first: the open ones only, or all; at most `limit`.
  virtual Result<std::vector<PageRecord>> Pages(bool open_only, int64_t limit) = 0;
  // The open pages whose next step or timeout is due at `now`, oldest first.
  virtual Result<std::vector<PageRecord>> DuePages(std::string_view now, int64_t limit) = 0;
  // Saves the page's state and progress (and who acknowledged or resolved it, when).
  virtual Status SavePage(const PageRecord& page) = 0;
  virtual Status AddPageEvent(const PageEventRecord& event) = 0;
  virtual Result<std::vector<PageEventRecord>> PageEvents(int64_t page_id) = 0;
  // Plans one notification of a page's step to a person by a channel, once ever: true when it
  // is new, and then the caller delivers it in the same transaction; false when it was planned
  // before (a tick repeated after a crash).
  virtual Result<bool> PlanNotification(int64_t page_id, int64_t round, int64_t step,
                                        std::string_view person, std::string_view channel,
                                        std::string_view now) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_ONCALL_REPOSITORY_H_
