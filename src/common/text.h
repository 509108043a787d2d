#ifndef BAKEN_COMMON_TEXT_H_
#define BAKEN_COMMON_TEXT_H_

// Small text operations that several readers share. ASCII only, on purpose: keys, column
// names and codes are ASCII, and locale-dependent case rules must not decide a match.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace baken {

// A whole decimal number and nothing else ("12", "-3"); nullopt for anything more or less.
inline std::optional<int64_t> ParseInt64(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// `text` without spaces and tabs at either end (what spreadsheet cells and CSV headers carry).
inline std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// `text` with A-Z made a-z; other bytes unchanged.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// `text` with a-z made A-Z; other bytes unchanged.
// True when every character is a hexadecimal digit (true for empty text).
inline bool IsHexDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

inline std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Whether `pattern` matches all of `value`, where `any_one` stands for one character and
// `any_run` for any run of them. Greedy with one backtrack point, so a hostile pattern of many
// wildcards costs length times length, never more.
inline bool GlobMatch(std::string_view pattern, std::string_view value, char any_one = '?',
                      char any_run = '*') {
  size_t p = 0;
  size_t v = 0;
  size_t star = std::string_view::npos;
  size_t mark = 0;
  while (v < value.size()) {
    if (p < pattern.size() && pattern[p] != any_run &&
        (pattern[p] == any_one || pattern[p] == value[v])) {
      ++p;
      ++v;
    } else if (p < pattern.size() && pattern[p] == any_run) {
      star = p++;
      mark = v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == any_run) ++p;
  return p == pattern.size();
}

}  // namespace baken

#endif  // BAKEN_COMMON_TEXT_H_
