#ifndef BAKEN_COMMON_TIME_H_
#define BAKEN_COMMON_TIME_H_

#include <chrono>
#include <string>
#include <string_view>

namespace baken {

// "2026-11-23T14:26:45Z": UTC, second precision, the form stored and shown everywhere.
std::string FormatUtc(std::chrono::system_clock::time_point when);
std::string NowUtc();

// True for a calendar date "YYYY-MM-DD" that exists.
bool IsValidDate(std::string_view text);

// True for "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (as FormatUtc writes it).
bool IsValidDateOrUtcTimestamp(std::string_view text);

// The Monday (UTC) of the week a time falls in, "YYYY-MM-DD", for any text that starts with a
// date ("2026-12-05T08:44:00+00:00" gives "2026-11-30"); empty when it does not.
std::string IsoWeekStart(std::string_view time);

}  // namespace baken

#endif  // BAKEN_COMMON_TIME_H_
