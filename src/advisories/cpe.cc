#include "advisories/cpe.h"

#include <fmt/format.h>

#include "common/text.h"

namespace baken::advisories {

namespace {

constexpr char kWildOne = '\x01';
constexpr char kWildMany = '\x02';

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

tl::unexpected<Error> Invalid(std::string_view text, std::string_view problem) {
  return InvalidArgument(fmt::format("CPE '{}': {}", text, problem));
}

// One component of a formatted string: "\:" is a literal colon, unquoted '*' and '?' are
// wildcards.
Result<std::string> FormattedValue(std::string_view text, std::string_view component) {
  if (component == "*" || component == "-") return std::string(component);
  if (component.empty()) return Invalid(text, "empty component");
  std::string value;
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '\\') {
      if (++i == component.size()) {
        return Invalid(text, "ends in a lone backslash");
      }
      value.push_back(Lower(component[i]));
    } else if (c == '*') {
      value.push_back(kWildMany);
    } else if (c == '?') {
      value.push_back(kWildOne);
    } else if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E) {
      return Invalid(text, "has a character outside printable ASCII");
    } else {
      value.push_back(Lower(c));
    }
  }
  return value;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One component of a URI: empty is ANY, "-" is NA, %01 and %02 are the wildcards.
Result<std::string> UriValue(std::string_view text, std::string_view component) {
  if (component.empty()) return std::string("*");
  if (component == "-") return std::string("-");
  std::string value;
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c != '%') {
      value.push_back(Lower(c));
      continue;
    }
    if (i + 2 >= component.size()) return Invalid(text, "has a cut-off %-escape");
    const int high = HexDigit(component[i + 1]);
    const int low = HexDigit(component[i + 2]);
    if (high < 0 || low < 0) return Invalid(text, "has a bad %-escape");
    const char decoded = static_cast<char>(high * 16 + low);
    value.push_back(decoded == 1 ? kWildOne : decoded == 2 ? kWildMany : Lower(decoded));
    i += 2;
  }
  return value;
}

Result<Cpe> ParseFormatted(std::string_view text, std::string_view body) {
  Cpe cpe;
  size_t index = 0;
  size_t start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && body[i] == '\\') {
      ++i;  // the escaped character never splits
      continue;
    }
    if (i < body.size() && body[i] != ':') continue;
    if (index == Cpe::kAttributeCount) {
      return Invalid(text, "has more than 11 components");
    }
    BAKEN_ASSIGN_OR_RETURN(cpe.values[index], FormattedValue(text, body.substr(start, i - start)));
    ++index;
    start = i + 1;
  }
  if (index != Cpe::kAttributeCount) {
    return Invalid(text, fmt::format("has {} components, a 2.3 name has 11", index));
  }
  return cpe;
}

Result<Cpe> ParseUri(std::string_view text, std::string_view body) {
  Cpe cpe;
  for (std::string& value : cpe.values)
    value.assign(1, '*');  // assign(1, c): GCC 12 warns wrongly on = "*"
  size_t index = 0;
  while (true) {
    const size_t colon = body.find(':');
    const std::string_view component = body.substr(0, colon);
    if (index == Cpe::kEdition && component.starts_with('~')) {
      // Packed: ~edition~sw_edition~target_sw~target_hw~other
      std::string_view packed = component.substr(1);
      for (Cpe::Attribute attribute :
           {Cpe::kEdition, Cpe::kSwEdition, Cpe::kTargetSw, Cpe::kTargetHw, Cpe::kOther}) {
        const size_t tilde = packed.find('~');
        BAKEN_ASSIGN_OR_RETURN(cpe.values[attribute], UriValue(text, packed.substr(0, tilde)));
        if (tilde == std::string_view::npos) {
          packed = {};
        } else {
          packed.remove_prefix(tilde + 1);
        }
      }
    } else if (index > Cpe::kLanguage) {
      return Invalid(text, "has more than 7 URI components");
    } else {
      BAKEN_ASSIGN_OR_RETURN(cpe.values[index], UriValue(text, component));
    }
    ++index;
    if (colon == std::string_view::npos) break;
    body.remove_prefix(colon + 1);
  }
  return cpe;
}

}  // namespace

bool Cpe::HasWildcard(Attribute a) const {
  return values[a].find_first_of("\x01\x02") != std::string::npos;
}

bool Cpe::HasAnyWildcard() const {
  for (int a = 0; a < kAttributeCount; ++a) {
    if (HasWildcard(static_cast<Attribute>(a))) return true;
  }
  return false;
}

std::string Cpe::Formatted() const {
  std::string out = "cpe:2.3";
  for (const std::string& value : values) {
    out.push_back(':');
    if (value == "*" || value == "-") {
      out += value;
      continue;
    }
    for (char c : value) {
      if (c == kWildOne) {
        out.push_back('?');
      } else if (c == kWildMany) {
        out.push_back('*');
      } else {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-')) {
          out.push_back('\\');
        }
        out.push_back(c);
      }
    }
  }
  return out;
}

