#ifndef BAKEN_DISCLOSURE_REPORT_ROUTING_H_
#define BAKEN_DISCLOSURE_REPORT_ROUTING_H_

// Where a report goes (decision 0020): IP addresses, host names, URLs and e-mail domains
// through the constituency snapshot that routes feed events; products through the members' ICT
// inventories, with the advisory matcher's exact vendor and product keys, as candidates an
// analyst confirms.

#include <optional>
#include <string>
#include <vector>

#include "disclosure/submission.h"
#include "registry/member.h"
#include "routing/constituency.h"

namespace baken::disclosure {

struct ItemRoute {
  std::string member;
  std::string reason;  // netblock, domain, inventory
  std::string match;   // the claim ("192.0.2.0/24", "example.nl") or the asset's name
};

// The member that owns an address, host, URL or e-mail domain; nullopt for nobody's (and for a
// product: see ProductCandidates).
std::optional<ItemRoute> RouteItem(const routing::Constituency& snapshot, const NamedItem& item);

// The members whose inventory holds the product (vendor and product; any version), one route
// each, by member code.
std::vector<ItemRoute> ProductCandidates(const std::vector<registry::Member>& members,
                                         const ProductName& product);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_REPORT_ROUTING_H_
