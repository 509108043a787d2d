#include "registry/member_json.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/time.h"
#include "registry/validation.h"

namespace baken::registry {

namespace {

// Collects problems under a path prefix, e.g. "GM0363: contacts[2].email".
class ProblemSink {
 public:
  explicit ProblemSink(Problems* problems) : problems_(problems) {}
  // A problem only the CERT's operators read (a member file on the command line).
  void Add(std::string_view where, std::string_view what) {
    problems_->push_back(At(where, Error{ErrorCode::kInvalidArgument, std::string(what)}));
  }
  // A problem a member may read in the portal: coded, so it is shown in their language.
  void Add(std::string_view where, const ProblemCode& code, ProblemParams params = {}) {
    problems_->push_back(At(where, Coded(ErrorCode::kInvalidArgument, code, std::move(params))));
  }
  void Add(std::string_view where, Error error) {
    problems_->push_back(At(where, std::move(error)));
  }
  void AddAll(const Problems& problems) {
    problems_->insert(problems_->end(), problems.begin(), problems.end());
  }
  size_t count() const { return problems_->size(); }

 private:
  Problems* problems_;
};

// A JSON value as a problem's value: a string as it is, anything else as JSON.
std::string ValueText(const Json& value) {
  return value.is_string() ? value.get<std::string>() : DumpJson(value);
}

// Unknown keys are refused: a misspelt "netblock" must not silently drop a member's ranges.
void CheckKeys(const Json& object, std::initializer_list<std::string_view> allowed,
               std::string_view where, ProblemSink& sink) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) sink.Add(where, problems::field_unknown, {{"field", key}});
  }
}

// A required (or optional) string field; problems are added to sink.
std::optional<std::string> StringField(const Json& object, std::string_view key,
                                       std::string_view where, ProblemSink& sink, bool required) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) sink.Add(where, problems::field_missing, {{"field", std::string(key)}});
    return std::nullopt;
  }
  if (!found->is_string()) {
    sink.Add(where, problems::field_not_string,
             {{"field", std::string(key)}, {"value", ValueText(*found)}});
    return std::nullopt;
  }
  std::string value = found->get<std::string>();
  if (required && value.empty()) {
    sink.Add(where, problems::field_empty, {{"field", std::string(key)}});
    return std::nullopt;
  }
  return value;
}

const Json* ArrayField(const Json& object, std::string_view key, std::string_view where,
                       ProblemSink& sink) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return nullptr;
  if (!found->is_array()) {
    sink.Add(where, problems::field_not_array, {{"field", std::string(key)}});
    return nullptr;
  }
  return &*found;
}

std::optional<Contact> ContactFromJson(const Json& json, std::string_view where,
                                       ProblemSink& sink) {
  if (!json.is_object()) {
    sink.Add(where, problems::field_not_object, {{"field", "contact"}});
    return std::nullopt;
  }
  const size_t before = sink.count();
  CheckKeys(json, {"name", "email", "roles", "language", "warnings", "phone"}, where, sink);
  Contact contact;
  contact.name = StringField(json, "name", where, sink, true).value_or("");
  contact.email = StringField(json, "email", where, sink, true).value_or("");
  if (!contact.email.empty() && !IsValidEmail(contact.email)) {
    sink.Add(where, problems::contact_email_invalid, {{"value", contact.email}});
  }
  if (auto language = StringField(json, "language", where, sink, false)) {
    contact.language = *language;
    if (!IsSupportedLanguage(contact.language)) {
      sink.Add(where, problems::contact_language_unknown, {{"value", *language}});
    }
  }
  if (const auto found = json.find("phone"); found != json.end() && !found->is_null()) {
    const std::optional<std::string> phone =
        found->is_string() ? NormalizePhone(found->get<std::string>()) : std::nullopt;
    if (!phone) {
      sink.Add(where, problems::contact_phone_invalid, {{"value", ValueText(*found)}});
    } else {
      contact.phone = phone;
    }
  }
  const Json* roles = ArrayField(json, "roles", where, sink);
  if (roles == nullptr || roles->empty()) {
    sink.Add(where, problems::contact_no_role);
  } else {
    for (const Json& role : *roles) {
      const auto parsed =
          role.is_string() ? ParseContactRole(role.get<std::string>()) : std::nullopt;
      if (!parsed) {
        sink.Add(where, problems::contact_role_unknown, {{"value", ValueText(role)}});
      } else if (std::find(contact.roles.begin(), contact.roles.end(), *parsed) ==
                 contact.roles.end()) {
        contact.roles.push_back(*parsed);
      }
    }
  }
  if (const auto found = json.find("warnings"); found != json.end() && !found->is_null()) {
    if (!found->is_boolean()) {
      sink.Add(where, problems::field_not_boolean,
               {{"field", "warnings"}, {"value", ValueText(*found)}});
    } else {
      contact.warnings = found->get<bool>();
      if (*contact.warnings && !HasRole(contact, ContactRole::kTrusted)) {
        sink.Add(where, problems::contact_warnings_need_trusted);
      }
    }
  }
  if (sink.count() != before) return std::nullopt;
  return contact;
}

