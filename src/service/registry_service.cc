#include "service/registry_service.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/problem_codes.h"
#include "common/time.h"
#include "net/domain.h"
#include "net/ip_address.h"
#include "registry/member_json.h"
#include "registry/validation.h"
#include "service/audit.h"

namespace baken::service {

using registry::Claim;
using registry::ClaimKind;
using registry::ClaimState;
using registry::Member;

namespace {

Status RequireStaff(const auth::Principal& who) {
  if (!who.IsStaff()) return PermissionDenied("only analysts and admins may do this");
  return {};
}

// Conflicts between values about to be approved for `code` and other members' approved claims.
std::vector<std::string> Clashes(const std::vector<Claim>& approved, const std::string& code,
                                 ClaimKind kind, const std::vector<std::string>& values) {
  std::vector<std::string> clashes;
  for (const std::string& value : values) {
    for (const Claim& claim : approved) {
      if (claim.kind == kind && claim.value == value && claim.member != code) {
        clashes.push_back(fmt::format("{}: {} '{}' is already registered for {}", code,
                                      registry::Name(kind), value, claim.member));
      }
    }
  }
  return clashes;
}

std::string JoinSentences(const std::vector<std::string>& sentences) {
  std::string joined;
  for (const auto& sentence : sentences) {
    if (!joined.empty()) joined += "; ";
    joined += sentence;
  }
  return joined;
}

// What a member's users see of who asked for and decided their claims: their own member's
// users by address, the CERT's people (analysts, admins, the command line) as kCertActor, never
// an analyst's address. Staff see everything as it is.
Status HideStaffActors(store::Transaction& tx, const auth::Principal& who,
                       std::vector<Claim>* claims) {
  if (who.IsStaff()) return {};
  std::map<std::string, bool> own_user;  // requested_by -> a user of the claim's member
  for (Claim& claim : *claims) {
    if (claim.decided_by) claim.decided_by = std::string(kCertActor);
    const std::string key = claim.member + '\n' + claim.requested_by;
    auto known = own_user.find(key);
    if (known == own_user.end()) {
      bool own = false;
      constexpr std::string_view kUserPrefix = "user:";
      if (claim.requested_by.starts_with(kUserPrefix)) {
        BAKEN_ASSIGN_OR_RETURN(
            const std::optional<store::User> user,
            tx.Accounts().FindUserByEmail(claim.requested_by.substr(kUserPrefix.size())));
        own = user && user->role == store::Role::kMember && user->member == claim.member;
      }
      known = own_user.emplace(key, own).first;
    }
    if (!known->second) claim.requested_by = std::string(kCertActor);
  }
  return {};
}

}  // namespace

bool ClaimsOverlap(ClaimKind kind, const std::string& a, const std::string& b) {
  switch (kind) {
    case ClaimKind::kNetblock: {
      auto left = net::ParsePrefix(a);
      auto right = net::ParsePrefix(b);
      return left && right && left->Overlaps(*right);
    }
    case ClaimKind::kAsn:
      return a == b;
    case ClaimKind::kDomain:
      return net::IsDomainOrSubdomain(a, b) || net::IsDomainOrSubdomain(b, a);
  }
  return false;
}

registry::Json LookupToJson(const routing::Constituency& constituency,
                            const std::optional<routing::Match>& match) {
  if (!match) return registry::Json{{"member", nullptr}, {"reason", nullptr}, {"match", nullptr}};
  return registry::Json{{"member", constituency.MemberCode(*match)},
                        {"reason", routing::EvidenceName(match->reason)},
                        {"match", constituency.DescribeClaim(*match)}};
}

RegistryService::RegistryService(store::Store& store, routing::ConstituencyHolder* snapshot)
    : store_(store), snapshot_(snapshot) {}

Result<ImportSummary> RegistryService::ImportMembers(const auth::Principal& who,
                                                     const std::vector<Member>& members) {
  BAKEN_RETURN_IF_ERROR(RequireStaff(who));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  auto& repository = tx->Members();
  BAKEN_ASSIGN_OR_RETURN(auto approved, repository.ApprovedClaims());
  // A value may move between members listed in the same file; only members outside it clash.
  std::vector<Claim> outside;
  for (Claim& claim : approved) {
    const bool in_file = std::any_of(members.begin(), members.end(),
                                     [&](const Member& m) { return m.code == claim.member; });
    if (!in_file) outside.push_back(std::move(claim));
  }
  std::vector<std::string> clashes;
  for (const Member& member : members) {
    for (ClaimKind kind : {ClaimKind::kNetblock, ClaimKind::kAsn, ClaimKind::kDomain}) {
      auto found =
          Clashes(outside, member.code, kind, member.ClaimValues(kind, ClaimState::kApproved));
      clashes.insert(clashes.end(), found.begin(), found.end());
    }
  }
  if (!clashes.empty()) return Conflict(JoinSentences(clashes));

  // A value may move between members of the file: first withdraw what each member no longer
  // holds, so that the one-owner rule never sees two approved owners at once.
  for (const Member& member : members) {
    for (ClaimKind kind : {ClaimKind::kNetblock, ClaimKind::kAsn, ClaimKind::kDomain}) {
      BAKEN_RETURN_IF_ERROR(repository.RetainApprovedClaims(
          member.code, kind, member.ClaimValues(kind, ClaimState::kApproved)));
    }
  }

  ImportSummary summary;
  const std::string now = NowUtc();
  for (const Member& member : members) {
    auto before = repository.Get(registry::Scope::All(), member.code);
    if (!before && before.error().code != ErrorCode::kNotFound) {
      return tl::unexpected(before.error());
    }
    const std::string before_json =
        before ? registry::DumpJson(registry::MemberToJson(*before, registry::ClaimStyle::kValues))
               : "";
    BAKEN_RETURN_IF_ERROR(repository.Upsert(member, who.actor, now));
    BAKEN_ASSIGN_OR_RETURN(Member after, repository.Get(registry::Scope::All(), member.code));
    const std::string after_json =
        registry::DumpJson(registry::MemberToJson(after, registry::ClaimStyle::kValues));
    if (!before) {
      ++summary.created;
    } else if (before_json == after_json) {
      ++summary.unchanged;
      continue;
    } else {
      ++summary.updated;
    }
    BAKEN_RETURN_IF_ERROR(
        RecordAudit(*tx, who, before ? "member.update" : "member.create", member.code,
                    registry::MemberToJson(after, registry::ClaimStyle::kValues)));
  }
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  BAKEN_RETURN_IF_ERROR(RefreshSnapshot());
  return summary;
}

Result<std::vector<Member>> RegistryService::ListMembers(const auth::Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(std::vector<Member> members, tx->Members().List(auth::ScopeFor(who)));
  for (Member& member : members) {
    BAKEN_RETURN_IF_ERROR(HideStaffActors(*tx, who, &member.claims));
  }
  return members;
}

Result<MemberPage> RegistryService::FindMembers(const auth::Principal& who,
                                                const store::MemberQuery& query) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const registry::Scope scope = auth::ScopeFor(who);
  MemberPage page;
  BAKEN_ASSIGN_OR_RETURN(page.members, tx->Members().Search(scope, query));
  for (Member& member : page.members) {
    BAKEN_RETURN_IF_ERROR(HideStaffActors(*tx, who, &member.claims));
  }
  BAKEN_ASSIGN_OR_RETURN(page.total, tx->Members().Count(scope, query));
  return page;
}

