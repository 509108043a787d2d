// The outbox: what Baken sends, holds, and what analysts release or resolve.

#include <limits>
#include <string>

#include <fmt/format.h>

#include "common/quote.h"
#include "common/tlp.h"
#include "http/handler.h"
#include "service/events_service.h"
#include "service/notify_service.h"

namespace baken::http {

namespace {

// A message as a list shows it to this caller: how delivery went (analysts' names, SMTP
// errors, the next attempt) is the CERT's business, not the member's.
Json MessageFor(const Call& call, const store::OutboxMessage& message) {
  Json item = service::OutboxMessageToJson(message);
  if (!call.principal->IsStaff()) {
    item["reason"] = Json();
    item["reason_code"] = Json();
    item["reason_params"] = Json::object();
    item.erase("attempts");
    item.erase("next_attempt_at");
  }
  return item;
}

Result<Reply> ListOutbox(Handlers& api, Call& call) {
  store::OutboxQuery query;
  if (call.request.has_param("state")) {
    const std::string text = call.request.get_param_value("state");
    query.state = store::ParseOutboxState(text);
    if (!query.state) {
      return InvalidArgument(fmt::format(
          "state {} is unknown (use pending, held, sending, sent, failed, unknown)", Quote(text)));
    }
  }
  if (call.request.has_param("member")) query.member = call.request.get_param_value("member");
  if (call.request.has_param("feed")) query.feed_name = call.request.get_param_value("feed");
  if (call.request.has_param("tlp")) {
    const std::string text = call.request.get_param_value("tlp");
    const auto tlp = ParseTlp(text);
    if (!tlp) return InvalidArgument(fmt::format("tlp {} is not a TLP level", Quote(text)));
    query.tlp = std::string(Name(*tlp));
  }
  BAKEN_ASSIGN_OR_RETURN(query.created_since, UtcTimeParam(call, "since"));
  BAKEN_ASSIGN_OR_RETURN(query.created_until, UtcTimeParam(call, "until"));
  if (call.request.has_param("q")) query.text = call.request.get_param_value("q");
  using Order = store::OutboxQuery::Order;
  BAKEN_ASSIGN_OR_RETURN(query.order,
                         ChoiceParam<Order>(call, "sort",
                                            {{"-created", Order::kNewest},
                                             {"created", Order::kOldest},
                                             {"next_attempt", Order::kNextAttempt},
                                             {"-next_attempt", Order::kNextAttemptLatest}},
                                            Order::kNewest));
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 100, 1, 1000));
  BAKEN_ASSIGN_OR_RETURN(query.offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  service::EventsService events(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto page, events.ListOutbox(*call.principal, query));
  Json list = Json::array();
  for (const auto& message : page.messages) list.push_back(MessageFor(call, message));
  return Reply{200, Json{{"messages", std::move(list)},
                         {"total", page.total},
                         {"offset", query.offset},
                         {"limit", query.limit}}};
}

// One message with its text, for an analyst to read before releasing it.
Result<Reply> GetMessage(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) return PermissionDenied("only analysts may preview messages");
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "message"));
  service::EventsService events(api.store);
  BAKEN_ASSIGN_OR_RETURN(auto preview, events.PreviewMessage(*call.principal, id));
  Json body = service::OutboxMessageToJson(preview.message);
  body["text"] = std::move(preview.text);
  return Reply{200, std::move(body)};
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
      {"GET", "/api/v1/outbox/{id}", true, &GetMessage, Body::kNone},
      {"POST", "/api/v1/outbox/{id}/release", true, &ReleaseMessage, Body::kSmall},
      {"POST", "/api/v1/outbox/{id}/confirm", true, &ConfirmMessage, Body::kSmall},
      {"POST", "/api/v1/outbox/{id}/resend", true, &ResendMessage, Body::kSmall},
  };
  return kRoutes;
}

}  // namespace baken::http
