#ifndef BAKEN_STORE_PARTNER_REPOSITORY_H_
#define BAKEN_STORE_PARTNER_REPOSITORY_H_

// The partner directory (decision 0018): suppliers and chain partners with their contacts, the
// vendor names under which their products appear in members' inventories, and which members
// say they use them. Reached through Transaction::Partners().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "registry/scope.h"

namespace baken::store {

struct PartnerContact {
  std::string name;
  std::string email;  // may be empty for a number only
  std::string phone;  // E.164 or empty
  std::string role;   // security, account_manager, oncall
  std::string language = "nl";
  bool operator==(const PartnerContact&) const = default;
};

struct Partner {
  int64_t id = 0;
  std::string name;
  std::string kind = "supplier";  // supplier, chain_partner
  std::string description;
  // The vendor names (with aliases) its products carry in members' inventories, lower case.
  std::vector<std::string> vendor_names;
  std::vector<PartnerContact> contacts;
  std::string created_at;
  std::string updated_at;
};

// A member that uses a partner, and how that is known: an analyst or the member said so, or
// the member's inventory holds a product under one of the partner's vendor names.
struct PartnerUser {
  std::string member;
  std::string member_name;
  std::string source;  // analyst, member, inventory
};

// A notice to a partner about an incident, written by an analyst; `baken notify` makes the
// e-mails to the partner's contacts.
struct PartnerNotice {
  int64_t id = 0;
  int64_t incident_id = 0;
  int64_t partner_id = 0;
  std::string text;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> planned_at;
};

class PartnerRepository {
 public:
  virtual ~PartnerRepository() = default;
  // kConflict when another partner has this name (ASCII case ignored).
  virtual Result<int64_t> Add(const Partner& partner) = 0;
  // Saves every field and replaces the contacts.
  virtual Status Update(const Partner& partner) = 0;
  virtual Result<std::optional<Partner>> Find(int64_t id) = 0;
  // Every partner by name, with its contacts.
  virtual Result<std::vector<Partner>> List() = 0;
  // The members that use the partner, by code; a member known in several ways once, the way
  // someone said so first (analyst, then member, then inventory).
  virtual Result<std::vector<PartnerUser>> Users(int64_t partner_id) = 0;
  // The partners a member in scope said it uses (source analyst or member), by name.
  virtual Result<std::vector<std::pair<Partner, std::string>>> OfMember(
      const registry::Scope& scope, std::string_view member) = 0;
  virtual Result<int64_t> AddNotice(const PartnerNotice& notice) = 0;
  virtual Result<std::vector<PartnerNotice>> UnplannedNotices() = 0;
  // Marks the notice planned; false when another process planned it first.
  virtual Result<bool> MarkNoticePlanned(int64_t id, std::string_view now) = 0;
  // Makes the partners the member said it uses exactly `partner_ids`, as `source` says; the
  // ones the other source named stay.
  virtual Status ReplaceOfMember(std::string_view member, const std::vector<int64_t>& partner_ids,
                                 std::string_view source, std::string_view actor,
                                 std::string_view now) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_PARTNER_REPOSITORY_H_
