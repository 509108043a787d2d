#include "registry/member.h"

#include <algorithm>
#include <array>
#include <utility>

namespace baken::registry {

namespace {

// One table per enum keeps Name and Parse in step.
template <typename Enum, size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<MemberKind, 3> kMemberKinds{
    {{MemberKind::kGemeente, "gemeente"},
     {MemberKind::kSamenwerkingsverband, "samenwerkingsverband"},
     {MemberKind::kPartner, "partner"}}};
constexpr NameTable<ContactRole, 5> kContactRoles{{{ContactRole::kGeneral, "general"},
                                                   {ContactRole::kTrusted, "trusted"},
                                                   {ContactRole::kPrivacy, "privacy"},
                                                   {ContactRole::kCiso, "ciso"},
                                                   {ContactRole::kOncall, "oncall"}}};
constexpr NameTable<Criticality, 4> kCriticalities{{{Criticality::kLow, "low"},
                                                    {Criticality::kMedium, "medium"},
                                                    {Criticality::kHigh, "high"},
                                                    {Criticality::kCritical, "critical"}}};
constexpr NameTable<ClaimKind, 3> kClaimKinds{
    {{ClaimKind::kNetblock, "netblock"}, {ClaimKind::kAsn, "asn"}, {ClaimKind::kDomain, "domain"}}};
constexpr NameTable<ClaimState, 3> kClaimStates{{{ClaimState::kPending, "pending"},
                                                 {ClaimState::kApproved, "approved"},
                                                 {ClaimState::kRefused, "refused"}}};

template <typename Enum, size_t N>
std::string_view NameIn(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "?";
}

template <typename Enum, size_t N>
std::optional<Enum> ParseIn(const NameTable<Enum, N>& table, std::string_view text) {
  for (const auto& [candidate, name] : table) {
    if (name == text) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(MemberKind kind) { return NameIn(kMemberKinds, kind); }
std::string_view Name(ContactRole role) { return NameIn(kContactRoles, role); }
std::string_view Name(Criticality criticality) { return NameIn(kCriticalities, criticality); }
std::string_view Name(ClaimKind kind) { return NameIn(kClaimKinds, kind); }
std::string_view Name(ClaimState state) { return NameIn(kClaimStates, state); }

std::optional<MemberKind> ParseMemberKind(std::string_view text) {
  return ParseIn(kMemberKinds, text);
}
std::optional<ContactRole> ParseContactRole(std::string_view text) {
  return ParseIn(kContactRoles, text);
}

bool HasRole(const Contact& contact, ContactRole role) {
  return std::find(contact.roles.begin(), contact.roles.end(), role) != contact.roles.end();
}

bool TakesWarnings(const Contact& contact) {
  return contact.warnings.value_or(HasRole(contact, ContactRole::kTrusted));
}
std::optional<Criticality> ParseCriticality(std::string_view text) {
  return ParseIn(kCriticalities, text);
}
std::optional<ClaimKind> ParseClaimKind(std::string_view text) {
  return ParseIn(kClaimKinds, text);
}
std::optional<ClaimState> ParseClaimState(std::string_view text) {
  return ParseIn(kClaimStates, text);
}

std::vector<std::string> Member::ClaimValues(ClaimKind claim_kind, ClaimState claim_state) const {
  std::vector<std::string> values;
  for (const Claim& claim : claims) {
    if (claim.kind == claim_kind && claim.state == claim_state) values.push_back(claim.value);
  }
  return values;
}

}  // namespace baken::registry
