#ifndef BAKEN_SERVICE_REGISTRY_SERVICE_H_
#define BAKEN_SERVICE_REGISTRY_SERVICE_H_

// The registry's use cases, shared by the command line and the HTTP API so that both follow
// the same rules: who may change what, which claims wait for an analyst, what is audited, and
// when the constituency snapshot is rebuilt. Every call is one transaction.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "registry/member.h"
#include "registry/member_json.h"
#include "routing/constituency.h"
#include "store/store.h"

namespace baken::service {

struct ImportSummary {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

// Another member's approved claim that a claim overlaps: the same or a containing/contained
// netblock, the same AS number, or the same, a parent or a child domain.
struct Overlap {
  std::string member;
  std::string value;
};

struct ClaimReview {
  registry::Claim claim;
  std::vector<Overlap> overlaps;
};

// How many claims (netblocks, AS numbers and domains together) of one member may wait for an
// analyst at once: enough for any municipality's real address space, and a limit on what one
// member's user can put on the analysts' review list.
inline constexpr int64_t kMaxPendingClaims = 100;

// How a member's users see the CERT's people in a claim's requested_by and decided_by: an
// analyst's address is the CERT's business (the portal shows "de IBD").
inline constexpr std::string_view kCertActor = "cert";

struct MemberPage {
  std::vector<registry::Member> members;
  int64_t total = 0;
};

class RegistryService {
 public:
  // `snapshot` (may be null) receives a new constituency after every change to approved claims.
  RegistryService(store::Store& store, routing::ConstituencyHolder* snapshot);

  // Staff only. Creates or updates the members; their listed netblocks, AS numbers and domains
  // are approved at once. Refused as a whole (kConflict, naming each clash) when a listed value
  // is approved for a member outside the file.
  Result<ImportSummary> ImportMembers(const auth::Principal& who,
                                      const std::vector<registry::Member>& members);

  // Members in the caller's scope. Their claims name the CERT's people as kCertActor to a
  // member's users (so do ReplaceClaims and ReviewClaims).
  Result<std::vector<registry::Member>> ListMembers(const auth::Principal& who);
  // One page of the members in the caller's scope that match `query`, and how many match,
  // read in one transaction (a member's users: at most their own member).
  Result<MemberPage> FindMembers(const auth::Principal& who, const store::MemberQuery& query);
  Result<registry::Member> GetMember(const auth::Principal& who, const std::string& code);

  Status ReplaceContacts(const auth::Principal& who, const std::string& code,
                         const std::vector<registry::Contact>& contacts);
  Status ReplaceAssets(const auth::Principal& who, const std::string& code,
                       const std::vector<registry::Asset>& assets);
  // Makes the member's claims of `kind` exactly `values`. Values it already holds keep their
  // state whoever calls (approving is DecideClaim's); values not listed are removed. New
  // values of a member user wait for approval, at most kMaxPendingClaims of the member's
  // claims at once (kConflict beyond); staff's are approved at once, each with a
  // "claim.approve" audit entry, and refused with kConflict when approved for another member.
  // Returns the member's claims of `kind`.
  Result<std::vector<registry::Claim>> ReplaceClaims(const auth::Principal& who,
                                                     const std::string& code,
                                                     registry::ClaimKind kind,
                                                     const std::vector<std::string>& values);
  // Staff only: the unrouted workflow's "these findings go to this member from now on". Adds
  // `value` to the member's claims of `kind`, approved at once, with the same one-owner check
  // (kConflict naming the other member) and "claim.approve" audit entry (via "unrouted",
  // naming its overlaps) as a value staff add to a list. kConflict when the member already
  // holds the value in any state. Returns the member's claims of `kind`.
  Result<std::vector<registry::Claim>> AssignClaim(const auth::Principal& who,
                                                   const std::string& code,
                                                   registry::ClaimKind kind,
                                                   std::string_view value);
  Status ConfirmData(const auth::Principal& who, const std::string& code);

  // Claims in the caller's scope, optionally in one state, each with the approved claims of
  // other members it overlaps. Only staff see overlaps (they name other members).
  Result<std::vector<ClaimReview>> ReviewClaims(const auth::Principal& who,
                                                std::optional<registry::ClaimState> state);
  // Staff only. Approving a value that another member holds approved is a kConflict.
  Result<registry::Claim> DecideClaim(const auth::Principal& who, int64_t id, bool approve,
                                      const std::optional<std::string>& reason);

  // Builds the constituency from all approved claims.
  Result<std::shared_ptr<const routing::Constituency>> BuildConstituency();

 private:
  using ClaimValuesFor =
      std::function<Result<std::vector<std::string>>(const registry::Member& before)>;
  // ReplaceClaims with the list made from the member as it is inside the transaction;
  // `via` names the way in the audit ("list", "unrouted").
  Result<std::vector<registry::Claim>> ChangeClaims(const auth::Principal& who,
                                                    const std::string& code,
                                                    registry::ClaimKind kind,
                                                    const ClaimValuesFor& values_for,
                                                    std::string_view via);
  Status RefreshSnapshot();

  store::Store& store_;
  routing::ConstituencyHolder* snapshot_;
};

// The contract's lookup answer: {"member": "GM0363", "reason": "netblock", "match":
// "192.0.2.0/24"}, with nulls when no member owns the value.
registry::Json LookupToJson(const routing::Constituency& constituency,
                            const std::optional<routing::Match>& match);

// True when two canonical claim values of the same kind overlap (see Overlap).
bool ClaimsOverlap(registry::ClaimKind kind, const std::string& a, const std::string& b);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_REGISTRY_SERVICE_H_
