#ifndef BAKEN_INTEL_STIX_PATTERN_H_
#define BAKEN_INTEL_STIX_PATTERN_H_

// The comparisons in a STIX 2.1 pattern (STIX 2.1 §9): "[ipv4-addr:value = '192.0.2.1' OR
// domain-name:value = 'evil.example']". Baken keeps indicators as values, not patterns, so it
// reads which object paths a pattern compares with which values and how they are joined; it
// does not evaluate patterns. Written by hand: Debian has no STIX pattern library for C++.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::intel {

struct PatternComparison {
  std::string path;      // "ipv4-addr:value", "file:hashes.'SHA-256'"
  std::string op;        // "=", "!=", "LIKE", "MATCHES", "IN", "EXISTS", …
  bool negated = false;  // NOT before the operator
  std::string value;     // a string's text with its escapes undone; a number as written
};

struct PatternReading {
  std::vector<PatternComparison> comparisons;
  bool joined_by_and = false;   // some comparisons or observations must all hold
  bool has_qualifiers = false;  // WITHIN, START/STOP, REPEATS, FOLLOWEDBY
};

// Longer patterns are refused (the longest real ones are a few KiB of OR-ed hashes).
inline constexpr size_t kMaxPatternBytes = 64 * 1024;

// The comparisons, or an error that says where the pattern stops making sense.
Result<PatternReading> ReadStixPattern(std::string_view pattern);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_STIX_PATTERN_H_
