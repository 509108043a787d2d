#ifndef BAKEN_ADVISORIES_MATCHER_H_
#define BAKEN_ADVISORIES_MATCHER_H_

// Which members run what an advisory speaks of, and with what outcome. A member's asset and an
// advisory's product are the same product by the first of these that both carry, in order:
//   1. package URL (type, namespace and name; arch when both give it),
//   2. CPE (vendor and product equal and named, nothing else disjoint; NISTIR 7696),
//   3. a model number of the product as a word of the asset's product or name (same vendor),
//   4. vendor and product keys (identity.h).
// A tier both sides carry decides: two different package URLs are two products, whatever
// their names say. A product name alone never matches.
//
// Then versions decide which of the advisory's products apply to the asset (version.h), and
// the statuses of those products decide the outcome per vulnerability: affected, or not
// affected (known_not_affected, fixed), or unknown (under investigation, a range or version
// that cannot be compared, a product the document names without a status). One row per asset
// and product; its outcome is the worst of its vulnerabilities (affected, then unknown, then not
// affected). When products match the asset by name but none by version, one row says the
// version is not listed. docs/decisions/0007-advisories.md records the choices.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "advisories/advisory.h"
#include "advisories/cpe.h"
#include "advisories/purl.h"
#include "advisories/risk.h"
#include "registry/member.h"

namespace baken::advisories {

enum class MatchTier { kPurl, kCpe, kModel, kVendorProduct };
std::string_view Name(MatchTier tier);  // "purl", "cpe", "model", "vendor_product"

struct Match {
  std::string member;
  std::string asset;       // the asset's name
  std::string product_id;  // empty: the asset's version is not listed
  MatchTier tier = MatchTier::kVendorProduct;
  Outcome outcome = Outcome::kUnknown;
  std::vector<std::string> cves;          // those that gave the outcome
  std::vector<std::string> reasons;       // one per vulnerability considered
  std::optional<Risk> risk;               // absent when not affected
  std::vector<std::string> remediations;  // "vendor_fix: Update to version 4.2 or later."
};

struct MemberAssets {
  std::string member;
  std::vector<registry::Asset> assets;
};

// What matching needs of an advisory's product: its identifiers parsed and its name keys.
struct ProductKeys {
  std::optional<Purl> purl;
  std::optional<Cpe> cpe;
  std::string vendor_key;
  std::string product_key;
};
ProductKeys KeysOf(const Product& product);

// The inventories of all members, with each asset's identifiers parsed and its keys made once,
// and indexed so that an advisory's product finds its candidates without a scan.
class Inventory {
 public:
  explicit Inventory(std::vector<MemberAssets> members);

  struct Entry {
    std::string member;
    registry::Asset asset;
    std::optional<Purl> purl;
    std::optional<Cpe> cpe;  // only when usable for matching (no wildcards)
    std::string vendor_key;
    std::string product_key;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  // What the common case of matching reads of an entry, kept small and together: an entry is
  // several hundred bytes, and reading one per candidate made matching wait on memory.
  struct Hot {
    std::string version;  // the asset's version (a short one is stored inside the string)
    uint32_t name = 0;    // NameId of its vendor and product keys; 0 when either is empty
    bool purl = false;    // has a package URL
    bool cpe = false;     // has a CPE usable for matching
    // "deb", "rpm", "apk" or "alpm" for a distribution's package build (by its package URL or
    // its version, "7.88.1-10+deb12u5"), whose fixes are backported; empty otherwise.
    std::string_view distribution;
  };
  const Hot& hot(size_t index) const { return hot_[index]; }
  // A number for a vendor and product key pair that some asset has (0: none has it, or a key
  // is empty), so that comparing names is comparing numbers.
  uint32_t NameId(const std::string& vendor_key, const std::string& product_key) const;
  // Entries that may be the product, in order: the same package, the same CPE vendor and
  // product, the same vendor and product names, or (for a product with model numbers) the same
  // vendor.
  std::vector<size_t> Candidates(const Product& product, const ProductKeys& keys) const;

 private:
  using Index = std::unordered_map<std::string, std::vector<size_t>>;
  std::vector<Entry> entries_;
  std::vector<Hot> hot_;
  std::unordered_map<std::string, uint32_t> name_ids_;
  Index by_package_;
  Index by_cpe_;
  Index by_name_;
  Index by_vendor_;
};

struct MatchOptions {
  // Also a row for each asset the advisory names by product whose version it does not list
  // (not affected, "version x not listed"). Most rows are these; warnings do not need them.
  bool explain_not_affected = true;
};

// What someone acting on a match wants to know of it beyond the outcome, from the advisory:
// what the vulnerabilities are, how bad (the highest CVSS base score that applies to the
// product, as the risk model picks it), whether one is actively exploited, and which versions
// fix it. `cves` are the match's (all the advisory's vulnerabilities when empty).
struct MatchFacts {
  std::string description;  // the first description or summary note; empty when none
  std::optional<double> cvss;
  std::string cvss_vector;
  bool actively_exploited = false;
  // Versions the advisory calls fixed of the same product (the same vendor and product keys,
  // or the CVE record's `lessThan` and `unaffected` changes), as written, without duplicates.
  std::vector<std::string> fixed_versions;
};
MatchFacts FactsOf(const Advisory& advisory, const std::string& product_id,
                   const std::vector<std::string>& cves, const registry::Asset& asset);

// Rows ordered by member, asset and product.
std::vector<Match> MatchAdvisory(const Advisory& advisory, const Inventory& inventory,
                                 const MatchOptions& options = {});

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_MATCHER_H_
