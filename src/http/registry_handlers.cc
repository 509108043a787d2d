// Members, their lists and data confirmation, claims and their review, lookup and the audit log.

#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "common/quote.h"
#include "http/handler.h"
#include "registry/asset_csv.h"
#include "registry/validation.h"
#include "service/registry_service.h"

namespace baken::http {

namespace {

std::optional<registry::ClaimKind> ClaimKindForList(std::string_view list) {
  if (list == "netblocks") return registry::ClaimKind::kNetblock;
  if (list == "asns") return registry::ClaimKind::kAsn;
  if (list == "domains") return registry::ClaimKind::kDomain;
  return std::nullopt;
}

Json ClaimsToJson(const std::vector<registry::Claim>& claims) {
  Json list = Json::array();
  for (const auto& claim : claims) list.push_back(registry::ClaimToJson(claim));
  return list;
}

Result<Reply> ListMembers(Handlers& api, Call& call) {
  store::MemberQuery query;
  if (call.request.has_param("q")) query.text = call.request.get_param_value("q");
  if (call.request.has_param("kind")) {
    const std::string text = call.request.get_param_value("kind");
    if (!registry::ParseMemberKind(text)) {
      return InvalidArgument(fmt::format(
          "kind {} is unknown (use gemeente, samenwerkingsverband, partner)", Quote(text)));
    }
    query.kind = text;
  }
  BAKEN_ASSIGN_OR_RETURN(query.confirmed_before, UtcTimeParam(call, "confirmed_before"));
  query.never_confirmed = FlagParam(call, "never_confirmed");
  using Order = store::MemberQuery::Order;
  BAKEN_ASSIGN_OR_RETURN(query.order, ChoiceParam<Order>(call, "sort",
                                                         {{"code", Order::kCode},
                                                          {"-code", Order::kCodeDescending},
                                                          {"name", Order::kName},
                                                          {"-name", Order::kNameDescending},
                                                          {"confirmed", Order::kConfirmedOldest},
                                                          {"-confirmed", Order::kConfirmedLatest}},
                                                         Order::kCode));
  // Without a limit every member, as before lists were paged (the portal's member choices).
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 0, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(query.offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  // fields=names: code, name and kind only, for the portal's choices of members and labels.
  if (call.request.has_param("fields")) {
    const std::string text = call.request.get_param_value("fields");
    if (text != "names") {
      return InvalidArgument(fmt::format("fields {} is unknown (use names)", Quote(text)));
    }
    query.names_only = true;
  }
  BAKEN_ASSIGN_OR_RETURN(auto page, api.registry.FindMembers(*call.principal, query));
  Json list = Json::array();
  for (const auto& member : page.members) {
    list.push_back(query.names_only
                       ? Json{{"code", member.code},
                              {"name", member.name},
                              {"kind", registry::Name(member.kind)}}
                       : registry::MemberToJson(member, registry::ClaimStyle::kWithState));
  }
  return Reply{200, Json{{"members", std::move(list)},
                         {"total", page.total},
                         {"offset", query.offset},
                         {"limit", query.limit > 0 ? Json(query.limit) : Json()}}};
}

Result<Reply> GetMember(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(auto member, api.registry.GetMember(*call.principal, call.params[0]));
  return Reply{200, registry::MemberToJson(member, registry::ClaimStyle::kWithState)};
}

Result<Reply> GetMemberList(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(auto member, api.registry.GetMember(*call.principal, call.params[0]));
  const std::string_view list = call.list;
  Json body = Json::array();
  if (list == "contacts") {
    for (const auto& contact : member.contacts) body.push_back(registry::ContactToJson(contact));
  } else if (list == "assets") {
    for (const auto& asset : member.assets) body.push_back(registry::AssetToJson(asset));
  } else if (auto kind = ClaimKindForList(list)) {
    for (const auto& claim : member.claims) {
      if (claim.kind == *kind) body.push_back(registry::ClaimToJson(claim));
    }
  } else {
    return NotFound(fmt::format("a member has no list '{}'", list));
  }
  return Reply{200, std::move(body)};
}

Result<Reply> PutMemberList(Handlers& api, Call& call) {
  const std::string& code = call.params[0];
  const std::string_view list = call.list;
  // Existence and scope first: a member user learns nothing about other members, not even
  // whether its body would have been valid.
  BAKEN_RETURN_IF_ERROR(api.registry.GetMember(*call.principal, code));
  const std::string where = fmt::format("{}: {}", code, list);
  if (list == "assets" && IsCsv(call.request)) {
    // The inventory spreadsheet as the portal uploads it, the same format as
    // `baken member import-assets`.
    std::istringstream input(call.body);
    auto assets = registry::ParseAssetCsv(input, where);
    if (!assets) return Invalid(assets.error());
    BAKEN_RETURN_IF_ERROR(api.registry.ReplaceAssets(*call.principal, code, *assets));
    return GetMemberList(api, call);
  }
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (list == "contacts") {
    auto contacts = registry::ContactsFromJson(body, where);
    if (!contacts) return Invalid(contacts.error());
    BAKEN_RETURN_IF_ERROR(api.registry.ReplaceContacts(*call.principal, code, *contacts));
    return GetMemberList(api, call);
  }
  if (list == "assets") {
    auto assets = registry::AssetsFromJson(body, where);
    if (!assets) return Invalid(assets.error());
    BAKEN_RETURN_IF_ERROR(api.registry.ReplaceAssets(*call.principal, code, *assets));
    return GetMemberList(api, call);
  }
  if (auto kind = ClaimKindForList(list)) {
    auto values = registry::ClaimValuesFromJson(*kind, body, where);
    if (!values) return Invalid(values.error());
    BAKEN_ASSIGN_OR_RETURN(auto claims,
                           api.registry.ReplaceClaims(*call.principal, code, *kind, *values));
    return Reply{200, ClaimsToJson(claims)};
  }
  return NotFound(fmt::format("a member has no list '{}'", list));
}

Result<Reply> ConfirmData(Handlers& api, Call& call) {
  BAKEN_RETURN_IF_ERROR(api.registry.ConfirmData(*call.principal, call.params[0]));
  return GetMember(api, call);
}

Result<Reply> ListClaims(Handlers& api, Call& call) {
  std::optional<registry::ClaimState> state;
  if (call.request.has_param("state")) {
    const std::string text = call.request.get_param_value("state");
    state = registry::ParseClaimState(text);
    if (!state) {
      return InvalidArgument(
          fmt::format("state {} is unknown (use pending, approved, refused)", Quote(text)));
    }
  }
  BAKEN_ASSIGN_OR_RETURN(auto reviews, api.registry.ReviewClaims(*call.principal, state));
  Json list = Json::array();
  for (const auto& review : reviews) {
    Json item = registry::ClaimToJson(review.claim);
    item["member"] = review.claim.member;
    item["kind"] = registry::Name(review.claim.kind);
    item["value"] = review.claim.value;
    Json overlaps = Json::array();
    for (const auto& overlap : review.overlaps) {
      overlaps.push_back(Json{{"member", overlap.member}, {"value", overlap.value}});
    }
    item["overlaps"] = std::move(overlaps);
    list.push_back(std::move(item));
  }
  return Reply{200, Json{{"claims", std::move(list)}}};
}

Result<Reply> DecideClaim(Handlers& api, Call& call, bool approve) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "claim"));
  std::optional<std::string> reason;
  if (!call.body.empty()) {
    BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
    if (!body.is_object()) return InvalidArgument("the request body must be a JSON object");
    if (auto found = body.find("reason"); found != body.end()) {
      if (!found->is_string()) return InvalidArgument("'reason' must be a string");
      reason = found->get<std::string>();
    }
  }
  BAKEN_ASSIGN_OR_RETURN(auto claim,
                         api.registry.DecideClaim(*call.principal, id, approve, reason));
  return Reply{200, registry::ClaimToJson(claim)};
}
Result<Reply> ApproveClaim(Handlers& api, Call& call) { return DecideClaim(api, call, true); }
Result<Reply> RefuseClaim(Handlers& api, Call& call) { return DecideClaim(api, call, false); }