Result<Member> RegistryService::GetMember(const auth::Principal& who, const std::string& code) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(Member member, tx->Members().Get(auth::ScopeFor(who), code));
  BAKEN_RETURN_IF_ERROR(HideStaffActors(*tx, who, &member.claims));
  return member;
}

Status RegistryService::ReplaceContacts(const auth::Principal& who, const std::string& code,
                                        const std::vector<registry::Contact>& contacts) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(tx->Members().Get(auth::ScopeFor(who), code));
  BAKEN_RETURN_IF_ERROR(tx->Members().ReplaceContacts(code, contacts));
  registry::Json detail = registry::Json::array();
  for (const auto& contact : contacts) detail.push_back(registry::ContactToJson(contact));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "contacts.replace", code, detail));
  return tx->Commit();
}

Status RegistryService::ReplaceAssets(const auth::Principal& who, const std::string& code,
                                      const std::vector<registry::Asset>& assets) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(tx->Members().Get(auth::ScopeFor(who), code));
  BAKEN_RETURN_IF_ERROR(tx->Members().ReplaceAssets(code, assets));
  registry::Json detail = registry::Json::array();
  for (const auto& asset : assets) detail.push_back(registry::AssetToJson(asset));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "assets.replace", code, detail));
  return tx->Commit();
}

