#ifndef BAKEN_COMMON_JSON_TEXT_H_
#define BAKEN_COMMON_JSON_TEXT_H_

// Writing JSON strings by hand, for the hot paths that turn a million events a second into JSON
// lines or database rows, where building an nlohmann::json per event would cost more than all
// the parsing. Everywhere else, use nlohmann::json.

#include <string>
#include <string_view>

namespace baken {

// Appends `text` as a quoted JSON string. Invalid UTF-8 is replaced by U+FFFD, so the output is
// always valid JSON whatever bytes came in; control characters are escaped.
void AppendJsonString(std::string* out, std::string_view text);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string RepairUtf8(std::string_view text);

}  // namespace baken

#endif  // BAKEN_COMMON_JSON_TEXT_H_
