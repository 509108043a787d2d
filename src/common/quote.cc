#include "common/quote.h"

namespace baken {

std::string Quote(std::string_view text) { return "'" + Printable(text) + "'"; }

std::string Printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string quoted;
  const size_t shown = text.size() > kMaxQuotedLength ? kMaxQuotedLength : text.size();
  for (size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      quoted += static_cast<char>(byte);
    } else {
      quoted += "\\x";
      quoted += kHex[byte >> 4];
      quoted += kHex[byte & 0x0f];
    }
  }
  if (shown < text.size()) quoted += "...";
  return quoted;
}

}  // namespace baken
