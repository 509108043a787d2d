#ifndef BAKEN_STORE_ONCALL_REPOSITORY_H_
#define BAKEN_STORE_ONCALL_REPOSITORY_H_

// Piket (decision 0019): rotations with their participants in turn, and overrides. Kept as the
// analysts wrote them; who is on duty is computed from them by oncall/roster.h. Reached through
// Transaction::Oncall().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
};

}  // namespace baken::store

#endif  // BAKEN_STORE_ONCALL_REPOSITORY_H_
