// Incidents: the CERT's case work, each member's participation, and the threat report's figures
// (docs/decisions/0018-incidents.md). The rules and the reading rights are in src/incidents;
// these handlers read the request and hand it over.

#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "common/problem.h"
#include "common/problem_codes.h"
#include "http/handler.h"
#include "incidents/incident.h"
#include "incidents/incident_service.h"

namespace baken::http {

namespace {

using incidents::IncidentService;

// The path's member code (`/participations/{member}`), the second parameter.
const std::string& MemberParam(const Call& call) { return call.params.at(1); }

Result<Reply> ListIncidents(Handlers& api, Call& call) {
  store::IncidentQuery query;
  if (call.request.has_param("state")) query.state = call.request.get_param_value("state");
  if (call.request.has_param("member")) query.member = call.request.get_param_value("member");
  if (call.request.has_param("q")) query.text = call.request.get_param_value("q");
  if (call.request.has_param("linked")) {
    // "event:4711": the incidents an event (a warning, ...) was escalated to or linked with.
    const std::string linked = call.request.get_param_value("linked");
    const size_t colon = linked.find(':');
    if (colon == std::string::npos || colon + 1 == linked.size() ||
        !OneOf(incidents::LinkKinds(), std::string_view(linked).substr(0, colon))) {
      return InvalidInput(problems::incident_linked_invalid,
                          {{"value", linked}, {"choices", ChoicesText(incidents::LinkKinds())}});
    }
    query.linked = std::make_pair(linked.substr(0, colon), linked.substr(colon + 1));
  }
  query.open_only = FlagParam(call, "open");
  query.unassigned = FlagParam(call, "unassigned");
  using Order = store::IncidentQuery::Order;
  BAKEN_ASSIGN_OR_RETURN(query.order, ChoiceParam<Order>(call, "sort",
                                                         {{"-created", Order::kNewest},
                                                          {"created", Order::kOldest},
                                                          {"-updated", Order::kUpdated},
                                                          {"priority", Order::kPriority}},
                                                         Order::kNewest));
  BAKEN_ASSIGN_OR_RETURN(query.limit, IntParam(call, "limit", 50, 1, 500));
  BAKEN_ASSIGN_OR_RETURN(query.offset,
                         IntParam(call, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  return JsonReply(IncidentService(api.store).List(*call.principal, query));
}

Result<Reply> CreateIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).Create(*call.principal, body), 201);
}

Result<Reply> GetIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  return JsonReply(IncidentService(api.store).Get(*call.principal, id));
}

Result<Reply> UpdateIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).Update(*call.principal, id, body));
}

Result<Reply> MoveIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).Move(*call.principal, id, body));
}

Result<Reply> MergeIncident(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).Merge(*call.principal, id, body));
}

Result<Reply> IncidentHistory(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  return JsonReply(IncidentService(api.store).History(*call.principal, id));
}

Result<Reply> ListJournal(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json incident, IncidentService(api.store).Get(*call.principal, id));
  return Reply{200, Json{{"journal", std::move(incident["journal"])}}};
}

Result<Reply> AddJournalEntry(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).AddEntry(*call.principal, id, body), 201);
}

Result<Reply> ReleaseJournalEntry(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t entry, PathId(call, "journal entry", 1));
  return JsonReply(IncidentService(api.store).ReleaseEntry(*call.principal, id, entry));
}

Result<Reply> ListTasks(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json incident, IncidentService(api.store).Get(*call.principal, id));
  return Reply{200, Json{{"tasks", std::move(incident["tasks"])}}};
}

Result<Reply> AddTask(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).AddTask(*call.principal, id, body), 201);
}

Result<Reply> UpdateTask(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t task, PathId(call, "task", 1));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).UpdateTask(*call.principal, id, task, body));
}

Result<Reply> ListLinks(Handlers& api, Call& call) {
  if (!call.principal->IsStaff()) {
    // A member's user gets what it would get for an incident it does not take part in, or a
    // refusal for one it does: links point at other members' data.
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
    BAKEN_RETURN_IF_ERROR(IncidentService(api.store).Get(*call.principal, id));
    return PermissionDenied("only analysts see an incident's links");
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json incident, IncidentService(api.store).Get(*call.principal, id));
  return Reply{200, Json{{"links", std::move(incident["links"])}}};
}

Result<Reply> AddLink(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).AddLink(*call.principal, id, body), 201);
}

Result<Reply> ListParticipations(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  return JsonReply(IncidentService(api.store).Participations(*call.principal, id));
}

Result<Reply> AddParticipations(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).AddParticipations(*call.principal, id, body), 201);
}

Result<Reply> GetParticipation(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  return JsonReply(
      IncidentService(api.store).GetParticipation(*call.principal, id, MemberParam(call)));
}

Result<Reply> UpdateParticipation(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(
      IncidentService(api.store).UpdateParticipation(*call.principal, id, MemberParam(call), body));
}

Result<Reply> MoveParticipation(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(
      IncidentService(api.store).MoveParticipation(*call.principal, id, MemberParam(call), body));
}

Result<Reply> ListAttachments(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  return JsonReply(IncidentService(api.store).Attachments(*call.principal, id));
}

