#ifndef BAKEN_COMMON_TIME_H_
#define BAKEN_COMMON_TIME_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace baken {

// "2026-11-23T14:26:45Z": UTC, second precision, the form stored and shown everywhere.
std::string FormatUtc(std::chrono::system_clock::time_point when);
// FormatUtc(Now()).
std::string NowUtc();

// The time as Baken reads it where deadlines, reminders and schedules depend on it: the system
// clock, or, when the environment variable BAKEN_TEST_CLOCK names a file, the UTC time written
// in that file ("2026-12-05T09:00:00Z"), read at every call. That lets a test move the clock of
// a running `baken` (a deadline passing, a reminder falling due) without waiting; a file
// without a time stops the program rather than fall back to the real clock.
std::chrono::system_clock::time_point Now();

// "YYYY-MM-DD" (midnight) or "YYYY-MM-DDTHH:MM:SSZ" as a time, in the years kFirstUtcYear to
// kLastUtcYear; nullopt for anything else. Check a time a person gives with this (not only its
// shape) before computing with it.
inline constexpr int kFirstUtcYear = 1900;
inline constexpr int kLastUtcYear = 2200;
std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view text);

// True for a calendar date "YYYY-MM-DD" that exists.
bool IsValidDate(std::string_view text);

// True for "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (as FormatUtc writes it).
bool IsValidDateOrUtcTimestamp(std::string_view text);

// "2026-12-05T14:47:33Z" (FormatUtc) in the form IntelMQ events carry,
// "2026-12-05T14:47:33+00:00", so that text order is time order between the two.
std::string IntelMqForm(std::string_view utc);

// The Monday (UTC) of the week a time falls in, "YYYY-MM-DD", for any text that starts with a
// date ("2026-12-05T08:44:00+00:00" gives "2026-11-30"); empty when it does not.
std::string IsoWeekStart(std::string_view time);

}  // namespace baken

#endif  // BAKEN_COMMON_TIME_H_