bool IsPlausibleCpe(std::string_view cpe) {
  if (cpe.rfind("cpe:2.3:", 0) != 0) return false;
  // 13 colon-separated components; escaped colons ("\:") do not separate.
  int components = 1;
  for (size_t i = 0; i < cpe.size(); ++i) {
    if (cpe[i] == '\\') {
      ++i;
    } else if (cpe[i] == ':') {
      ++components;
    }
  }
  return components == 13 && (cpe[8] == 'a' || cpe[8] == 'o' || cpe[8] == 'h' || cpe[8] == '*');
}

bool IsPlausiblePurl(std::string_view purl) {
  if (purl.rfind("pkg:", 0) != 0) return false;
  const size_t slash = purl.find('/', 4);
  return slash != std::string_view::npos && slash > 4 && slash + 1 < purl.size();
}

std::optional<Asset> ReadAsset(const Json& json, std::string_view where, ProblemSink& sink) {
  if (!json.is_object()) {
    sink.Add(where, problems::field_not_object, {{"field", "asset"}});
    return std::nullopt;
  }
  const size_t before = sink.count();
  CheckKeys(
      json,
      {"name", "vendor", "product", "version", "cpe", "purl", "criticality", "internet_facing"},
      where, sink);
  Asset asset;
  asset.name = StringField(json, "name", where, sink, true).value_or("");
  asset.vendor = StringField(json, "vendor", where, sink, true).value_or("");
  asset.product = StringField(json, "product", where, sink, true).value_or("");
  asset.version = StringField(json, "version", where, sink, false).value_or("");
  asset.cpe = StringField(json, "cpe", where, sink, false);
  if (asset.cpe && asset.cpe->empty()) asset.cpe.reset();
  if (asset.cpe && !IsPlausibleCpe(*asset.cpe)) {
    sink.Add(where, problems::asset_cpe_invalid, {{"value", *asset.cpe}});
  }
  asset.purl = StringField(json, "purl", where, sink, false);
  if (asset.purl && asset.purl->empty()) asset.purl.reset();
  if (asset.purl && !IsPlausiblePurl(*asset.purl)) {
    sink.Add(where, problems::asset_purl_invalid, {{"value", *asset.purl}});
  }
  if (auto criticality = StringField(json, "criticality", where, sink, false)) {
    if (auto parsed = ParseCriticality(*criticality)) {
      asset.criticality = *parsed;
    } else {
      sink.Add(where, problems::asset_criticality_unknown, {{"value", *criticality}});
    }
  }
  if (const auto found = json.find("internet_facing"); found != json.end() && !found->is_null()) {
    if (found->is_boolean()) {
      asset.internet_facing = found->get<bool>();
    } else {
      sink.Add(where, problems::field_not_boolean,
               {{"field", "internet_facing"}, {"value", ValueText(*found)}});
    }
  }
  if (sink.count() != before) return std::nullopt;
  return asset;
}

// A claim value as written in JSON: strings for all kinds, and numbers for AS numbers.
std::optional<std::string> ClaimValueFromJson(ClaimKind kind, const Json& json,
                                              std::string_view where, ProblemSink& sink) {
  std::string text;
  if (json.is_string()) {
    text = json.get<std::string>();
  } else if (kind == ClaimKind::kAsn && json.is_number_unsigned()) {
    text = std::to_string(json.get<uint64_t>());
  } else {
    sink.Add(where, problems::claim_not_kind,
             {{"value", ValueText(json)}, {"kind", std::string(Name(kind))}});
    return std::nullopt;
  }
  auto canonical = CanonicalClaimValue(kind, text);
  if (!canonical) {
    sink.Add(where, std::move(canonical.error()));
    return std::nullopt;
  }
  return *canonical;
}

