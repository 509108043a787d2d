// The outbox: what Baken sends, holds, and what analysts release or resolve.

#include <fmt/format.h>

#include "http/handler.h"
#include "common/quote.h"
#include "service/events_service.h"
#include "service/notify_service.h"

namespace baken::http {

namespace {

Result<Reply> ListOutbox(Handlers& api, Call& call) {
  std::optional<store::OutboxState> state;
  if (call.request.has_param("state")) {
    const std::string text = call.request.get_param_value("state");
    state = store::ParseOutboxState(text);
    if (!state) {
      return InvalidArgument(
          fmt::format("state {} is unknown (use pending, held, sending, sent, failed, unknown)",
                      Quote(text)));
    }
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 1000));
  service::EventsService events(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto messages, events.Outbox(*call.principal, state, limit));
  Json list = Json::array();
  for (const auto& message : messages) {
    Json item = service::OutboxMessageToJson(message);
    if (!call.principal->IsStaff()) {
      // How delivery went (analysts' names, SMTP errors) is the CERT's business.
      item["reason"] = Json();
      item["reason_code"] = Json();
      item["reason_params"] = Json::object();
      item.erase("attempts");
      item.erase("next_attempt_at");
    }
    list.push_back(std::move(item));
  }
  return Reply{200, Json{{"messages", std::move(list)}}};
}

Result<Reply> ReleaseMessage(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) return PermissionDenied("only analysts may release messages");
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "message"));
  service::NotifyService notifier(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto message, notifier.Release(*call.principal, id));
  return Reply{200, service::OutboxMessageToJson(message)};
}

Result<Reply> ResolveMessage(Handlers& api, Call& call, bool arrived) {
  if (!call.principal->IsStaff()) return PermissionDenied("only analysts may resolve messages");
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "message"));
  service::NotifyService notifier(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto message, notifier.Resolve(*call.principal, id, arrived));
  return Reply{200, service::OutboxMessageToJson(message)};
}

Result<Reply> ConfirmMessage(Handlers& api, Call& call) { return ResolveMessage(api, call, true); }
Result<Reply> ResendMessage(Handlers& api, Call& call) { return ResolveMessage(api, call, false); }

}  // namespace

const std::vector<Route>& NotifyRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/outbox", true, &ListOutbox, Body::kNone},
      {"POST", "/api/v1/outbox/{id}/release", true, &ReleaseMessage, Body::kSmall},
      {"POST", "/api/v1/outbox/{id}/confirm", true, &ConfirmMessage, Body::kSmall},
      {"POST", "/api/v1/outbox/{id}/resend", true, &ResendMessage, Body::kSmall},
  };
  return kRoutes;
}

}  // namespace baken::http
