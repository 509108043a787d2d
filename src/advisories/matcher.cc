#include "advisories/matcher.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "advisories/identity.h"
#include "common/text.h"

namespace baken::advisories {

namespace {

std::string PackageKey(const Purl& purl) {
  return fmt::format("{}/{}/{}", purl.type, purl.name_space, purl.name);
}

std::string CpeKey(const Cpe& cpe) {
  return cpe.values[Cpe::kVendor] + ":" + cpe.values[Cpe::kProduct];
}

std::string NameKey(const std::string& vendor_key, const std::string& product_key) {
  return vendor_key + '\x1F' + product_key;
}

// A Debian, Red Hat or Alpine package build of an upstream program ("7.88.1-10+deb12u5"):
// distributions backport fixes without changing the upstream version, so an upstream range
// says nothing certain about it. The package type, or empty for an upstream version.
std::string_view DistributionOf(const std::optional<Purl>& purl, std::string_view asset_version) {
  if (purl) {
    for (std::string_view type : {"deb", "rpm", "apk", "alpm"}) {
      if (purl->type == type) return type;
    }
  }
  const std::string version = AsciiLower(asset_version);
  if (version.find("+deb") != std::string::npos || version.find("ubuntu") != std::string::npos) {
    return "deb";
  }
  for (std::string_view marker : {".el", ".fc"}) {
    const size_t at = version.find(marker);
    if (at != std::string::npos && at + 3 < version.size() &&
        (version[at + 3] >= '0' && version[at + 3] <= '9')) {
      return "rpm";
    }
  }
  return {};
}

}  // namespace

ProductKeys KeysOf(const Product& product) {
  ProductKeys keys;
  if (product.purl) {
    if (auto purl = ParsePurl(*product.purl)) keys.purl = std::move(*purl);
  }
  if (product.cpe) {
    if (auto cpe = ParseCpe(*product.cpe)) keys.cpe = std::move(*cpe);
  }
  keys.vendor_key = VendorKey(product.vendor);
  const std::string& name = !product.product_name.empty() ? product.product_name
                            : !product.family.empty()     ? product.family
                                                          : product.name;
  keys.product_key = ProductKey(keys.vendor_key, name);
  return keys;
}

namespace {

// Whether a model number stands as a word in `text` (words split at blanks and brackets).
bool HasModel(std::string_view model, std::string_view text) {
  const std::string pattern = AsciiLower(TrimBlanks(model));
  const std::string lower = AsciiLower(text);
  size_t start = 0;
  while (start < lower.size()) {
    const size_t end = lower.find_first_of(" \t()[],;", start);
    const std::string_view word =
        std::string_view(lower).substr(start, end == std::string::npos ? end : end - start);
    if (!word.empty() && !pattern.empty() && GlobMatch(pattern, word)) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

struct Identity {
  MatchTier tier;
  bool other_version = false;  // a CPE says: this product, another version
};

std::optional<Identity> Identify(const Inventory::Entry& entry, const Product& product,
                                 const ProductKeys& keys) {
  if (entry.purl && keys.purl) {
    if (!SamePackage(*entry.purl, *keys.purl)) return std::nullopt;
    return Identity{MatchTier::kPurl};
  }
  if (entry.cpe && keys.cpe) {
    switch (IdentifyProduct(*keys.cpe, *entry.cpe)) {
      case CpeIdentity::kSameProduct:
        return Identity{MatchTier::kCpe};
      case CpeIdentity::kOtherVersion:
        return Identity{MatchTier::kCpe, true};
      case CpeIdentity::kOtherProduct:
        return std::nullopt;
      case CpeIdentity::kUnusable:
        break;
    }
  }
  if (keys.vendor_key.empty() || keys.vendor_key != entry.vendor_key) return std::nullopt;
  for (const std::string& model : product.model_numbers) {
    if (HasModel(model, entry.asset.product) || HasModel(model, entry.asset.name)) {
      return Identity{MatchTier::kModel};
    }
  }
  if (!keys.product_key.empty() && keys.product_key == entry.product_key) {
    return Identity{MatchTier::kVendorProduct};
  }
  return std::nullopt;
}

Outcome StatusOutcome(std::string_view status) {
  if (status == "affected") return Outcome::kAffected;
  if (status == "unaffected") return Outcome::kNotAffected;
  return Outcome::kUnknown;
}

// The asset's version as the tier that matched sees it, and the scheme to compare it in.
// Neither copied nor moved: `text` may point into `owned`.
struct AssetVersion {
  AssetVersion() = default;
  AssetVersion(const AssetVersion&) = delete;
  AssetVersion& operator=(const AssetVersion&) = delete;

  std::string_view text;  // into the entry, or into `owned`
  std::string owned;
  Scheme scheme = Scheme::kGeneric;
  bool scheme_known = false;
};

void VersionOf(const Inventory::Entry& entry, MatchTier tier, AssetVersion* out) {
  AssetVersion& version = *out;
  version.text = entry.asset.version;
  if (tier == MatchTier::kPurl && entry.purl) {
    if (!entry.purl->version.empty()) {
      version.owned = entry.purl->ComparableVersion();
      version.text = version.owned;
    }
    if (const auto scheme = entry.purl->VersionScheme()) {
      version.scheme = *scheme;
      version.scheme_known = true;
    }
  }
  if (tier == MatchTier::kCpe && entry.cpe && !entry.cpe->IsAny(Cpe::kVersion) &&
      !entry.cpe->IsNa(Cpe::kVersion)) {
    version.text = entry.cpe->values[Cpe::kVersion];
  }
}

struct Finding {
  Outcome outcome;
  std::string reason;
};

// Whether a CSAF product's version is the asset's: affected means it applies.
Finding VersionApplies(const AssetVersion& version, const Product& product, const ProductKeys& keys,
                       const Identity& identity) {
  if (identity.other_version) {
    return {Outcome::kNotAffected, {}};  // a CPE names another version
  }
  if (product.range) {
    const VersionRange* range = &*product.range;
    VersionRange with_scheme;
    if (range->scheme_guessed && version.scheme_known) {
      with_scheme = *range;
      with_scheme.scheme = version.scheme;
      with_scheme.scheme_guessed = false;
      range = &with_scheme;
    }
    // Most pairs are outside: their reason is never shown, so it is not written.
    if (Evaluate(*range, version.text) == Outcome::kNotAffected) {
      return {Outcome::kNotAffected, {}};
    }
    Decision decision = Contains(*range, version.text);
    return {decision.outcome, std::move(decision.reason)};
  }
  std::string_view exact = product.version;
  std::string purl_version;
  if (keys.purl && !keys.purl->version.empty()) {
    purl_version = keys.purl->ComparableVersion();
    exact = purl_version;
  }
  if (exact.empty()) return {Outcome::kAffected, "all versions"};
  if (TrimBlanks(version.text).empty()) {
    return {Outcome::kUnknown, "version of the asset not known"};
  }
  const auto same = SameVersion(version.scheme, version.text, exact);
  if (!same) {
    return {Outcome::kUnknown,
            fmt::format("version {} cannot be compared with {}", version.text, exact)};
  }
  if (!*same) return {Outcome::kNotAffected, {}};
  return {Outcome::kAffected, fmt::format("version {} is {}", version.text, exact)};
}

// A CVE record's versions for one product (CVE schema 5, versions.md): the first entry that
// holds the version gives its status (after its `changes`); none: defaultStatus, else unknown.
// `per_line` reads ranges that all start at "0" as one range per release line: protobuf
// writes [0, 4.25.8), [0, 5.29.5), [0, 6.31.1) meaning 4.x before 4.25.8, 5.x before 5.29.5.
Finding EvaluateCveVersions(const Product& product, std::string_view version, bool per_line) {
  std::string lowest_zero_bound;
  if (per_line) {
    for (const CveVersion& entry : product.cve_versions) {
      const auto upper = entry.less_than ? entry.less_than : entry.less_than_or_equal;
      if (entry.version != "0" || !upper) continue;
      const Scheme scheme = SchemeOf(entry.version_type).value_or(Scheme::kGeneric);
      const auto order =
          CompareVersions(scheme, *upper, lowest_zero_bound.empty() ? *upper : lowest_zero_bound);
      if (lowest_zero_bound.empty() || (order && order->order < 0)) lowest_zero_bound = *upper;
    }
  }
  for (const CveVersion& entry : product.cve_versions) {
    const auto type = SchemeOf(entry.version_type);
    VersionRange range;
    range.raw = entry.version;
    range.scheme = type.value_or(Scheme::kGeneric);
    range.scheme_guessed = !type.has_value();
    const auto upper = entry.less_than ? entry.less_than : entry.less_than_or_equal;
    if (upper) {
      range.form = VersionRange::Form::kConstraints;
      std::string lower = entry.version;
      if (per_line && lower == "0" && *upper != lowest_zero_bound) {
        lower = upper->substr(0, upper->find('.')) + ".0.0";
      }
      if (lower != "0" && lower != "*" && !lower.empty()) {
        range.constraints.push_back({Op::kGe, lower});
      }
      if (*upper != "*") {
        range.constraints.push_back({entry.less_than ? Op::kLt : Op::kLe, *upper});
      }
      if (range.constraints.empty()) range.form = VersionRange::Form::kAll;
    } else if (entry.version.find_first_of(" ,<>") != std::string::npos) {
      range = ParseRange(entry.version);
    } else {
      range.form = VersionRange::Form::kConstraints;
      range.constraints.push_back({Op::kEq, entry.version});
    }
    const Decision decision = Contains(range, version);
    if (decision.outcome == Outcome::kNotAffected) continue;
    if (decision.outcome == Outcome::kUnknown) return {Outcome::kUnknown, decision.reason};
    std::string status = entry.status;
    std::vector<std::pair<std::string, std::string>> changes = entry.changes;
    std::stable_sort(changes.begin(), changes.end(), [&](const auto& a, const auto& b) {
      const auto order = CompareVersions(range.scheme, a.first, b.first);
      return order && order->order < 0;
    });
    for (const auto& [at, changed] : changes) {
      const auto order = CompareVersions(range.scheme, version, at);
      if (order && order->order >= 0) status = changed;
    }
    return {StatusOutcome(status), fmt::format("{}: {}", decision.reason, status)};
  }
  if (!product.default_status.empty()) {
    return {StatusOutcome(product.default_status),
            fmt::format("version {} not listed; default {}", version, product.default_status)};
  }
  return {Outcome::kUnknown, fmt::format("version {} not listed and no default status", version)};
}

Finding CveOutcome(const Product& product, std::string_view version) {
  if (TrimBlanks(version).empty()) {
    std::set<std::string> statuses;
    for (const CveVersion& entry : product.cve_versions) statuses.insert(entry.status);
    if (!product.default_status.empty()) statuses.insert(product.default_status);
    if (statuses.size() == 1) {
      return {StatusOutcome(*statuses.begin()), fmt::format("every version {}", *statuses.begin())};
    }
    return {Outcome::kUnknown, "version of the asset not known"};
  }
  const Finding literal = EvaluateCveVersions(product, version, false);
  size_t zero_starts = 0;
  for (const CveVersion& entry : product.cve_versions) {
    if (entry.version == "0" && (entry.less_than || entry.less_than_or_equal)) ++zero_starts;
  }
  if (zero_starts > 1) {
    const Finding per_line = EvaluateCveVersions(product, version, true);
    if (per_line.outcome != literal.outcome) {
      return {Outcome::kUnknown,
              fmt::format("ranges overlap from 0: read literally {}, per release line {}",
                          Name(literal.outcome), Name(per_line.outcome))};
    }
  }
  return literal;
}

bool Names(const std::vector<std::string>& ids, const std::string& id) {
  return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
}

// What one vulnerability says of one CSAF product; nullopt when it says nothing.
std::optional<Finding> StatusOf(const Vulnerability& vulnerability, const std::string& id) {
  const auto it = vulnerability.status.find(id);
  if (it != vulnerability.status.end() && !it->second.empty()) {
    std::optional<Finding> found;
    for (ProductStatus status : it->second) {
      switch (status) {
        case ProductStatus::kFirstAffected:
        case ProductStatus::kKnownAffected:
        case ProductStatus::kLastAffected:
          return Finding{Outcome::kAffected, std::string(Name(status))};
        case ProductStatus::kUnderInvestigation:
          found = Finding{Outcome::kUnknown, "under_investigation"};
          break;
        case ProductStatus::kKnownNotAffected: {
          std::string why(Name(status));
          for (const Flag& flag : vulnerability.flags) {
            if (!flag.product_ids.empty() && Names(flag.product_ids, id)) why += ": " + flag.label;
          }
          if (!found) found = Finding{Outcome::kNotAffected, why};
          break;
        }
        case ProductStatus::kFirstFixed:
        case ProductStatus::kFixed:
          if (!found) found = Finding{Outcome::kNotAffected, std::string(Name(status))};
          break;
        case ProductStatus::kRecommended:
          break;
      }
    }
    if (found) return found;
  }
  for (const Remediation& remediation : vulnerability.remediations) {
    if (!remediation.product_ids.empty() && Names(remediation.product_ids, id)) {
      return Finding{Outcome::kUnknown, "named in a remediation but without a status"};
    }
  }
  return std::nullopt;
}

// What a vulnerability says of a platform through the components the document lists on it
// (a CSAF relationship "X as a component of P"): nothing when it lists none.
std::optional<Finding> PlatformStatus(const Advisory& advisory, const Vulnerability& vulnerability,
                                      const std::string& platform_id) {
  std::vector<std::string> open;
  bool any = false;
  for (const Product& product : advisory.products) {
    if (product.relationship.empty() || product.platform_id != platform_id) continue;
    const auto finding = StatusOf(vulnerability, product.id);
    if (!finding) continue;
    any = true;
    if (finding->outcome != Outcome::kNotAffected || finding->reason.starts_with("fixed") ||
        finding->reason.starts_with("first_fixed")) {
      // Affected components, or fixed builds the asset may or may not run yet.
      if (open.size() < 3)
        open.push_back(fmt::format("{} ({})", product.component_id, finding->reason));
    }
  }
  if (!any) return std::nullopt;
  if (open.empty()) return Finding{Outcome::kNotAffected, "no component of this platform affected"};
  return Finding{Outcome::kUnknown,
                 fmt::format("check the components on this platform: {}", fmt::join(open, ", "))};
}

RiskInput RiskInputFor(const Advisory& advisory, const Vulnerability& vulnerability,
                       const std::string& product_id, const registry::Asset& asset) {
  RiskInput input;
  input.internet_facing = asset.internet_facing;
  input.criticality = asset.criticality;
  // The score for this product, else the vulnerability's; CVSS 3 and 4 before 2.
  const auto pick = [&](bool for_product) -> const Score* {
    const Score* best = nullptr;
    for (bool modern : {true, false}) {
      for (const Score& score : vulnerability.scores) {
        if (for_product && !Names(score.product_ids, product_id)) continue;
        if (modern == score.cvss_version.starts_with("2")) continue;
        if (!best || score.base_score > best->base_score) best = &score;
      }
      if (best) return best;
    }
    return best;
  };
  const Score* score = pick(true);
  if (!score) score = pick(false);
  if (score) {
    input.cvss = score->base_score;
    input.cvss_vector = score->vector;
  }
  for (const Threat& threat : vulnerability.threats) {
    if (threat.category == "impact" && Names(threat.product_ids, product_id) &&
        threat.details.find(' ') == std::string::npos) {
      input.publisher_severity = threat.details;
    }
  }
  if (input.publisher_severity.empty()) input.publisher_severity = advisory.aggregate_severity;
  // Exploitation, strongest first.
  if (vulnerability.ssvc_exploitation == "active") {
    input.exploitation = Exploitation::kActive;
    input.exploitation_source = "SSVC";
  }
  for (const Threat& threat : vulnerability.threats) {
    if (threat.category != "exploit_status" || !Names(threat.product_ids, product_id)) continue;
    const std::string text = AsciiLower(threat.details);
    const bool negated =
        text.find("not ") != std::string::npos || text.find("no known") != std::string::npos ||
        text.find("niet ") != std::string::npos || text.find("geen ") != std::string::npos;
    if (negated) continue;
    for (std::string_view phrase :
         {"actively exploited", "exploited in the wild", "active exploitation",
          "known to be exploited", "actief misbruikt"}) {
      if (text.find(phrase) != std::string::npos) {
        input.exploitation = Exploitation::kActive;
        input.exploitation_source = "exploit_status";
      }
    }
    if (input.exploitation == Exploitation::kNone &&
        (text.find("proof of concept") != std::string::npos ||
         text.find("proof-of-concept") != std::string::npos ||
         text.find("exploit code") != std::string::npos ||
         text.find("public exploit") != std::string::npos)) {
      input.exploitation = Exploitation::kProofOfConcept;
      input.exploitation_source = "exploit_status";
    }
  }
  if (input.exploitation == Exploitation::kNone) {
    if (vulnerability.ssvc_exploitation == "poc") {
      input.exploitation = Exploitation::kProofOfConcept;
      input.exploitation_source = "SSVC";
    } else if (score) {
      for (std::string_view marker : {"/E:P", "/E:F", "/E:H"}) {
        if (score->vector.find(marker) != std::string::npos) {
          input.exploitation = Exploitation::kProofOfConcept;
          input.exploitation_source = fmt::format("CVSS {}", marker.substr(1));
        }
      }
      if (score->vector.find("/E:A") != std::string::npos && score->cvss_version == "4.0") {
        input.exploitation = Exploitation::kActive;
        input.exploitation_source = "CVSS E:A";
      }
    }
  }
  return input;
}

// Whether the product's versions are the distribution's own (its purl or CVE version type).
bool SameDistribution(std::string_view distribution, const Product& product,
                      const ProductKeys& keys) {
  if (keys.purl && keys.purl->type == distribution) return true;
  for (const CveVersion& entry : product.cve_versions) {
    if (entry.version_type == distribution) return true;
  }
  return false;
}

std::string BackportReason(std::string_view version, std::string_view distribution) {
  return fmt::format(
      "version {} is a {} package build: distributions backport fixes, so the upstream versions "
      "do not decide it; compare with the distribution's advisory",
      version, distribution);
}

int Severity(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAffected:
      return 2;
    case Outcome::kUnknown:
      return 1;
    case Outcome::kNotAffected:
      return 0;
  }
  return 1;
}

// Within one advisory, the risk of a (product, vulnerability) pair depends on the asset only
// through its criticality and whether it faces the internet, and the remedies not at all: both
// are worked out once per advisory rather than once per row.
class RiskMemo {
 public:
  template <typename MakeInput>
  const Risk& For(size_t product, size_t vulnerability, const registry::Asset& asset,
                  const MakeInput& make_input) {
    const uint64_t key = (uint64_t{product} << 32) | (uint64_t{vulnerability} << 8) |
                         (static_cast<uint64_t>(asset.criticality) << 1) |
                         (asset.internet_facing ? 1u : 0u);
    auto it = risks_.find(key);
    if (it == risks_.end()) it = risks_.emplace(key, AssessRisk(make_input())).first;
    return it->second;
  }
  template <typename MakeLines>
  const std::vector<std::string>& Remediations(size_t product, size_t vulnerability,
                                               const MakeLines& make_lines) {
    const uint64_t key = (uint64_t{product} << 32) | uint64_t{vulnerability};
    auto it = remediations_.find(key);
    if (it == remediations_.end()) it = remediations_.emplace(key, make_lines()).first;
    return it->second;
  }

 private:
  std::unordered_map<uint64_t, Risk> risks_;
  std::unordered_map<uint64_t, std::vector<std::string>> remediations_;
};

std::string VulnerabilityName(const Vulnerability& vulnerability, size_t index) {
  if (!vulnerability.cve.empty()) return vulnerability.cve;
  if (!vulnerability.ids.empty()) return vulnerability.ids.front();
  return fmt::format("vulnerability {}", index + 1);
}

}  // namespace

MatchFacts FactsOf(const Advisory& advisory, const std::string& product_id,
                   const std::vector<std::string>& cves, const registry::Asset& asset) {
  MatchFacts facts;
  const Product* product = advisory.FindProduct(product_id);
  const ProductKeys keys = product ? KeysOf(*product) : ProductKeys{};
  const auto add_fixed = [&](const std::string& version) {
    if (!version.empty() && std::find(facts.fixed_versions.begin(), facts.fixed_versions.end(),
                                      version) == facts.fixed_versions.end()) {
      facts.fixed_versions.push_back(version);
    }
  };
  const auto describe = [&](const std::vector<Note>& notes) {
    for (const Note& note : notes) {
      if (facts.description.empty() && !note.text.empty() &&
          (note.category == "description" || note.category == "summary")) {
        facts.description = note.text;
      }
    }
  };
  for (const Vulnerability& vulnerability : advisory.vulnerabilities) {
    if (!cves.empty() && std::find(cves.begin(), cves.end(), vulnerability.cve) == cves.end()) {
      continue;
    }
    describe(vulnerability.notes);
    const RiskInput input = RiskInputFor(advisory, vulnerability, product_id, asset);
    if (input.cvss && (!facts.cvss || *input.cvss > *facts.cvss)) {
      facts.cvss = input.cvss;
      facts.cvss_vector = input.cvss_vector;
    }
    if (input.exploitation == Exploitation::kActive) facts.actively_exploited = true;
    if (!product) continue;
    // A fixed product is the same product when its names are: another version of it.
    for (const auto& [id, statuses] : vulnerability.status) {
      const bool fixed = std::any_of(statuses.begin(), statuses.end(), [](ProductStatus status) {
        return status == ProductStatus::kFirstFixed || status == ProductStatus::kFixed;
      });
      const Product* other = fixed ? advisory.FindProduct(id) : nullptr;
      if (!other || keys.vendor_key.empty() || keys.product_key.empty()) continue;
      const ProductKeys other_keys = KeysOf(*other);
      if (other_keys.vendor_key == keys.vendor_key && other_keys.product_key == keys.product_key) {
        add_fixed(other->version);
      }
    }
  }
  if (facts.description.empty()) describe(advisory.notes);
  if (product) {
    for (const CveVersion& entry : product->cve_versions) {
      if (entry.status == "affected" && entry.less_than && *entry.less_than != "*") {
        add_fixed(*entry.less_than);
      }
      for (const auto& [at, status] : entry.changes) {
        if (status == "unaffected") add_fixed(at);
      }
    }
  }
  return facts;
}

std::string_view Name(MatchTier tier) {
  switch (tier) {
    case MatchTier::kPurl:
      return "purl";
    case MatchTier::kCpe:
      return "cpe";
    case MatchTier::kModel:
      return "model";
    case MatchTier::kVendorProduct:
      return "vendor_product";
  }
  return "";
}

Inventory::Inventory(std::vector<MemberAssets> members) {
  std::stable_sort(
      members.begin(), members.end(),
      [](const MemberAssets& a, const MemberAssets& b) { return a.member < b.member; });
  for (MemberAssets& member : members) {
    for (registry::Asset& asset : member.assets) {
      Entry entry;
      entry.member = member.member;
      if (asset.purl) {
        if (auto purl = ParsePurl(*asset.purl)) entry.purl = std::move(*purl);
      }
      if (asset.cpe) {
        if (auto cpe = ParseCpe(*asset.cpe); cpe && !cpe->HasAnyWildcard())
          entry.cpe = std::move(*cpe);
      }
      entry.vendor_key = VendorKey(asset.vendor);
      entry.product_key = ProductKey(entry.vendor_key, asset.product);
      entry.asset = std::move(asset);
      const size_t index = entries_.size();
      Hot hot{entry.asset.version, 0, entry.purl.has_value(), entry.cpe.has_value(),
              DistributionOf(entry.purl, entry.asset.version)};
      if (!entry.vendor_key.empty() && !entry.product_key.empty()) {
        const auto [it, added] = name_ids_.emplace(NameKey(entry.vendor_key, entry.product_key),
                                                   static_cast<uint32_t>(name_ids_.size() + 1));
        hot.name = it->second;
      }
      hot_.push_back(std::move(hot));
      if (entry.purl) by_package_[PackageKey(*entry.purl)].push_back(index);
      if (entry.cpe) by_cpe_[CpeKey(*entry.cpe)].push_back(index);
      if (!entry.vendor_key.empty()) {
        by_name_[NameKey(entry.vendor_key, entry.product_key)].push_back(index);
        by_vendor_[entry.vendor_key].push_back(index);
      }
      entries_.push_back(std::move(entry));
    }
  }
}

uint32_t Inventory::NameId(const std::string& vendor_key, const std::string& product_key) const {
  if (vendor_key.empty() || product_key.empty()) return 0;
  const auto it = name_ids_.find(NameKey(vendor_key, product_key));
  return it == name_ids_.end() ? 0 : it->second;
}

std::vector<size_t> Inventory::Candidates(const Product& product, const ProductKeys& keys) const {
  std::vector<size_t> found;
  const auto add = [&](const Index& index, const std::string& key) {
    if (const auto it = index.find(key); it != index.end()) {
      found.insert(found.end(), it->second.begin(), it->second.end());
    }
  };
  if (keys.purl) add(by_package_, PackageKey(*keys.purl));
  if (keys.cpe) add(by_cpe_, CpeKey(*keys.cpe));
  if (!keys.vendor_key.empty()) {
    // Model numbers are matched against the asset's words, so any asset of the vendor may do.
    if (!product.model_numbers.empty()) {
      add(by_vendor_, keys.vendor_key);
    } else {
      add(by_name_, NameKey(keys.vendor_key, keys.product_key));
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::vector<Match> MatchAdvisory(const Advisory& advisory, const Inventory& inventory,
                                 const MatchOptions& options) {
  std::vector<Match> matches;
  const auto& entries = inventory.entries();
  // Per asset that some product names: did one match it by name, and did any apply by version?
  // Slots are handed out in the order assets are first seen; `slot_of` finds an entry's slot
  // without hashing (a stamp per entry, valid for this call only).
  struct Seen {
    size_t entry = 0;
    bool applied = false;
    MatchTier tier = MatchTier::kVendorProduct;
  };
  std::vector<Seen> seen;
  thread_local std::vector<uint64_t> slot_of;
  thread_local uint32_t generation = 0;
  if (slot_of.size() < entries.size()) slot_of.resize(entries.size(), 0);
  if (++generation == 0) {  // wrapped: forget every stamp
    std::fill(slot_of.begin(), slot_of.end(), 0);
    generation = 1;
  }
  const auto slot = [&](size_t index) -> Seen& {
    uint64_t& stamp = slot_of[index];
    if ((stamp >> 32) != generation) {
      stamp = (uint64_t{generation} << 32) | seen.size();
      seen.push_back({index, false, MatchTier::kVendorProduct});
    }
    return seen[stamp & 0xffffffffu];
  };
  // Identified by name but another version: (slot, product), for the "not listed" rows.
  std::vector<std::pair<uint32_t, uint32_t>> other_versions;
  std::vector<ProductKeys> product_keys;
  std::vector<uint32_t> name_ids;
  product_keys.reserve(advisory.products.size());
  for (const Product& product : advisory.products) {
    product_keys.push_back(KeysOf(product));
    name_ids.push_back(
        inventory.NameId(product_keys.back().vendor_key, product_keys.back().product_key));
  }

  RiskMemo risks;
  std::vector<std::pair<size_t, size_t>> rank;  // per row: entry, then place in the document
  for (size_t p = 0; p < advisory.products.size(); ++p) {
    const Product& product = advisory.products[p];
    const size_t place = p + 1;
    const ProductKeys& keys = product_keys[p];
    for (size_t index : inventory.Candidates(product, keys)) {
      const Inventory::Entry& entry = entries[index];
      const Inventory::Hot& hot = inventory.hot(index);
      // Most pairs are decided by vendor and product alone (no package URL or CPE on both
      // sides, no model numbers): that is Identify's last tier, done on the small record.
      const bool by_name =
          !(hot.purl && keys.purl) && !(hot.cpe && keys.cpe) && product.model_numbers.empty();
      std::optional<Identity> identity;
      if (by_name) {
        if (name_ids[p] == 0 || hot.name != name_ids[p]) continue;
        identity = Identity{MatchTier::kVendorProduct};
      } else {
        identity = Identify(entry, product, keys);
        if (!identity) continue;
      }
      const bool first = (slot_of[index] >> 32) != generation;
      Seen& state = slot(index);
      if (first) state.tier = identity->tier;
      AssetVersion version;
      if (by_name) {
        version.text = hot.version;
      } else {
        VersionOf(entry, identity->tier, &version);
      }
      const bool cve_product = advisory.format == Format::kCve;
      Finding applies{Outcome::kAffected, ""};
      if (cve_product && identity->other_version) {
        continue;  // a CVE record's CPE names the platform release, and it is another one
      }
      if (!cve_product) {
        applies = VersionApplies(version, product, keys, *identity);
        if (applies.outcome == Outcome::kNotAffected) {
          other_versions.emplace_back(static_cast<uint32_t>(&state - seen.data()),
                                      static_cast<uint32_t>(p));
          continue;
        }
      }
      Match match;
      match.member = entry.member;
      match.asset = entry.asset.name;
      match.product_id = product.id;
      match.tier = identity->tier;
      int worst = -1;
      std::vector<const Vulnerability*> deciding;
      for (size_t v = 0; v < advisory.vulnerabilities.size(); ++v) {
        const Vulnerability& vulnerability = advisory.vulnerabilities[v];
        std::optional<Finding> finding;
        if (cve_product) {
          finding = CveOutcome(product, version.text);
        } else {
          finding = StatusOf(vulnerability, product.id);
          if (!finding) finding = PlatformStatus(advisory, vulnerability, product.id);
          if (finding && applies.outcome == Outcome::kUnknown) {
            finding = Finding{Outcome::kUnknown,
                              fmt::format("{}, but {}", finding->reason, applies.reason)};
          } else if (finding && !applies.reason.empty()) {
            finding->reason += fmt::format(" ({})", applies.reason);
          }
        }
        if (!finding) continue;
        const std::string name = VulnerabilityName(vulnerability, v);
        match.reasons.push_back(fmt::format("{}: {}", name, finding->reason));
        const int severity = Severity(finding->outcome);
        if (severity > worst) {
          worst = severity;
          match.cves.clear();
          deciding.clear();
        }
        if (severity == worst) {
          match.cves.push_back(name);
          deciding.push_back(&vulnerability);
        }
      }
      if (worst < 0) continue;  // the document says nothing about this product
      state.applied = true;
      match.outcome = worst == 2   ? Outcome::kAffected
                      : worst == 1 ? Outcome::kUnknown
                                   : Outcome::kNotAffected;
      if (const std::string_view distribution = hot.distribution;
          !distribution.empty() && !SameDistribution(distribution, product, keys)) {
        match.outcome = Outcome::kUnknown;
        match.reasons.push_back(BackportReason(version.text, distribution));
      }
      if (match.outcome != Outcome::kNotAffected) {
        const Risk* highest = nullptr;
        for (const Vulnerability* vulnerability : deciding) {
          const size_t v = static_cast<size_t>(vulnerability - advisory.vulnerabilities.data());
          const Risk& risk = risks.For(p, v, entry.asset, [&] {
            return RiskInputFor(advisory, *vulnerability, product.id, entry.asset);
          });
          if (!highest || risk.points > highest->points) highest = &risk;
          for (const std::string& line : risks.Remediations(p, v, [&] {
                 std::vector<std::string> lines;
                 for (const Remediation& remediation : vulnerability->remediations) {
                   if (!Names(remediation.product_ids, product.id)) continue;
                   lines.push_back(
                       fmt::format("{}: {}", remediation.category, remediation.details));
                 }
                 return lines;
               })) {
            if (std::find(match.remediations.begin(), match.remediations.end(), line) ==
                match.remediations.end()) {
              match.remediations.push_back(line);
            }
          }
        }
        if (highest) match.risk = *highest;
      }
      matches.push_back(std::move(match));
      rank.emplace_back(index, place);
    }
  }
  // Assets the advisory names by product but not by version. What holds for a product here
  // (does the document list it only as fixed, and at which version) is the same for every
  // asset, so it is worked out once.
  struct FixedBuild {
    bool fixed = false;
    std::string version;
    Scheme scheme = Scheme::kGeneric;
  };
  std::vector<std::optional<FixedBuild>> fixed_builds(advisory.products.size());
  const auto fixed_build = [&](uint32_t p) -> const FixedBuild& {
    if (!fixed_builds[p]) {
      FixedBuild build;
      const Product& product = advisory.products[p];
      for (const Vulnerability& vulnerability : advisory.vulnerabilities) {
        const auto status = StatusOf(vulnerability, product.id);
        build.fixed |= status && (status->reason.starts_with("fixed") ||
                                  status->reason.starts_with("first_fixed"));
      }
      const ProductKeys& keys = product_keys[p];
      build.version = product.version;
      if (keys.purl && !keys.purl->version.empty()) {
        build.version = keys.purl->ComparableVersion();
        build.scheme = keys.purl->VersionScheme().value_or(Scheme::kGeneric);
      }
      fixed_builds[p] = std::move(build);
    }
    return *fixed_builds[p];
  };
  std::vector<std::string> all_names;
  for (size_t v = 0; v < advisory.vulnerabilities.size(); ++v) {
    all_names.push_back(VulnerabilityName(advisory.vulnerabilities[v], v));
  }
  std::stable_sort(other_versions.begin(), other_versions.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto other = other_versions.begin();
  for (uint32_t s = 0; s < seen.size(); ++s) {
    const auto others_begin = std::find_if(other, other_versions.end(),
                                           [&](const auto& item) { return item.first == s; });
    auto others_end = others_begin;
    while (others_end != other_versions.end() && others_end->first == s) ++others_end;
    other = others_end;
    const Seen& state = seen[s];
    if (state.applied) continue;
    // The small record is enough unless a package URL or CPE gave the version.
    const Inventory::Hot& hot = inventory.hot(state.entry);
    AssetVersion asset_version;
    if (state.tier == MatchTier::kPurl || state.tier == MatchTier::kCpe) {
      VersionOf(entries[state.entry], state.tier, &asset_version);
    } else {
      asset_version.text = hot.version;
    }
    const std::string_view version = asset_version.text;
    Outcome outcome = Outcome::kNotAffected;
    std::string reason;
    // Red Hat lists only fixed builds: an older one is not "not listed" but probably affected.
    for (auto it = others_begin; it != others_end; ++it) {
      const FixedBuild& build = fixed_build(it->second);
      if (!build.fixed || build.version.empty()) continue;
      const auto order = CompareVersions(build.scheme, version, build.version);
      if (order && order->order < 0) {
        outcome = Outcome::kUnknown;
        reason = fmt::format("version {} not listed, and older than the fixed version {}", version,
                             build.version);
        break;
      }
    }
    std::string_view distribution;
    if (outcome == Outcome::kNotAffected && !hot.distribution.empty()) {
      bool same = false;
      for (auto it = others_begin; it != others_end; ++it) {
        same |= SameDistribution(hot.distribution, advisory.products[it->second],
                                 product_keys[it->second]);
      }
      if (!same) {
        distribution = hot.distribution;
        outcome = Outcome::kUnknown;
      }
    }
    // Most assets of a named product run another version: their rows are only written when
    // asked for (`advisory matches` shows them; warnings do not need them).
    if (outcome == Outcome::kNotAffected && !options.explain_not_affected) continue;
    const Inventory::Entry& entry = entries[state.entry];
    Match match;
    match.member = entry.member;
    match.asset = entry.asset.name;
    match.tier = state.tier;
    match.cves = all_names;
    match.outcome = outcome;
    match.reasons.push_back(reason.empty() ? fmt::format("version {} not listed", version)
                                           : std::move(reason));
    if (!distribution.empty()) match.reasons.push_back(BackportReason(version, distribution));
    if (match.outcome == Outcome::kUnknown && !advisory.vulnerabilities.empty()) {
      match.risk = risks.For(advisory.products.size(), 0, entry.asset, [&] {
        return RiskInputFor(advisory, advisory.vulnerabilities.front(), "", entry.asset);
      });
    }
    matches.push_back(std::move(match));
    rank.emplace_back(state.entry, 0);
  }
  // Entries are in member order (Inventory sorts them), so ordering by entry and then by the
  // product's place in the document needs no string comparison.
  std::vector<size_t> order(matches.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rank[a] < rank[b]; });
  std::vector<Match> sorted;
  sorted.reserve(matches.size());
  for (size_t i : order) sorted.push_back(std::move(matches[i]));
  return sorted;
}

}  // namespace baken::advisories
