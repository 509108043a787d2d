#ifndef BAKEN_REGISTRY_MEMBER_H_
#define BAKEN_REGISTRY_MEMBER_H_

// The registry's model: a member of the CERT's constituency and what it registered.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baken::registry {

enum class MemberKind { kGemeente, kSamenwerkingsverband, kPartner };
enum class ContactRole { kGeneral, kTrusted, kPrivacy, kCiso, kOncall };
enum class Criticality { kLow, kMedium, kHigh, kCritical };

// Netblocks, AS numbers and domains decide routing, so each is a claim with a state: a member
// that adds one itself waits for an analyst; only approved claims route.
enum class ClaimKind { kNetblock, kAsn, kDomain };
enum class ClaimState { kPending, kApproved, kRefused };

std::string_view Name(MemberKind kind);
std::string_view Name(ContactRole role);
std::string_view Name(Criticality criticality);
std::string_view Name(ClaimKind kind);
std::string_view Name(ClaimState state);
std::optional<MemberKind> ParseMemberKind(std::string_view text);
std::optional<ContactRole> ParseContactRole(std::string_view text);
std::optional<Criticality> ParseCriticality(std::string_view text);
std::optional<ClaimKind> ParseClaimKind(std::string_view text);
std::optional<ClaimState> ParseClaimState(std::string_view text);

struct Contact {
  std::string name;
  std::string email;
  std::vector<ContactRole> roles;
  std::string language = "nl";  // "nl" or "en": the language of what this contact receives
  // Takes vulnerability warnings and their weekly overview: unset means the default, which is
  // that trusted contacts do (warnings are TLP:AMBER, so only trusted contacts may).
  std::optional<bool> warnings;
  // For a call (on-call duty later): E.164, "+31201234567" (NormalizePhone); unset when none.
  std::optional<std::string> phone;

  bool operator==(const Contact&) const = default;
};

bool HasRole(const Contact& contact, ContactRole role);
bool TakesWarnings(const Contact& contact);

struct Asset {
  std::string name;
  std::string vendor;
  std::string product;
  std::string version;
  std::optional<std::string> cpe;   // CPE 2.3 formatted string
  std::optional<std::string> purl;  // package URL
  Criticality criticality = Criticality::kMedium;
  bool internet_facing = false;

  bool operator==(const Asset&) const = default;
};

// A netblock, AS number or domain that a member says it owns. `value` is canonical: a CIDR
// prefix with host bits zero, the AS number in decimal, or a normalised domain name.
struct Claim {
  int64_t id = 0;
  std::string member;
  ClaimKind kind = ClaimKind::kNetblock;
  std::string value;
  ClaimState state = ClaimState::kPending;
  std::string requested_by;
  std::string requested_at;
  std::optional<std::string> decided_by;
  std::optional<std::string> decided_at;
  std::optional<std::string> reason;  // why it was refused
};

struct Member {
  std::string code;  // e.g. "GM0363"
  std::string name;
  MemberKind kind = MemberKind::kGemeente;
  std::optional<std::string> joined;             // date the member joined, YYYY-MM-DD
  std::vector<std::string> joint_bodies;         // codes of the joint bodies it takes part in
  std::optional<std::string> data_confirmed_at;  // when the member last confirmed its data
  std::vector<Contact> contacts;
  std::vector<Claim> claims;  // netblocks, AS numbers and domains, in every state
  std::vector<Asset> assets;

  // The values of this member's claims of one kind, in one state.
  std::vector<std::string> ClaimValues(ClaimKind claim_kind, ClaimState claim_state) const;
};

}  // namespace baken::registry

#endif  // BAKEN_REGISTRY_MEMBER_H_