Result<Cpe> ParseCpe(std::string_view text) {
  const std::string_view trimmed = TrimBlanks(text);
  const std::string prefix = AsciiLower(trimmed.substr(0, 8));
  Result<Cpe> cpe = [&]() -> Result<Cpe> {
    if (prefix == "cpe:2.3:") return ParseFormatted(text, trimmed.substr(8));
    if (prefix.starts_with("cpe:/")) return ParseUri(text, trimmed.substr(5));
    return Invalid(text, "starts with neither cpe:2.3: nor cpe:/");
  }();
  if (!cpe) return cpe;
  const std::string& part = cpe->values[Cpe::kPart];
  if (part != "a" && part != "o" && part != "h" && part != "*") {
    return Invalid(text, "part is not a, o or h");
  }
  cpe->raw = std::string(trimmed);
  return cpe;
}

std::string_view Name(CpeRelation relation) {
  switch (relation) {
    case CpeRelation::kEqual:
      return "EQUAL";
    case CpeRelation::kSuperset:
      return "SUPERSET";
    case CpeRelation::kSubset:
      return "SUBSET";
    case CpeRelation::kDisjoint:
      return "DISJOINT";
    case CpeRelation::kMixed:
      return "MIXED";
    case CpeRelation::kUndefined:
      return "UNDEFINED";
  }
  return "UNDEFINED";
}

CpeRelation CompareAttribute(const Cpe& source, const Cpe& target, Cpe::Attribute attribute) {
  if (target.HasWildcard(attribute)) return CpeRelation::kUndefined;
  const bool target_any = target.IsAny(attribute);
  const bool target_na = target.IsNa(attribute);
  if (source.IsAny(attribute)) return target_any ? CpeRelation::kEqual : CpeRelation::kSuperset;
  if (source.IsNa(attribute)) {
    if (target_any) return CpeRelation::kSubset;
    return target_na ? CpeRelation::kEqual : CpeRelation::kDisjoint;
  }
  if (target_any) return CpeRelation::kSubset;
  if (target_na) return CpeRelation::kDisjoint;
  const std::string& value = source.values[attribute];
  const std::string& other = target.values[attribute];
  if (source.HasWildcard(attribute)) {
    return GlobMatch(value, other, kWildOne, kWildMany) ? CpeRelation::kSuperset
                                                        : CpeRelation::kDisjoint;
  }
  return value == other ? CpeRelation::kEqual : CpeRelation::kDisjoint;
}

CpeRelation CompareNames(const Cpe& source, const Cpe& target) {
  bool any_undefined = false;
  bool any_disjoint = false;
  bool any_superset = false;
  bool any_subset = false;
  for (int a = 0; a < Cpe::kAttributeCount; ++a) {
    switch (CompareAttribute(source, target, static_cast<Cpe::Attribute>(a))) {
      case CpeRelation::kUndefined:
        any_undefined = true;
        break;
      case CpeRelation::kDisjoint:
        any_disjoint = true;
        break;
      case CpeRelation::kSuperset:
        any_superset = true;
        break;
      case CpeRelation::kSubset:
        any_subset = true;
        break;
      case CpeRelation::kEqual:
      case CpeRelation::kMixed:
        break;
    }
  }
  if (any_undefined) return CpeRelation::kUndefined;
  if (any_disjoint) return CpeRelation::kDisjoint;
  if (any_superset && any_subset) return CpeRelation::kMixed;
  if (any_superset) return CpeRelation::kSuperset;
  if (any_subset) return CpeRelation::kSubset;
  return CpeRelation::kEqual;
}

CpeIdentity IdentifyProduct(const Cpe& advisory, const Cpe& asset) {
  if (asset.HasAnyWildcard()) return CpeIdentity::kUnusable;
  // Never a match on a product name alone: vendor and product must both be named, and equal.
  for (Cpe::Attribute a : {Cpe::kVendor, Cpe::kProduct}) {
    if (advisory.IsAny(a) || advisory.IsNa(a) || advisory.HasWildcard(a) ||
        CompareAttribute(advisory, asset, a) != CpeRelation::kEqual) {
      return CpeIdentity::kOtherProduct;
    }
  }
  for (Cpe::Attribute a : {Cpe::kPart, Cpe::kUpdate, Cpe::kEdition, Cpe::kLanguage, Cpe::kSwEdition,
                           Cpe::kTargetSw, Cpe::kTargetHw, Cpe::kOther}) {
    if (CompareAttribute(advisory, asset, a) == CpeRelation::kDisjoint) {
      return CpeIdentity::kOtherProduct;
    }
  }
  return CompareAttribute(advisory, asset, Cpe::kVersion) == CpeRelation::kDisjoint
             ? CpeIdentity::kOtherVersion
             : CpeIdentity::kSameProduct;
}

}  // namespace baken::advisories
