#ifndef BAKEN_INTEL_FINDINGS_H_
#define BAKEN_INTEL_FINDINGS_H_

// An indicator that names a member's own system — a C2 address inside its netblock, a phishing
// host under its domain — becomes a finding for that member: a routed event like a feed's
// (feed "threat-intel"), told to the member in its digest and listed with its other findings
// (decision 0023, "Matching"). Only the one indicator goes to the member, never the rest of
// its intel event: that event may name other members' systems too.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "routing/constituency.h"
#include "store/intel_repository.h"
#include "store/store.h"

namespace baken::intel {

// The feed name findings from threat intelligence carry.
inline constexpr std::string_view kFindingFeed = "threat-intel";

// Who an indicator's value belongs to: an address (ip, cidr, a URL's host) by netblock, a name
// (domain, host, a URL's or an e-mail address's domain) by domain. ASNs and hashes name no one.
struct Owner {
  std::string member;
  std::string reason;  // netblock, domain
  std::string claim;   // the claim that matched, as a person writes it
};
std::optional<Owner> OwnerOf(const routing::Constituency& constituency, std::string_view kind,
                             std::string_view value);

// The finding for the member that owns the indicator's value, or nothing when no member does.
// Its TLP is the indicator's, except that what may not leave the CERT (RED, a cert-only
// indicator or event, AMBER+STRICT from outside without the source's permission) is stored as
// RED: the digest that carries it is then held until an analyst releases it.
std::optional<store::EventRecord> FindingFor(const routing::Constituency& constituency,
                                             const store::IntelEventRecord& event,
                                             const store::IndicatorRecord& indicator,
                                             std::chrono::system_clock::time_point now);

// Stores findings in the caller's transaction, each with the digest it goes out with; a
// finding already known (feeds::DedupKey: the same member, classification, system and day)
// is not stored again. How many were new.
Result<int64_t> StoreFindings(store::Transaction& tx, std::vector<store::EventRecord>& findings,
                              std::chrono::system_clock::time_point now);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_FINDINGS_H_
