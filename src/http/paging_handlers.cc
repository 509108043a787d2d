// Pages and escalation policies (decision 0019). The rules are in src/oncall; these handlers
// read the request and hand it over.

#include <string>

#include "http/handler.h"
#include "oncall/contact_service.h"
#include "oncall/paging_service.h"

namespace baken::http {

namespace {

using oncall::ContactService;
using oncall::PagingService;

Result<Reply> ListPolicies(Handlers& api, Call& call) {
  return JsonReply(PagingService(api.store).Policies(*call.principal));
}

Result<Reply> CreatePolicy(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(PagingService(api.store).CreatePolicy(*call.principal, body), 201);
}

Result<Reply> UpdatePolicy(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "policy"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(PagingService(api.store).UpdatePolicy(*call.principal, id, body));
}

// The open pages (`state=open`, the default) or all (`state=all`), newest first.
Result<Reply> ListPages(Handlers& api, Call& call) {
  const std::string state =
      call.request.has_param("state") ? call.request.get_param_value("state") : std::string("open");
  if (state != "open" && state != "all") {
    return InvalidArgument("state must be open or all");
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit,
                         IntParam(call, "limit", 100, 1, oncall::kMaxPagesListed));
  return JsonReply(PagingService(api.store).Pages(*call.principal, state == "open", limit));
}

Result<Reply> CreatePage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  BAKEN_ASSIGN_OR_RETURN(auto page, PagingService(api.store).PageByHand(*call.principal, body));
  // 201 for a new page; 200 with the open page for the same problem that absorbed it.
  return Reply{page.second ? 201 : 200, std::move(page.first)};
}

Result<Reply> GetPage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "page"));
  return JsonReply(PagingService(api.store).Page(*call.principal, id));
}

Result<Reply> AcknowledgePage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "page"));
  return JsonReply(
      PagingService(api.store).Acknowledge(*call.principal, id, call.session ? "portal" : "api"));
}

Result<Reply> ResolvePage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "page"));
  return JsonReply(
      PagingService(api.store).Resolve(*call.principal, id, call.session ? "portal" : "api"));
}

// A one-time link from a page: the token comes in the body, never in the path, so that it
// stays out of access logs. No sign-in: the link is the proof.
Result<std::string> LinkToken(const Json& body) {
  if (!body.is_object() || !body.value("token", Json()).is_string() ||
      body["token"].get<std::string>().size() > 200) {
    return InvalidArgument("token: the link's token is missing");
  }
  return body["token"].get<std::string>();
}

Result<Reply> InspectLink(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  BAKEN_ASSIGN_OR_RETURN(const std::string token, LinkToken(body));
  return JsonReply(PagingService(api.store).Link(token));
}

Result<Reply> AnswerLink(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  BAKEN_ASSIGN_OR_RETURN(const std::string token, LinkToken(body));
  body.erase("token");
  return JsonReply(PagingService(api.store).AnswerByLink(token, body));
}

Result<Reply> MyContactMethods(Handlers& api, Call& call) {
  return JsonReply(ContactService(api.store).Mine(*call.principal));
}

Result<Reply> AddContactMethod(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(ContactService(api.store).AddWebhook(*call.principal, body), 201);
}

Result<Reply> SendContactCode(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "contact method"));
  return JsonReply(ContactService(api.store).SendCode(*call.principal, id));
}

Result<Reply> VerifyContactMethod(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "contact method"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(ContactService(api.store).Verify(*call.principal, id, body));
}

Result<Reply> DisableContactMethod(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "contact method"));
  return JsonReply(ContactService(api.store).Disable(*call.principal, id));
}

Result<Reply> SetNotificationRules(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(ContactService(api.store).SetRules(*call.principal, body));
}

}  // namespace

const std::vector<Route>& PagingRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/escalation-policies", true, &ListPolicies, Body::kNone},
      {"POST", "/api/v1/escalation-policies", true, &CreatePolicy, Body::kSmall},
      {"PUT", "/api/v1/escalation-policies/{id}", true, &UpdatePolicy, Body::kSmall},
      {"GET", "/api/v1/pages", true, &ListPages, Body::kNone},
      {"POST", "/api/v1/pages", true, &CreatePage, Body::kSmall},
      {"GET", "/api/v1/pages/{id}", true, &GetPage, Body::kNone},
      {"POST", "/api/v1/pages/{id}/acknowledge", true, &AcknowledgePage, Body::kSmall},
      {"POST", "/api/v1/pages/{id}/resolve", true, &ResolvePage, Body::kSmall},
      {"POST", "/api/v1/page-links/inspect", false, &InspectLink, Body::kSmall},
      {"POST", "/api/v1/page-links/answer", false, &AnswerLink, Body::kSmall},
      {"GET", "/api/v1/contact-methods", true, &MyContactMethods, Body::kNone},
      {"POST", "/api/v1/contact-methods", true, &AddContactMethod, Body::kSmall},
      {"POST", "/api/v1/contact-methods/{id}/code", true, &SendContactCode, Body::kSmall},
      {"POST", "/api/v1/contact-methods/{id}/verify", true, &VerifyContactMethod, Body::kSmall},
      {"POST", "/api/v1/contact-methods/{id}/disable", true, &DisableContactMethod, Body::kSmall},
      {"PUT", "/api/v1/notification-rules", true, &SetNotificationRules, Body::kSmall},
  };
  return kRoutes;
}

}  // namespace baken::http
