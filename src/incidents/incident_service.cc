#include "incidents/incident_service.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/csv_writer.h"
#include "common/fields.h"
#include "common/hash.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/time.h"
#include "common/tlp.h"
#include "incidents/incident.h"
#include "incidents/reader.h"
#include "store/partner_repository.h"

namespace baken::incidents {

namespace {

using store::IncidentRecord;
using store::IncidentTask;
using store::JournalEntry;
using store::ParticipationRecord;

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxText = 20000;
constexpr size_t kMaxShort = 500;
constexpr size_t kMaxNote = 2000;

// Classification and type: both or neither, and a pair of the taxonomy. Null clears both.
void ReadClassification(Fields& fields, IncidentRecord& incident, bool update) {
  const bool has_class = fields.Has("classification");
  const bool has_type = fields.Has("type");
  if (!has_class && !has_type) return;
  if (fields.IsNull("classification") && fields.IsNull("type") && update) {
    incident.classification.reset();
    incident.type.reset();
    return;
  }
  auto classification = fields.Text("classification", 100);
  auto type = fields.Text("type", 100);
  if (!classification || !type) {
    if (has_class != has_type || classification.has_value() != type.has_value()) {
      fields.Problem(problems::incident_classification_incomplete,
                     {{"field", has_class ? "type" : "classification"}});
    }
    return;
  }
  if (!IsRsitType(*classification, *type)) {
    fields.Problem(problems::incident_classification_unknown,
                   {{"field", IsRsitClass(*classification) ? "type" : "classification"},
                    {"value", *classification + ":" + *type}});
    return;
  }
  incident.classification = std::move(classification);
  incident.type = std::move(type);
}

// An optional choice that null clears.
void ReadOptionalChoice(Fields& fields, std::string_view name,
                        std::span<const std::string_view> choices,
                        std::optional<std::string>& into) {
  if (!fields.Has(name)) return;
  if (fields.IsNull(name)) {
    into.reset();
    return;
  }
  if (auto value = fields.Choice(name, choices)) into = std::move(value);
}

Json IncidentJson(const IncidentRecord& incident) {
  return Json{{"id", incident.id},
              {"title", incident.title},
              {"description", incident.description},
              {"source", incident.source},
              {"source_ref", OrNull(incident.source_ref)},
              {"reporter", incident.reporter},
              {"classification", OrNull(incident.classification)},
              {"type", OrNull(incident.type)},
              {"cause", OrNull(incident.cause)},
              {"impact", OrNull(incident.impact)},
              {"priority", incident.priority},
              {"tlp", incident.tlp},
              {"coordinator", OrNull(incident.coordinator)},
              {"state", incident.state},
              {"merged_into", OrNull(incident.merged_into)},
              {"created_at", incident.created_at},
              {"updated_at", incident.updated_at},
              {"closed_at", OrNull(incident.closed_at)}};
}

// What a member's user sees of the incident: not its own title and description (another
// member's report may be in them), but its participation's title and the shared fields.
Json MemberIncidentJson(const IncidentRecord& incident, const ParticipationRecord& own) {
  return Json{{"id", incident.id},
              {"title", own.title},
              {"classification", OrNull(incident.classification)},
              {"type", OrNull(incident.type)},
              {"cause", OrNull(incident.cause)},
              {"impact", OrNull(incident.impact)},
              {"priority", incident.priority},
              {"tlp", incident.tlp},
              {"coordinator", OrNull(incident.coordinator)},
              {"state", incident.state},
              {"created_at", incident.created_at},
              {"updated_at", incident.updated_at},
              {"closed_at", OrNull(incident.closed_at)}};
}

Json ParticipationJson(const ParticipationRecord& participation, const Reader& reader) {
  Json json{{"member", participation.member},
            {"member_name", participation.member_name},
            {"member_kind", participation.member_kind},
            {"title", participation.title},
            {"state", participation.state},
            {"named", participation.named},
            {"added_at", participation.added_at},
            {"updated_at", participation.updated_at},
            {"closed_at", OrNull(participation.closed_at)}};
  // Whether it is a data breach is the breach record's business: trusted and privacy contacts.
  json["breach"] = reader.MayReadBreach() ? Json(participation.breach) : Json();
  if (reader.staff) {
    json["added_by"] = participation.added_by;
    Json next = Json::array();
    for (std::string_view state : NextStates(participation.state, true)) next.push_back(state);
    json["next_states"] = std::move(next);
  }
  return json;
}

Json EntryJson(const JournalEntry& entry) {
  return Json{{"id", entry.id},
              {"member", OrNull(entry.member)},
              {"author", entry.author},
              {"at", entry.at},
              {"text", entry.text},
              {"tlp", entry.tlp},
              {"released_at", OrNull(entry.released_at)}};
}

Json TaskJson(const IncidentTask& task) {
  return Json{{"id", task.id},
              {"member", OrNull(task.member)},
              {"title", task.title},
              {"owner", OrNull(task.owner)},
              {"due_at", OrNull(task.due_at)},
              {"state", task.state},
              {"reason", OrNull(task.reason)},
              {"created_by", task.created_by},
              {"created_at", task.created_at},
              {"updated_at", task.updated_at}};
}

Json LinkJson(const store::IncidentLink& link) {
  return Json{{"id", link.id},
              {"kind", link.kind},
              {"target", link.target},
              {"added_by", link.added_by},
              {"added_at", link.added_at}};
}

tl::unexpected<Error> NoIncident(int64_t id) {
  return NotFound(fmt::format("incident {} does not exist", id));
}

// Whose participation a member's entry or attachment goes to: a member's user writes in its
// own; staff name one (`member`), or none for the coordination. A named member that does not
// take part is refused naming the field.
Result<std::optional<std::string>> WrittenFor(store::Transaction& tx, const Reader& reader,
                                              int64_t id, std::optional<std::string> member) {
  if (!reader.staff) member = reader.member;
  if (!member) return member;
  BAKEN_ASSIGN_OR_RETURN(auto participation,
                         tx.Incidents().FindParticipation(reader.scope, id, *member));
  if (participation) return member;
  if (!reader.staff) return NoIncident(id);
  return InvalidInput(problems::incident_member_unknown, {{"field", "member"}, {"value", *member}});
}

// What happens to an incident goes into its own history and the audit log, in one transaction.
Status Record(store::Transaction& tx, const auth::Principal& who, std::string_view now,
              int64_t incident, const std::optional<std::string>& member, std::string_view action,
              const Json& detail) {
  const std::string text = registry::DumpJson(detail);
  BAKEN_RETURN_IF_ERROR(tx.Incidents().AddHistory(store::IncidentHistoryEntry{
      0, incident, member, std::string(now), who.actor, std::string(action), text}));
  return tx.Audit().Record(store::AuditEntry{0, std::string(now), who.actor, std::string(action),
                                             fmt::format("incident:{}", incident), text});
}

// The incident in the reader's scope, or not found.
Result<IncidentRecord> Load(store::Transaction& tx, const Reader& reader, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto incident, tx.Incidents().Find(reader.scope, id));
  if (!incident) return NoIncident(id);
  return std::move(*incident);
}

// What a member's user gets for an analysts' action: 404 for an incident (or participation)
// outside its scope, exactly as for one that does not exist, and a refusal only for one it sees.
tl::unexpected<Error> StaffOnly(store::Store& store, const auth::Principal& who, int64_t id,
                                std::string_view what,
                                std::optional<std::string_view> member = std::nullopt) {
  auto tx = store.Begin(store::Access::kRead);
  if (!tx) return tl::unexpected(tx.error());
  auto reader = Reader::For(**tx, who);
  if (!reader) return tl::unexpected(reader.error());
  auto incident = Load(**tx, *reader, id);
  if (!incident) return tl::unexpected(incident.error());
  if (member) {
    auto participation = (*tx)->Incidents().FindParticipation(reader->scope, id, *member);
    if (!participation) return tl::unexpected(participation.error());
    if (!*participation) {
      return NotFound(fmt::format("incident {} has no participation of {}", id, Quote(*member)));
    }
  }
  return PermissionDenied(fmt::format("only analysts may {}", what));
}

// What an escalated event or warning brings to an incident: the link back to it, the member it
// belongs to (an unrouted event: none), its TLP and (an event's) type.
struct Escalated {
  std::string field;  // where the request named it: "events[0]"
  std::string kind;   // "event" or "warning", as the link's kind
  int64_t id = 0;
  std::optional<std::string> member;
  std::string tlp;
  std::string type;  // an event's classification.type
};

// The events and warnings a request names, looked up among all (only staff escalate); one that
// does not exist is a problem added to `refused` that names its place in the request.
Result<std::vector<Escalated>> FindEscalated(store::Transaction& tx,
                                             const std::vector<int64_t>& events,
                                             const std::vector<int64_t>& warnings,
                                             std::vector<Error>& refused) {
  std::vector<Escalated> found;
  const auto unknown = [&](std::string field, int64_t id) {
    refused.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_source_unknown,
                            {{"field", std::move(field)}, {"value", std::to_string(id)}}));
  };
  for (size_t i = 0; i < events.size(); ++i) {
    std::string field = fmt::format("events[{}]", i);
    BAKEN_ASSIGN_OR_RETURN(auto event, tx.Events().Find(registry::Scope::All(), events[i]));
    if (!event) {
      unknown(std::move(field), events[i]);
      continue;
    }
    found.push_back(Escalated{std::move(field), "event", event->id, event->record.member,
                              event->record.tlp, event->record.classification_type});
  }
  for (size_t i = 0; i < warnings.size(); ++i) {
    std::string field = fmt::format("warnings[{}]", i);
    BAKEN_ASSIGN_OR_RETURN(auto warning,
                           tx.Advisories().FindWarning(registry::Scope::All(), warnings[i],
                                                       /*with_red=*/true));
    if (!warning) {
      unknown(std::move(field), warnings[i]);
      continue;
    }
    found.push_back(
        Escalated{std::move(field), "warning", warning->id, warning->member, warning->tlp, ""});
  }
  return found;
}