Result<Reply> AddAttachment(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(IncidentService(api.store).AddAttachment(*call.principal, id, body), 201);
}

Result<Reply> DownloadAttachment(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(const int64_t attachment_id, PathId(call, "attachment", 1));
  BAKEN_ASSIGN_OR_RETURN(store::IncidentAttachment attachment,
                         IncidentService(api.store).Attachment(*call.principal, id, attachment_id));
  return FileDownload(attachment.name, std::move(attachment.content), attachment.sha256);
}

Result<Reply> GetBreach(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  return JsonReply(IncidentService(api.store).GetBreach(*call.principal, id, MemberParam(call)));
}

Result<Reply> SaveBreach(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(
      IncidentService(api.store).SaveBreach(*call.principal, id, MemberParam(call), body));
}

Result<Reply> AddBreachUpdate(Handlers& api, Call& call) {
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, PathId(call, "incident"));
  BAKEN_ASSIGN_OR_RETURN(Json body, JsonBody(call));
  return JsonReply(
      IncidentService(api.store).AddBreachUpdate(*call.principal, id, MemberParam(call), body),
      201);
}

// The member's breach register; `format=csv` as a download.
Result<Reply> BreachRegister(Handlers& api, Call& call) {
  const std::string& member = call.params.at(0);
  IncidentService service(api.store);
  if (call.request.get_param_value("format") != "csv") {
    return JsonReply(service.Register(*call.principal, member));
  }
  BAKEN_ASSIGN_OR_RETURN(std::string csv, service.RegisterCsv(*call.principal, member));
  Reply reply{200, Json()};
  reply.text = std::move(csv);
  reply.content_type = "text/csv; charset=utf-8";
  reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"datalekregister.csv\"");
  return reply;
}

Result<Reply> IncidentStats(Handlers& api, Call& call) {
  const std::string from = call.request.get_param_value("from");
  const std::string to = call.request.get_param_value("to");
  return JsonReply(IncidentService(api.store).Stats(*call.principal, from, to));
}

}  // namespace

const std::vector<Route>& IncidentRoutes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/incidents", true, &ListIncidents, Body::kNone},
      {"POST", "/api/v1/incidents", true, &CreateIncident, Body::kList},
      {"GET", "/api/v1/incidents/{id}", true, &GetIncident, Body::kNone},
      {"PUT", "/api/v1/incidents/{id}", true, &UpdateIncident, Body::kList},
      {"POST", "/api/v1/incidents/{id}/state", true, &MoveIncident, Body::kSmall},
      {"POST", "/api/v1/incidents/{id}/merge", true, &MergeIncident, Body::kSmall},
      {"GET", "/api/v1/incidents/{id}/history", true, &IncidentHistory, Body::kNone},
      {"GET", "/api/v1/incidents/{id}/journal", true, &ListJournal, Body::kNone},
      {"POST", "/api/v1/incidents/{id}/journal", true, &AddJournalEntry, Body::kList},
      {"POST", "/api/v1/incidents/{id}/journal/{entry}/release", true, &ReleaseJournalEntry,
       Body::kSmall},
      {"GET", "/api/v1/incidents/{id}/tasks", true, &ListTasks, Body::kNone},
      {"POST", "/api/v1/incidents/{id}/tasks", true, &AddTask, Body::kSmall},
      {"PUT", "/api/v1/incidents/{id}/tasks/{task}", true, &UpdateTask, Body::kSmall},
      {"GET", "/api/v1/incidents/{id}/links", true, &ListLinks, Body::kNone},
      {"POST", "/api/v1/incidents/{id}/links", true, &AddLink, Body::kSmall},
      {"GET", "/api/v1/incidents/{id}/participations", true, &ListParticipations, Body::kNone},
      {"POST", "/api/v1/incidents/{id}/participations", true, &AddParticipations, Body::kList},
      {"GET", "/api/v1/incidents/{id}/participations/{member}", true, &GetParticipation,
       Body::kNone},
      {"PUT", "/api/v1/incidents/{id}/participations/{member}", true, &UpdateParticipation,
       Body::kSmall},
      {"POST", "/api/v1/incidents/{id}/participations/{member}/state", true, &MoveParticipation,
       Body::kSmall},
      {"GET", "/api/v1/incidents/{id}/attachments", true, &ListAttachments, Body::kNone},
      {"POST", "/api/v1/incidents/{id}/attachments", true, &AddAttachment, Body::kAttachment},
      {"GET", "/api/v1/incidents/{id}/attachments/{attachment}", true, &DownloadAttachment,
       Body::kNone},
      {"GET", "/api/v1/incidents/{id}/participations/{member}/breach", true, &GetBreach,
       Body::kNone},
      {"PUT", "/api/v1/incidents/{id}/participations/{member}/breach", true, &SaveBreach,
       Body::kList},
      {"POST", "/api/v1/incidents/{id}/participations/{member}/breach/updates", true,
       &AddBreachUpdate, Body::kSmall},
      {"GET", "/api/v1/members/{code}/breaches", true, &BreachRegister, Body::kNone},
      {"GET", "/api/v1/stats/incidents", true, &IncidentStats, Body::kNone},
  };
  return kRoutes;
}

}  // namespace baken::http