Result<std::vector<Claim>> RegistryService::ReplaceClaims(const auth::Principal& who,
                                                          const std::string& code, ClaimKind kind,
                                                          const std::vector<std::string>& values) {
  return ChangeClaims(
      who, code, kind, [&](const Member&) -> Result<std::vector<std::string>> { return values; },
      "list");
}

Result<std::vector<Claim>> RegistryService::AssignClaim(const auth::Principal& who,
                                                        const std::string& code, ClaimKind kind,
                                                        std::string_view value) {
  BAKEN_RETURN_IF_ERROR(RequireStaff(who));
  BAKEN_ASSIGN_OR_RETURN(const std::string canonical, registry::CanonicalClaimValue(kind, value));
  return ChangeClaims(
      who, code, kind,
      [&](const Member& before) -> Result<std::vector<std::string>> {
        std::vector<std::string> values;
        for (const Claim& claim : before.claims) {
          if (claim.kind != kind) continue;
          // A held value keeps its state whatever a list says (decision 0003): a pending or
          // refused one is decided on the claims page, not assigned over.
          if (claim.value == canonical) {
            return tl::unexpected<Error>(Coded(ErrorCode::kConflict, problems::claim_already_held,
                                               {{"member", code}, {"value", canonical}}));
          }
          values.push_back(claim.value);
        }
        values.push_back(canonical);
        return values;
      },
      "unrouted");
}

Result<std::vector<Claim>> RegistryService::ChangeClaims(const auth::Principal& who,
                                                         const std::string& code, ClaimKind kind,
                                                         const ClaimValuesFor& values_for,
                                                         std::string_view via) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  auto& repository = tx->Members();
  BAKEN_ASSIGN_OR_RETURN(Member before, repository.Get(auth::ScopeFor(who), code));
  BAKEN_ASSIGN_OR_RETURN(const std::vector<std::string> values, values_for(before));
  // Only values the member does not hold yet are new: a listed claim keeps its state whoever
  // sends the list (decision 0003), so a refused value sent back stays refused.
  std::vector<std::string> added;
  for (const std::string& value : values) {
    const bool held = std::any_of(before.claims.begin(), before.claims.end(), [&](const Claim& c) {
      return c.kind == kind && c.value == value;
    });
    if (!held) added.push_back(value);
  }
  const bool staff = who.IsStaff();
  std::vector<Claim> approved;
  if (staff) {
    BAKEN_ASSIGN_OR_RETURN(approved, repository.ApprovedClaims());
    auto clashes = Clashes(approved, code, kind, added);
    if (!clashes.empty()) return Conflict(JoinSentences(clashes));
  }
  const std::string now = NowUtc();
  BAKEN_RETURN_IF_ERROR(repository.ReplaceClaims(
      code, kind, values, staff ? ClaimState::kApproved : ClaimState::kPending, who.actor, now));
  registry::Json detail = values;
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, fmt::format("{}s.replace", registry::Name(kind)), code, detail));
  BAKEN_ASSIGN_OR_RETURN(Member member, repository.Get(registry::Scope::All(), code));
  if (!staff) {
    const auto pending_count = [](const Member& m) {
      return std::count_if(m.claims.begin(), m.claims.end(),
                           [](const Claim& c) { return c.state == ClaimState::kPending; });
    };
    const auto pending = pending_count(member);
    if (pending > kMaxPendingClaims && pending > pending_count(before)) {
      return Conflict(fmt::format(
          "{}: at most {} netblocks, AS numbers and domains together may wait for an analyst; "
          "this list would make {} wait. Wait for the analysts' decisions, or send fewer new "
          "values",
          code, kMaxPendingClaims, pending));
    }
  }
  if (staff) {
    // A value staff add is approved at once: the same decision as approving a claim, with the
    // same one-owner check above and its own audit entry, naming what it overlaps.
    for (const Claim& claim : member.claims) {
      if (claim.kind != kind || std::find(added.begin(), added.end(), claim.value) == added.end()) {
        continue;
      }
      registry::Json overlaps = registry::Json::array();
      for (const Claim& other : approved) {
        if (other.member != code && other.kind == kind &&
            ClaimsOverlap(kind, claim.value, other.value)) {
          overlaps.push_back(registry::Json{{"member", other.member}, {"value", other.value}});
        }
      }
      BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "claim.approve",
                                        fmt::format("claim:{}", claim.id),
                                        registry::Json{{"member", code},
                                                       {"kind", registry::Name(kind)},
                                                       {"value", claim.value},
                                                       {"via", via},
                                                       {"overlaps", std::move(overlaps)}}));
    }
  }
  std::vector<Claim> claims;
  for (Claim& claim : member.claims) {
    if (claim.kind == kind) claims.push_back(std::move(claim));
  }
  BAKEN_RETURN_IF_ERROR(HideStaffActors(*tx, who, &claims));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  BAKEN_RETURN_IF_ERROR(RefreshSnapshot());
  return claims;
}

