#include "net/as_number.h"

#include <algorithm>

#include "common/problem_codes.h"

namespace baken::net {

namespace {

bool HasAsPrefix(std::string_view text) {
  return text.size() > 2 && (text[0] == 'A' || text[0] == 'a') &&
         (text[1] == 'S' || text[1] == 's');
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool LooksLikeAsNumber(std::string_view text) {
  return HasAsPrefix(text) && AllDigits(text.substr(2));
}

Result<uint32_t> ParseAsNumber(std::string_view text, AsPrefix prefix) {
  std::string_view digits = text;
  if (HasAsPrefix(digits)) {
    digits.remove_prefix(2);
  } else if (prefix == AsPrefix::kRequired) {
    return InvalidInput(problems::asn_needs_prefix, {{"value", std::string(text)}});
  }
  if (!AllDigits(digits))
    return InvalidInput(problems::asn_invalid, {{"value", std::string(text)}});
  uint64_t number = 0;
  for (const char c : digits) {
    number = number * 10 + static_cast<uint64_t>(c - '0');
    if (number > UINT32_MAX) {
      return InvalidInput(problems::asn_too_large, {{"value", std::string(text)}});
    }
  }
  return static_cast<uint32_t>(number);
}

}  // namespace baken::net
