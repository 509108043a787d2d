// Advisories and the warnings matched from them.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "http/handler.h"
#include "common/quote.h"
#include "service/advisory_service.h"

namespace baken::http {

namespace {

Result<Reply> ListAdvisories(Handlers& api, Call& call) {
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto stored, advisories.List(*call.principal));
  Json list = Json::array();
  for (const auto& advisory : stored) list.push_back(service::StoredAdvisoryToJson(advisory));
  return Reply{200, Json{{"advisories", std::move(list)}}};
}

Result<Reply> ListWarnings(Handlers& api, Call& call) {
  const std::string since =
      call.request.has_param("since") ? call.request.get_param_value("since") : "";
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 1000));
  service::AdvisoryService advisories(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto warnings, advisories.Warnings(*call.principal, since, limit));
  Json list = Json::array();
  for (const auto& warning : warnings) list.push_back(service::WarningToJson(warning));
  return Reply{200, Json{{"warnings", std::move(list)}}};
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
  BAKEN_ASSIGN_OR_RETURN(auto summary,
                         advisories.ImportDocument(*call.principal, name, call.body));
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
  };
  return kRoutes;
}

}  // namespace baken::http