// The stricter of two TLP levels (an unknown name counts for nothing).
std::string StricterTlp(std::string_view one, std::string_view other) {
  const auto a = ParseTlp(one);
  const auto b = ParseTlp(other);
  if (!b) return std::string(one);
  if (!a) return std::string(other);
  return std::string(baken::Name(std::max(*a, *b)));
}

// The links back to what was escalated, each in the history once.
Status LinkEscalated(store::Transaction& tx, const auth::Principal& who, std::string_view now,
                     int64_t incident, const std::vector<Escalated>& escalated) {
  for (const Escalated& each : escalated) {
    const std::string target = std::to_string(each.id);
    BAKEN_ASSIGN_OR_RETURN(
        const bool added, tx.Incidents().AddLink(store::IncidentLink{0, incident, each.kind, target,
                                                                     who.actor, std::string(now)}));
    if (added) {
      BAKEN_RETURN_IF_ERROR(Record(tx, who, now, incident, std::nullopt, "incident.link",
                                   Json{{"kind", each.kind}, {"target", target}}));
    }
  }
  return {};
}

Status RefuseClosed(const IncidentRecord& incident) {
  if (incident.state != kClosed) return {};
  return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_closed));
}

// The transition, or a refusal that names the states it may go to.
Status CheckTransition(std::string_view from, std::string_view to, bool participation) {
  if (MayMove(from, to, participation)) return {};
  // The states as codes, so that the portal shows each in the reader's language.
  std::string next;
  for (std::string_view state : NextStates(from, participation)) {
    next += (next.empty() ? "" : ", ") + std::string(state);
  }
  return InvalidInput(
      problems::incident_transition_refused,
      {{"from", std::string(from)}, {"to", std::string(to)}, {"next", next.empty() ? "-" : next}});
}

tl::unexpected<Error> CloseRefused(std::vector<Error> rules) {
  Error error = Coded(ErrorCode::kInvalidArgument, problems::incident_close_refused);
  for (const Error& rule : rules) error.message += "; " + rule.message;
  error.causes = std::move(rules);
  return tl::unexpected(std::move(error));
}

int64_t OpenTasks(const std::vector<IncidentTask>& tasks, const std::optional<std::string>& member,
                  bool all) {
  return std::count_if(tasks.begin(), tasks.end(), [&](const IncidentTask& task) {
    return task.state == "open" && (all || task.member == member);
  });
}

Status CheckParticipationMayClose(store::Transaction& tx,
                                  const ParticipationRecord& participation) {
  std::vector<Error> rules;
  if (participation.breach == "undecided") {
    rules.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_close_breach_undecided));
  } else if (participation.breach == "breach") {
    BAKEN_ASSIGN_OR_RETURN(auto breach, tx.Incidents().FindBreach(participation.id));
    if (!breach || breach->ap_decision == "undecided" || breach->subjects_decision == "undecided") {
      rules.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_close_breach_open));
    }
  }
  BAKEN_ASSIGN_OR_RETURN(auto tasks,
                         tx.Incidents().Tasks(registry::Scope::OneMember(participation.member),
                                              participation.incident_id));
  if (const int64_t open = OpenTasks(tasks, participation.member, false); open > 0) {
    rules.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_close_open_tasks,
                          {{"count", std::to_string(open)}}));
  }
  if (rules.empty()) return {};
  return CloseRefused(std::move(rules));
}

Status CheckIncidentMayClose(store::Transaction& tx, const IncidentRecord& incident) {
  std::vector<Error> rules;
  const auto needs = [&](std::string_view field, bool set) {
    if (!set) {
      rules.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_close_needs_field,
                            {{"field", std::string(field)}}));
    }
  };
  needs("classification", incident.classification.has_value());
  needs("cause", incident.cause.has_value());
  needs("impact", incident.impact.has_value());
  BAKEN_ASSIGN_OR_RETURN(auto tasks, tx.Incidents().Tasks(registry::Scope::All(), incident.id));
  if (const int64_t open = OpenTasks(tasks, std::nullopt, true); open > 0) {
    rules.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_close_open_tasks,
                          {{"count", std::to_string(open)}}));
  }
  BAKEN_ASSIGN_OR_RETURN(auto participations,
                         tx.Incidents().Participations(registry::Scope::All(), incident.id));
  const int64_t open = std::count_if(
      participations.begin(), participations.end(),
      [](const ParticipationRecord& participation) { return participation.state != kClosed; });
  if (open > 0) {
    rules.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_close_open_participations,
                          {{"count", std::to_string(open)}}));
  }
  if (rules.empty()) return {};
  return CloseRefused(std::move(rules));
}

// A stats bound: a date is midnight UTC, so that text order is time order.
constexpr std::chrono::hours kBreachDeadline{72};

constexpr std::string_view kBreachUpdateKinds[] = {"supplement", "change", "withdrawal"};

bool Withdrawn(const std::vector<store::BreachUpdate>& updates) {
  return std::any_of(updates.begin(), updates.end(),
                     [](const auto& update) { return update.kind == "withdrawal"; });
}

// Where the breach stands: notified (or the notification withdrawn), decided not to notify,
// past the AP's 72 hours, or open.
std::string BreachState(const store::BreachRecord& breach,
                        const std::vector<store::BreachUpdate>& updates, std::string_view now) {
  if (breach.ap_decision == "notify" && breach.ap_notified_at) {
    return Withdrawn(updates) ? "withdrawn" : "notified";
  }
  if (breach.ap_decision == "no_notify") return "not_notified";
  return now >= breach.deadline_at ? "overdue" : "open";
}

Json BreachJson(const store::BreachRecord& breach, const std::vector<store::BreachUpdate>& updates,
                std::chrono::system_clock::time_point now) {
  Json details = Json::parse(breach.details, nullptr, /*allow_exceptions=*/false);
  const auto deadline = ParseUtc(breach.deadline_at);
  const int64_t seconds_left =
      deadline ? std::chrono::duration_cast<std::chrono::seconds>(*deadline - now).count() : 0;
  Json update_list = Json::array();
  for (const auto& update : updates) {
    update_list.push_back(Json{{"kind", update.kind},
                               {"sent_at", update.sent_at},
                               {"note", update.note},
                               {"added_by", update.added_by},
                               {"added_at", update.added_at}});
  }
  return Json{{"aware_at", breach.aware_at},
              {"deadline_at", breach.deadline_at},
              {"state", BreachState(breach, updates, FormatUtc(now))},
              {"ap_updates", std::move(update_list)},
              {"seconds_left", seconds_left},
              {"details", details.is_object() ? details : Json::object()},
              {"ap_decision", breach.ap_decision},
              {"ap_reason", OrNull(breach.ap_reason)},
              {"ap_notified_at", OrNull(breach.ap_notified_at)},
              {"ap_reference", OrNull(breach.ap_reference)},
              {"delay_reason", OrNull(breach.delay_reason)},
              {"subjects_decision", breach.subjects_decision},
              {"subjects_reason", OrNull(breach.subjects_reason)},
              {"created_by", breach.created_by},
              {"created_at", breach.created_at},
              {"updated_at", breach.updated_at}};
}