Status RegistryService::ConfirmData(const auth::Principal& who, const std::string& code) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(tx->Members().Get(auth::ScopeFor(who), code));
  const std::string now = NowUtc();
  BAKEN_RETURN_IF_ERROR(tx->Members().ConfirmData(code, now));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "member.confirm", code, registry::Json{{"at", now}}));
  return tx->Commit();
}

Result<std::vector<ClaimReview>> RegistryService::ReviewClaims(const auth::Principal& who,
                                                               std::optional<ClaimState> state) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto claims, tx->Members().ListClaims(auth::ScopeFor(who), state));
  BAKEN_RETURN_IF_ERROR(HideStaffActors(*tx, who, &claims));
  std::vector<Claim> approved;
  if (who.IsStaff()) {
    BAKEN_ASSIGN_OR_RETURN(approved, tx->Members().ApprovedClaims());
  }
  std::vector<ClaimReview> reviews;
  for (Claim& claim : claims) {
    ClaimReview review;
    for (const Claim& other : approved) {
      if (other.member != claim.member && other.kind == claim.kind &&
          ClaimsOverlap(claim.kind, claim.value, other.value)) {
        review.overlaps.push_back(Overlap{other.member, other.value});
      }
    }
    review.claim = std::move(claim);
    reviews.push_back(std::move(review));
  }
  return reviews;
}

Result<Claim> RegistryService::DecideClaim(const auth::Principal& who, int64_t id, bool approve,
                                           const std::optional<std::string>& reason) {
  BAKEN_RETURN_IF_ERROR(RequireStaff(who));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  auto& repository = tx->Members();
  BAKEN_ASSIGN_OR_RETURN(Claim claim, repository.GetClaim(registry::Scope::All(), id));
  if (approve) {
    BAKEN_ASSIGN_OR_RETURN(auto approved, repository.ApprovedClaims());
    auto clashes = Clashes(approved, claim.member, claim.kind, {claim.value});
    if (!clashes.empty()) return Conflict(JoinSentences(clashes));
  } else if (!reason || reason->empty()) {
    return InvalidArgument("a refusal needs a reason, which the member will see");
  }
  const ClaimState state = approve ? ClaimState::kApproved : ClaimState::kRefused;
  BAKEN_RETURN_IF_ERROR(
      repository.DecideClaim(id, state, approve ? std::nullopt : reason, who.actor, NowUtc()));
  registry::Json detail{
      {"member", claim.member}, {"kind", registry::Name(claim.kind)}, {"value", claim.value}};
  if (reason) detail["reason"] = *reason;
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, approve ? "claim.approve" : "claim.refuse",
                                    fmt::format("claim:{}", id), detail));
  BAKEN_ASSIGN_OR_RETURN(Claim decided, repository.GetClaim(registry::Scope::All(), id));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  BAKEN_RETURN_IF_ERROR(RefreshSnapshot());
  return decided;
}

Result<std::shared_ptr<const routing::Constituency>> RegistryService::BuildConstituency() {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto approved, tx->Members().ApprovedClaims());
  routing::Constituency::Builder builder;
  for (const Claim& claim : approved) {
    switch (claim.kind) {
      case ClaimKind::kNetblock: {
        auto prefix = net::ParsePrefix(claim.value);
        if (!prefix) return Internal(fmt::format("stored netblock '{}' is invalid", claim.value));
        builder.AddNetblock(*prefix, claim.member);
        break;
      }
      case ClaimKind::kAsn:
        builder.AddAsn(static_cast<uint32_t>(std::stoul(claim.value)), claim.member);
        break;
      case ClaimKind::kDomain:
        builder.AddDomain(claim.value, claim.member);
        break;
    }
  }
  return std::move(builder).Build();
}

Status RegistryService::RefreshSnapshot() {
  if (snapshot_ == nullptr) return {};
  BAKEN_ASSIGN_OR_RETURN(auto constituency, BuildConstituency());
  snapshot_->Set(std::move(constituency));
  return {};
}

}  // namespace baken::service
