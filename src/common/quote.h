#ifndef BAKEN_COMMON_QUOTE_H_
#define BAKEN_COMMON_QUOTE_H_

#include <string>
#include <string_view>

namespace baken {

// Puts user input between single quotes for an error message. Bytes that are not printable ASCII
// are written as \xNN and long input is cut at kMaxQuotedLength characters with "...", so a
// message stays one readable line whatever was sent to us (logs, HTTP responses, terminals).
inline constexpr size_t kMaxQuotedLength = 80;
std::string Quote(std::string_view text);

// The same without the quotes, for a value set into a sentence (common/problem.h).
std::string Printable(std::string_view text);

}  // namespace baken

#endif  // BAKEN_COMMON_QUOTE_H_