// The facts of the AP's form (incidents_sharing.md §9.2), each checked as what it is.
constexpr std::string_view kBreachTexts[] = {
    "description",   "processors", "protection", "consequences",        "measures",
    "cross_border",  "reporter",   "dpo",        "other_notifications", "risk_rationale",
    "subjects_text", "channel"};
constexpr std::string_view kBreachLists[] = {"nature", "data_categories", "special_categories",
                                             "subject_categories", "systems"};
constexpr std::string_view kBreachNumbers[] = {"records", "subjects"};
constexpr std::string_view kBreachTimes[] = {"discovered_at", "started_at", "ended_at",
                                             "subjects_informed_at"};
constexpr std::string_view kRisks[] = {"none", "risk", "high_risk"};

void CheckBreachDetails(const Json& details, std::vector<Error>& problems) {
  const auto problem = [&](const ProblemCode& code, ProblemParams params) {
    problems.push_back(Coded(ErrorCode::kInvalidArgument, code, std::move(params)));
  };
  if (!details.is_object()) {
    problem(problems::field_type, {{"field", "details"}, {"kind", "a JSON object"}});
    return;
  }
  const auto in = [](std::span<const std::string_view> names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  for (const auto& [key, value] : details.items()) {
    const std::string field = "details." + key;
    if (value.is_null()) continue;
    if (in(kBreachTexts, key)) {
      if (!value.is_string() || value.get<std::string>().size() > 5000 ||
          HasControl(value.get<std::string>())) {
        problem(problems::field_too_long, {{"field", field}, {"max", "5000"}});
      }
    } else if (in(kBreachLists, key)) {
      bool good = value.is_array() && value.size() <= 50;
      for (size_t i = 0; good && i < value.size(); ++i) {
        good = value[i].is_string() && value[i].get<std::string>().size() <= 200 &&
               !HasControl(value[i].get<std::string>());
      }
      if (!good) {
        problem(problems::field_type,
                {{"field", field}, {"kind", "a list of at most 50 short texts"}});
      }
    } else if (in(kBreachNumbers, key)) {
      if (!value.is_number_integer() || value.get<int64_t>() < 0) {
        problem(problems::field_type, {{"field", field}, {"kind", "a whole number"}});
      }
    } else if (in(kBreachTimes, key)) {
      if (!value.is_string() || value.get<std::string>().size() != 20 ||
          !ParseUtc(value.get<std::string>())) {
        problem(problems::field_time_invalid,
                {{"field", field},
                 {"value", value.is_string() ? value.get<std::string>() : value.dump()}});
      }
    } else if (key == "risk") {
      if (!value.is_string() || !OneOf(kRisks, value.get<std::string>())) {
        problem(problems::field_choice_unknown,
                {{"field", field},
                 {"value", value.is_string() ? value.get<std::string>() : value.dump()},
                 {"choices", ChoicesText(kRisks)}});
      }
    } else {
      problem(problems::field_unknown, {{"field", field}});
    }
  }
}

double Share(int64_t count, int64_t total) {
  if (total == 0) return 0;
  return std::round(1000.0 * static_cast<double>(count) / static_cast<double>(total)) / 10.0;
}

}  // namespace

std::string IncidentService::Now() const { return FormatUtc(clock_()); }

Result<Json> IncidentService::Create(const auth::Principal& who, const Json& body) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const int64_t id, CreateIn(*tx, who, body));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Get(who, id);
}

Result<int64_t> IncidentService::CreateIn(store::Transaction& tx, const auth::Principal& who,
                                          const Json& body) {
  const std::string now = Now();
  IncidentRecord incident;
  incident.reporter = who.actor;
  incident.created_at = now;
  incident.updated_at = now;
  std::vector<std::string> members;
  std::vector<int64_t> events;  // staff escalate events and warnings (decision 0018)
  std::vector<int64_t> warnings;
  bool tlp_given = false;
  bool source_given = false;
  if (!who.IsStaff()) {
    // A member's short form: what happened, in its own words; the CERT classifies.
    Fields fields(body, {"title", "description", "tlp"});
    auto title = fields.Text("title", kMaxTitle, true);
    auto description = fields.Text("description", kMaxText);
    auto tlp = fields.TlpLevel("tlp");
    BAKEN_RETURN_IF_ERROR(fields.Done());
    if (!who.member) return PermissionDenied("this account acts for no member");
    incident.title = *title;
    incident.description = description.value_or("");
    incident.tlp = tlp.value_or("AMBER");
    incident.source = "member";
    incident.source_ref = who.member;
    members.push_back(*who.member);
  } else {
    Fields fields(body,
                  {"title", "description", "classification", "type", "cause", "impact", "priority",
                   "tlp", "coordinator", "source", "source_ref", "members", "events", "warnings"});
    auto title = fields.Text("title", kMaxTitle, true);
    auto description = fields.Text("description", kMaxText);
    ReadClassification(fields, incident, false);
    ReadOptionalChoice(fields, "cause", Causes(), incident.cause);
    ReadOptionalChoice(fields, "impact", Impacts(), incident.impact);
    auto priority = fields.Choice("priority", Priorities());
    auto tlp = fields.TlpLevel("tlp");
    auto coordinator = fields.Text("coordinator", kMaxShort);
    auto source = fields.Choice("source", Sources());
    auto source_ref = fields.Text("source_ref", kMaxShort);
    members = fields.TextList("members");
    events = fields.IdList("events");
    warnings = fields.IdList("warnings");
    BAKEN_RETURN_IF_ERROR(fields.Done());
    incident.title = *title;
    incident.description = description.value_or("");
    incident.priority = priority.value_or("normal");
    incident.tlp = tlp.value_or("AMBER");
    tlp_given = tlp.has_value();
    incident.coordinator = coordinator;
    incident.source = source.value_or("analyst");
    source_given = source.has_value();
    incident.source_ref = source_ref;
  }
  std::vector<Error> unknown;
  for (size_t i = 0; i < members.size(); ++i) {
    auto member = tx.Members().Get(registry::Scope::All(), members[i]);
    if (!member && member.error().code == ErrorCode::kNotFound) {
      unknown.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_member_unknown,
                              {{"field", fmt::format("members[{}]", i)}, {"value", members[i]}}));
    } else if (!member) {
      return tl::unexpected(member.error());
    }
  }
  BAKEN_ASSIGN_OR_RETURN(const auto escalated, FindEscalated(tx, events, warnings, unknown));
  if (!unknown.empty()) return Invalid(unknown);
  if (!escalated.empty()) {
    // The owners take part; the incident is at least as strict as what it came from, and an
    // event's type classifies it when the type belongs to one RSIT classification only.
    bool one_type = true;
    for (const Escalated& each : escalated) {
      if (each.member) members.push_back(*each.member);
      if (!tlp_given) incident.tlp = StricterTlp(incident.tlp, each.tlp);
      one_type = one_type && each.type == escalated.front().type;
    }
    if (!source_given) incident.source = escalated.front().kind;
    if (!incident.source_ref) incident.source_ref = std::to_string(escalated.front().id);
    if (!incident.classification && one_type) {
      if (auto classification = RsitClassOfType(escalated.front().type)) {
        incident.classification = std::move(classification);
        incident.type = escalated.front().type;
      }
    }
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  BAKEN_ASSIGN_OR_RETURN(incident.id, tx.Incidents().Add(incident));
  BAKEN_RETURN_IF_ERROR(
      Record(tx, who, now, incident.id, std::nullopt, "incident.create",
             Json{{"title", incident.title}, {"source", incident.source}, {"members", members}}));
  BAKEN_RETURN_IF_ERROR(LinkEscalated(tx, who, now, incident.id, escalated));
  for (const std::string& member : members) {
    ParticipationRecord participation;
    participation.incident_id = incident.id;
    participation.member = member;
    participation.title = incident.title;
    participation.added_by = who.actor;
    participation.added_at = now;
    participation.updated_at = now;
    BAKEN_RETURN_IF_ERROR(tx.Incidents().AddParticipation(participation));
    BAKEN_RETURN_IF_ERROR(
        Record(tx, who, now, incident.id, member, "participation.add", Json{{"member", member}}));
  }
  if (!who.IsStaff() && !incident.description.empty()) {
    // The report's own words stay in the reporter's participation: no other member reads them.
    BAKEN_RETURN_IF_ERROR(tx.Incidents().AddEntry(
        JournalEntry{0, incident.id, who.member, who.actor, now, incident.description, incident.tlp,
                     std::nullopt, std::nullopt}));
  }
  return incident.id;
}

