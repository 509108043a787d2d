#include "oncall/roster_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/fields.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "oncall/roster.h"
#include "oncall/roster_records.h"
#include "service/audit.h"
#include "store/oncall_repository.h"

namespace baken::oncall {

namespace {

using std::chrono::minutes;

constexpr size_t kMaxName = 100;
constexpr size_t kMaxParticipants = 50;
constexpr std::string_view kShifts[] = {"daily", "weekly"};
constexpr std::string_view kCoverages[] = {"always", "office_hours", "outside_office_hours"};

tl::unexpected<Error> StaffOnly() {
  return PermissionDenied("only analysts keep and read the piket roster");
}

Json RotationJson(const store::RotationRecord& rotation) {
  return Json{{"id", rotation.id},
              {"name", rotation.name},
              {"shift", rotation.shift},
              {"handover", rotation.handover},
              {"handover_day", rotation.handover_day},
              {"start_date", rotation.start_date},
              {"coverage", rotation.coverage},
              {"office_start", rotation.office_start},
              {"office_end", rotation.office_end},
              {"holidays", rotation.holidays},
              {"participants", rotation.participants},
              {"created_by", rotation.created_by},
              {"created_at", rotation.created_at},
              {"updated_at", rotation.updated_at}};
}

Json OverrideJson(const store::OverrideRecord& record) {
  return Json{{"id", record.id},
              {"rotation", record.rotation_id},
              {"person", record.person},
              {"start_at", record.start_at},
              {"end_at", record.end_at},
              {"reason", record.reason},
              {"created_by", record.created_by},
              {"created_at", record.created_at},
              {"cancelled_at", OrNull(record.cancelled_at)},
              {"cancelled_by", OrNull(record.cancelled_by)}};
}

Json DutyJson(const oncall::Duty& duty) {
  return Json{{"covered", duty.covered},
              {"person", duty.person ? Json(*duty.person) : Json()},
              {"overridden", duty.overridden}};
}

// Reads a rotation's fields into `rotation`: all of them when creating (with defaults), the
// ones given when changing; checks the participants against the accounts.
Status ReadRotation(store::Transaction& tx, const Json& body, store::RotationRecord& rotation,
                    bool creating) {
  Fields fields(body, {"name", "shift", "handover", "handover_day", "start_date", "coverage",
                       "office_start", "office_end", "holidays", "participants"});
  const auto given = [&](std::string_view name) { return creating || fields.Has(name); };
  if (given("name")) {
    if (auto name = fields.Text("name", kMaxName, true)) rotation.name = *name;
  }
  if (fields.Has("shift")) {
    if (auto shift = fields.Choice("shift", kShifts, true)) rotation.shift = *shift;
  }
  if (fields.Has("coverage")) {
    if (auto coverage = fields.Choice("coverage", kCoverages, true)) rotation.coverage = *coverage;
  }
  for (auto [name, target] : {std::pair{"handover", &rotation.handover},
                              std::pair{"office_start", &rotation.office_start},
                              std::pair{"office_end", &rotation.office_end}}) {
    if (!fields.Has(name)) continue;
    auto text = fields.Text(name, 5, true);
    if (text && !TimeOfDay(*text)) {
      fields.Problem(problems::oncall_time_of_day_invalid, {{"field", name}, {"value", *text}});
    } else if (text) {
      *target = *text;
    }
  }
  if (fields.Has("handover_day")) {
    const auto day = fields.Id("handover_day", true);
    if (day && *day > 7) {
      fields.Problem(problems::field_type,
                     {{"field", "handover_day"}, {"kind", "a weekday, 1 (Monday) to 7 (Sunday)"}});
    } else if (day) {
      rotation.handover_day = *day;
    }
  }
  if (given("start_date")) {
    auto text = fields.Text("start_date", 10, true);
    if (text && !Date(*text)) {
      fields.Problem(problems::oncall_date_invalid, {{"field", "start_date"}, {"value", *text}});
    } else if (text) {
      rotation.start_date = *text;
    }
  }
  if (fields.Has("holidays")) {
    if (auto holidays = fields.Flag("holidays")) rotation.holidays = *holidays;
  }
  if (fields.Has("participants")) {
    const std::vector<std::string> people = fields.TextList("participants");
    if (people.size() > kMaxParticipants) {
      fields.Problem(problems::field_type,
                     {{"field", "participants"},
                      {"kind", fmt::format("a list of at most {} addresses", kMaxParticipants)}});
    }
    rotation.participants.clear();
    for (size_t i = 0; i < people.size() && i < kMaxParticipants; ++i) {
      BAKEN_ASSIGN_OR_RETURN(auto email, AnalystEmail(tx, people[i]));
      if (!email) {
        fields.Problem(problems::oncall_person_unknown,
                       {{"field", fmt::format("participants[{}]", i)}, {"value", people[i]}});
      } else {
        rotation.participants.push_back(*email);
      }
    }
  }
  // A weekly rotation starts on its handover day; office hours begin before they end.
  if (const auto start = Date(rotation.start_date);
      start && rotation.shift == "weekly" &&
      std::chrono::weekday{std::chrono::sys_days{*start}}.iso_encoding() !=
          static_cast<unsigned>(rotation.handover_day)) {
    fields.Problem(problems::oncall_start_not_handover_day,
                   {{"field", "start_date"}, {"value", rotation.start_date}});
  }
  if (const auto from = TimeOfDay(rotation.office_start), to = TimeOfDay(rotation.office_end);
      from && to && *from >= *to) {
    fields.Problem(problems::oncall_office_hours_invalid,
                   {{"from", rotation.office_start}, {"to", rotation.office_end}});
  }
  return fields.Done();
}

}  // namespace

Result<Json> RosterService::Rotations(const auth::Principal& who) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto rotations, tx->Oncall().Rotations());
  Json list = Json::array();
  for (const auto& rotation : rotations) list.push_back(RotationJson(rotation));
  return Json{{"rotations", std::move(list)}};
}

