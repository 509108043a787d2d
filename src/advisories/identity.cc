#include "advisories/identity.h"

#include <array>
#include <utility>
#include <vector>

namespace baken::advisories {

namespace {

// Vendors that advisories and inventories name differently: canonical key, then other keys.
// Kept small on purpose; every entry is a judgement that two names are one company.
const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> kVendorAliases = {
    {"red hat", {"redhat"}},
    {"digi", {"digi international"}},
    {"microsoft", {"microsoft corporation"}},
    {"cisco", {"cisco systems"}},
    {"siemens", {"siemens ag"}},
};

std::string Fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(c);
    } else {
      space = true;
    }
  }
  return out;
}

bool DropSuffixWord(std::string* text, std::string_view word) {
  if (text->size() <= word.size() + 1) return false;
  if (!std::string_view(*text).ends_with(word)) return false;
  if ((*text)[text->size() - word.size() - 1] != ' ') return false;
  text->resize(text->size() - word.size() - 1);
  return true;
}

}  // namespace

std::string VendorKey(std::string_view vendor) {
  std::string key = Fold(vendor);
  if (key == "n a" || key == "na" || key == "unknown") return {};
  static constexpr std::array<std::string_view, 17> kLegalForms = {
      "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
      "plc", "gmbh",         "ag",   "se",          "sa", "nv",      "bv",  "b v"};
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (std::string_view form : kLegalForms) dropped |= DropSuffixWord(&key, form);
    dropped |= DropSuffixWord(&key, "n v");
  }
  for (const auto& [canonical, others] : kVendorAliases) {
    for (std::string_view other : others) {
      if (key == other) return std::string(canonical);
    }
  }
  return key;
}

std::string ProductKey(std::string_view vendor_key, std::string_view product) {
  std::string key = Fold(product);
  if (vendor_key.empty()) return key;
  std::vector<std::string_view> names = {vendor_key};
  for (const auto& [canonical, others] : kVendorAliases) {
    if (canonical == vendor_key) names.insert(names.end(), others.begin(), others.end());
  }
  for (std::string_view name : names) {
    if (key.size() > name.size() + 1 && std::string_view(key).starts_with(name) &&
        key[name.size()] == ' ') {
      return key.substr(name.size() + 1);
    }
  }
  return key;
}

}  // namespace baken::advisories
