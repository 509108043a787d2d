// The partner directory: suppliers and chain partners, which members use them, and opening a
// coordinating incident when one is hacked (docs/decisions/0018-incidents.md).

#include <string>

#include "http/handler.h"
#include "incidents/incident_service.h"
#include "incidents/partner_service.h"

namespace baken::http {

namespace {

using incidents::PartnerService;

Result<Reply> ListPartners(Handlers& api, Call& call) {
  return JsonReply(PartnerService(api.store).List(*call.principal));
}

Result<Reply> CreatePartner(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(PartnerService(api.store).Create(*call.principal, body), 201);
}

Result<Reply> GetPartner(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "partner"));
  return JsonReply(PartnerService(api.store).Get(*call.principal, id));
}

Result<Reply> UpdatePartner(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "partner"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(PartnerService(api.store).Update(*call.principal, id, body));
}

Result<Reply> PartnerUsers(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "partner"));
  return JsonReply(PartnerService(api.store).Users(*call.principal, id));
}

Result<Reply> OpenPartnerIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "partner"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(incidents::IncidentService(api.store).OpenForPartner(*call.principal, id, body),
                   201);
}

Result<Reply> MemberPartners(Handlers& api, Call& call) {
  return JsonReply(PartnerService(api.store).OfMember(*call.principal, call.params.at(0)));
}

Result<Reply> SetMemberPartners(Handlers& api, Call& call) {
  PartnerService partners(api.store);
  // Another member does not exist for the caller, whatever the body says: looked up first.
  BAKEN_RETURN_IF_ERROR(partners.OfMember(*call.principal, call.params.at(0)));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(partners.SetOfMember(*call.principal, call.params.at(0), body));
}

}  // namespace

const std::vector<Route>& PartnerRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/partners", true, &ListPartners, Body::kNone},
      {"POST", "/api/v1/partners", true, &CreatePartner, Body::kList},
      {"GET", "/api/v1/partners/{id}", true, &GetPartner, Body::kNone},
      {"PUT", "/api/v1/partners/{id}", true, &UpdatePartner, Body::kList},
      {"GET", "/api/v1/partners/{id}/members", true, &PartnerUsers, Body::kNone},
      {"POST", "/api/v1/partners/{id}/incident", true, &OpenPartnerIncident, Body::kList},
      {"GET", "/api/v1/members/{code}/partners", true, &MemberPartners, Body::kNone},
      {"PUT", "/api/v1/members/{code}/partners", true, &SetMemberPartners, Body::kSmall},
  };
  return kRoutes;
}

}  // namespace baken::http
