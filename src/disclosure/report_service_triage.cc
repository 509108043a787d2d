// ReportService::Merge and ReportService::OpenIncident: what an analyst decides about a report
// beyond its own states, a duplicate taken into an earlier report or a report that becomes an
// incident (docs/decisions/0020-disclosure.md, "Duplicates and incidents").

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "common/fields.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "disclosure/report.h"
#include "disclosure/report_service.h"
#include "disclosure/report_service_parts.h"
#include "incidents/incident_service.h"
#include "service/audit.h"

namespace baken::disclosure {

namespace {

using parts::Active;
using parts::Changed;
using parts::Notice;
using parts::Record;
using parts::StaffOnly;
using store::VulnerabilityNotification;
using store::VulnerabilityReport;

// Whether a report can still take part in a merge, on either side.
bool Open(const VulnerabilityReport& report) {
  return report.state != kClosed && report.state != kInvalid && !report.merged_into;
}

}  // namespace

Result<Json> ReportService::Merge(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"into", "reason"});
  auto into = fields.Id("into", true);
  auto reason = fields.Text("reason", 2000);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(auto duplicate, tx->Disclosure().FindReport(id));
    if (!duplicate) return NotFound(fmt::format("there is no report {}", id));
    BAKEN_ASSIGN_OR_RETURN(auto original, tx->Disclosure().FindReport(*into));
    if (!original || *into == id || !Open(*original) || !Open(*duplicate)) {
      return InvalidInput(problems::report_merge_refused, {{"value", std::to_string(*into)}});
    }
    const auto now_point = NowPoint();
    const std::string now = FormatUtc(now_point);
    const std::string due = FormatUtc(now_point + std::chrono::hours(24 * settings_.response_days));
    const std::string duplicate_ref = ReferenceOf(*duplicate);
    const std::string original_ref = ReferenceOf(*original);

    // What the duplicate names and the original does not, the original names from now on.
    BAKEN_ASSIGN_OR_RETURN(const auto known_items, tx->Disclosure().Items(*into));
    std::set<std::pair<std::string, std::string>> known;
    for (const store::ReportItem& item : known_items) known.emplace(item.kind, item.value);
    BAKEN_ASSIGN_OR_RETURN(auto items, tx->Disclosure().Items(id));
    for (store::ReportItem& item : items) {
      if (!known.emplace(item.kind, item.value).second) continue;
      item.report_id = *into;
      BAKEN_RETURN_IF_ERROR(tx->Disclosure().AddItem(item).map([](int64_t) {}));
    }

    // Each member ends with at most one live notification, on the original. A member only
    // the duplicate reached keeps its notification, moved with its thread; where the original
    // knows the member as a candidate or withdrawn, the original notifies it now; what the
    // duplicate asked of a member who has not answered is withdrawn; an answer stays on record.
    BAKEN_ASSIGN_OR_RETURN(auto originals, tx->Disclosure().Notifications(*into));
    BAKEN_ASSIGN_OR_RETURN(auto notifications, tx->Disclosure().Notifications(id));
    int64_t moved = 0;
    for (VulnerabilityNotification& notification : notifications) {
      auto there = std::find_if(
          originals.begin(), originals.end(),
          [&](const VulnerabilityNotification& n) { return n.member == notification.member; });
      if (there == originals.end()) {
        BAKEN_RETURN_IF_ERROR(tx->Disclosure().MoveNotification(notification, *into));
        BAKEN_RETURN_IF_ERROR(Record(*tx, id, notification.member, now, who.actor, "moved",
                                     notification.state, notification.state, original_ref));
        BAKEN_RETURN_IF_ERROR(Record(*tx, *into, notification.member, now, who.actor, "moved_in",
                                     notification.state, notification.state, duplicate_ref));
        ++moved;
        continue;
      }
      if (Active(notification) && !Active(*there)) {
        const std::string before = there->state;
        there->state = std::string(kNotified);
        there->notified_at = now;
        there->due_at = due;
        there->updated_at = now;
        BAKEN_ASSIGN_OR_RETURN(const bool saved,
                               tx->Disclosure().SaveNotification(*there, before, there->reminders));
        if (!saved) return Changed();
        BAKEN_RETURN_IF_ERROR(Record(*tx, *into, there->member, now, who.actor, "notified", before,
                                     std::string(kNotified), duplicate_ref));
        BAKEN_RETURN_IF_ERROR(Notice(*tx, *into, there->member, "notice", now));
      }
      if (MayWithdraw(notification.state)) {
        const std::string before = notification.state;
        notification.state = std::string(kWithdrawn);
        notification.due_at.reset();
        notification.updated_at = now;
        BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveNotification(
                                                     notification, before, notification.reminders));
        if (!saved) return Changed();
        BAKEN_RETURN_IF_ERROR(Record(*tx, id, notification.member, now, who.actor, "withdrawn",
                                     before, std::string(kWithdrawn), original_ref));
      }
    }

    const std::string from = duplicate->state;
    duplicate->state = std::string(kClosed);
    duplicate->state_reason = reason;
    duplicate->merged_into = *into;
    duplicate->updated_at = now;
    duplicate->closed_at = now;
    BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveReport(*duplicate, from));
    if (!saved) return Changed();
    original->updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(const bool touched,
                           tx->Disclosure().SaveReport(*original, original->state));
    if (!touched) return Changed();
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, std::nullopt, now, who.actor, "merged", from,
                                 std::string(kClosed), original_ref));
    BAKEN_RETURN_IF_ERROR(Record(*tx, *into, std::nullopt, now, who.actor, "merged_in",
                                 std::nullopt, std::nullopt, duplicate_ref));
    // The duplicate's reporter learns that it was closed; its status page follows the original.
    if (duplicate->wants_updates) {
      BAKEN_RETURN_IF_ERROR(Notice(*tx, id, std::nullopt, "update", now));
    }
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "report.merge",
                                               fmt::format("report:{}", id),
                                               Json{{"into", *into}, {"moved", moved}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, *into);
}

