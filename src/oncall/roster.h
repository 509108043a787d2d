#ifndef BAKEN_ONCALL_ROSTER_H_
#define BAKEN_ONCALL_ROSTER_H_

// Who is on duty (piket, decision 0019): rotations of analysts with handovers at a local time
// in Europe/Amsterdam, the office hours a rotation covers or leaves to others (with the Dutch
// public holidays counted as days outside office hours where a rotation says so), and overrides
// ("ik neem vrijdagnacht over"). Pure computation on a clock given as an argument: the store
// keeps rotations and overrides, the paging engine and the portal ask these functions.
//
// Handovers are local times on local dates, so a daily 09:00 handover is at 08:00 UTC in winter
// and 07:00 UTC in summer. A handover at a local time that does not exist (02:30 on the day
// summer time starts) happens at the change itself; one at a local time that happens twice
// (02:30 on the day summer time ends) happens the first time, and only then.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace baken::oncall {

using Time = std::chrono::sys_seconds;

enum class ShiftLength { kDaily, kWeekly };
// Which hours a rotation is on duty for: all of them, only office hours, or only the hours
// outside them (evenings, nights, weekends and, where counted, public holidays).
enum class Coverage { kAlways, kOfficeHours, kOutsideOfficeHours };

std::string_view Name(ShiftLength shift);
std::optional<ShiftLength> ParseShiftLength(std::string_view text);
std::string_view Name(Coverage coverage);
std::optional<Coverage> ParseCoverage(std::string_view text);

struct Rotation {
  int64_t id = 0;
  std::string name;
  ShiftLength shift = ShiftLength::kWeekly;
  std::chrono::minutes handover{9 * 60};  // the local time of day shifts change at
  // A weekly rotation changes on this day; `start` must be one.
  std::chrono::weekday handover_day = std::chrono::Monday;
  // The first shift begins at this local date's handover; nobody is on duty before it.
  std::chrono::year_month_day start{std::chrono::year{2026} / 1 / 1};
  Coverage coverage = Coverage::kAlways;
  std::chrono::minutes office_start{8 * 60 + 30};  // office hours, Monday to Friday, local
  std::chrono::minutes office_end{17 * 60};
  bool holidays = true;                   // Dutch public holidays are days outside office hours
  std::vector<std::string> participants;  // in turn, from `start` on
};

// Someone takes over a rotation's duty in [start, end), where the rotation is on duty.
struct Override {
  int64_t id = 0;
  int64_t rotation_id = 0;
  std::string person;
  Time start;
  Time end;
};

struct Duty {
  bool covered = false;               // the rotation is on duty at this time
  std::optional<std::string> person;  // who; none while covered means nobody is there
  bool overridden = false;            // by an override
};

// A span of time with one duty, for "who is on duty in the next 7 days".
struct Shift {
  Time start;
  Time end;
  Duty duty;
};

// The rotation's duty at `at`; the last of the overrides that cover `at` wins.
Duty DutyAt(const Rotation& rotation, std::span<const Override> overrides, Time at);

// The rotation's duty over [from, until), one shift per change (a handover, the edge of office
// hours, an override), neighbours with the same duty merged.
std::vector<Shift> Timeline(const Rotation& rotation, std::span<const Override> overrides,
                            Time from, Time until);

// The spans in [from, until) where none of `rotations` has anyone on duty: what the roster page
// warns of.
std::vector<Shift> Gaps(std::span<const Rotation> rotations, std::span<const Override> overrides,
                        Time from, Time until);

// The Dutch public holidays of the Algemene termijnenwet (art. 3): Nieuwjaarsdag, Tweede
// Paasdag, Koningsdag (27 April; 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May),
// Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag. (Eerste Paasdag and Eerste
// Pinksterdag are Sundays.)
bool IsDutchPublicHoliday(std::chrono::year_month_day day);
std::chrono::year_month_day EasterSunday(std::chrono::year year);

// A local date and time of day in Europe/Amsterdam as a UTC time (the earliest, for a time that
// happens twice; the change itself, for one that does not exist).
Time FromAmsterdam(std::chrono::local_days day, std::chrono::minutes time_of_day);

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_ROSTER_H_
