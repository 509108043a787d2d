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

// Appends one member of a JSON object, `"key":value`, after a comma unless it is the first:
// the value quoted as a string, or as it is when it is already JSON (a number, a boolean, an
// object). The one way an event's JSON is written, at ingest or when a stored event is read.
void AppendJsonMember(std::string* out, bool first, std::string_view key, std::string_view value,
                      bool json_literal);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string RepairUtf8(std::string_view text);

}  // namespace baken

#endif  // BAKEN_COMMON_JSON_TEXT_H_
