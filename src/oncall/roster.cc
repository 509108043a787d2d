#include "oncall/roster.h"

#include <algorithm>
#include <array>
#include <utility>

#include <date/tz.h>

namespace baken::oncall {

namespace {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Debian's tzdata, through Howard Hinnant's date library (libstdc++ 12 has no time zones yet).
const date::time_zone* Amsterdam() {
  static const date::time_zone* const zone = date::locate_zone("Europe/Amsterdam");
  return zone;
}

local_seconds ToLocal(Time at) {
  const date::sys_info info = Amsterdam()->get_info(date::sys_seconds{at.time_since_epoch()});
  return local_seconds{at.time_since_epoch() + info.offset};
}

year_month_day DateOf(local_days day) { return year_month_day{sys_days{day.time_since_epoch()}}; }

bool IsOfficeHours(const Rotation& rotation, local_days day, minutes time_of_day) {
  const unsigned weekday = std::chrono::weekday{day}.iso_encoding();  // Monday 1 .. Sunday 7
  if (weekday > 5) return false;
  if (rotation.holidays && IsDutchPublicHoliday(DateOf(day))) return false;
  return time_of_day >= rotation.office_start && time_of_day < rotation.office_end;
}

bool Covers(const Rotation& rotation, local_days day, minutes time_of_day) {
  switch (rotation.coverage) {
    case Coverage::kAlways:
      return true;
    case Coverage::kOfficeHours:
      return IsOfficeHours(rotation, day, time_of_day);
    case Coverage::kOutsideOfficeHours:
      return !IsOfficeHours(rotation, day, time_of_day);
  }
  return false;
}

// Which shift since the start `at` falls in (the participant is that modulo their number);
// nullopt before the first shift.
std::optional<int64_t> ShiftIndex(const Rotation& rotation, Time at, local_days day) {
  const int64_t period = rotation.shift == ShiftLength::kDaily ? 1 : 7;
  local_days handover_day = day;
  if (rotation.shift == ShiftLength::kWeekly) {
    handover_day -= std::chrono::weekday{day} - rotation.handover_day;  // 0 to 6 days back
  }
  // Compared as UTC times, so that a handover in the hour that happens twice is passed once.
  if (FromAmsterdam(handover_day, rotation.handover) > at) handover_day -= days{period};
  const local_days first{sys_days{rotation.start}.time_since_epoch()};
  const int64_t elapsed = (handover_day - first).count();
  if (elapsed < 0) return std::nullopt;
  return elapsed / period;
}

bool SameDuty(const Duty& a, const Duty& b) {
  return a.covered == b.covered && a.person == b.person && a.overridden == b.overridden;
}

// The moments in [from, until) where a rotation's duty may change, sorted, from included.
std::vector<Time> ChangePoints(const Rotation& rotation, std::span<const Override> overrides,
                               Time from, Time until) {
  std::vector<Time> points = {from};
  const local_days first = std::chrono::floor<days>(ToLocal(from)) - days{1};
  const local_days last = std::chrono::floor<days>(ToLocal(until)) + days{1};
  for (local_days day = first; day <= last; day += days{1}) {
    if (rotation.shift == ShiftLength::kDaily ||
        std::chrono::weekday{day} == rotation.handover_day) {
      points.push_back(FromAmsterdam(day, rotation.handover));
    }
    if (rotation.coverage != Coverage::kAlways) {
      points.push_back(FromAmsterdam(day, minutes{0}));  // a weekend or a holiday begins
      points.push_back(FromAmsterdam(day, rotation.office_start));
      points.push_back(FromAmsterdam(day, rotation.office_end));
    }
  }
  for (const Override& override_ : overrides) {
    if (override_.rotation_id != rotation.id) continue;
    points.push_back(override_.start);
    points.push_back(override_.end);
  }
  std::erase_if(points, [&](Time point) { return point < from || point >= until; });
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

// Shifts from sorted change points, each evaluated at its start; neighbours alike merged.
template <typename DutyOf>
std::vector<Shift> ShiftsFrom(const std::vector<Time>& points, Time until, DutyOf duty_of) {
  std::vector<Shift> shifts;
  for (size_t i = 0; i < points.size(); ++i) {
    const Time end = i + 1 < points.size() ? points[i + 1] : until;
    Duty duty = duty_of(points[i]);
    if (!shifts.empty() && SameDuty(shifts.back().duty, duty)) {
      shifts.back().end = end;
    } else {
      shifts.push_back(Shift{points[i], end, std::move(duty)});
    }
  }
  return shifts;
}

}  // namespace

std::string_view Name(ShiftLength shift) {
  return shift == ShiftLength::kDaily ? "daily" : "weekly";
}

std::optional<ShiftLength> ParseShiftLength(std::string_view text) {
  if (text == "daily") return ShiftLength::kDaily;
  if (text == "weekly") return ShiftLength::kWeekly;
  return std::nullopt;
}

std::string_view Name(Coverage coverage) {
  switch (coverage) {
    case Coverage::kAlways:
      return "always";
    case Coverage::kOfficeHours:
      return "office_hours";
    case Coverage::kOutsideOfficeHours:
      return "outside_office_hours";
  }
  return "always";
}

std::optional<Coverage> ParseCoverage(std::string_view text) {
  for (const Coverage coverage :
       {Coverage::kAlways, Coverage::kOfficeHours, Coverage::kOutsideOfficeHours}) {
    if (Name(coverage) == text) return coverage;
  }
  return std::nullopt;
}

Time FromAmsterdam(local_days day, minutes time_of_day) {
  const date::local_seconds local{(day + time_of_day).time_since_epoch()};
  const date::local_info info = Amsterdam()->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return Time{info.first.end.time_since_epoch()};  // the clocks moved past it
  }
  // Unique, or the earlier of two (ambiguous): the first offset.
  return Time{local.time_since_epoch() - info.first.offset};
}

Duty DutyAt(const Rotation& rotation, std::span<const Override> overrides, Time at) {
  Duty duty;
  const local_seconds local = ToLocal(at);
  const local_days day = std::chrono::floor<days>(local);
  duty.covered = Covers(rotation, day, std::chrono::floor<minutes>(local - day));
  if (!duty.covered) return duty;
  for (const Override& override_ : overrides) {
    if (override_.rotation_id == rotation.id && override_.start <= at && at < override_.end) {
      duty.person = override_.person;
      duty.overridden = true;
    }
  }
  if (duty.overridden || rotation.participants.empty()) return duty;
  if (const auto index = ShiftIndex(rotation, at, day)) {
    duty.person = rotation.participants[static_cast<size_t>(
        *index % static_cast<int64_t>(rotation.participants.size()))];
  }
  return duty;
}

std::vector<Shift> Timeline(const Rotation& rotation, std::span<const Override> overrides,
                            Time from, Time until) {
  if (until <= from) return {};
  return ShiftsFrom(ChangePoints(rotation, overrides, from, until), until,
                    [&](Time at) { return DutyAt(rotation, overrides, at); });
}

std::vector<Shift> Gaps(std::span<const Rotation> rotations, std::span<const Override> overrides,
                        Time from, Time until) {
  if (until <= from) return {};
  std::vector<Time> points = {from};
  for (const Rotation& rotation : rotations) {
    const auto own = ChangePoints(rotation, overrides, from, until);
    points.insert(points.end(), own.begin(), own.end());
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  // Covered by someone: the span is no gap (its duty is marked covered with that person).
  const auto shifts = ShiftsFrom(points, until, [&](Time at) {
    for (const Rotation& rotation : rotations) {
      Duty duty = DutyAt(rotation, overrides, at);
      if (duty.person) return duty;
    }
    return Duty{};
  });
  std::vector<Shift> gaps;
  for (const Shift& shift : shifts) {
    if (!shift.duty.person) gaps.push_back(shift);
  }
  return gaps;
}

year_month_day EasterSunday(std::chrono::year year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int y = static_cast<int>(year);
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return year_month_day{year, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}};
}

bool IsDutchPublicHoliday(year_month_day date) {
  using std::chrono::April;
  using std::chrono::December;
  using std::chrono::January;
  using std::chrono::May;
  const std::chrono::year year = date.year();
  const sys_days easter{EasterSunday(year)};
  const sys_days kings_day_27{year / April / 27};
  const sys_days kings_day = std::chrono::weekday{kings_day_27} == std::chrono::Sunday
                                 ? kings_day_27 - days{1}
                                 : kings_day_27;
  const std::array<sys_days, 8> holidays = {
      sys_days{year / January / 1},
      easter + days{1},  // Nieuwjaarsdag, Tweede Paasdag
      kings_day,
      sys_days{year / May / 5},
      easter + days{39},
      easter + days{50},  // Hemelvaartsdag, Tweede Pinksterdag
      sys_days{year / December / 25},
      sys_days{year / December / 26}};
  return std::find(holidays.begin(), holidays.end(), sys_days{date}) != holidays.end();
}

}  // namespace baken::oncall
