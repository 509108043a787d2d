// Advisories and the warnings matched from them.

#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "http/handler.h"
#include "service/advisory_service.h"

namespace baken::http {

namespace {

Result<Reply> ListAdvisories(Handlers& api, Call& call) {
  store::AdvisoryQuery query;
  if (call.request.has_param("q")) query.text = call.request.get_param_value("q");
  if (call.request.has_param("publisher")) {
    query.publisher = call.request.get_param_value("publisher");
  }
  BAKEN_ASSIGN_OR_RETURN(query.released_since, UtcTimeParam(call, "since"));
  BAKEN_ASSIGN_OR_RETURN(query.released_until, UtcTimeParam(call, "until"));
  query.with_warnings = FlagParam(call, "warned");
  using Order = store::AdvisoryQuery::Order;
  BAKEN_ASSIGN_OR_RETURN(query.order, ChoiceParam<Order>(call, "sort",
                                                         {{"-released", Order::kNewest},
                                                          {"released", Order::kOldest},
                                                          {"id", Order::kId},
                                                          {"-id", Order::kIdDescending}},
                                                         Order::kNewest));
  // Without a limit every advisory, as before lists were paged.
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 0, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(query.offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto page, advisories.Find(*call.principal, query));
  Json list = Json::array();
  for (const auto& advisory : page.advisories) {
    Json item = service::StoredAdvisoryToJson(advisory);
    item["warnings"] = advisory.warnings;
    list.push_back(std::move(item));
  }
  return Reply{200, Json{{"advisories", std::move(list)},
                         {"total", page.total},
                         {"offset", query.offset},
                         {"limit", query.limit > 0 ? Json(query.limit) : Json()}}};
}

// A page of warnings with the true total, as GET /api/v1/events pages: `offset` and
// `limit`, filtered by `state`, `member` (analysts) and `since`, newest first or by risk.
Result<Reply> ListWarnings(Handlers& api, Call& call) {
  store::WarningQuery query;
  if (call.request.has_param("since")) query.since = call.request.get_param_value("since");
  if (call.request.has_param("state")) query.state = call.request.get_param_value("state");
  if (call.request.has_param("member")) query.member = call.request.get_param_value("member");
  if (call.request.has_param("sort")) {
    const std::string sort = call.request.get_param_value("sort");
    if (sort != "newest" && sort != "risk") {
      return InvalidInput(problems::warning_sort_unknown, {{"value", sort}});
    }
    query.by_risk = sort == "risk";
  }
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 100, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(query.offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto page, advisories.PageWarnings(*call.principal, query));
  Json list = Json::array();
  for (const auto& warning : page.warnings) list.push_back(service::WarningToJson(warning));
  return Reply{200, Json{{"warnings", std::move(list)},
                         {"total", page.total},
                         {"offset", query.offset},
                         {"limit", query.limit}}};
}

// {"state": "handled", "note": "..."}: what the member did about the warning.
Result<Reply> SetWarningState(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "warning"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  if (!body.is_object() || !body.contains("state") || !body["state"].is_string() ||
      (body.contains("note") && !body["note"].is_string() && !body["note"].is_null())) {
    return InvalidArgument(
        "the body must be {\"state\": \"open\" | \"handled\" | \"not_applicable\"} with an "
        "optional \"note\": \"...\"");
  }
  const std::string note =
      body.contains("note") && body["note"].is_string() ? body["note"].get<std::string>() : "";
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(
      auto warning,
      advisories.SetWarningState(*call.principal, id, body["state"].get<std::string>(), note));
  return Reply{200, service::WarningToJson(warning)};
}

Result<Reply> GetWarning(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "warning"));
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(Json detail, advisories.DescribeWarning(*call.principal, id));
  return Reply{200, std::move(detail)};
}

Result<Reply> GetAdvisory(Handlers& api, Call& call) {
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(Json detail, advisories.Describe(*call.principal, call.params[0]));
  return Reply{200, std::move(detail)};
}

Result<Reply> PostAdvisory(Handlers& api, Call& call) {
  const std::string name =
      call.request.has_param("name") ? call.request.get_param_value("name") : "upload.json";
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto summary, advisories.ImportDocument(*call.principal, name, call.body));
  if (!summary.refused.empty()) {
    // Errors are problem+json: the reasons, each naming its place, in the detail.
    return InvalidArgument(fmt::format("advisory {} refused: {}", Quote(name),
                                       fmt::join(summary.refused.front().reasons, "; ")));
  }
  return Reply{200, service::ImportSummaryToJson(summary)};
}

}  // namespace

const std::vector<Route>& AdvisoryRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/advisories", true, &ListAdvisories, Body::kNone},
      {"POST", "/api/v1/advisories", true, &PostAdvisory, Body::kAdvisory},
      {"GET", "/api/v1/advisories/{id}", true, &GetAdvisory, Body::kNone},
      {"GET", "/api/v1/warnings", true, &ListWarnings, Body::kNone},
      {"GET", "/api/v1/warnings/{id}", true, &GetWarning, Body::kNone},
      {"POST", "/api/v1/warnings/{id}/state", true, &SetWarningState, Body::kSmall},
  };
  return kRoutes;
}

}  // namespace baken::http
