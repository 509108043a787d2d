#ifndef BAKEN_ADVISORIES_CPE_H_
#define BAKEN_ADVISORIES_CPE_H_

// CPE names (NISTIR 7695) and name matching (NISTIR 7696), as advisories and inventories write
// them: the 2.3 formatted string (`cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*`) and the 2.2 URI
// (`cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc1`, packed editions included). Values are
// compared case-insensitively, with `*` (ANY), `-` (NA) and the `?`/`*` wildcards of a value
// as the standard defines them.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace baken::advisories {

struct Cpe {
  enum Attribute {
    kPart,
    kVendor,
    kProduct,
    kVersion,
    kUpdate,
    kEdition,
    kLanguage,
    kSwEdition,
    kTargetSw,
    kTargetHw,
    kOther,
    kAttributeCount
  };
  // Each value lower-cased and unquoted; "*" is ANY and "-" is NA when they stand alone;
  // inside a value, '\x01' is the wildcard '?' and '\x02' the wildcard '*'.
  std::array<std::string, kAttributeCount> values;
  std::string raw;

  bool IsAny(Attribute a) const { return values[a] == "*"; }
  bool IsNa(Attribute a) const { return values[a] == "-"; }
  bool HasWildcard(Attribute a) const;
  bool HasAnyWildcard() const;  // in any attribute: such a name describes a set, not a product
  // The value as written in a 2.3 formatted string (for messages).
  std::string Formatted() const;
};

// A 2.3 formatted string or a 2.2 URI; the error says what is wrong.
Result<Cpe> ParseCpe(std::string_view text);

enum class CpeRelation { kEqual, kSuperset, kSubset, kDisjoint, kMixed, kUndefined };
std::string_view Name(CpeRelation relation);

// How `source` (an advisory's) relates to `target` (an asset's), attribute by attribute and
// as a whole (NISTIR 7696 §6: any undefined -> undefined; any disjoint -> disjoint; all equal
// -> equal; superset or equal -> superset; subset or equal -> subset; else mixed).
CpeRelation CompareAttribute(const Cpe& source, const Cpe& target, Cpe::Attribute attribute);
CpeRelation CompareNames(const Cpe& source, const Cpe& target);

// What an advisory's CPE says about an asset's: the same product (vendor and product equal and
// specific, nothing else disjoint), the same product in another version, a CPE unusable for
// matching (the asset's has wildcards), or another product.
enum class CpeIdentity { kSameProduct, kOtherVersion, kUnusable, kOtherProduct };
CpeIdentity IdentifyProduct(const Cpe& advisory, const Cpe& asset);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_CPE_H_
