#include "intel/intel_service.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "auth/principal.h"
#include "common/fields.h"
#include "common/json_text.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "common/tlp.h"
#include "intel/findings.h"
#include "intel/indicator.h"
#include "intel/list_reader.h"
#include "intel/misp_reader.h"
#include "intel/sharing.h"
#include "intel/stix_reader.h"
#include "net/ip_address.h"
#include "service/audit.h"
#include "service/registry_service.h"
#include "store/incident_repository.h"
#include "store/intel_repository.h"
#include "store/ripe_repository.h"

namespace baken::intel {

namespace {

constexpr size_t kMaxReasonsShown = 20;

// `full`: for analysts and the member that shared the event. Which other members were named
// as concerned is theirs alone: to the others it would say which municipalities are affected.
Json EventJson(const store::IntelEventRecord& event, bool full) {
  return Json{{"id", event.id},
              {"source_kind", event.source_kind},
              {"source_id", event.source_id},
              {"title", event.title},
              {"description", event.description},
              {"tlp", event.tlp},
              {"tlp_given", event.tlp_given},
              {"distribution", event.distribution},
              {"named", full ? event.named : std::vector<std::string>()},
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
              {"tags", indicator.tags},
              {"event", indicator.event_id},
              {"seen", indicator.seen},
              {"false_positives", indicator.false_positives},
              {"expired", indicator.expired}};
}

// Analysts, and the member that shared the event: they read all of it and add to it.
bool SharedBy(const auth::Principal& who, const store::IntelEventRecord& event) {
  return who.IsStaff() || (event.owner_member && event.owner_member == who.member);
}

constexpr size_t kMaxIndicatorsAtOnce = 1000;
// How often one sighting says a value was seen: enough for a busy sensor, far from overflowing
// the sum that is an indicator's weight.
constexpr int64_t kMaxSightingCount = 1'000'000;
constexpr std::string_view kDistributions[] = {"cert", "named", "members", "partners"};

// The stricter of two TLP names (an unknown one counts as RED).
std::string Stricter(std::string_view a, std::string_view b) {
  return std::string(
      Name(std::max(ParseTlp(a).value_or(Tlp::kRed), ParseTlp(b).value_or(Tlp::kRed))));
}

// The indicators of a request body, each in its canonical form; every problem named by its
// place ("indicators[3].value").
std::vector<store::IndicatorRecord> ReadIndicators(Fields& fields, const Json& body) {
  std::vector<store::IndicatorRecord> read;
  if (!fields.Has("indicators") || body["indicators"].is_null()) return read;
  const Json& list = body["indicators"];
  if (!list.is_array() || list.size() > kMaxIndicatorsAtOnce) {
    fields.Problem(
        problems::field_type,
        {{"field", "indicators"},
         {"kind", fmt::format("a list of at most {} indicators", kMaxIndicatorsAtOnce)}});
    return read;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string place = fmt::format("indicators[{}]", i);
    Fields item(list[i], {"value", "kind", "tlp", "for_detection", "valid_until", "comment"},
                place);
    const auto value = item.Text("value", 4096, true);
    auto kind = item.Choice("kind", IndicatorKinds());
    const auto tlp = item.TlpLevel("tlp");
    const auto for_detection = item.Flag("for_detection");
    const auto valid_until = item.Time("valid_until");
    const auto comment = item.Text("comment", 2000);
    if (Status done = item.Done(); !done) {
      // The item's problems are the body's.
      std::vector<Error> parts = done.error().causes;
      if (parts.empty()) parts.push_back(done.error());
      for (Error& problem : parts) fields.Add(std::move(problem));
      continue;
    }
    if (!kind) kind = KindOfValue(*value);
    if (!kind) {
      fields.Problem(problems::intel_value_unknown,
                     {{"field", place + ".value"}, {"value", *value}});
      continue;
    }
    auto canonical = CanonicalValue(*kind, *value);
    if (!canonical) {
      fields.Problem(problems::intel_value_invalid,
                     {{"field", place + ".value"}, {"kind", *kind}, {"value", *value}});
      continue;
    }
    store::IndicatorRecord indicator;
    indicator.kind = *kind;
    indicator.value = std::move(*canonical);
    indicator.tlp = tlp.value_or("");
    indicator.for_detection = for_detection.value_or(true) && Detectable(*kind);
    indicator.valid_until = valid_until;
    indicator.comment = comment.value_or("");
    read.push_back(std::move(indicator));
  }
  return read;
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

// An event read from a document, as the store keeps it (its circle from `options` when given).
store::IntelEventRecord EventRecordOf(const IntelEvent& event, std::string_view format,
                                      const ImportOptions& options) {
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
  return record;
}

// An indicator as its event allows it: its TLP never looser than the event's (the readers
// hold to this; the store must not rely on it), for detection only where a value can be.
void HoldToEvent(store::IndicatorRecord& indicator, const store::IntelEventRecord& event) {
  indicator.event_id = event.id;
  indicator.tlp = Stricter(indicator.tlp.empty() ? event.tlp : indicator.tlp, event.tlp);
  indicator.for_detection = indicator.for_detection && Detectable(indicator.kind);
}

// An indicator read from a document, as the store keeps it in `event` (held to it).
store::IndicatorRecord IndicatorRecordOf(const Indicator& indicator,
                                         const store::IntelEventRecord& event) {
  store::IndicatorRecord stored;
  stored.event_id = event.id;
  stored.kind = indicator.kind;
  stored.value = indicator.value;
  stored.tlp = indicator.tlp;
  stored.for_detection = indicator.for_detection;
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
  HoldToEvent(stored, event);
  return stored;
}

// Whether the source says of the indicator what the store holds.
bool SameAsStored(const store::IndicatorRecord& read, const store::IndicatorRecord& stored) {
  return std::tie(read.kind, read.value, read.tlp, read.for_detection, read.cert_only,
                  read.valid_until, read.first_seen, read.last_seen, read.comment, read.group_ref,
                  read.group_name, read.source_ref, read.source_type, read.tags) ==
         std::tie(stored.kind, stored.value, stored.tlp, stored.for_detection, stored.cert_only,
                  stored.valid_until, stored.first_seen, stored.last_seen, stored.comment,
                  stored.group_ref, stored.group_name, stored.source_ref, stored.source_type,
                  stored.tags);
}

// How an indicator of a source is recognised in its next version: by the MISP attribute's
// uuid and the kind (a composite attribute's parts share the uuid), by kind and value when the
// source gave it no uuid.
std::string SourceKey(const store::IndicatorRecord& indicator) {
  return indicator.source_ref.empty()
             ? fmt::format("value\x1f{}\x1f{}", indicator.kind, indicator.value)
             : fmt::format("ref\x1f{}\x1f{}", indicator.source_ref, indicator.kind);
}

}  // namespace

namespace {

// A member as the one that saw an indicator: the member itself, as its trusted contacts read.
store::IntelReader SighterReader(const std::string& member) {
  return store::IntelReader{false, member, false, false};
}

}  // namespace

Result<store::IntelReader> ReaderFor(store::Transaction& tx, const auth::Principal& who) {
  if (who.IsStaff()) return store::IntelReader{true, std::nullopt, false, false};
  store::IntelReader reader{false, who.member, false, true};
  if (!who.member) return reader;
  auto member = tx.Members().Get(auth::ScopeFor(who), *who.member);
  if (!member) {
    if (member.error().code == ErrorCode::kNotFound) return reader;
    return tl::unexpected(member.error());
  }
  const auto roles = auth::ContactRolesOf(who, *member);
  reader.general_only =
      std::find(roles.begin(), roles.end(), registry::ContactRole::kTrusted) == roles.end();
  return reader;
}

Result<IntelService> IntelServiceOverRegister(store::Store& store, Clock clock) {
  BAKEN_ASSIGN_OR_RETURN(auto constituency,
                         service::RegistryService(store, nullptr).BuildConstituency());
  return IntelService(store, std::move(clock), std::move(constituency));
}

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

IntelService::IntelService(store::Store& store, Clock clock,
                           std::shared_ptr<const routing::Constituency> constituency)
    : store_(store), clock_(std::move(clock)), constituency_(std::move(constituency)) {}

std::chrono::system_clock::time_point IntelService::Instant() const {
  return clock_ ? clock_() : baken::Now();
}

std::string IntelService::Now() const { return FormatUtc(Instant()); }

Result<int64_t> IntelService::StoreIndicator(store::Transaction& tx,
                                             const store::IntelEventRecord& event,
                                             store::IndicatorRecord indicator,
                                             std::vector<store::EventRecord>& findings) {
  HoldToEvent(indicator, event);
  indicator.created_at = Now();
  BAKEN_ASSIGN_OR_RETURN(indicator.id, tx.Intel().AddIndicator(indicator));
  if (constituency_) {
    if (auto finding = FindingFor(*constituency_, event, indicator, Instant())) {
      findings.push_back(std::move(*finding));
    }
  }
  return indicator.id;
}

Result<Json> IntelService::Import(const auth::Principal& who, std::string_view bytes,
                                  const ImportOptions& given) {
  if (!who.IsStaff()) return PermissionDenied("only analysts take in threat intelligence");
  // The name is a file name or a query parameter, so any bytes; it becomes a list's title and
  // is written in JSON and in the store, which hold UTF-8 only.
  ImportOptions options = given;
  options.name = RepairUtf8(given.name);
  const std::string format = options.format.empty() ? FormatOf(bytes) : options.format;
  if (format != "misp" && format != "stix" && format != "list") {
    return InvalidInput(problems::intel_format_unknown, {{"value", format}});
  }
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
    BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(member));
  }
  Json taken = Json::array();
  Json skipped = Json::array();
  int64_t indicators = 0;
  std::vector<store::EventRecord> findings;
  for (IntelEvent& event : events) {
    if (!event.source_id.empty()) {
      BAKEN_ASSIGN_OR_RETURN(const auto known, tx->Intel().EventBySource(format, event.source_id));
      if (known) {
        skipped.push_back(Json{{"id", *known}, {"source_id", event.source_id}});
        continue;
      }
    }
    store::IntelEventRecord record = EventRecordOf(event, format, options);
    record.added_by = who.actor;
    record.created_at = now;
    record.updated_at = now;
    BAKEN_ASSIGN_OR_RETURN(record.id, tx->Intel().AddEvent(record));
    const int64_t id = record.id;
    for (const intel::Indicator& indicator : event.indicators) {
      BAKEN_ASSIGN_OR_RETURN(
          const int64_t indicator_id,
          StoreIndicator(*tx, record, IndicatorRecordOf(indicator, record), findings));
      BAKEN_RETURN_IF_ERROR(StoreSourceSightings(*tx, who, indicator_id, indicator));
      ++indicators;
    }
    taken.push_back(Json{{"id", id},
                         {"title", record.title},
                         {"tlp", record.tlp},
                         {"distribution", record.distribution},
                         {"indicators", event.indicators.size()},
                         {"problems", event.problems}});
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t found, StoreFindings(*tx, findings, Instant()));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.import",
                                             fmt::format("intel:{}", options.name),
                                             Json{{"format", format},
                                                  {"events", taken.size()},
                                                  {"indicators", indicators},
                                                  {"skipped", skipped.size()},
                                                  {"findings", found}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Json{{"format", format},
              {"events", std::move(taken)},
              {"skipped", std::move(skipped)},
              {"indicators", indicators},
              {"findings", found}};
}

Status IntelService::StoreSourceSightings(store::Transaction& tx, const auth::Principal& who,
                                          int64_t indicator_id, const intel::Indicator& indicator) {
  for (const Sighting& sighting : indicator.sightings) {
    store::SightingRecord seen;
    seen.indicator_id = indicator_id;
    seen.kind = sighting.kind;
    seen.at = sighting.at;
    seen.count = sighting.count;
    seen.source = sighting.source;
    seen.added_by = who.actor;
    seen.created_at = Now();
    BAKEN_RETURN_IF_ERROR(tx.Intel().AddSighting(seen).map([](int64_t) {}));
  }
  return {};
}

Result<FollowedEventTaken> IntelService::TakeInFollowed(const auth::Principal& who,
                                                        const IntelEvent& event,
                                                        const ImportOptions& options,
                                                        std::optional<int64_t> taken_before) {
  if (!who.IsStaff()) return PermissionDenied("only analysts take in threat intelligence");
  const std::string now = Now();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  FollowedEventTaken taken;
  std::vector<store::EventRecord> findings;
  std::optional<int64_t> known;
  if (!event.source_id.empty()) {
    BAKEN_ASSIGN_OR_RETURN(known, tx->Intel().EventBySource("misp", event.source_id));
  }
  const store::IntelReader everything{true, std::nullopt, false};
  store::IntelEventRecord record = EventRecordOf(event, "misp", options);
  record.updated_at = now;
  std::vector<store::IndicatorRecord> stored;
  // A feed changes only what it brought: another source's event with the same uuid (a partner's
  // export, another feed) is not its to rewrite, nor its TLP to loosen.
  if (known && known != taken_before) {
    return InvalidArgument(fmt::format(
        "event {} was taken in from another source (intel event {}): a feed updates only the "
        "events it brought",
        event.source_id, *known));
  }
  if (known) {
    BAKEN_ASSIGN_OR_RETURN(auto before, tx->Intel().FindEvent(everything, *known));
    if (!before) return NotFound(fmt::format("intel event {}", *known));
    // The circle stays what Baken gave it; the rest is the source's to change.
    record.id = before->id;
    record.distribution = before->distribution;
    record.named = before->named;
    record.owner_member = before->owner_member;
    record.from_outside = before->from_outside;
    record.permission = before->permission;
    record.added_by = before->added_by;
    record.created_at = before->created_at;
    BAKEN_RETURN_IF_ERROR(tx->Intel().UpdateEvent(record));
    BAKEN_ASSIGN_OR_RETURN(stored, tx->Intel().Indicators(everything, record.id));
  } else {
    for (const std::string& member : options.named) {
      BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(member));
    }
    record.added_by = who.actor;
    record.created_at = now;
    BAKEN_ASSIGN_OR_RETURN(record.id, tx->Intel().AddEvent(record));
    taken.created = true;
  }
  taken.event_id = record.id;