Result<Json> IncidentService::List(const auth::Principal& who, const store::IncidentQuery& query) {
  if (query.linked && !who.IsStaff()) {
    // Links are the analysts' (Get shows them to staff only).
    return tl::unexpected(
        Coded(ErrorCode::kPermissionDenied, problems::incident_linked_staff_only, {}));
  }
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(auto incidents, tx->Incidents().List(reader.scope, query));
  BAKEN_ASSIGN_OR_RETURN(const int64_t total, tx->Incidents().Count(reader.scope, query));
  Json list = Json::array();
  for (const IncidentRecord& incident : incidents) {
    if (reader.staff) {
      Json item = IncidentJson(incident);
      item.erase("description");
      BAKEN_ASSIGN_OR_RETURN(auto participations,
                             tx->Incidents().Participations(reader.scope, incident.id));
      item["participants"] = participations.size();
      list.push_back(std::move(item));
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(auto own, tx->Incidents().FindParticipation(reader.scope, incident.id,
                                                                       reader.member.value_or("")));
    if (!own) continue;  // cannot happen: the scope is its participation
    Json item = MemberIncidentJson(incident, *own);
    item["participation_state"] = own->state;
    list.push_back(std::move(item));
  }
  return Json{{"incidents", std::move(list)},
              {"total", total},
              {"offset", query.offset},
              {"limit", query.limit}};
}

Result<Json> IncidentService::Get(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto participations,
                         tx->Incidents().Participations(reader.scope, incident.id));
  BAKEN_ASSIGN_OR_RETURN(auto tasks, tx->Incidents().Tasks(reader.scope, incident.id));
  BAKEN_ASSIGN_OR_RETURN(auto entries, tx->Incidents().Entries(reader.scope, incident.id));
  Json json;
  if (reader.staff) {
    json = IncidentJson(incident);
    Json list = Json::array();
    for (const auto& participation : participations) {
      list.push_back(ParticipationJson(participation, reader));
    }
    json["participations"] = std::move(list);
    Json next = Json::array();
    for (std::string_view state : NextStates(incident.state)) next.push_back(state);
    json["next_states"] = std::move(next);
    BAKEN_ASSIGN_OR_RETURN(auto links, tx->Incidents().Links(incident.id));
    Json link_list = Json::array();
    for (const auto& link : links) link_list.push_back(LinkJson(link));
    json["links"] = std::move(link_list);
  } else {
    if (participations.size() != 1) return NoIncident(id);  // the scope is one participation
    json = MemberIncidentJson(incident, participations.front());
    json["participation"] = ParticipationJson(participations.front(), reader);
    // Other members only by name, and only those the coordinator named to the participants.
    BAKEN_ASSIGN_OR_RETURN(auto everyone,
                           tx->Incidents().Participations(registry::Scope::All(), incident.id));
    Json named = Json::array();
    for (const auto& other : everyone) {
      if (other.named && other.member != participations.front().member) {
        named.push_back(Json{{"member", other.member}, {"member_name", other.member_name}});
      }
    }
    json["participants"] = std::move(named);
  }
  Json task_list = Json::array();
  for (const auto& task : tasks) task_list.push_back(TaskJson(task));
  json["tasks"] = std::move(task_list);
  Json journal = Json::array();
  for (const auto& entry : entries) {
    if (reader.MayRead(entry.tlp, entry.author)) journal.push_back(EntryJson(entry));
  }
  json["journal"] = std::move(journal);
  return json;
}

Result<Json> IncidentService::Update(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "change an incident");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_RETURN_IF_ERROR(RefuseClosed(incident));
  const IncidentRecord before = incident;
  Fields fields(body, {"title", "description", "classification", "type", "cause", "impact",
                       "priority", "tlp", "coordinator"});
  if (fields.Has("title")) {
    if (auto title = fields.Text("title", kMaxTitle, true)) incident.title = *title;
  }
  if (fields.Has("description"))
    incident.description = fields.Text("description", kMaxText).value_or("");
  ReadClassification(fields, incident, true);
  ReadOptionalChoice(fields, "cause", Causes(), incident.cause);
  ReadOptionalChoice(fields, "impact", Impacts(), incident.impact);
  if (fields.Has("priority")) {
    if (auto priority = fields.Choice("priority", Priorities(), true))
      incident.priority = *priority;
  }
  if (fields.Has("tlp")) {
    if (auto tlp = fields.TlpLevel("tlp")) incident.tlp = *tlp;
  }
  if (fields.Has("coordinator")) incident.coordinator = fields.Text("coordinator", kMaxShort);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  const std::string now = Now();
  incident.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().Update(incident));
  // The history keeps what changed, from and to.
  Json changes = Json::object();
  const Json old_json = IncidentJson(before);
  const Json new_json = IncidentJson(incident);
  for (const auto& [key, value] : new_json.items()) {
    if (key != "updated_at" && old_json[key] != value) {
      changes[key] = Json{{"from", old_json[key]}, {"to", value}};
    }
  }
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, std::nullopt, "incident.update", changes));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Get(who, id);
}

Result<Json> IncidentService::Move(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "change an incident's state");
  Fields fields(body, {"state", "note"});
  auto state = fields.Choice("state", IncidentStates(), true);
  auto note = fields.Text("note", kMaxNote);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  if (incident.merged_into)
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_closed));
  BAKEN_RETURN_IF_ERROR(CheckTransition(incident.state, *state, false));
  if (*state == kClosed) BAKEN_RETURN_IF_ERROR(CheckIncidentMayClose(*tx, incident));
  const std::string now = Now();
  const std::string from = incident.state;
  incident.state = *state;
  incident.updated_at = now;
  if (*state == kClosed) {
    incident.closed_at = now;
  } else {
    incident.closed_at.reset();
  }
  BAKEN_RETURN_IF_ERROR(tx->Incidents().Update(incident));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, std::nullopt, "incident.state",
                               Json{{"from", from}, {"to", *state}, {"note", OrNull(note)}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Get(who, id);
}

Result<Json> IncidentService::Merge(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "merge incidents");
  Fields fields(body, {"into"});
  auto into = fields.Id("into", true);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord duplicate, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto target, tx->Incidents().Find(reader.scope, *into));
  if (!target || *into == id || target->state == kClosed || target->merged_into ||
      duplicate.state == kClosed) {
    return InvalidInput(problems::incident_merge_refused, {{"value", std::to_string(*into)}});
  }
  const std::string now = Now();
  BAKEN_ASSIGN_OR_RETURN(auto moved, tx->Incidents().MoveParticipations(id, *into));
  // Members that took part in both keep their participation in the one that stays; the one
  // left with the duplicate closes with it.
  BAKEN_ASSIGN_OR_RETURN(auto left, tx->Incidents().Participations(registry::Scope::All(), id));
  for (ParticipationRecord& participation : left) {
    if (participation.state == kClosed) continue;
    participation.state = std::string(kClosed);
    participation.updated_at = now;
    participation.closed_at = now;
    BAKEN_RETURN_IF_ERROR(tx->Incidents().UpdateParticipation(participation));
  }
  duplicate.state = std::string(kClosed);
  duplicate.merged_into = *into;
  duplicate.updated_at = now;
  duplicate.closed_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().Update(duplicate));
  for (const auto& [from, to] : {std::pair{id, *into}, std::pair{*into, id}}) {
    BAKEN_RETURN_IF_ERROR(tx->Incidents().AddLink(
        store::IncidentLink{0, from, "incident", std::to_string(to), who.actor, now}));
  }
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, std::nullopt, "incident.merge",
                               Json{{"into", *into}, {"moved", moved}}));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, *into, std::nullopt, "incident.merged_in",
                               Json{{"from", id}, {"moved", moved}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Get(who, *into);
}

Result<Json> IncidentService::History(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto history, tx->Incidents().History(reader.scope, incident.id));
  Json list = Json::array();
  for (const auto& entry : history) {
    Json detail = Json::parse(entry.detail, nullptr, /*allow_exceptions=*/false);
    list.push_back(Json{{"at", entry.at},
                        {"actor", entry.actor},
                        {"action", entry.action},
                        {"member", OrNull(entry.member)},
                        {"detail", detail.is_discarded() ? Json() : detail}});
  }
  return Json{{"history", std::move(list)}};
}

