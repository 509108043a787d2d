#include "common/tlp.h"

#include <string>

namespace baken {

std::string_view Name(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear:
      return "CLEAR";
    case Tlp::kGreen:
      return "GREEN";
    case Tlp::kAmber:
      return "AMBER";
    case Tlp::kAmberStrict:
      return "AMBER+STRICT";
    case Tlp::kRed:
      return "RED";
  }
  return "?";
}

std::optional<Tlp> ParseTlp(std::string_view text) {
  std::string upper;
  for (char c : text) upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  if (upper.rfind("TLP:", 0) == 0) upper.erase(0, 4);
  if (upper == "WHITE") return Tlp::kClear;
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    if (Name(tlp) == upper) return tlp;
  }
  return std::nullopt;
}

}  // namespace baken
