#include "common/time.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace baken {

std::string FormatUtc(std::chrono::system_clock::time_point when) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(when));
}

std::string NowUtc() { return FormatUtc(Now()); }

namespace {

std::optional<std::chrono::year_month_day> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t j = 0; j < lengths[i]; ++j) {
      const char c = text[starts[i] + j];
      if (c < '0' || c > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{parts[0]},
                                         std::chrono::month{static_cast<unsigned>(parts[1])},
                                         std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace

bool IsValidDate(std::string_view text) { return ParseDate(text).has_value(); }

std::string IsoWeekStart(std::string_view time) {
  const auto date = ParseDate(time.substr(0, 10));
  if (!date) return {};
  const std::chrono::sys_days day{*date};
  const std::chrono::weekday weekday{day};
  const std::chrono::year_month_day monday{day - std::chrono::days{weekday.iso_encoding() - 1}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(monday.year()),
                     static_cast<unsigned>(monday.month()), static_cast<unsigned>(monday.day()));
}

bool IsValidDateOrUtcTimestamp(std::string_view text) {
  if (text.size() == 10) return IsValidDate(text);
  if (text.size() != 20 || !IsValidDate(text.substr(0, 10))) return false;
  // "THH:MM:SSZ" after the date.
  constexpr std::string_view kShape = "T00:00:00Z";
  for (size_t i = 0; i < kShape.size(); ++i) {
    const char c = text[10 + i];
    if (kShape[i] == '0' ? (c < '0' || c > '9') : c != kShape[i]) return false;
  }
  const int hour = (text[11] - '0') * 10 + (text[12] - '0');
  const int minute = (text[14] - '0') * 10 + (text[15] - '0');
  const int second = (text[17] - '0') * 10 + (text[18] - '0');
  return hour < 24 && minute < 60 && second < 60;
}

std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view text) {
  if (!IsValidDateOrUtcTimestamp(text)) return std::nullopt;
  const std::chrono::year_month_day date = *ParseDate(text.substr(0, 10));
  // The clock counts nanoseconds, so it holds only about 1678 to 2262; a year far outside
  // Baken's own (a typing error, or hostile input) would overflow the arithmetic on it.
  if (date.year() < std::chrono::year{kFirstUtcYear} ||
      date.year() > std::chrono::year{kLastUtcYear}) {
    return std::nullopt;
  }
  const std::chrono::sys_days day{date};
  if (text.size() == 10) return std::chrono::system_clock::time_point{day};
  const auto number = [&](size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); };
  return std::chrono::system_clock::time_point{day} + std::chrono::hours{number(11)} +
         std::chrono::minutes{number(14)} + std::chrono::seconds{number(17)};
}

std::chrono::system_clock::time_point Now() {
  const char* const file = std::getenv("BAKEN_TEST_CLOCK");
  if (file == nullptr || *file == '\0') return std::chrono::system_clock::now();
  std::ifstream in(file);
  std::string text;
  std::getline(in, text);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  if (const auto when = ParseUtc(text)) return *when;
  // A test that sets the clock wrongly must not run on the real one unnoticed.
  std::cerr << "baken: BAKEN_TEST_CLOCK names " << file << ", which holds no UTC time\n";
  std::abort();
}

std::string IntelMqForm(std::string_view utc) {
  std::string text(utc);
  if (!text.empty() && text.back() == 'Z') text.replace(text.size() - 1, 1, "+00:00");
  return text;
}

}  // namespace baken
