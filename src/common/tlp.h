#ifndef BAKEN_COMMON_TLP_H_
#define BAKEN_COMMON_TLP_H_

// The Traffic Light Protocol, version 2.0 (FIRST): who may receive what. Feeds, events,
// notifications and advisories all carry a level; the recipient rules are in notify/.

#include <optional>
#include <string_view>

namespace baken {

// Ordered from least to most restricted, so that std::max gives the stricter level.
enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

// "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED".
std::string_view Name(Tlp tlp);
// Case-insensitive; a "TLP:" prefix is allowed; WHITE (TLP 1.0) is CLEAR.
std::optional<Tlp> ParseTlp(std::string_view text);

}  // namespace baken

#endif  // BAKEN_COMMON_TLP_H_