Result<Json> IncidentService::AddEntry(const auth::Principal& who, int64_t id, const Json& body) {
  Fields fields(body, who.IsStaff()
                          ? std::initializer_list<std::string_view>{"text", "tlp", "member"}
                          : std::initializer_list<std::string_view>{"text", "tlp"});
  auto text = fields.Text("text", kMaxText, true);
  auto tlp = fields.TlpLevel("tlp");
  auto member = fields.Text("member", 100);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(member, WrittenFor(*tx, reader, id, member));
  const std::string now = Now();
  JournalEntry entry{
      0, id, member, who.actor, now, *text, tlp.value_or(incident.tlp), std::nullopt, std::nullopt};
  BAKEN_ASSIGN_OR_RETURN(entry.id, tx->Incidents().AddEntry(entry));
  if (reader.staff && member) {
    // The CERT wrote in the member's participation: the member hears of it.
    BAKEN_RETURN_IF_ERROR(tx->Incidents().AddNotice(
        store::IncidentNotice{0, id, *member, "entry", entry.text, entry.tlp, now, std::nullopt}));
  }
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, member, "incident.journal",
                               Json{{"entry", entry.id}, {"tlp", entry.tlp}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return EntryJson(entry);
}

Result<Json> IncidentService::ReleaseEntry(const auth::Principal& who, int64_t id,
                                           int64_t entry_id) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "release coordination entries");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto entry, tx->Incidents().FindEntry(reader.scope, id, entry_id));
  if (!entry) return NotFound(fmt::format("incident {} has no journal entry {}", id, entry_id));
  if (entry->member || entry->released_at) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_release_refused));
  }
  const std::string now = Now();
  BAKEN_RETURN_IF_ERROR(tx->Incidents().ReleaseEntry(entry_id, who.actor, now));
  entry->released_at = now;
  entry->released_by = who.actor;
  // Every participant hears of it by e-mail, as its TLP allows (NotifyService).
  BAKEN_ASSIGN_OR_RETURN(auto participations,
                         tx->Incidents().Participations(registry::Scope::All(), id));
  for (const auto& participation : participations) {
    if (participation.state == kClosed) continue;
    BAKEN_RETURN_IF_ERROR(tx->Incidents().AddNotice(store::IncidentNotice{
        0, id, participation.member, "entry", entry->text, entry->tlp, now, std::nullopt}));
  }
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, std::nullopt, "incident.release",
                               Json{{"entry", entry_id}, {"tlp", entry->tlp}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return EntryJson(*entry);
}

Result<Json> IncidentService::AddTask(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "add tasks");
  Fields fields(body, {"title", "owner", "due_at", "member"});
  auto title = fields.Text("title", kMaxShort, true);
  auto owner = fields.Text("owner", kMaxShort);
  auto due_at = fields.Time("due_at");
  auto member = fields.Text("member", 100);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_RETURN_IF_ERROR(RefuseClosed(incident));
  if (member) {
    BAKEN_ASSIGN_OR_RETURN(auto participation,
                           tx->Incidents().FindParticipation(reader.scope, id, *member));
    if (!participation) {
      return InvalidInput(problems::incident_member_unknown,
                          {{"field", "member"}, {"value", *member}});
    }
  }
  const std::string now = Now();
  IncidentTask task{0,      id,           member,    *title, owner, due_at,
                    "open", std::nullopt, who.actor, now,    now};
  BAKEN_ASSIGN_OR_RETURN(task.id, tx->Incidents().AddTask(task));
  if (member) {
    BAKEN_RETURN_IF_ERROR(tx->Incidents().AddNotice(store::IncidentNotice{
        0, id, *member, "task", task.title, incident.tlp, now, std::nullopt}));
  }
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, member, "incident.task",
                               Json{{"task", task.id}, {"title", task.title}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return TaskJson(task);
}

Result<Json> IncidentService::UpdateTask(const auth::Principal& who, int64_t id, int64_t task_id,
                                         const Json& body) {
  Fields fields(body, who.IsStaff()
                          ? std::initializer_list<std::string_view>{"title", "owner", "due_at",
                                                                    "state", "reason"}
                          : std::initializer_list<std::string_view>{"state", "reason"});
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto tasks, tx->Incidents().Tasks(reader.scope, id));
  auto found = std::find_if(tasks.begin(), tasks.end(),
                            [&](const IncidentTask& task) { return task.id == task_id; });
  if (found == tasks.end()) return NotFound(fmt::format("incident {} has no task {}", id, task_id));
  IncidentTask task = *found;
  const IncidentTask before = task;
  if (fields.Has("title")) {
    if (auto title = fields.Text("title", kMaxShort, true)) task.title = *title;
  }
  if (fields.Has("owner")) task.owner = fields.Text("owner", kMaxShort);
  if (fields.Has("due_at")) task.due_at = fields.Time("due_at");
  if (fields.Has("state")) {
    // A member's user reports its task done; dropping one is the CERT's decision.
    const std::span<const std::string_view> choices =
        reader.staff ? TaskStates() : TaskStates().subspan(0, 2);
    if (auto state = fields.Choice("state", choices, true)) task.state = *state;
  }
  if (fields.Has("reason")) task.reason = fields.Text("reason", kMaxNote);
  if (task.state == "dropped" && (!task.reason || task.reason->empty())) {
    fields.Problem(problems::incident_task_reason_needed, {});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_RETURN_IF_ERROR(RefuseClosed(incident));
  const std::string now = Now();
  task.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().UpdateTask(task));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, task.member, "incident.task_update",
                               Json{{"task", task.id},
                                    {"from", TaskJson(before)["state"]},
                                    {"to", task.state},
                                    {"reason", OrNull(task.reason)}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return TaskJson(task);
}

namespace {

Json AttachmentJson(const store::IncidentAttachment& attachment) {
  return Json{{"id", attachment.id},
              {"member", OrNull(attachment.member)},
              {"name", attachment.name},
              {"media_type", attachment.media_type},
              {"size", attachment.size},
              {"sha256", attachment.sha256},
              {"tlp", attachment.tlp},
              {"added_by", attachment.added_by},
              {"added_at", attachment.added_at}};
}

}  // namespace

Result<Json> IncidentService::AddAttachment(const auth::Principal& who, int64_t id,
                                            const Json& body) {
  Fields fields(body, who.IsStaff() ? std::initializer_list<std::string_view>{"name", "media_type",
                                                                              "content_base64",
                                                                              "tlp", "member"}
                                    : std::initializer_list<std::string_view>{
                                          "name", "media_type", "content_base64", "tlp"});
  auto name = fields.Text("name", 255, true);
  auto media_type = fields.Text("media_type", 255);
  auto tlp = fields.TlpLevel("tlp");
  auto member = fields.Text("member", 100);
  std::optional<std::string> content;
  // The encoded text may be a third larger than the bytes; the transport's limit holds both.
  if (auto encoded =
          fields.Text("content_base64", static_cast<size_t>(kMaxAttachmentBytes) * 2, true)) {
    content = DecodeBase64(*encoded);
    if (!content) {
      fields.Problem(problems::incident_attachment_not_base64, {{"field", "content_base64"}});
    } else if (static_cast<int64_t>(content->size()) > kMaxAttachmentBytes) {
      fields.Problem(problems::incident_attachment_too_large,
                     {{"field", "content_base64"},
                      {"size", std::to_string(content->size())},
                      {"max", std::to_string(kMaxAttachmentBytes)}});
    }
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(member, WrittenFor(*tx, reader, id, member));
  const std::string now = Now();
  store::IncidentAttachment attachment;
  attachment.incident_id = id;
  attachment.member = member;
  attachment.name = *name;
  attachment.media_type = media_type.value_or("application/octet-stream");
  attachment.size = static_cast<int64_t>(content->size());
  attachment.sha256 = Sha256Hex(*content);
  attachment.content = std::move(*content);
  attachment.tlp = tlp.value_or(incident.tlp);
  attachment.added_by = who.actor;
  attachment.added_at = now;
  BAKEN_ASSIGN_OR_RETURN(attachment.id, tx->Incidents().AddAttachment(attachment));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, member, "incident.attachment",
                               Json{{"attachment", attachment.id},
                                    {"name", attachment.name},
                                    {"sha256", attachment.sha256},
                                    {"size", attachment.size}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return AttachmentJson(attachment);
}

Result<Json> IncidentService::Attachments(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto attachments, tx->Incidents().Attachments(reader.scope, incident.id));
  Json list = Json::array();
  for (const auto& attachment : attachments) {
    if (reader.MayRead(attachment.tlp, attachment.added_by)) {
      list.push_back(AttachmentJson(attachment));
    }
  }
  return Json{{"attachments", std::move(list)}};
}

Result<store::IncidentAttachment> IncidentService::Attachment(const auth::Principal& who,
                                                              int64_t id, int64_t attachment_id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto attachment,
                         tx->Incidents().FindAttachment(reader.scope, incident.id, attachment_id));
  if (!attachment || !reader.MayRead(attachment->tlp, attachment->added_by)) {
    return NotFound(fmt::format("incident {} has no attachment {}", id, attachment_id));
  }
  return std::move(*attachment);
}