std::string_view ClaimListKey(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::kNetblock:
      return "netblocks";
    case ClaimKind::kAsn:
      return "asns";
    case ClaimKind::kDomain:
      return "domains";
  }
  return "";
}

constexpr ClaimKind kAllClaimKinds[] = {ClaimKind::kNetblock, ClaimKind::kAsn, ClaimKind::kDomain};

std::optional<Member> MemberFromJson(const Json& json, std::string_view where, ProblemSink& sink) {
  if (!json.is_object()) {
    sink.Add(where, "a member must be an object");
    return std::nullopt;
  }
  const size_t before = sink.count();
  Member member;
  auto code = StringField(json, "code", where, sink, true);
  if (code && !IsValidMemberCode(*code)) {
    sink.Add(where, fmt::format("code {} is not a member code (two capital letters and four "
                                "digits, e.g. GM0363)",
                                Quote(*code)));
    code.reset();
  }
  // From here on, problems name the member by its code.
  const std::string label = code ? *code : std::string(where);
  member.code = code.value_or("");
  CheckKeys(json,
            {"code", "name", "kind", "joined", "joint_bodies", "data_confirmed_at", "contacts",
             "netblocks", "asns", "domains", "assets"},
            label, sink);
  member.name = StringField(json, "name", label, sink, true).value_or("");
  if (auto kind = StringField(json, "kind", label, sink, true)) {
    if (auto parsed = ParseMemberKind(*kind)) {
      member.kind = *parsed;
      if (code && member.kind == MemberKind::kGemeente && code->rfind("GM", 0) != 0) {
        sink.Add(label, "a gemeente has a CBS code that starts with GM");
      }
    } else {
      sink.Add(label, fmt::format("kind {} is unknown (use gemeente, samenwerkingsverband, "
                                  "partner)",
                                  Quote(*kind)));
    }
  }
  member.joined = StringField(json, "joined", label, sink, false);
  if (member.joined && !IsValidDate(*member.joined)) {
    sink.Add(label, fmt::format("joined {} is not a date (YYYY-MM-DD)", Quote(*member.joined)));
  }
  member.data_confirmed_at = StringField(json, "data_confirmed_at", label, sink, false);
  if (member.data_confirmed_at && !IsValidDateOrUtcTimestamp(*member.data_confirmed_at)) {
    sink.Add(label, fmt::format("data_confirmed_at {} is not a date or UTC time "
                                "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
                                Quote(*member.data_confirmed_at)));
  }
  if (const Json* bodies = ArrayField(json, "joint_bodies", label, sink)) {
    for (const Json& body : *bodies) {
      if (body.is_string() && IsValidMemberCode(body.get<std::string>())) {
        const std::string body_code = body.get<std::string>();
        if (std::find(member.joint_bodies.begin(), member.joint_bodies.end(), body_code) !=
            member.joint_bodies.end()) {
          sink.Add(label, fmt::format("joint_bodies: '{}' is listed twice", body_code));
        } else {
          member.joint_bodies.push_back(body_code);
        }
      } else {
        sink.Add(label,
                 fmt::format("joint_bodies: {} is not a member code", Quote(ValueText(body))));
      }
    }
  }
  if (const Json* contacts = ArrayField(json, "contacts", label, sink)) {
    if (auto parsed = ContactsFromJson(*contacts, fmt::format("{}: contacts", label))) {
      member.contacts = std::move(*parsed);
    } else {
      sink.AddAll(parsed.error());
    }
  }
  for (ClaimKind kind : kAllClaimKinds) {
    const std::string_view key = ClaimListKey(kind);
    if (const Json* values = ArrayField(json, key, label, sink)) {
      auto parsed = ClaimValuesFromJson(kind, *values, fmt::format("{}: {}", label, key));
      if (!parsed) {
        sink.AddAll(parsed.error());
        continue;
      }
      for (std::string& value : *parsed) {
        Claim claim;
        claim.member = member.code;
        claim.kind = kind;
        claim.value = std::move(value);
        claim.state = ClaimState::kApproved;
        member.claims.push_back(std::move(claim));
      }
    }
  }
  if (const Json* assets = ArrayField(json, "assets", label, sink)) {
    if (auto parsed = AssetsFromJson(*assets, fmt::format("{}: assets", label))) {
      member.assets = std::move(*parsed);
    } else {
      sink.AddAll(parsed.error());
    }
  }
  if (sink.count() != before) return std::nullopt;
  return member;
}

}  // namespace

