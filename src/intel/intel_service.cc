#include "intel/intel_service.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "common/tlp.h"
#include "intel/indicator.h"
#include "intel/list_reader.h"
#include "intel/misp_reader.h"
#include "intel/stix_reader.h"
#include "service/audit.h"
#include "store/intel_repository.h"

namespace baken::intel {

namespace {

constexpr size_t kMaxReasonsShown = 20;

store::IntelReader ReaderFor(const auth::Principal& who) {
  return store::IntelReader{who.IsStaff(), who.IsStaff() ? std::nullopt : who.member, false};
}

Json OrNull(const std::optional<std::string>& value) { return value ? Json(*value) : Json(); }

Json EventJson(const store::IntelEventRecord& event) {
  return Json{{"id", event.id},
              {"source_kind", event.source_kind},
              {"source_id", event.source_id},
              {"title", event.title},
              {"description", event.description},
              {"tlp", event.tlp},
              {"tlp_given", event.tlp_given},
              {"distribution", event.distribution},
              {"named", event.named},
              {"confidence", event.confidence ? Json(*event.confidence) : Json()},
              {"threat_level", OrNull(event.threat_level)},
              {"date", OrNull(event.event_date)},
              {"creator", event.creator},
              {"tags", event.tags},
              {"created_at", event.created_at}};
}

Json IndicatorJson(const store::IndicatorRecord& indicator) {
  return Json{{"id", indicator.id},
              {"kind", indicator.kind},
              {"value", indicator.value},
              {"tlp", indicator.tlp},
              {"for_detection", indicator.for_detection},
              {"valid_until", OrNull(indicator.valid_until)},
              {"first_seen", OrNull(indicator.first_seen)},
              {"last_seen", OrNull(indicator.last_seen)},
              {"comment", indicator.comment},
              {"group", indicator.group_ref},
              {"group_name", indicator.group_name},
              {"source_type", indicator.source_type},
              {"tags", indicator.tags}};
}

tl::unexpected<Error> Refused(std::string_view name, const std::vector<std::string>& reasons) {
  std::string text;
  for (size_t i = 0; i < reasons.size() && i < kMaxReasonsShown; ++i) {
    text += (i == 0 ? "" : "; ") + reasons[i];
  }
  if (reasons.size() > kMaxReasonsShown) {
    text += fmt::format("; and {} more", reasons.size() - kMaxReasonsShown);
  }
  return tl::unexpected(Coded(ErrorCode::kInvalidArgument, problems::intel_document_refused,
                              {{"name", std::string(name)}, {"reasons", text}}));
}

}  // namespace

std::string FormatOf(std::string_view bytes) {
  const size_t start = bytes.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || (bytes[start] != '{' && bytes[start] != '[')) {
    return "list";
  }
  // A STIX bundle says so near its start; looking at the first few KiB spares parsing twice.
  const std::string_view head = bytes.substr(start, 4096);
  const size_t type = head.find("\"bundle\"");
  return type != std::string_view::npos && head.find("\"type\"") != std::string_view::npos ? "stix"
                                                                                           : "misp";
}

IntelService::IntelService(store::Store& store, Clock clock)
    : store_(store), clock_(std::move(clock)) {}

std::string IntelService::Now() const { return FormatUtc(clock_ ? clock_() : baken::Now()); }

