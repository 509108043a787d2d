// What analysts and members look at first: the unrouted events grouped by AS number or network
// (with assigning one to a member), and the overview's figures.

#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "common/quote.h"
#include "http/handler.h"
#include "service/events_service.h"

namespace baken::http {

namespace {

Result<Reply> ListUnroutedGroups(Handlers& api, Call& call) {
  const std::string by = call.request.has_param("by") ? call.request.get_param_value("by") : "";
  if (by != "asn" && by != "prefix") {
    return InvalidArgument(fmt::format("by {} is unknown (use asn or prefix)", Quote(by)));
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 50, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(const int64_t offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  service::EventsService events(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto groups,
                         events.GroupUnrouted(*call.principal,
                                              by == "asn" ? service::UnroutedGrouping::kAsn
                                                          : service::UnroutedGrouping::kPrefix,
                                              offset, limit));
  Json body = service::UnroutedGroupsToJson(groups);
  body["by"] = by;
  body["offset"] = offset;
  body["limit"] = limit;
  return Reply{200, std::move(body)};
}

// From a group to a member: an approved claim, so that the group's new findings go there.
Result<Reply> AssignUnrouted(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) return PermissionDenied("only analysts may assign ranges");
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  const auto text = [&](const char* name) -> std::optional<std::string> {
    if (!body.is_object() || !body.contains(name) || !body[name].is_string()) return std::nullopt;
    return body[name].get<std::string>();
  };
  const auto member = text("member");
  const auto kind_text = text("kind");
  const auto value = text("value");
  if (!member || !kind_text || !value) {
    return InvalidArgument(
        "the body must be {\"member\": \"GM0363\", \"kind\": \"netblock\" or \"asn\", "
        "\"value\": \"192.0.2.0/24\"}");
  }
  const auto kind = registry::ParseClaimKind(*kind_text);
  if (!kind || *kind == registry::ClaimKind::kDomain) {
    return InvalidArgument(
        fmt::format("kind {} is unknown (use netblock or asn)", Quote(*kind_text)));
  }
  BAKEN_ASSIGN_OR_RETURN(auto claims,
                         api.registry.AssignClaim(*call.principal, *member, *kind, *value));
  Json list = Json::array();
  for (const auto& claim : claims) list.push_back(registry::ClaimToJson(claim));
  return Reply{200, Json{{"member", *member}, {"kind", *kind_text}, {"claims", std::move(list)}}};
}

Result<Reply> GetOverview(Handlers& api, Call& call) {
  std::optional<std::string> member;
  if (call.request.has_param("member")) member = call.request.get_param_value("member");
  BAKEN_ASSIGN_OR_RETURN(const int64_t weeks, IntParam(call, "weeks", 12, 1, 104));
  service::EventsService events(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto overview,
                         events.GetOverview(*call.principal, member, static_cast<int>(weeks),
                                            std::chrono::system_clock::now()));
  return Reply{200, service::OverviewToJson(overview)};
}

}  // namespace

const std::vector<Route>& OverviewRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/events/unrouted/groups", true, &ListUnroutedGroups, Body::kNone},
      {"POST", "/api/v1/events/unrouted/assign", true, &AssignUnrouted, Body::kSmall},
      {"GET", "/api/v1/overview", true, &GetOverview, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