tl::expected<std::vector<Contact>, Problems> ContactsFromJson(const Json& json,
                                                              std::string_view where) {
  Problems problems;
  ProblemSink sink(&problems);
  if (!json.is_array()) {
    sink.Add(where, "must be an array of contacts");
    return tl::unexpected(problems);
  }
  std::vector<Contact> contacts;
  std::set<std::string> emails;
  for (size_t i = 0; i < json.size(); ++i) {
    const std::string place = fmt::format("{}[{}]", where, i);
    auto contact = ContactFromJson(json[i], place, sink);
    if (!contact) continue;
    if (!emails.insert(contact->email).second) {
      sink.Add(place, problems::contact_email_twice, {{"value", contact->email}});
      continue;
    }
    contacts.push_back(std::move(*contact));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return contacts;
}

tl::expected<std::vector<Asset>, Problems> AssetsFromJson(const Json& json,
                                                          std::string_view where) {
  Problems problems;
  ProblemSink sink(&problems);
  if (!json.is_array()) {
    sink.Add(where, "must be an array of assets");
    return tl::unexpected(problems);
  }
  std::vector<Asset> assets;
  std::set<std::string> names;
  for (size_t i = 0; i < json.size(); ++i) {
    const std::string place = fmt::format("{}[{}]", where, i);
    auto asset = ReadAsset(json[i], place, sink);
    if (!asset) continue;
    // Warnings name the asset, so a name must say which system is meant.
    if (!names.insert(asset->name).second) {
      sink.Add(place, problems::asset_name_twice, {{"value", asset->name}});
      continue;
    }
    assets.push_back(std::move(*asset));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return assets;
}

tl::expected<Asset, Problems> AssetFromJson(const Json& json, std::string_view where) {
  Problems problems;
  ProblemSink sink(&problems);
  auto asset = ReadAsset(json, where, sink);
  if (!asset) return tl::unexpected(problems);
  return *asset;
}

tl::expected<std::vector<std::string>, Problems> ClaimValuesFromJson(ClaimKind kind,
                                                                     const Json& json,
                                                                     std::string_view where) {
  Problems problems;
  ProblemSink sink(&problems);
  if (!json.is_array()) {
    sink.Add(where, fmt::format("must be an array of {}s", Name(kind)));
    return tl::unexpected(problems);
  }
  std::vector<std::string> values;
  std::set<std::string> seen;
  for (size_t i = 0; i < json.size(); ++i) {
    const std::string place = fmt::format("{}[{}]", where, i);
    auto value = ClaimValueFromJson(kind, json[i], place, sink);
    if (!value) continue;
    if (!seen.insert(*value).second) {
      sink.Add(place, problems::claim_listed_twice,
               {{"kind", std::string(Name(kind))}, {"value", *value}});
      continue;
    }
    values.push_back(std::move(*value));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return values;
}

tl::expected<std::vector<Member>, Problems> ParseMemberFile(std::string_view text) {
  Problems problems;
  ProblemSink sink(&problems);
  auto parsed = ParseJson<Json>(text);
  if (!parsed) {
    sink.Add("member file", fmt::format("not valid JSON ({})", parsed.error().message));
    return tl::unexpected(problems);
  }
  const Json& document = *parsed;
  if (!document.is_object() || !document.contains("members") || !document["members"].is_array()) {
    sink.Add("member file", "expected an object with a \"members\" array");
    return tl::unexpected(problems);
  }
  CheckKeys(document, {"members"}, "member file", sink);
  std::vector<Member> members;
  std::set<std::string> codes;
  for (size_t i = 0; i < document["members"].size(); ++i) {
    const Json& entry = document["members"][i];
    // A repeated code is a problem even when one of the entries has problems of its own.
    if (entry.is_object() && entry.contains("code") && entry["code"].is_string() &&
        !codes.insert(entry["code"].get<std::string>()).second) {
      sink.Add(entry["code"].get<std::string>(), "member code is listed twice");
      continue;
    }
    auto member = MemberFromJson(entry, fmt::format("members[{}]", i), sink);
    if (member) members.push_back(std::move(*member));
  }
  // One netblock, AS number or domain cannot belong to two members.
  std::map<std::pair<ClaimKind, std::string>, std::string> owner;
  for (const Member& member : members) {
    for (const Claim& claim : member.claims) {
      auto [it, inserted] = owner.emplace(std::pair(claim.kind, claim.value), member.code);
      if (!inserted) {
        sink.Add(member.code, fmt::format("{} '{}' is also listed for {}", Name(claim.kind),
                                          claim.value, it->second));
      }
    }
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return members;
}

Json ContactToJson(const Contact& contact) {
  Json roles = Json::array();
  for (ContactRole role : contact.roles) roles.push_back(Name(role));
  Json json{{"name", contact.name},
            {"email", contact.email},
            {"roles", roles},
            {"language", contact.language}};
  if (contact.warnings) json["warnings"] = *contact.warnings;
  if (contact.phone) json["phone"] = *contact.phone;
  return json;
}

Json AssetToJson(const Asset& asset) {
  return Json{{"name", asset.name},
              {"vendor", asset.vendor},
              {"product", asset.product},
              {"version", asset.version},
              {"cpe", asset.cpe ? Json(*asset.cpe) : Json(nullptr)},
              {"purl", asset.purl ? Json(*asset.purl) : Json(nullptr)},
              {"criticality", Name(asset.criticality)},
              {"internet_facing", asset.internet_facing}};
}

Json ClaimToJson(const Claim& claim) {
  Json json{{"id", claim.id}};
  if (claim.kind == ClaimKind::kAsn) {
    json[std::string(Name(claim.kind))] = std::stoull(claim.value);
  } else {
    json[std::string(Name(claim.kind))] = claim.value;
  }
  json["state"] = Name(claim.state);
  json["requested_by"] = claim.requested_by;
  json["requested_at"] = claim.requested_at;
  if (claim.decided_at) {
    json["decided_by"] = *claim.decided_by;
    json["decided_at"] = *claim.decided_at;
  }
  if (claim.reason) json["reason"] = *claim.reason;
  return json;
}

Json MemberToJson(const Member& member, ClaimStyle style) {
  Json json{{"code", member.code}, {"name", member.name}, {"kind", Name(member.kind)}};
  if (member.joined) json["joined"] = *member.joined;
  if (!member.joint_bodies.empty()) json["joint_bodies"] = member.joint_bodies;
  if (member.data_confirmed_at) json["data_confirmed_at"] = *member.data_confirmed_at;
  Json contacts = Json::array();
  for (const Contact& contact : member.contacts) contacts.push_back(ContactToJson(contact));
  json["contacts"] = std::move(contacts);
  for (ClaimKind kind : kAllClaimKinds) {
    Json list = Json::array();
    for (const Claim& claim : member.claims) {
      if (claim.kind != kind) continue;
      if (style == ClaimStyle::kWithState) {
        list.push_back(ClaimToJson(claim));
      } else if (claim.state == ClaimState::kApproved) {
        if (kind == ClaimKind::kAsn) {
          list.push_back(std::stoull(claim.value));
        } else {
          list.push_back(claim.value);
        }
      }
    }
    json[std::string(ClaimListKey(kind))] = std::move(list);
  }
  Json assets = Json::array();
  for (const Asset& asset : member.assets) assets.push_back(AssetToJson(asset));
  json["assets"] = std::move(assets);
  return json;
}

std::string FormatMemberFile(const std::vector<Member>& members) {
  Json list = Json::array();
  for (const Member& member : members) list.push_back(MemberToJson(member, ClaimStyle::kValues));
  return DumpJson(Json{{"members", std::move(list)}}, 2) + "\n";
}

std::string DumpJson(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace baken::registry