Result<Json> IntelService::Import(const auth::Principal& who, std::string_view bytes,
                                  const ImportOptions& options) {
  if (!who.IsStaff()) return PermissionDenied("only analysts take in threat intelligence");
  const std::string format = options.format.empty() ? FormatOf(bytes) : options.format;
  if (format != "misp" && format != "stix" && format != "list") {
    return InvalidInput(problems::intel_format_unknown, {{"value", format}});
  }
  static constexpr std::string_view kDistributions[] = {"cert", "named", "members", "partners"};
  if (!options.distribution.empty() &&
      std::find(std::begin(kDistributions), std::end(kDistributions), options.distribution) ==
          std::end(kDistributions)) {
    return InvalidInput(problems::intel_distribution_unknown, {{"value", options.distribution}});
  }
  std::vector<IntelEvent> events;
  if (format == "list") {
    if (!ParseTlp(options.tlp)) return InvalidInput(problems::intel_list_tlp_missing);
    auto list = ReadIndicatorList(bytes, options.name, options.tlp);
    if (!list) return Refused(options.name, {list.error().message});
    events.push_back(std::move(*list));
  } else {
    auto read = format == "misp" ? ReadMispEvents(bytes) : ReadStixBundle(bytes);
    if (!read) return Refused(options.name, read.error().reasons);
    events = std::move(*read);
  }

  const std::string now = Now();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  for (const std::string& member : options.named) {
    BAKEN_RETURN_IF_ERROR(
        tx->Members().Get(registry::Scope::All(), member).map([](const registry::Member&) {}));
  }
  Json taken = Json::array();
  Json skipped = Json::array();
  int64_t indicators = 0;
  for (IntelEvent& event : events) {
    if (!event.source_id.empty()) {
      BAKEN_ASSIGN_OR_RETURN(const auto known, tx->Intel().EventBySource(format, event.source_id));
      if (known) {
        skipped.push_back(Json{{"id", *known}, {"source_id", event.source_id}});
        continue;
      }
    }
    store::IntelEventRecord record;
    record.source_kind = format;
    record.source_id = event.source_id;
    record.title = event.title.empty() ? options.name : event.title;
    record.description = event.description;
    record.tlp = event.tlp;
    record.tlp_given = event.tlp_given;
    record.distribution = options.distribution.empty() ? event.distribution : options.distribution;
    if (event.confidence) record.confidence = *event.confidence;
    if (!event.threat_level.empty()) record.threat_level = event.threat_level;
    record.event_date = event.date;
    record.creator = event.creator;
    record.tags = event.tags;
    record.problems = event.problems;
    record.from_outside = true;
    record.named = options.named;
    record.added_by = who.actor;
    record.created_at = now;
    record.updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, tx->Intel().AddEvent(record));
    for (const Indicator& indicator : event.indicators) {
      store::IndicatorRecord stored;
      stored.event_id = id;
      stored.kind = indicator.kind;
      stored.value = indicator.value;
      // Never looser than its event (the readers hold to this; the store must not rely on it).
      stored.tlp = std::string(Name(std::max(ParseTlp(indicator.tlp).value_or(Tlp::kRed),
                                             ParseTlp(record.tlp).value_or(Tlp::kRed))));
      stored.for_detection = indicator.for_detection && Detectable(indicator.kind);
      stored.cert_only = indicator.cert_only;
      stored.valid_until = indicator.valid_until;
      stored.first_seen = indicator.first_seen;
      stored.last_seen = indicator.last_seen;
      stored.comment = indicator.comment;
      stored.group_ref = indicator.group;
      stored.group_name = indicator.group_name;
      stored.source_ref = indicator.source_id;
      stored.source_type = indicator.source_type;
      stored.tags = indicator.tags;
      stored.created_at = now;
      BAKEN_ASSIGN_OR_RETURN(const int64_t indicator_id, tx->Intel().AddIndicator(stored));
      for (const Sighting& sighting : indicator.sightings) {
        store::SightingRecord seen;
        seen.indicator_id = indicator_id;
        seen.kind = sighting.kind;
        seen.at = sighting.at;
        seen.count = sighting.count;
        seen.source = sighting.source;
        seen.added_by = who.actor;
        seen.created_at = now;
        BAKEN_RETURN_IF_ERROR(tx->Intel().AddSighting(seen).map([](int64_t) {}));
      }
      ++indicators;
    }
    taken.push_back(Json{{"id", id},
                         {"title", record.title},
                         {"tlp", record.tlp},
                         {"distribution", record.distribution},
                         {"indicators", event.indicators.size()},
                         {"problems", event.problems}});
  }
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.import",
                                             fmt::format("intel:{}", options.name),
                                             Json{{"format", format},
                                                  {"events", taken.size()},
                                                  {"indicators", indicators},
                                                  {"skipped", skipped.size()}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Json{{"format", format},
              {"events", std::move(taken)},
              {"skipped", std::move(skipped)},
              {"indicators", indicators}};
}

Result<Json> IntelService::Events(const auth::Principal& who, int64_t limit, int64_t offset) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const auto events, tx->Intel().Events(ReaderFor(who), limit, offset));
  Json list = Json::array();
  for (const auto& event : events) list.push_back(EventJson(event));
  return Json{{"events", std::move(list)}};
}

Result<Json> IntelService::Event(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const store::IntelReader reader = ReaderFor(who);
  BAKEN_ASSIGN_OR_RETURN(const auto event, tx->Intel().FindEvent(reader, id));
  if (!event) return NotFound(fmt::format("there is no intel event {}", id));
  Json json = EventJson(*event);
  // What the reader kept and flagged is for the analysts who took it in.
  if (who.IsStaff()) json["problems"] = event->problems;
  BAKEN_ASSIGN_OR_RETURN(const auto indicators, tx->Intel().Indicators(reader, id));
  json["indicators"] = Json::array();
  for (const auto& indicator : indicators) {
    Json entry = IndicatorJson(indicator);
    if (who.IsStaff()) {
      BAKEN_ASSIGN_OR_RETURN(const auto sightings, tx->Intel().Sightings(indicator.id));
      entry["sightings"] = static_cast<int64_t>(sightings.size());
    }
    json["indicators"].push_back(std::move(entry));
  }
  return json;
}

}  // namespace baken::intel