Result<Reply> Lookup(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) return PermissionDenied("only analysts and admins may look up");
  const std::string value = call.request.get_param_value("value");
  BAKEN_ASSIGN_OR_RETURN(auto query, routing::ParseLookupQuery(value));
  auto constituency = api.snapshot.Get();
  return Reply{200, service::LookupToJson(*constituency, routing::Lookup(*constituency, query))};
}

Result<Reply> ListAudit(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) {
    return PermissionDenied("only analysts and admins may read the audit log");
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(auto tx, api.store.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto entries, tx->Audit().List(limit));
  Json list = Json::array();
  for (const auto& entry : entries) {
    Json detail = Json::parse(entry.detail, nullptr, false);
    list.push_back(Json{{"id", entry.id},
                        {"at", entry.at},
                        {"actor", entry.actor},
                        {"action", entry.action},
                        {"object", entry.object},
                        {"detail", detail.is_discarded() ? Json(entry.detail) : detail}});
  }
  return Reply{200, Json{{"entries", std::move(list)}}};
}

}  // namespace

const std::vector<Route>& RegistryRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/members", true, &ListMembers, Body::kNone},
      {"GET", "/api/v1/members/{code}", true, &GetMember, Body::kNone},
      {"GET", "/api/v1/members/{code}/contacts", true, &GetMemberList, Body::kNone, "contacts"},
      {"PUT", "/api/v1/members/{code}/contacts", true, &PutMemberList, Body::kList, "contacts"},
      {"GET", "/api/v1/members/{code}/netblocks", true, &GetMemberList, Body::kNone, "netblocks"},
      {"PUT", "/api/v1/members/{code}/netblocks", true, &PutMemberList, Body::kList, "netblocks"},
      {"GET", "/api/v1/members/{code}/asns", true, &GetMemberList, Body::kNone, "asns"},
      {"PUT", "/api/v1/members/{code}/asns", true, &PutMemberList, Body::kList, "asns"},
      {"GET", "/api/v1/members/{code}/domains", true, &GetMemberList, Body::kNone, "domains"},
      {"PUT", "/api/v1/members/{code}/domains", true, &PutMemberList, Body::kList, "domains"},
      {"GET", "/api/v1/members/{code}/assets", true, &GetMemberList, Body::kNone, "assets"},
      {"PUT", "/api/v1/members/{code}/assets", true, &PutMemberList, Body::kList, "assets"},
      {"POST", "/api/v1/members/{code}/confirm", true, &ConfirmData, Body::kSmall},
      {"GET", "/api/v1/claims", true, &ListClaims, Body::kNone},
      {"POST", "/api/v1/claims/{id}/approve", true, &ApproveClaim, Body::kSmall},
      {"POST", "/api/v1/claims/{id}/refuse", true, &RefuseClaim, Body::kSmall},
      {"GET", "/api/v1/lookup", true, &Lookup, Body::kNone},
      {"GET", "/api/v1/audit", true, &ListAudit, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
