#ifndef BAKEN_ONCALL_ROSTER_RECORDS_H_
#define BAKEN_ONCALL_ROSTER_RECORDS_H_

// The roster as the store keeps it (store/oncall_repository.h), turned into what roster.h and
// escalation.h compute with. Shared by the roster's and the paging's use cases.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "oncall/roster.h"
#include "store/oncall_repository.h"
#include "store/store.h"

namespace baken::oncall {

// "HH:MM" as minutes after midnight.
std::optional<std::chrono::minutes> TimeOfDay(std::string_view text);
// "YYYY-MM-DD".
std::optional<std::chrono::year_month_day> Date(std::string_view text);

// A roster time as the store writes times ("2026-12-06T09:00:00Z").
std::string Utc(Time time);
// The other way; the epoch for text that is no time (the store writes only times).
Time ToTime(std::string_view utc);

Rotation ToRotation(const store::RotationRecord& record);
Override ToOverride(const store::OverrideRecord& record);

struct Roster {
  std::vector<Rotation> rotations;
  std::vector<Override> overrides;  // those that overlap the span asked for
};
// An analyst's account for `email` (ASCII case ignored), enabled: its address as stored; what
// a rotation's participants, an override's person and a policy's named person must be.
Result<std::optional<std::string>> AnalystEmail(store::Transaction& tx, std::string_view email);

// Every rotation, and the overrides over [from, until).
Result<Roster> LoadRoster(store::Transaction& tx, Time from, Time until);

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_ROSTER_RECORDS_H_