Result<Json> IncidentService::AddLink(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "link incidents");
  Fields fields(body, {"kind", "target"});
  auto kind = fields.Choice("kind", LinkKinds(), true);
  auto target = fields.Text("target", 200, true);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  bool exists = true;
  if (*kind == "incident") {
    int64_t other = 0;
    const auto [end, error] =
        std::from_chars(target->data(), target->data() + target->size(), other);
    exists = error == std::errc() && end == target->data() + target->size() && other != id;
    if (exists) {
      BAKEN_ASSIGN_OR_RETURN(auto found, tx->Incidents().Find(reader.scope, other));
      exists = found.has_value();
    }
  } else if (*kind == "advisory") {
    BAKEN_ASSIGN_OR_RETURN(auto found, tx->Advisories().FindById(*target));
    exists = !found.empty();
  } else {
    exists = !target->empty() && std::all_of(target->begin(), target->end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
  }
  if (!exists) {
    return InvalidInput(problems::incident_link_unknown, {{"kind", *kind}, {"value", *target}});
  }
  const std::string now = Now();
  store::IncidentLink link{0, id, *kind, *target, who.actor, now};
  BAKEN_ASSIGN_OR_RETURN(const bool added, tx->Incidents().AddLink(link));
  if (added) {
    BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, std::nullopt, "incident.link",
                                 Json{{"kind", *kind}, {"target", *target}}));
  }
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  (void)incident;
  BAKEN_ASSIGN_OR_RETURN(auto read, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto links, read->Incidents().Links(id));
  Json list = Json::array();
  for (const auto& each : links) list.push_back(LinkJson(each));
  return Json{{"links", std::move(list)}};
}

Result<Json> IncidentService::AddParticipations(const auth::Principal& who, int64_t id,
                                                const Json& body) {
  if (!who.IsStaff()) return StaffOnly(store_, who, id, "add members to an incident");
  Fields fields(body, {"members", "events", "title", "named"});
  std::vector<std::string> members = fields.TextList("members");
  const std::vector<int64_t> events = fields.IdList("events");
  auto title = fields.Text("title", kMaxTitle);
  auto named = fields.Flag("named");
  if (members.empty() && events.empty()) {
    fields.Problem(problems::field_required, {{"field", "members"}});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_RETURN_IF_ERROR(RefuseClosed(incident));
  if (incident.source == "member" && !title) {
    // The reporter's title may name the reporter (decision 0018).
    return InvalidInput(problems::incident_title_needed, {});
  }
  std::vector<Error> refused;
  BAKEN_ASSIGN_OR_RETURN(const auto escalated, FindEscalated(*tx, events, {}, refused));
  // An event's owner joins unless it takes part already (the event is linked all the same);
  // an event that belongs to no member brings no one.
  std::set<std::string> owners;
  for (const Escalated& each : escalated) {
    if (!each.member) {
      refused.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_event_unrouted,
                              {{"field", each.field}, {"value", std::to_string(each.id)}}));
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(auto existing,
                           tx->Incidents().FindParticipation(reader.scope, id, *each.member));
    if (!existing && owners.insert(*each.member).second) members.push_back(*each.member);
  }
  std::set<std::string> seen;
  const std::string now = Now();
  for (size_t i = 0; i < members.size(); ++i) {
    const std::string& code = members[i];
    if (!seen.insert(code).second) continue;
    auto member = tx->Members().Get(registry::Scope::All(), code);
    if (!member) {
      if (member.error().code != ErrorCode::kNotFound) return tl::unexpected(member.error());
      refused.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_member_unknown,
                              {{"field", fmt::format("members[{}]", i)}, {"value", code}}));
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(auto existing,
                           tx->Incidents().FindParticipation(reader.scope, id, code));
    if (existing) {
      refused.push_back(Coded(ErrorCode::kInvalidArgument, problems::incident_already_taking_part,
                              {{"value", code}}));
      continue;
    }
    ParticipationRecord participation;
    participation.incident_id = id;
    participation.member = code;
    participation.title = title.value_or(incident.title);
    participation.named = named.value_or(false);
    participation.added_by = who.actor;
    participation.added_at = now;
    participation.updated_at = now;
    BAKEN_RETURN_IF_ERROR(tx->Incidents().AddParticipation(participation));
    BAKEN_RETURN_IF_ERROR(
        Record(*tx, who, now, id, code, "participation.add", Json{{"member", code}}));
  }
  if (!refused.empty()) return Invalid(refused);  // nothing is added: the transaction rolls back
  BAKEN_RETURN_IF_ERROR(LinkEscalated(*tx, who, now, id, escalated));
  incident.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().Update(incident));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Participations(who, id);
}

Result<Json> IncidentService::Participations(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto participations,
                         tx->Incidents().Participations(reader.scope, incident.id));
  Json list = Json::array();
  for (const auto& participation : participations) {
    list.push_back(ParticipationJson(participation, reader));
  }
  return Json{{"participations", std::move(list)}};
}

Result<Json> IncidentService::GetParticipation(const auth::Principal& who, int64_t id,
                                               std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto participation,
                         tx->Incidents().FindParticipation(reader.scope, incident.id, member));
  if (!participation) {
    return NotFound(fmt::format("incident {} has no participation of {}", id, Quote(member)));
  }
  Json json = ParticipationJson(*participation, reader);
  Json next = Json::array();
  if (reader.staff) {
    for (std::string_view state : NextStates(participation->state, true)) next.push_back(state);
  }
  json["next_states"] = std::move(next);
  return json;
}

Result<Json> IncidentService::UpdateParticipation(const auth::Principal& who, int64_t id,
                                                  std::string_view member, const Json& body) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto participation,
                         tx->Incidents().FindParticipation(reader.scope, incident.id, member));
  if (!participation) {
    return NotFound(fmt::format("incident {} has no participation of {}", id, Quote(member)));
  }
  if (!reader.MayReadBreach())
    return PermissionDenied(
        "only the member's trusted and privacy "
        "contacts may decide on a data breach");
  Fields fields(body, reader.staff
                          ? std::initializer_list<std::string_view>{"title", "named", "breach"}
                          : std::initializer_list<std::string_view>{"breach"});
  const ParticipationRecord before = *participation;
  if (fields.Has("title")) {
    if (auto title = fields.Text("title", kMaxTitle, true)) participation->title = *title;
  }
  if (auto named = fields.Flag("named")) participation->named = *named;
  if (fields.Has("breach")) {
    if (auto breach = fields.Choice("breach", BreachDecisions(), true)) {
      participation->breach = *breach;
    }
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  if (participation->state == kClosed) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_closed));
  }
  const std::string now = Now();
  participation->updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().UpdateParticipation(*participation));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, participation->member, "participation.update",
                               Json{{"title", participation->title != before.title},
                                    {"named", participation->named},
                                    {"breach", participation->breach}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return ParticipationJson(*participation, reader);
}

Result<Json> IncidentService::MoveParticipation(const auth::Principal& who, int64_t id,
                                                std::string_view member, const Json& body) {
  if (!who.IsStaff()) {
    return StaffOnly(store_, who, id, "change a participation's state", member);
  }
  Fields fields(body, {"state", "note"});
  auto state = fields.Choice("state", ParticipationStates(), true);
  auto note = fields.Text("note", kMaxNote);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(*tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto participation,
                         tx->Incidents().FindParticipation(reader.scope, incident.id, member));
  if (!participation) {
    return NotFound(fmt::format("incident {} has no participation of {}", id, Quote(member)));
  }
  BAKEN_RETURN_IF_ERROR(CheckTransition(participation->state, *state, true));
  if (*state == kClosed) BAKEN_RETURN_IF_ERROR(CheckParticipationMayClose(*tx, *participation));
  const std::string now = Now();
  const std::string from = participation->state;
  participation->state = *state;
  participation->updated_at = now;
  if (*state == kClosed) {
    participation->closed_at = now;
  } else {
    participation->closed_at.reset();
  }
  BAKEN_RETURN_IF_ERROR(tx->Incidents().UpdateParticipation(*participation));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, participation->member, "participation.state",
                               Json{{"from", from}, {"to", *state}, {"note", OrNull(note)}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return ParticipationJson(*participation, reader);
}

namespace {

// The participation whose breach the reader may read and keep, or 404: for a member's user
// without a trusted or privacy role the breach does not exist, whether or not there is one.
Result<ParticipationRecord> BreachParticipation(store::Transaction& tx, const Reader& reader,
                                                int64_t id, std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(IncidentRecord incident, Load(tx, reader, id));
  BAKEN_ASSIGN_OR_RETURN(auto participation,
                         tx.Incidents().FindParticipation(reader.scope, incident.id, member));
  if (!participation || !reader.MayReadBreach()) {
    return NotFound(fmt::format("incident {} has no data breach of {}", id, Quote(member)));
  }
  return std::move(*participation);
}

// A breach recorded for a participation the reader may keep it for, with its updates to the AP.
struct RecordedBreach {
  ParticipationRecord participation;
  store::BreachRecord breach;
  std::vector<store::BreachUpdate> updates;
};

Result<RecordedBreach> LoadBreach(store::Transaction& tx, const Reader& reader, int64_t id,
                                  std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(ParticipationRecord participation,
                         BreachParticipation(tx, reader, id, member));
  BAKEN_ASSIGN_OR_RETURN(auto breach, tx.Incidents().FindBreach(participation.id));
  if (!breach) {
    return NotFound(fmt::format("incident {} has no data breach of {}", id, Quote(member)));
  }
  BAKEN_ASSIGN_OR_RETURN(auto updates, tx.Incidents().BreachUpdates(participation.id));
  return RecordedBreach{std::move(participation), std::move(*breach), std::move(updates)};
}

}  // namespace

Result<Json> IncidentService::GetBreach(const auth::Principal& who, int64_t id,
                                        std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const RecordedBreach recorded, LoadBreach(*tx, reader, id, member));
  return BreachJson(recorded.breach, recorded.updates, clock_());
}

