#ifndef BAKEN_COMMON_TEXT_H_
#define BAKEN_COMMON_TEXT_H_

// Small text operations that several readers share. ASCII only, on purpose: keys, column
// names and codes are ASCII, and locale-dependent case rules must not decide a match.

#include <string>
#include <string_view>

namespace baken {

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

}  // namespace baken

#endif  // BAKEN_COMMON_TEXT_H_
