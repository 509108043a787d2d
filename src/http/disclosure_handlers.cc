// Researchers' reports (decision 0020): the public intake and the reporter's status page
// without sign-in, the analysts' queue, and the members' notifications. The rules are in
// src/disclosure; these handlers read the request and hand it over.

#include <string>

#include <fmt/format.h>

#include "disclosure/report_service.h"
#include "http/handler.h"

namespace baken::http {

namespace {

using disclosure::Receipt;
using disclosure::ReportService;

ReportService Reports(Handlers& api) { return ReportService(api.store, api.disclosure); }

Result<Reply> Challenge(Handlers& api, Call& call) {
  return JsonReply(Reports(api).Challenge(SourceOf(call.request)));
}

Json ReceiptJson(const Receipt& receipt) {
  return Json{{"id", receipt.id},
              {"reference", receipt.reference},
              {"status_token", receipt.token},
              {"status_token_expires_at", receipt.token_expires_at}};
}

// The public form (and a researcher's script): no account, a proof of work instead.
Result<Reply> Submit(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  auto snapshot = api.snapshot.Get();
  BAKEN_ASSIGN_OR_RETURN(const Receipt receipt,
                         Reports(api).Submit(body, SourceOf(call.request), *snapshot));
  return Reply{201, ReceiptJson(receipt)};
}

// An analyst enters a report (by phone, from a partner): `channel` says how it came.
Result<Reply> Enter(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  const std::string channel = call.request.has_param("channel")
                                  ? call.request.get_param_value("channel")
                                  : std::string("api");
  auto snapshot = api.snapshot.Get();
  BAKEN_ASSIGN_OR_RETURN(const Receipt receipt,
                         Reports(api).Enter(*call.principal, body, channel, *snapshot));
  return Reply{201, ReceiptJson(receipt)};
}

// The status link's token comes in the body, never in the path: it stays out of access logs.
Result<std::string> StatusToken(const Json& body) {
  if (!body.is_object() || !body.value("token", Json()).is_string()) {
    return InvalidArgument("token: the status link's token is missing");
  }
  return body["token"].get<std::string>();
}

Result<Reply> Status(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  BAKEN_ASSIGN_OR_RETURN(const std::string token, StatusToken(body));
  return JsonReply(Reports(api).Status(token));
}

Result<Reply> AddFromReporter(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  BAKEN_ASSIGN_OR_RETURN(const std::string token, StatusToken(body));
  body.erase("token");
  return JsonReply(Reports(api).AddFromReporter(token, body), 201);
}

Result<Reply> ListReports(Handlers& api, Call& call) {
  store::ReportQuery query;
  if (call.request.has_param("state")) query.state = call.request.get_param_value("state");
  query.unrouted_only = FlagParam(call, "unrouted");
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 100, 1, 500));
  BAKEN_ASSIGN_OR_RETURN(query.offset, IntParam(call, "offset", 0, 0, 1'000'000'000));
  return JsonReply(Reports(api).List(*call.principal, query));
}

Result<Reply> GetReport(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  return JsonReply(Reports(api).Get(*call.principal, id));
}

Result<Reply> UpdateReport(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).Update(*call.principal, id, body));
}

Result<Reply> MoveReport(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).Move(*call.principal, id, body));
}

Result<Reply> MergeReport(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).Merge(*call.principal, id, body));
}

Result<Reply> OpenIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).OpenIncident(*call.principal, id, body));
}

Result<Reply> NotifyMember(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).NotifyMember(*call.principal, id, body));
}

Result<Reply> Withdraw(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  return JsonReply(Reports(api).Withdraw(*call.principal, id, call.params.at(1)));
}

Result<Reply> AddMessage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).AddMessage(*call.principal, id, body), 201);
}

Result<Reply> ReleaseMessage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t message, PathId(call, "message", 1));
  return JsonReply(Reports(api).ReleaseMessage(*call.principal, id, message));
}

Result<Reply> ReportAttachment(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t attachment, PathId(call, "attachment", 1));
  BAKEN_ASSIGN_OR_RETURN(store::ReportAttachment file,
                         Reports(api).Attachment(*call.principal, id, std::nullopt, attachment));
  return FileDownload(file.name, std::move(file.content), file.sha256);
}