  std::multimap<std::string, size_t> unmatched;
  for (size_t i = 0; i < stored.size(); ++i) unmatched.emplace(SourceKey(stored[i]), i);
  for (const intel::Indicator& indicator : event.indicators) {
    store::IndicatorRecord read = IndicatorRecordOf(indicator, record);
    const auto match = unmatched.find(SourceKey(read));
    if (match == unmatched.end()) {
      BAKEN_ASSIGN_OR_RETURN(const int64_t id,
                             StoreIndicator(*tx, record, std::move(read), findings));
      BAKEN_RETURN_IF_ERROR(StoreSourceSightings(*tx, who, id, indicator));
      ++taken.added;
      continue;
    }
    const store::IndicatorRecord& before = stored[match->second];
    unmatched.erase(match);
    if (SameAsStored(read, before)) continue;
    read.id = before.id;
    read.created_at = before.created_at;
    BAKEN_RETURN_IF_ERROR(tx->Intel().UpdateIndicator(read));
    ++taken.changed;
    // A value the source corrected is matched against the register again.
    if (constituency_ && (read.kind != before.kind || read.value != before.value)) {
      if (auto finding = FindingFor(*constituency_, record, read, Instant())) {
        findings.push_back(std::move(*finding));
      }
    }
  }
  // What the source no longer lists ends now; it stays, with its sightings, as history, and
  // under the event's TLP if that became stricter: an indicator is never looser than its event.
  for (const auto& [key, index] : unmatched) {
    store::IndicatorRecord ended = stored[index];
    const bool ends = !ended.valid_until || *ended.valid_until > now;
    const std::string tlp = Stricter(ended.tlp, record.tlp);
    if (!ends && tlp == ended.tlp) continue;
    if (ends) {
      ended.valid_until = now;
      ++taken.ended;
    }
    ended.tlp = tlp;
    BAKEN_RETURN_IF_ERROR(tx->Intel().UpdateIndicator(ended));
  }
  BAKEN_ASSIGN_OR_RETURN(taken.findings, StoreFindings(*tx, findings, Instant()));
  BAKEN_RETURN_IF_ERROR(
      service::RecordAudit(*tx, who, taken.created ? "intel.follow.add" : "intel.follow.update",
                           fmt::format("intel-event:{}", record.id),
                           Json{{"source_id", event.source_id},
                                {"added", taken.added},
                                {"changed", taken.changed},
                                {"ended", taken.ended},
                                {"findings", taken.findings}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return taken;
}

Result<int64_t> IntelService::WithdrawEvent(const auth::Principal& who, int64_t event_id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts take in threat intelligence");
  const std::string now = Now();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  const store::IntelReader everything{true, std::nullopt, false};
  BAKEN_ASSIGN_OR_RETURN(auto indicators, tx->Intel().Indicators(everything, event_id));
  int64_t ended = 0;
  for (store::IndicatorRecord& indicator : indicators) {
    if (indicator.valid_until && *indicator.valid_until <= now) continue;
    indicator.valid_until = now;
    BAKEN_RETURN_IF_ERROR(tx->Intel().UpdateIndicator(indicator));
    ++ended;
  }
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.follow.withdraw",
                                             fmt::format("intel-event:{}", event_id),
                                             Json{{"ended", ended}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return ended;
}

Result<Json> IntelService::CreateEvent(const auth::Principal& who, const Json& body) {
  Fields fields(body,
                {"title", "description", "tlp", "distribution", "named", "tags", "indicators"});
  const auto title = fields.Text("title", 500, true);
  const auto description = fields.Text("description", 20000);
  const auto tlp = fields.TlpLevel("tlp");
  const auto distribution = fields.Choice("distribution", kDistributions);
  const std::vector<std::string> named = fields.TextList("named");
  const std::vector<std::string> tags = fields.TextList("tags");
  std::vector<store::IndicatorRecord> indicators = ReadIndicators(fields, body);
  BAKEN_RETURN_IF_ERROR(fields.Done());

  const std::string now = Now();
  store::IntelEventRecord event;
  event.source_kind = "portal";
  event.title = *title;
  event.description = description.value_or("");
  event.tlp = tlp.value_or("AMBER");
  event.tlp_given = tlp.has_value();
  event.distribution = distribution.value_or(who.IsStaff() ? "cert" : "named");
  event.named = named;
  event.tags = tags;
  if (!who.IsStaff()) event.owner_member = who.member;
  event.creator = who.IsStaff() ? std::string("CERT") : who.member.value_or("");
  event.added_by = who.actor;
  event.created_at = now;
  event.updated_at = now;

  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  for (const std::string& member : named) {
    BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(member));
  }
  BAKEN_ASSIGN_OR_RETURN(event.id, tx->Intel().AddEvent(event));
  std::vector<store::EventRecord> findings;
  for (store::IndicatorRecord& indicator : indicators) {
    BAKEN_RETURN_IF_ERROR(
        StoreIndicator(*tx, event, std::move(indicator), findings).map([](int64_t) {}));
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t found, StoreFindings(*tx, findings, Instant()));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.event.create",
                                             fmt::format("intel-event:{}", event.id),
                                             Json{{"tlp", event.tlp},
                                                  {"distribution", event.distribution},
                                                  {"indicators", indicators.size()},
                                                  {"findings", found}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  Json json = EventJson(event, true);
  json["indicators"] = indicators.size();
  // Whether a value made a finding says that it lies in some member's range: for analysts.
  if (who.IsStaff()) json["findings"] = found;
  return json;
}

Result<Json> IntelService::AddIndicators(const auth::Principal& who, int64_t event_id,
                                         const Json& body) {
  Fields fields(body, {"indicators"});
  std::vector<store::IndicatorRecord> indicators = ReadIndicators(fields, body);
  if (indicators.empty() && fields.Done()) {
    fields.Problem(problems::field_required, {{"field", "indicators"}});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto event, tx->Intel().FindEvent(reader, event_id));
  if (!event) return NotFound(fmt::format("there is no intel event {}", event_id));
  // Reading an event is not adding to it: a member adds only to its own.
  if (!who.IsStaff() && event->owner_member != who.member) {
    return PermissionDenied("only analysts and the member that shared an event add to it");
  }
  std::vector<store::EventRecord> findings;
  Json added = Json::array();
  for (store::IndicatorRecord& indicator : indicators) {
    BAKEN_ASSIGN_OR_RETURN(const int64_t id,
                           StoreIndicator(*tx, *event, std::move(indicator), findings));
    added.push_back(id);
  }
  BAKEN_ASSIGN_OR_RETURN(const int64_t found, StoreFindings(*tx, findings, Instant()));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(
      *tx, who, "intel.indicators.add", fmt::format("intel-event:{}", event_id),
      Json{{"indicators", added.size()}, {"findings", found}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  Json json{{"event", event_id}, {"added", std::move(added)}};
  // Whether a value made a finding says that it lies in some member's range: for analysts.
  if (who.IsStaff()) json["findings"] = found;
  return json;
}

Result<Json> IntelService::Events(const auth::Principal& who, const store::IntelEventQuery& query) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto events, tx->Intel().Events(reader, query));
  BAKEN_ASSIGN_OR_RETURN(const int64_t total, tx->Intel().CountEvents(reader, query));
  Json list = Json::array();
  for (const auto& event : events) {
    Json json = EventJson(event, SharedBy(who, event));
    json["indicator_count"] = event.indicator_count;
    list.push_back(std::move(json));
  }
  return Json{{"events", std::move(list)}, {"total", total}};
}

Result<Json> IntelService::Indicators(const auth::Principal& who,
                                      const store::IndicatorQuery& query) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto indicators, tx->Intel().SearchIndicators(reader, query));
  BAKEN_ASSIGN_OR_RETURN(const int64_t total, tx->Intel().CountIndicators(reader, query));
  Json list = Json::array();
  for (const auto& indicator : indicators) list.push_back(IndicatorJson(indicator));
  return Json{{"indicators", std::move(list)}, {"total", total}};
}

Result<Json> IntelService::Indicator(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto indicator, tx->Intel().FindIndicator(reader, id));
  if (!indicator) return NotFound(fmt::format("there is no indicator {}", id));
  BAKEN_ASSIGN_OR_RETURN(const auto event, tx->Intel().FindEvent(reader, indicator->event_id));
  Json json = IndicatorJson(*indicator);
  // The event's TLP is never stricter than its indicators', so whoever reads the indicator
  // reads its event.
  json["event_title"] = event ? event->title : std::string();
  json["event_tlp"] = event ? event->tlp : std::string();
  // The same value elsewhere, as far as the reader may receive it.
  BAKEN_ASSIGN_OR_RETURN(
      const auto same, tx->Intel().IndicatorsWithValue(reader, indicator->kind, indicator->value));
  json["related"] = Json::array();
  for (const auto& other : same) {
    if (other.id != indicator->id) {
      json["related"].push_back(Json{{"id", other.id}, {"event", other.event_id}});
    }
  }
  if (who.IsStaff()) {
    // Enrichment that needs no network: whose system it is, and who saw it.
    json["owner"] = Json();
    if (constituency_) {
      if (const auto owner = OwnerOf(*constituency_, indicator->kind, indicator->value)) {
        json["owner"] =
            Json{{"member", owner->member}, {"reason", owner->reason}, {"claim", owner->claim}};
      }
    }
    // The network and abuse contact the RIPE database gives (`baken ripe load`), when loaded:
    // where to report an address that is no member's.
    json["registry"] = Json();
    if (indicator->kind == "ip") {
      if (const auto address = net::IpAddress::Parse(indicator->value)) {
        BAKEN_ASSIGN_OR_RETURN(const auto contact, tx->Ripe().AbuseContactFor(*address));
        if (contact) {
          json["registry"] = Json{{"object", contact->object}, {"abuse", contact->mailbox}};
        }
      }
    }
    // Incidents whose title or description names the value (newest first, at most 20).
    store::IncidentQuery mentioning;
    mentioning.text = indicator->value;
    mentioning.limit = 20;
    BAKEN_ASSIGN_OR_RETURN(const auto incidents,
                           tx->Incidents().List(registry::Scope::All(), mentioning));
    json["incidents"] = Json::array();
    for (const auto& incident : incidents) {
      json["incidents"].push_back(
          Json{{"id", incident.id}, {"title", incident.title}, {"state", incident.state}});
    }
    BAKEN_ASSIGN_OR_RETURN(const auto sightings, tx->Intel().Sightings(id));
    json["sightings"] = Json::array();
    for (const auto& sighting : sightings) {
      json["sightings"].push_back(Json{{"id", sighting.id},
                                       {"kind", sighting.kind},
                                       {"at", sighting.at},
                                       {"count", sighting.count},
                                       {"member", OrNull(sighting.member)},
                                       {"named", sighting.named},
                                       {"source", sighting.source}});
    }
  }
  return json;
}

Result<Json> IntelService::Event(const auth::Principal& who, int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto event, tx->Intel().FindEvent(reader, id));
  if (!event) return NotFound(fmt::format("there is no intel event {}", id));
  Json json = EventJson(*event, SharedBy(who, *event));
  // Reading an event is not adding to it (AddIndicators): the portal shows its form by this.
  json["may_add"] = SharedBy(who, *event);
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

Result<int64_t> IntelService::StoreSighting(store::Transaction& tx,
                                            const store::IndicatorRecord& indicator,
                                            store::SightingRecord sighting, int64_t* sighting_id) {
  sighting.indicator_id = indicator.id;
  BAKEN_ASSIGN_OR_RETURN(*sighting_id, tx.Intel().AddSighting(sighting));
  if (sighting.kind != "seen") return 0;
  // The circle the indicator was given to decides who is warned, as it decides who reads it.
  BAKEN_ASSIGN_OR_RETURN(const auto event, tx.Intel().FindEvent(store::IntelReader{true, {}, false},
                                                                indicator.event_id));
  if (!event) return 0;
  const Circle circle{event->distribution, event->named, event->owner_member, event->from_outside,
                      event->permission.has_value()};
  BAKEN_ASSIGN_OR_RETURN(const auto members, tx.Members().List(registry::Scope::All()));
  // One warning a day per member and indicator: several sightings the same day say nothing new.
  const std::string since = FormatUtc(Instant() - std::chrono::hours(24));
  int64_t warned = 0;
  for (const registry::Member& member : members) {
    if (sighting.member && member.code == *sighting.member) continue;
    if (!MayReceive(Recipient{false, member.code, false}, circle, indicator.tlp,
                    indicator.cert_only)) {
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(const bool recent,
                           tx.Intel().WarnedSince(indicator.id, member.code, since));
    if (recent) continue;
    BAKEN_RETURN_IF_ERROR(
        tx.Intel()
            .AddWarning(store::IntelWarningRecord{0, indicator.id, *sighting_id, member.code,
                                                  sighting.created_at, std::nullopt})
            .map([](int64_t) {}));
    ++warned;
  }
  return warned;
}

Result<Json> IntelService::AddSighting(const auth::Principal& who, int64_t indicator_id,
                                       const Json& body) {
  Fields fields(body, {"kind", "at", "count", "named", "member", "source"});
  const auto kind = fields.Choice("kind", SightingKinds(), true);
  const auto at = fields.Time("at");
  const auto count = fields.Id("count");
  if (count && *count > kMaxSightingCount) {
    fields.Problem(problems::field_type,
                   {{"field", "count"},
                    {"kind", fmt::format("a whole number from 1 to {}", kMaxSightingCount)}});
  }
  const auto named = fields.Flag("named");
  const auto member = fields.Text("member", 100);
  const auto source = fields.Text("source", 200);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  if (member && !who.IsStaff()) {
    return PermissionDenied("a member's user records sightings for its own member only");
  }
  store::SightingRecord sighting;
  sighting.member = who.IsStaff() ? member : who.member;
  sighting.kind = *kind;
  sighting.at = at.value_or(Now());
  sighting.count = count.value_or(1);
  sighting.source = source.value_or("");
  sighting.named = named.value_or(false);
  sighting.added_by = who.actor;
  sighting.created_at = Now();

  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  if (sighting.member) {
    BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(*sighting.member));
  }
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto indicator, tx->Intel().FindIndicator(reader, indicator_id));
  if (!indicator) return NotFound(fmt::format("there is no indicator {}", indicator_id));
  // An analyst's sighting on a member's behalf: only of what that member may receive, or the
  // warnings would tell the others of a sighting the member could not have had.
  if (who.IsStaff() && sighting.member) {
    BAKEN_ASSIGN_OR_RETURN(const auto received, tx->Intel().FindIndicator(
                                                    SighterReader(*sighting.member), indicator_id));
    if (!received) {
      return InvalidInput(problems::intel_sighting_not_received,
                          {{"member", *sighting.member}, {"value", indicator->value}});
    }
  }
  int64_t id = 0;
  BAKEN_ASSIGN_OR_RETURN(const int64_t warned,
                         StoreSighting(*tx, *indicator, std::move(sighting), &id));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.sighting",
                                             fmt::format("indicator:{}", indicator_id),
                                             Json{{"kind", *kind}, {"warned", warned}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Json{{"id", id}, {"indicator", indicator_id}, {"warned", warned}};
}

Result<Json> IntelService::ReportSeen(const auth::Principal& who, const Json& body) {
  Fields fields(body, {"values", "at", "named", "member"});
  const std::vector<std::string> values = fields.TextList("values");
  const auto at = fields.Time("at");
  const auto named = fields.Flag("named");
  const auto member = fields.Text("member", 100);
  if (values.empty() && fields.Done())
    fields.Problem(problems::field_required, {{"field", "values"}});
  BAKEN_RETURN_IF_ERROR(fields.Done());
  if (member && !who.IsStaff()) {
    return PermissionDenied("a member's user records sightings for its own member only");
  }
  const std::optional<std::string> sighter = who.IsStaff() ? member : who.member;
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  if (sighter) {
    BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(*sighter));
  }
  // On a member's behalf, an analyst's log matches are that member's: only what it may receive.
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader,
                         who.IsStaff() && sighter
                             ? Result<store::IntelReader>(SighterReader(*sighter))
                             : ReaderFor(*tx, who));
  Json matched = Json::array();
  Json unknown = Json::array();
  int64_t warned = 0;
  for (const std::string& value : values) {
    // The value as the indicators hold it: its kind told by its shape, in canonical form.
    const auto kind = KindOfValue(value);
    const auto canonical = kind ? CanonicalValue(*kind, value) : Result<std::string>();
    if (!kind || !canonical) {
      unknown.push_back(value);
      continue;
    }
    BAKEN_ASSIGN_OR_RETURN(auto indicators,
                           tx->Intel().IndicatorsWithValue(reader, *kind, *canonical));
    // A name in a log does not say whether a source called it a domain or a host name.
    if (*kind == "domain" || *kind == "host") {
      const std::string_view twin = *kind == "domain" ? "host" : "domain";
      BAKEN_ASSIGN_OR_RETURN(auto as_twin,
                             tx->Intel().IndicatorsWithValue(reader, twin, *canonical));
      indicators.insert(indicators.end(), as_twin.begin(), as_twin.end());
    }
    if (indicators.empty()) unknown.push_back(value);
    for (const auto& indicator : indicators) {
      store::SightingRecord sighting;
      sighting.member = sighter;
      sighting.kind = "seen";
      sighting.at = at.value_or(Now());
      sighting.source = "log";
      sighting.named = named.value_or(false);
      sighting.added_by = who.actor;
      sighting.created_at = Now();
      int64_t id = 0;
      BAKEN_ASSIGN_OR_RETURN(const int64_t count,
                             StoreSighting(*tx, indicator, std::move(sighting), &id));
      warned += count;
      matched.push_back(Json{{"value", *canonical}, {"indicator", indicator.id}, {"sighting", id}});
    }
  }
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(
      *tx, who, "intel.sightings.log", sighter ? fmt::format("member:{}", *sighter) : "cert",
      Json{{"values", values.size()}, {"matched", matched.size()}, {"warned", warned}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return Json{{"matched", std::move(matched)}, {"unknown", std::move(unknown)}, {"warned", warned}};
}

}  // namespace baken::intel