Result<Json> IncidentService::SaveBreach(const auth::Principal& who, int64_t id,
                                         std::string_view member, const Json& body) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(ParticipationRecord participation,
                         BreachParticipation(*tx, reader, id, member));
  BAKEN_ASSIGN_OR_RETURN(auto existing, tx->Incidents().FindBreach(participation.id));
  const auto now_time = clock_();
  const std::string now = FormatUtc(now_time);
  store::BreachRecord breach = existing.value_or(store::BreachRecord{});
  const store::BreachRecord before = breach;
  Fields fields(body, {"aware_at", "details", "ap_decision", "ap_reason", "ap_notified_at",
                       "ap_reference", "delay_reason", "subjects_decision", "subjects_reason"});
  // A moment the member became aware of, or notified the AP, lies in the past.
  const auto past_time = [&](std::string_view name) -> std::optional<std::string> {
    auto time = fields.Time(name);
    if (time && *time > now) {
      fields.Problem(problems::incident_time_in_future,
                     {{"field", std::string(name)}, {"value", *time}});
      return std::nullopt;
    }
    return time;
  };
  if (fields.Has("aware_at")) {
    if (auto aware = past_time("aware_at")) {
      breach.aware_at = *aware;
      breach.deadline_at = FormatUtc(*ParseUtc(*aware) + kBreachDeadline);
    }
  } else if (!existing) {
    fields.Problem(problems::incident_breach_needs_awareness, {});
  }
  if (fields.Has("details")) {
    std::vector<Error> problems_found;
    const Json& details = body["details"];
    CheckBreachDetails(details, problems_found);
    for (Error& problem : problems_found) fields.Add(std::move(problem));
    if (problems_found.empty()) breach.details = registry::DumpJson(details);
  }
  constexpr std::string_view kApDecisions[] = {"undecided", "notify", "no_notify"};
  constexpr std::string_view kSubjectDecisions[] = {"undecided", "inform", "no_inform"};
  if (fields.Has("ap_decision")) {
    if (auto decision = fields.Choice("ap_decision", kApDecisions, true))
      breach.ap_decision = *decision;
  }
  if (fields.Has("ap_reason")) breach.ap_reason = fields.Text("ap_reason", kMaxNote);
  if (fields.Has("ap_notified_at")) breach.ap_notified_at = past_time("ap_notified_at");
  if (fields.Has("ap_reference")) breach.ap_reference = fields.Text("ap_reference", 100);
  if (fields.Has("delay_reason")) breach.delay_reason = fields.Text("delay_reason", kMaxNote);
  if (fields.Has("subjects_decision")) {
    if (auto decision = fields.Choice("subjects_decision", kSubjectDecisions, true)) {
      breach.subjects_decision = *decision;
    }
  }
  if (fields.Has("subjects_reason"))
    breach.subjects_reason = fields.Text("subjects_reason", kMaxNote);
  // The decisions carry their reasons; a late notification says why it was late.
  const auto empty = [](const std::optional<std::string>& text) {
    return !text || text->find_first_not_of(" \t\r\n") == std::string::npos;
  };
  if (breach.ap_decision == "no_notify" && empty(breach.ap_reason)) {
    fields.Problem(problems::incident_reason_needed, {{"field", "ap_reason"}});
  }
  if (breach.subjects_decision == "no_inform" && empty(breach.subjects_reason)) {
    fields.Problem(problems::incident_reason_needed, {{"field", "subjects_reason"}});
  }
  if (breach.ap_notified_at && !breach.deadline_at.empty() &&
      *breach.ap_notified_at > breach.deadline_at && empty(breach.delay_reason)) {
    fields.Problem(problems::incident_delay_reason_needed, {});
  }
  std::vector<store::BreachUpdate> updates;
  if (existing) {
    BAKEN_ASSIGN_OR_RETURN(updates, tx->Incidents().BreachUpdates(participation.id));
  }
  if (!updates.empty() && (breach.ap_decision != "notify" || !breach.ap_notified_at)) {
    // What the AP was sent stays sent: a notification with later updates is withdrawn, not
    // undone.
    fields.Problem(problems::incident_breach_updated, {{"field", "ap_decision"}});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  if (participation.state == kClosed) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_closed));
  }
  breach.participation_id = participation.id;
  if (!existing) {
    breach.created_by = who.actor;
    breach.created_at = now;
  }
  breach.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().SaveBreach(breach));
  if (participation.breach != "breach") {
    participation.breach = "breach";
    participation.updated_at = now;
    BAKEN_RETURN_IF_ERROR(tx->Incidents().UpdateParticipation(participation));
  }
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, participation.member, "breach.save",
                               Json{{"aware_at", breach.aware_at},
                                    {"ap_decision", breach.ap_decision},
                                    {"subjects_decision", breach.subjects_decision},
                                    {"new", !existing.has_value()},
                                    {"ap_decision_before", before.ap_decision}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return BreachJson(breach, updates, now_time);
}

Result<Json> IncidentService::AddBreachUpdate(const auth::Principal& who, int64_t id,
                                              std::string_view member, const Json& body) {
  Fields fields(body, {"kind", "sent_at", "note"});
  auto kind = fields.Choice("kind", kBreachUpdateKinds, true);
  auto sent_at = fields.Time("sent_at");
  if (!fields.Has("sent_at")) {
    fields.Problem(problems::field_required, {{"field", "sent_at"}});
  }
  auto note = fields.Text("note", kMaxNote, true);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(RecordedBreach recorded, LoadBreach(*tx, reader, id, member));
  const ParticipationRecord& participation = recorded.participation;
  store::BreachRecord& breach = recorded.breach;
  std::vector<store::BreachUpdate>& updates = recorded.updates;
  const auto now_time = clock_();
  const std::string now = FormatUtc(now_time);
  if (sent_at && *sent_at > now) {
    fields.Problem(problems::incident_time_in_future, {{"field", "sent_at"}, {"value", *sent_at}});
  } else if (sent_at && breach.ap_notified_at && *sent_at < *breach.ap_notified_at) {
    fields.Problem(problems::incident_update_before_notification,
                   {{"value", *sent_at}, {"notified_at", *breach.ap_notified_at}});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  // Only a notification made can be supplemented, changed or withdrawn, and not once withdrawn.
  if (breach.ap_decision != "notify" || !breach.ap_notified_at) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_breach_not_notified));
  }
  if (Withdrawn(updates)) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_breach_withdrawn));
  }
  if (participation.state == kClosed) {
    return tl::unexpected(Coded(ErrorCode::kConflict, problems::incident_closed));
  }
  store::BreachUpdate update{0, participation.id, *kind, *sent_at, *note, who.actor, now};
  BAKEN_RETURN_IF_ERROR(tx->Incidents().AddBreachUpdate(update));
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, id, participation.member, "breach.update",
                               Json{{"kind", update.kind}, {"sent_at", update.sent_at}}));
  breach.updated_at = now;
  BAKEN_RETURN_IF_ERROR(tx->Incidents().SaveBreach(breach));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  updates.push_back(std::move(update));
  return BreachJson(breach, updates, now_time);
}

