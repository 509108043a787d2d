#ifndef BAKEN_ADVISORIES_IDENTITY_H_
#define BAKEN_ADVISORIES_IDENTITY_H_

// Names of vendors and products as keys for the last matching tier, for products that carry
// neither a package URL nor a CPE on both sides. "Digi International, Inc. " and "Digi" are one
// vendor; "Digi RealPort for Windows" from that vendor is the product "realport for windows".
// Keys are exact: no substring or fuzzy matching, so a product name alone never matches.
//
// Rules: lower-case; every run of characters other than a-z and 0-9 becomes one space; legal
// forms at the end of a vendor name (inc, ltd, gmbh, bv, ...) go; a vendor known by several
// names maps to one through the alias table; a product name that starts with its vendor's
// name loses that start.

#include <string>
#include <string_view>

namespace baken::advisories {

// Empty for an empty or "n/a" vendor: such a product matches on nothing but its identifiers.
std::string VendorKey(std::string_view vendor);
std::string ProductKey(std::string_view vendor_key, std::string_view product);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_IDENTITY_H_