// The e-mail a report came in, as it arrived (decision 0021): for analysts only, as a file.
Result<Reply> ReportMail(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "report"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t mail, PathId(call, "mail", 1));
  BAKEN_ASSIGN_OR_RETURN(store::ReportMail message, Reports(api).Mail(*call.principal, id, mail));
  return FileDownload(fmt::format("report-{}-mail-{}.eml", id, mail), std::move(message.raw),
                      message.sha256);
}

Result<Reply> ListNotifications(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t limit, IntParam(call, "limit", 100, 1, 500));
  BAKEN_ASSIGN_OR_RETURN(const int64_t offset, IntParam(call, "offset", 0, 0, 1'000'000'000));
  return JsonReply(Reports(api).Notifications(*call.principal, limit, offset));
}

Result<Reply> GetNotification(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "notification"));
  return JsonReply(Reports(api).Notification(*call.principal, id));
}

Result<Reply> Answer(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "notification"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).Answer(*call.principal, id, body));
}

Result<Reply> AddMemberMessage(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "notification"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(Reports(api).AddMemberMessage(*call.principal, id, body), 201);
}

Result<Reply> NotificationAttachment(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "notification"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t attachment, PathId(call, "attachment", 1));
  // The report is the notification's: the service checks that the member may read it.
  ReportService reports = Reports(api);
  BAKEN_ASSIGN_OR_RETURN(const Json notification, reports.Notification(*call.principal, id));
  BAKEN_ASSIGN_OR_RETURN(
      store::ReportAttachment file,
      reports.Attachment(*call.principal, notification["report"].get<int64_t>(), id, attachment));
  return FileDownload(file.name, std::move(file.content), file.sha256);
}

Result<Reply> ReportStats(Handlers& api, Call& call) {
  return JsonReply(Reports(api).Stats(*call.principal, call.request.get_param_value("from"),
                                      call.request.get_param_value("to")));
}

}  // namespace

const std::vector<Route>& DisclosureRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/reports/vulnerability/challenge", false, &Challenge},
      {"POST", "/api/v1/reports/vulnerability", false, &Submit, Body::kReport},
      {"POST", "/api/v1/report-status", false, &Status, Body::kSmall},
      {"POST", "/api/v1/report-status/messages", false, &AddFromReporter, Body::kSmall},
      {"GET", "/api/v1/vulnerability-reports", true, &ListReports},
      {"POST", "/api/v1/vulnerability-reports", true, &Enter, Body::kReport},
      {"GET", "/api/v1/vulnerability-reports/{id}", true, &GetReport},
      {"PUT", "/api/v1/vulnerability-reports/{id}", true, &UpdateReport, Body::kSmall},
      {"POST", "/api/v1/vulnerability-reports/{id}/state", true, &MoveReport, Body::kSmall},
      {"POST", "/api/v1/vulnerability-reports/{id}/merge", true, &MergeReport, Body::kSmall},
      {"POST", "/api/v1/vulnerability-reports/{id}/incident", true, &OpenIncident, Body::kSmall},
      {"GET", "/api/v1/vulnerability-reports/{id}/mails/{mail}", true, &ReportMail},
      {"POST", "/api/v1/vulnerability-reports/{id}/notifications", true, &NotifyMember,
       Body::kSmall},
      {"POST", "/api/v1/vulnerability-reports/{id}/notifications/{member}/withdraw", true,
       &Withdraw},
      {"POST", "/api/v1/vulnerability-reports/{id}/messages", true, &AddMessage, Body::kSmall},
      {"POST", "/api/v1/vulnerability-reports/{id}/messages/{message}/release", true,
       &ReleaseMessage},
      {"GET", "/api/v1/vulnerability-reports/{id}/attachments/{attachment}", true,
       &ReportAttachment},
      {"GET", "/api/v1/stats/vulnerability-reports", true, &ReportStats},
      {"GET", "/api/v1/vulnerability-notifications", true, &ListNotifications},
      {"GET", "/api/v1/vulnerability-notifications/{id}", true, &GetNotification},
      {"POST", "/api/v1/vulnerability-notifications/{id}/answer", true, &Answer, Body::kSmall},
      {"POST", "/api/v1/vulnerability-notifications/{id}/messages", true, &AddMemberMessage,
       Body::kSmall},
      {"GET", "/api/v1/vulnerability-notifications/{id}/attachments/{attachment}", true,
       &NotificationAttachment},
  };
  return kRoutes;
}

}  // namespace baken::http
