#include "oncall/roster_records.h"

#include "common/time.h"

namespace baken::oncall {

using std::chrono::minutes;

std::optional<minutes> TimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const size_t i : {size_t{0}, size_t{1}, size_t{3}, size_t{4}}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return minutes{hour * 60 + minute};
}

std::optional<std::chrono::year_month_day> Date(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  const auto time = ParseUtc(text);
  if (!time) return std::nullopt;
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(*time)};
}

Rotation ToRotation(const store::RotationRecord& record) {
  Rotation rotation;
  rotation.id = record.id;
  rotation.name = record.name;
  rotation.shift = ParseShiftLength(record.shift).value_or(ShiftLength::kWeekly);
  rotation.handover = TimeOfDay(record.handover).value_or(minutes{9 * 60});
  rotation.handover_day = std::chrono::weekday{static_cast<unsigned>(record.handover_day % 7)};
  rotation.start = Date(record.start_date).value_or(rotation.start);
  rotation.coverage = ParseCoverage(record.coverage).value_or(Coverage::kAlways);
  rotation.office_start = TimeOfDay(record.office_start).value_or(rotation.office_start);
  rotation.office_end = TimeOfDay(record.office_end).value_or(rotation.office_end);
  rotation.holidays = record.holidays;
  rotation.participants = record.participants;
  return rotation;
}

Override ToOverride(const store::OverrideRecord& record) {
  return Override{record.id, record.rotation_id, record.person,
                  std::chrono::floor<std::chrono::seconds>(*ParseUtc(record.start_at)),
                  std::chrono::floor<std::chrono::seconds>(*ParseUtc(record.end_at))};
}

std::string Utc(Time time) { return FormatUtc(std::chrono::system_clock::time_point{time}); }

// An analyst's account for `email` (ASCII case ignored), enabled: its address as stored.
Result<std::optional<std::string>> AnalystEmail(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user || user->role == store::Role::kMember || user->disabled_at) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(user->email);
}

Time ToTime(std::string_view utc) {
  return std::chrono::floor<std::chrono::seconds>(
      ParseUtc(utc).value_or(std::chrono::system_clock::time_point{}));
}

Result<Roster> LoadRoster(store::Transaction& tx, Time from, Time until) {
  BAKEN_ASSIGN_OR_RETURN(auto rotations, tx.Oncall().Rotations());
  BAKEN_ASSIGN_OR_RETURN(auto overrides, tx.Oncall().Overrides(Utc(from), Utc(until)));
  Roster roster;
  for (const auto& record : rotations) roster.rotations.push_back(ToRotation(record));
  for (const auto& record : overrides) roster.overrides.push_back(ToOverride(record));
  return roster;
}

}  // namespace baken::oncall
