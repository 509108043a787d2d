// Piket: the roster of rotations and overrides, and who is on duty (decision 0019). The rules
// are in src/oncall; these handlers read the request and hand it over.

#include <optional>
#include <string>

#include "http/handler.h"
#include "oncall/roster_service.h"

namespace baken::http {

namespace {

using oncall::RosterService;

Result<Reply> ListRotations(Handlers& api, Call& call) {
  return JsonReply(RosterService(api.store).Rotations(*call.principal));
}

Result<Reply> CreateRotation(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(RosterService(api.store).CreateRotation(*call.principal, body), 201);
}

Result<Reply> UpdateRotation(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "rotation"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(RosterService(api.store).UpdateRotation(*call.principal, id, body));
}

Result<Reply> AddOverride(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "rotation"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(RosterService(api.store).AddOverride(*call.principal, id, body), 201);
}

Result<Reply> CancelOverride(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "rotation"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t override_id, PathId(call, "override", 1));
  return JsonReply(RosterService(api.store).CancelOverride(*call.principal, id, override_id));
}

// Who is on duty from `from` (now) for `days` days (7).
Result<Reply> Duty(Handlers& api, Call& call) {
  std::optional<std::string> from;
  if (call.request.has_param("from")) from = call.request.get_param_value("from");
  BAKEN_ASSIGN_OR_RETURN(const int64_t days, IntParam(call, "days", 7, 1, oncall::kMaxDutyDays));
  return JsonReply(RosterService(api.store).Duty(*call.principal, from, days));
}

}  // namespace

const std::vector<Route>& OncallRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/rosters", true, &ListRotations, Body::kNone},
      {"POST", "/api/v1/rosters", true, &CreateRotation, Body::kSmall},
      {"PUT", "/api/v1/rosters/{id}", true, &UpdateRotation, Body::kSmall},
      {"POST", "/api/v1/rosters/{id}/overrides", true, &AddOverride, Body::kSmall},
      {"POST", "/api/v1/rosters/{id}/overrides/{override}/cancel", true, &CancelOverride,
       Body::kSmall},
      {"GET", "/api/v1/rosters/duty", true, &Duty, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