Result<Json> IncidentService::Register(const auth::Principal& who, std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const Reader reader, Reader::For(*tx, who));
  // Another member's register, or this member's for a user without the role, does not exist.
  if (!reader.scope.Includes(member) || !reader.MayReadBreach()) {
    return NotFound(fmt::format("no breach register of {}", Quote(member)));
  }
  BAKEN_ASSIGN_OR_RETURN(auto breaches,
                         tx->Incidents().Breaches(reader.scope, std::string(member)));
  Json list = Json::array();
  const auto now = clock_();
  for (const auto& registered : breaches) {
    BAKEN_ASSIGN_OR_RETURN(auto updates,
                           tx->Incidents().BreachUpdates(registered.breach.participation_id));
    Json item = BreachJson(registered.breach, updates, now);
    item["incident"] = registered.incident_id;
    item["member"] = registered.member;
    item["title"] = registered.title;
    item["participation_state"] = registered.state;
    list.push_back(std::move(item));
  }
  return Json{{"member", std::string(member)}, {"breaches", std::move(list)}};
}

Result<std::string> IncidentService::RegisterCsv(const auth::Principal& who,
                                                 std::string_view member) {
  BAKEN_ASSIGN_OR_RETURN(Json reg, Register(who, member));
  std::string csv =
      "incident,member,title,aware_at,deadline_at,state,ap_decision,ap_reason,ap_notified_at,"
      "ap_reference,delay_reason,subjects_decision,subjects_reason,description,records,"
      "subjects,nature,data_categories,special_categories,subject_categories,consequences,"
      "measures,risk,ap_updates\r\n";
  const auto text = [](const Json& value) {
    if (value.is_null()) return std::string();
    if (value.is_array()) {
      // A list of words ("confidentiality", "BSN"), one cell: "; " between them.
      std::string joined;
      for (const Json& each : value) {
        if (!joined.empty()) joined += "; ";
        joined += each.is_string() ? each.get<std::string>() : each.dump();
      }
      return joined;
    }
    return value.is_string() ? value.get<std::string>() : value.dump();
  };
  // The course of a notification in phases: "2026-12-03T10:00:00Z supplement: ...", one a line.
  const auto updates_text = [](const Json& updates) {
    std::string joined;
    for (const Json& update : updates) {
      if (!joined.empty()) joined += "\n";
      joined += fmt::format("{} {}: {}", update["sent_at"].get<std::string>(),
                            update["kind"].get<std::string>(), update["note"].get<std::string>());
    }
    return joined;
  };
  for (const auto& item : reg["breaches"]) {
    const Json& details = item["details"];
    const std::vector<std::string> cells = {text(item["incident"]),
                                            text(item["member"]),
                                            text(item["title"]),
                                            text(item["aware_at"]),
                                            text(item["deadline_at"]),
                                            text(item["state"]),
                                            text(item["ap_decision"]),
                                            text(item["ap_reason"]),
                                            text(item["ap_notified_at"]),
                                            text(item["ap_reference"]),
                                            text(item["delay_reason"]),
                                            text(item["subjects_decision"]),
                                            text(item["subjects_reason"]),
                                            text(details.value("description", Json())),
                                            text(details.value("records", Json())),
                                            text(details.value("subjects", Json())),
                                            text(details.value("nature", Json())),
                                            text(details.value("data_categories", Json())),
                                            text(details.value("special_categories", Json())),
                                            text(details.value("subject_categories", Json())),
                                            text(details.value("consequences", Json())),
                                            text(details.value("measures", Json())),
                                            text(details.value("risk", Json())),
                                            updates_text(item["ap_updates"])};
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvCell(cells[i]);
    }
    csv += "\r\n";
  }
  return csv;
}

Result<Json> IncidentService::OpenForPartner(const auth::Principal& who, int64_t partner_id,
                                             const Json& body) {
  if (!who.IsStaff()) return PermissionDenied("only analysts open incidents for a partner");
  IncidentRecord incident;
  Fields fields(body, {"title", "description", "classification", "type", "cause", "impact",
                       "priority", "tlp", "coordinator", "notice"});
  auto title = fields.Text("title", kMaxTitle, true);
  auto description = fields.Text("description", kMaxText);
  ReadClassification(fields, incident, false);
  ReadOptionalChoice(fields, "cause", Causes(), incident.cause);
  ReadOptionalChoice(fields, "impact", Impacts(), incident.impact);
  auto priority = fields.Choice("priority", Priorities());
  auto tlp = fields.TlpLevel("tlp");
  auto coordinator = fields.Text("coordinator", kMaxShort);
  auto notice = fields.Text("notice", 5000);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto partner, tx->Partners().Find(partner_id));
  if (!partner) return NotFound(fmt::format("partner {} does not exist", partner_id));
  BAKEN_ASSIGN_OR_RETURN(auto users, tx->Partners().Users(partner_id));
  const std::string now = Now();
  incident.title = *title;
  incident.description = description.value_or("");
  incident.source = "partner";
  incident.source_ref = partner->name;
  incident.reporter = who.actor;
  if (!incident.cause) incident.cause = "third_party";
  incident.priority = priority.value_or("high");
  incident.tlp = tlp.value_or("AMBER");
  incident.coordinator = coordinator;
  incident.created_at = now;
  incident.updated_at = now;
  BAKEN_ASSIGN_OR_RETURN(incident.id, tx->Incidents().Add(incident));
  std::vector<std::string> members;
  for (const auto& user : users) members.push_back(user.member);
  BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, incident.id, std::nullopt, "incident.create",
                               Json{{"title", incident.title},
                                    {"source", "partner"},
                                    {"partner", partner_id},
                                    {"members", members}}));
  for (const auto& user : users) {
    ParticipationRecord participation;
    participation.incident_id = incident.id;
    participation.member = user.member;
    participation.title = incident.title;
    participation.added_by = who.actor;
    participation.added_at = now;
    participation.updated_at = now;
    BAKEN_RETURN_IF_ERROR(tx->Incidents().AddParticipation(participation));
    BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, incident.id, user.member, "participation.add",
                                 Json{{"member", user.member}, {"because", user.source}}));
  }
  if (notice && !notice->empty()) {
    BAKEN_RETURN_IF_ERROR(tx->Partners().AddNotice(
        store::PartnerNotice{0, incident.id, partner_id, *notice, who.actor, now, std::nullopt}));
    BAKEN_RETURN_IF_ERROR(Record(*tx, who, now, incident.id, std::nullopt, "partner.notice",
                                 Json{{"partner", partner_id}}));
  }
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Get(who, incident.id);
}

Result<Json> IncidentService::Stats(const auth::Principal& who, std::string_view from,
                                    std::string_view to) {
  BAKEN_ASSIGN_OR_RETURN(const std::string lower, PeriodBound("from", from));
  BAKEN_ASSIGN_OR_RETURN(const std::string upper, PeriodBound("to", to));
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const registry::Scope scope = auth::ScopeFor(who);
  BAKEN_ASSIGN_OR_RETURN(auto counts, tx->Incidents().CountFor(scope, lower, upper));
  const auto rows = [&](const std::map<std::string, int64_t>& counted, std::string_view key) {
    std::vector<std::pair<std::string, int64_t>> sorted(counted.begin(), counted.end());
    // Largest first, as the report lists them; ties by name.
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    Json list = Json::array();
    for (const auto& [name, count] : sorted) {
      Json row = Json::object();
      if (key == "type") {
        const size_t colon = name.find(':');
        row["classification"] = name.empty() ? Json() : Json(name.substr(0, colon));
        row["type"] = name.empty() ? Json() : Json(name.substr(colon + 1));
      } else {
        row[std::string(key)] = name.empty() ? Json() : Json(name);
      }
      row["count"] = count;
      row["share"] = Share(count, counts.total);
      list.push_back(std::move(row));
    }
    return list;
  };
  Json classes = Json::object();
  for (const auto& [name, count] : counts.by_type) {
    const std::string rsit_class = name.empty() ? "" : name.substr(0, name.find(':'));
    classes[rsit_class] = classes.value(rsit_class, int64_t{0}) + count;
  }
  std::map<std::string, int64_t> by_class;
  for (const auto& [name, count] : classes.items()) by_class[name] = count.get<int64_t>();
  return Json{{"from", from.empty() ? Json() : Json(from)},
              {"to", to.empty() ? Json() : Json(to)},
              {"member", OrNull(scope.member())},
              {"total", counts.total},
              {"by_classification", rows(by_class, "classification")},
              {"by_type", rows(counts.by_type, "type")},
              {"by_cause", rows(counts.by_cause, "cause")},
              {"by_impact", rows(counts.by_impact, "impact")},
              {"by_member_kind", rows(counts.by_member_kind, "member_kind")}};
}

}  // namespace baken::incidents
