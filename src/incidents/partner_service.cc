#include "incidents/partner_service.h"

#include <set>

#include "common/fields.h"
#include "common/quote.h"
#include "common/text.h"
#include "net/email.h"
#include "registry/validation.h"
#include "store/partner_repository.h"

namespace baken::incidents {

namespace {

constexpr std::string_view kPartnerKinds[] = {"supplier", "chain_partner"};
constexpr std::string_view kContactRoles[] = {"security", "account_manager", "oncall"};
constexpr std::string_view kLanguages[] = {"nl", "en"};
constexpr size_t kMaxContacts = 20;
constexpr size_t kMaxVendorNames = 50;

Json ContactJson(const store::PartnerContact& contact) {
  return Json{{"name", contact.name},
              {"email", contact.email.empty() ? Json() : Json(contact.email)},
              {"phone", contact.phone.empty() ? Json() : Json(contact.phone)},
              {"role", contact.role},
              {"language", contact.language}};
}

Json PartnerJson(const store::Partner& partner, bool staff) {
  Json json{{"id", partner.id}, {"name", partner.name}, {"kind", partner.kind}};
  if (!staff) return json;
  Json contacts = Json::array();
  for (const auto& contact : partner.contacts) contacts.push_back(ContactJson(contact));
  json["description"] = partner.description;
  json["vendor_names"] = partner.vendor_names;
  json["contacts"] = std::move(contacts);
  json["created_at"] = partner.created_at;
  json["updated_at"] = partner.updated_at;
  return json;
}

// The contacts of a partner as sent: each with a name, a role, and an address or a number
// (or both), checked by the rules the registry uses for members' contacts.
std::vector<store::PartnerContact> ReadContacts(const Json& list, Fields& fields) {
  std::vector<store::PartnerContact> contacts;
  if (!list.is_array() || list.size() > kMaxContacts) {
    fields.Problem(problems::field_type,
                   {{"field", "contacts"},
                    {"kind", fmt::format("a list of at most {} contacts", kMaxContacts)}});
    return contacts;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("contacts[{}]", i);
    Fields contact_fields(list[i], {"name", "email", "phone", "role", "language"});
    store::PartnerContact contact;
    auto name = contact_fields.Text("name", 200, true);
    auto email = contact_fields.Text("email", 254);
    auto phone = contact_fields.Text("phone", 40);
    auto role = contact_fields.Choice("role", kContactRoles, true);
    auto language = contact_fields.Choice("language", kLanguages);
    if (email && !email->empty() && !net::IsValidEmailAddress(*email)) {
      contact_fields.Problem(problems::field_type,
                             {{"field", "email"}, {"kind", "an e-mail address"}});
    }
    std::optional<std::string> normal_phone;
    if (phone && !phone->empty()) {
      normal_phone = registry::NormalizePhone(*phone);
      if (!normal_phone) {
        contact_fields.Problem(problems::field_type,
                               {{"field", "phone"}, {"kind", "a telephone number (+31…)"}});
      }
    }
    if ((!email || email->empty()) && (!phone || phone->empty())) {
      contact_fields.Problem(problems::field_required, {{"field", "email"}});
    }
    if (auto done = contact_fields.Done(); !done) {
      // Each problem names the contact it is about.
      Error error = done.error();
      std::vector<Error> causes = error.causes.empty() ? std::vector<Error>{error} : error.causes;
      for (Error& cause : causes) fields.Add(At(where, std::move(cause)));
      continue;
    }
    contact.name = *name;
    contact.email = email.value_or("");
    contact.phone = normal_phone.value_or("");
    contact.role = *role;
    contact.language = language.value_or("nl");
    contacts.push_back(std::move(contact));
  }
  return contacts;
}

// Reads the partner's fields into `partner`; `creating` makes name required.
void ReadPartner(const Json& body, Fields& fields, store::Partner& partner, bool creating) {
  if (creating || fields.Has("name")) {
    if (auto name = fields.Text("name", 200, true)) partner.name = *name;
  }
  if (fields.Has("kind")) {
    if (auto kind = fields.Choice("kind", kPartnerKinds, true)) partner.kind = *kind;
  }
  if (fields.Has("description"))
    partner.description = fields.Text("description", 5000).value_or("");
  if (fields.Has("vendor_names")) {
    std::vector<std::string> names = fields.TextList("vendor_names");
    if (names.size() > kMaxVendorNames) {
      fields.Problem(problems::field_type,
                     {{"field", "vendor_names"},
                      {"kind", fmt::format("a list of at most {} names", kMaxVendorNames)}});
    }
    // Inventories are matched without regard to case (store: lower(vendor)).
    std::set<std::string> unique;
    for (const std::string& name : names) {
      if (!name.empty() && !HasControl(name)) unique.insert(AsciiLower(name));
    }
    partner.vendor_names.assign(unique.begin(), unique.end());
  }
  if (fields.Has("contacts")) partner.contacts = ReadContacts(body["contacts"], fields);
}

Status Audit(store::Transaction& tx, const auth::Principal& who, std::string_view now,
             std::string_view action, std::string_view object, const Json& detail) {
  return tx.Audit().Record(store::AuditEntry{0, std::string(now), who.actor, std::string(action),
                                             std::string(object), registry::DumpJson(detail)});
}

tl::unexpected<Error> NoPartner(int64_t id) {
  return NotFound(fmt::format("partner {} does not exist", id));
}

}  // namespace

Result<Json> PartnerService::List(const auth::Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto partners, tx->Partners().List());
  Json list = Json::array();
  for (const auto& partner : partners) list.push_back(PartnerJson(partner, who.IsStaff()));
  return Json{{"partners", std::move(list)}};
}