Result<Json> RosterService::CreateRotation(const auth::Principal& who, const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  store::RotationRecord rotation;
  BAKEN_RETURN_IF_ERROR(ReadRotation(*tx, body, rotation, /*creating=*/true));
  const std::string now = FormatUtc(clock_());
  rotation.created_by = who.actor;
  rotation.created_at = now;
  rotation.updated_at = now;
  BAKEN_ASSIGN_OR_RETURN(rotation.id, tx->Oncall().AddRotation(rotation));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "oncall.rotation.create",
                                             fmt::format("rotation:{}", rotation.id),
                                             RotationJson(rotation)));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return RotationJson(rotation);
}

Result<Json> RosterService::UpdateRotation(const auth::Principal& who, int64_t id,
                                           const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto found, tx->Oncall().FindRotation(id));
  if (!found) return NotFound(fmt::format("rotation {} does not exist", id));
  store::RotationRecord rotation = *found;
  BAKEN_RETURN_IF_ERROR(ReadRotation(*tx, body, rotation, /*creating=*/false));
  rotation.updated_at = FormatUtc(clock_());
  BAKEN_RETURN_IF_ERROR(tx->Oncall().UpdateRotation(rotation));
  BAKEN_RETURN_IF_ERROR(
      service::RecordAudit(*tx, who, "oncall.rotation.update", fmt::format("rotation:{}", id),
                           Json{{"from", RotationJson(*found)}, {"to", RotationJson(rotation)}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return RotationJson(rotation);
}

Result<Json> RosterService::AddOverride(const auth::Principal& who, int64_t rotation,
                                        const Json& body) {
  if (!who.IsStaff()) return StaffOnly();
  Fields fields(body, {"person", "start_at", "end_at", "reason"});
  auto person = fields.Text("person", 200);
  auto start = fields.Time("start_at");
  auto end = fields.Time("end_at");
  for (const char* name : {"start_at", "end_at"}) {
    if (!fields.Has(name)) fields.Problem(problems::field_required, {{"field", name}});
  }
  auto reason = fields.Text("reason", 500);
  const std::string now = FormatUtc(clock_());
  if (start && end) {
    const auto span = *ParseUtc(*end) - *ParseUtc(*start);
    if (span <= std::chrono::seconds{0} || *end <= now) {
      fields.Problem(problems::oncall_span_invalid, {{"from", *start}, {"to", *end}});
    } else if (span > std::chrono::days{kMaxDutyDays}) {
      fields.Problem(problems::oncall_span_too_long, {{"max", std::to_string(kMaxDutyDays)}});
    }
  }
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto found, tx->Oncall().FindRotation(rotation));
  if (!found) return NotFound(fmt::format("rotation {} does not exist", rotation));
  const std::string asked = person.value_or(who.email);
  BAKEN_ASSIGN_OR_RETURN(auto email, AnalystEmail(*tx, asked));
  if (!email)
    fields.Problem(problems::oncall_person_unknown, {{"field", "person"}, {"value", asked}});
  BAKEN_RETURN_IF_ERROR(fields.Done());
  store::OverrideRecord record;
  record.rotation_id = rotation;
  record.person = *email;
  record.start_at = *start;
  record.end_at = *end;
  record.reason = reason.value_or("");
  record.created_by = who.actor;
  record.created_at = now;
  BAKEN_ASSIGN_OR_RETURN(record.id, tx->Oncall().AddOverride(record));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(
      *tx, who, "oncall.override.add", fmt::format("rotation:{}", rotation), OverrideJson(record)));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return OverrideJson(record);
}

