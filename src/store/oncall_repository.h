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
  bool is_default = false;  // Baken's own pages (incident, breach, heartbeat) go to it
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

// One notification of a page's step to a person by a channel ('email', or 'webhook:<contact
// method id>'): planned once, delivered when due (a rule's delay), e-mail through the outbox,
// a webhook retried until it answers.
struct NotificationRecord {
  int64_t id = 0;
  int64_t page_id = 0;
  int64_t round = 0;
  int64_t step = 0;
  std::string person;
  std::string channel;
  std::string planned_at;
  std::string due_at;             // planned: when it goes (a webhook's next attempt)
  std::string state = "planned";  // planned, sent (e-mail), delivered (webhook), failed, cancelled
  int64_t attempts = 0;
  std::optional<std::string> last_error;
  std::optional<std::string> done_at;
};

// A one-time link in a page, kept as the SHA-256 of its token.
struct PageLinkRecord {
  int64_t id = 0;
  std::string token_sha256;
  int64_t page_id = 0;
  std::string person;  // who it was sent to: who answers by it
  std::string expires_at;
  std::optional<std::string> used_at;
  std::optional<std::string> used_for;  // acknowledge, resolve
  std::string created_at;
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
  // The policy marked default (UpdatePolicy with is_default moves the mark), if any.
  virtual Result<std::optional<PolicyRecord>> DefaultPolicy() = 0;

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
  // Whether any page, open or resolved, ever had this dedup key: Baken raises a page for a
  // problem of its own (an incident, a feed's silence) once.
  virtual Result<bool> PageKeyUsed(std::string_view dedup_key) = 0;

  // Plans one notification (page, round, step, person, channel), once ever: its id when it is
  // new; nothing when it was planned before (a tick repeated after a crash).
  virtual Result<std::optional<int64_t>> PlanNotification(const NotificationRecord& plan) = 0;
  // Planned notifications due at `now`, oldest first.
  virtual Result<std::vector<NotificationRecord>> DueNotifications(std::string_view now,
                                                                   int64_t limit) = 0;
  virtual Result<std::optional<NotificationRecord>> FindNotification(int64_t id) = 0;
  // Saves its due time, state, attempts, last error and when it was done.
  virtual Status SaveNotification(const NotificationRecord& notification) = 0;
  // The page's planned notifications cancelled (it was answered): how many.
  virtual Result<int64_t> CancelNotifications(int64_t page_id, std::string_view now) = 0;
  virtual Result<std::vector<NotificationRecord>> Notifications(int64_t page_id) = 0;

  virtual Status AddPageLink(const PageLinkRecord& link) = 0;
  virtual Result<std::optional<PageLinkRecord>> FindPageLink(std::string_view token_sha256) = 0;
  // Marks the link used: false when it was used before (also by a concurrent request).
  virtual Result<bool> UsePageLink(int64_t id, std::string_view used_for, std::string_view now) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_ONCALL_REPOSITORY_H_