Result<Json> PartnerService::Get(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto partner, tx->Partners().Find(id));
  if (!partner) return NoPartner(id);
  return PartnerJson(*partner, who.IsStaff());
}

Result<Json> PartnerService::Create(const auth::Principal& who, const Json& body) {
  if (!who.IsStaff()) return PermissionDenied("only analysts keep the partner directory");
  Fields fields(body, {"name", "kind", "description", "vendor_names", "contacts"});
  store::Partner partner;
  ReadPartner(body, fields, partner, true);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  const std::string now = FormatUtc(clock_());
  partner.created_at = now;
  partner.updated_at = now;
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(partner.id, tx->Partners().Add(partner));
  BAKEN_RETURN_IF_ERROR(Audit(*tx, who, now, "partner.create",
                              fmt::format("partner:{}", partner.id), Json{{"name", partner.name}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return PartnerJson(partner, true);
}

Result<Json> PartnerService::Update(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return PermissionDenied("only analysts keep the partner directory");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto found, tx->Partners().Find(id));
  if (!found) return NoPartner(id);
  store::Partner partner = std::move(*found);
  Fields fields(body, {"name", "kind", "description", "vendor_names", "contacts"});
  ReadPartner(body, fields, partner, false);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  const std::string now = FormatUtc(clock_());
  partner.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Partners().Update(partner));
  BAKEN_RETURN_IF_ERROR(Audit(*tx, who, now, "partner.update", fmt::format("partner:{}", id),
                              Json{{"name", partner.name}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return PartnerJson(partner, true);
}

Result<Json> PartnerService::Users(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts see who uses a partner");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto partner, tx->Partners().Find(id));
  if (!partner) return NoPartner(id);
  BAKEN_ASSIGN_OR_RETURN(auto users, tx->Partners().Users(id));
  Json list = Json::array();
  for (const auto& user : users) {
    list.push_back(
        Json{{"member", user.member}, {"member_name", user.member_name}, {"source", user.source}});
  }
  return Json{{"members", std::move(list)}};
}

Result<Json> PartnerService::OfMember(const auth::Principal& who, std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const registry::Scope scope = auth::ScopeFor(who);
  // Outside the scope the member does not exist, as everywhere.
  BAKEN_RETURN_IF_ERROR(tx->Members().Get(scope, member));
  BAKEN_ASSIGN_OR_RETURN(auto partners, tx->Partners().OfMember(scope, member));
  Json list = Json::array();
  for (const auto& [partner, source] : partners) {
    Json item = PartnerJson(partner, false);
    item["source"] = source;
    list.push_back(std::move(item));
  }
  return Json{{"member", std::string(member)}, {"partners", std::move(list)}};
}

Result<Json> PartnerService::SetOfMember(const auth::Principal& who, std::string_view member,
                                         const Json& body) {
  Fields fields(body, {"partners"});
  std::vector<int64_t> ids;
  if (!fields.Has("partners") || !body["partners"].is_array() ||
      body["partners"].size() > kMaxMembersAtOnce) {
    fields.Problem(problems::field_type,
                   {{"field", "partners"}, {"kind", "a list of partner ids"}});
  } else {
    for (size_t i = 0; i < body["partners"].size(); ++i) {
      const Json& id = body["partners"][i];
      if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
        fields.Problem(problems::field_type,
                       {{"field", fmt::format("partners[{}]", i)}, {"kind", "a partner's id"}});
        continue;
      }
      ids.push_back(id.get<int64_t>());
    }
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  const registry::Scope scope = auth::ScopeFor(who);
  BAKEN_RETURN_IF_ERROR(tx->Members().Get(scope, member));
  std::vector<Error> unknown;
  for (size_t i = 0; i < ids.size(); ++i) {
    BAKEN_ASSIGN_OR_RETURN(auto partner, tx->Partners().Find(ids[i]));
    if (!partner) {
      unknown.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_link_unknown,
                              {{"kind", "partner"}, {"value", std::to_string(ids[i])}}));
    }
  }
  if (!unknown.empty()) return Invalid(unknown);
  const std::string now = FormatUtc(clock_());
  BAKEN_RETURN_IF_ERROR(tx->Partners().ReplaceOfMember(
      member, ids, who.IsStaff() ? "analyst" : "member", who.actor, now));
  BAKEN_RETURN_IF_ERROR(Audit(*tx, who, now, "partners.replace", member, Json{{"partners", ids}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return OfMember(who, member);
}

}  // namespace baken::incidents