Result<Json> ReportService::OpenIncident(const auth::Principal& who, int64_t id, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  // The incident's own fields, as POST /incidents takes them; where it came from is this
  // report, and what it links to is added on the incident afterwards.
  Fields fields(body, {"title", "description", "classification", "type", "cause", "impact",
                       "priority", "tlp", "coordinator", "members"});
  BAKEN_RETURN_IF_ERROR(fields.Done());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_ASSIGN_OR_RETURN(auto report, tx->Disclosure().FindReport(id));
    if (!report) return NotFound(fmt::format("there is no report {}", id));
    if (report->incident_id) {
      return tl::unexpected(Coded(ErrorCode::kConflict, problems::report_incident_exists,
                                  {{"value", std::to_string(*report->incident_id)}}));
    }
    if (report->state == kInvalid || report->merged_into) {
      return InvalidInput(problems::report_incident_refused,
                          {{"state", report->merged_into ? "merged" : report->state}});
    }
    Json incident = body;
    if (!incident.contains("title")) incident["title"] = report->title;
    // Members read an incident's description: the summary written for them, never the
    // researcher's own text, which may say more than a member should read.
    if (!incident.contains("description") && report->member_summary) {
      incident["description"] = *report->member_summary;
    }
    if (!incident.contains("tlp")) incident["tlp"] = report->tlp;
    // Every member the report reached takes part.
    std::set<std::string> members;
    if (incident.contains("members") && incident["members"].is_array()) {
      for (const auto& member : incident["members"]) {
        if (member.is_string()) members.insert(member.get<std::string>());
      }
    }
    const bool members_valid = !incident.contains("members") ||
                               (incident["members"].is_array() &&
                                std::all_of(incident["members"].begin(), incident["members"].end(),
                                            [](const Json& member) { return member.is_string(); }));
    if (members_valid) {
      BAKEN_ASSIGN_OR_RETURN(const auto notifications, tx->Disclosure().Notifications(id));
      for (const VulnerabilityNotification& notification : notifications) {
        if (Active(notification)) members.insert(notification.member);
      }
      incident["members"] = Json(std::vector<std::string>(members.begin(), members.end()));
    }
    incident["source"] = "analyst";
    incident["source_ref"] = ReferenceOf(*report);
    incidents::IncidentService incidents(store_, [this] { return NowPoint(); });
    BAKEN_ASSIGN_OR_RETURN(const int64_t incident_id, incidents.CreateIn(*tx, who, incident));
    const std::string now = Now();
    report->incident_id = incident_id;
    report->updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(const bool saved, tx->Disclosure().SaveReport(*report, report->state));
    if (!saved) return Changed();
    BAKEN_RETURN_IF_ERROR(Record(*tx, id, std::nullopt, now, who.actor, "incident", std::nullopt,
                                 std::nullopt, std::to_string(incident_id)));
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "report.incident",
                                               fmt::format("report:{}", id),
                                               Json{{"incident", incident_id}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(who, id);
}

}  // namespace baken::disclosure