Result<Json> RosterService::CancelOverride(const auth::Principal& who, int64_t rotation,
                                           int64_t id) {
  if (!who.IsStaff()) return StaffOnly();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto found, tx->Oncall().FindOverride(id));
  if (!found || found->rotation_id != rotation) {
    return NotFound(fmt::format("rotation {} has no override {}", rotation, id));
  }
  if (!found->cancelled_at) {
    const std::string now = FormatUtc(clock_());
    BAKEN_RETURN_IF_ERROR(tx->Oncall().CancelOverride(id, who.actor, now));
    found->cancelled_at = now;
    found->cancelled_by = who.actor;
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "oncall.override.cancel",
                                               fmt::format("rotation:{}", rotation),
                                               OverrideJson(*found)));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return OverrideJson(*found);
}

Result<Json> RosterService::Duty(const auth::Principal& who, std::optional<std::string> from,
                                 int64_t days) {
  if (!who.IsStaff()) return StaffOnly();
  if (from && !ParseUtc(*from)) {
    return InvalidInput(problems::field_time_invalid, {{"field", "from"}, {"value", *from}});
  }
  const Time start = std::chrono::floor<std::chrono::seconds>(from ? *ParseUtc(*from) : clock_());
  const Time until = start + std::chrono::days{std::clamp<int64_t>(days, 1, kMaxDutyDays)};
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto records, tx->Oncall().Rotations());
  BAKEN_ASSIGN_OR_RETURN(auto override_records, tx->Oncall().Overrides(Utc(start), Utc(until)));
  std::vector<Rotation> rotations;
  for (const auto& record : records) rotations.push_back(ToRotation(record));
  std::vector<Override> overrides;
  Json override_list = Json::array();
  for (const auto& record : override_records) {
    overrides.push_back(ToOverride(record));
    override_list.push_back(OverrideJson(record));
  }
  Json rotation_list = Json::array();
  for (const Rotation& rotation : rotations) {
    Json shifts = Json::array();
    for (const Shift& shift : Timeline(rotation, overrides, start, until)) {
      Json item = DutyJson(shift.duty);
      item["start"] = Utc(shift.start);
      item["end"] = Utc(shift.end);
      shifts.push_back(std::move(item));
    }
    rotation_list.push_back(Json{{"id", rotation.id},
                                 {"name", rotation.name},
                                 {"coverage", Name(rotation.coverage)},
                                 {"now", DutyJson(DutyAt(rotation, overrides, start))},
                                 {"shifts", std::move(shifts)}});
  }
  Json gap_list = Json::array();
  for (const Shift& gap : Gaps(rotations, overrides, start, until)) {
    gap_list.push_back(Json{{"start", Utc(gap.start)}, {"end", Utc(gap.end)}});
  }
  return Json{{"from", Utc(start)},
              {"until", Utc(until)},
              {"rotations", std::move(rotation_list)},
              {"overrides", std::move(override_list)},
              {"gaps", std::move(gap_list)}};
}

}  // namespace baken::oncall
