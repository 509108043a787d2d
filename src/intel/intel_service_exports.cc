// IntelService: a member's feed and the exports (decision 0023, "Exports"). What a reader may
// receive is read through the store's form of the one sharing rule; the formats are
// intel/export_formats.h.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "auth/credentials.h"
#include "common/fields.h"
#include "common/hash.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "intel/export_formats.h"
#include "intel/intel_service.h"
#include "service/audit.h"
#include "store/intel_repository.h"

namespace baken::intel {

namespace {

constexpr std::string_view kFeedFiles[] = {
    "misp.json",           "stix.json", "ip.txt",         "domains.txt",
    "indicators.csv",      "rpz.zone",  "suricata.rules", "misp-feed/manifest.json",
    "misp-feed/hashes.csv"};
constexpr std::string_view kMispFeedPrefix = "misp-feed/";
// A feed key as GenerateToken makes it; anything much longer is no key.
constexpr size_t kMaxKeyLength = 100;

// Stored records as the writers take them, with ids that stay the same across exports.
std::vector<IntelEvent> ExportedEvents(const std::vector<store::IntelEventRecord>& events,
                                       const std::vector<store::IndicatorRecord>& indicators) {
  std::map<int64_t, size_t> position;
  std::vector<IntelEvent> out;
  for (const store::IntelEventRecord& record : events) {
    IntelEvent event;
    event.source_id = record.source_id.empty() ? fmt::format("baken-intel-event:{}", record.id)
                                               : record.source_id;
    event.title = record.title;
    event.description = record.description;
    event.tlp = record.tlp;
    event.tlp_given = true;
    event.distribution = record.distribution;
    event.threat_level = record.threat_level.value_or("");
    if (record.confidence) event.confidence = static_cast<int>(*record.confidence);
    event.date =
        record.event_date ? record.event_date : std::optional(record.created_at.substr(0, 10));
    event.creator = record.creator;
    event.tags = record.tags;
    position[record.id] = out.size();
    out.push_back(std::move(event));
  }
  for (const store::IndicatorRecord& record : indicators) {
    const auto at = position.find(record.event_id);
    if (at == position.end()) continue;
    Indicator indicator;
    indicator.kind = record.kind;
    indicator.value = record.value;
    indicator.tlp = record.tlp;
    indicator.for_detection = record.for_detection;
    indicator.cert_only = record.cert_only;
    indicator.valid_until = record.valid_until;
    indicator.first_seen = record.first_seen;
    indicator.last_seen = record.last_seen;
    indicator.comment = record.comment;
    indicator.group = record.group_ref;
    indicator.group_name = record.group_name;
    indicator.source_id = record.source_ref.empty() ? fmt::format("baken-indicator:{}", record.id)
                                                    : record.source_ref;
    indicator.source_type = record.source_type;
    indicator.tags = record.tags;
    out[at->second].indicators.push_back(std::move(indicator));
  }
  // Oldest first, so that a feed's order does not move when an event is added.
  std::reverse(out.begin(), out.end());
  return out;
}

FeedFile Served(std::string content, std::string_view type) {
  FeedFile file;
  file.etag = fmt::format("\"{}\"", Sha256Hex(content).substr(0, 32));
  file.content = std::move(content);
  file.content_type = type;
  return file;
}

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kCsv = "text/csv; charset=utf-8";

}  // namespace

std::span<const std::string_view> FeedFileNames() { return kFeedFiles; }

Result<FeedFile> IntelService::ExportFor(const store::IntelReader& reader, std::string_view name) {
  const bool known =
      std::find(std::begin(kFeedFiles), std::end(kFeedFiles), name) != std::end(kFeedFiles) ||
      (name.starts_with(kMispFeedPrefix) && name.ends_with(".json"));
  if (!known) return NotFound(fmt::format("there is no feed file {}", name));
  const std::string now = Now();
  std::vector<store::IntelEventRecord> events;
  std::vector<store::IndicatorRecord> indicators;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    store::IndicatorQuery query;
    query.for_detection = true;
    query.valid_at = now;
    query.limit = 0;
    BAKEN_ASSIGN_OR_RETURN(indicators, tx->Intel().SearchIndicators(reader, query));
    std::vector<int64_t> ids;
    for (const auto& indicator : indicators) ids.push_back(indicator.event_id);
    std::sort(ids.begin(), ids.end(), std::greater<>());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const int64_t id : ids) {
      BAKEN_ASSIGN_OR_RETURN(const auto event, tx->Intel().FindEvent(reader, id));
      if (event) events.push_back(*event);
    }
  }
  std::sort(indicators.begin(), indicators.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  const std::vector<IntelEvent> exported = ExportedEvents(events, indicators);
  // The time of the last change of what is exported: the same export keeps the same bytes (and
  // so its ETag), and a MISP feed's follower sees an event grow.
  std::string changed = "2026-01-01T00:00:00Z";
  for (const auto& indicator : indicators) changed = std::max(changed, indicator.created_at);
  for (const auto& event : events) changed = std::max(changed, event.updated_at);

  MispWriteOptions misp;
  misp.organisation = "Baken";
  misp.timestamp = changed;
  if (name == "misp.json") {
    BAKEN_ASSIGN_OR_RETURN(auto out, WriteMispEvents(exported, misp));
    return Served(std::move(out.content), kJson);
  }
  if (name.starts_with(kMispFeedPrefix)) {
    BAKEN_ASSIGN_OR_RETURN(auto feed, WriteMispFeed(exported, misp));
    const auto file = feed.files.find(std::string(name.substr(kMispFeedPrefix.size())));
    if (file == feed.files.end()) return NotFound(fmt::format("there is no feed file {}", name));
    return Served(std::move(file->second), name.ends_with(".csv") ? kCsv : kJson);
  }
  if (name == "stix.json") {
    BAKEN_ASSIGN_OR_RETURN(auto out, WriteStixBundle(exported, StixWriteOptions{changed, "Baken"}));
    return Served(std::move(out.content), kJson);
  }
  if (name == "ip.txt") {
    return Served(WritePlainBlockList(exported, BlockListKind::kAddresses).content, kText);
  }
  if (name == "domains.txt") {
    return Served(WritePlainBlockList(exported, BlockListKind::kDomains).content, kText);
  }
  if (name == "indicators.csv") return Served(WriteCsvList(exported).content, kCsv);
  if (name == "rpz.zone") {
    RpzOptions rpz;
    rpz.origin = "rpz.baken.invalid.";
    // Grows with every change of what is in the zone (an expiry aside, which BIND loads
    // from the file all the same).
    const auto at = ParseUtc(changed);
    rpz.serial = static_cast<uint32_t>(
        at ? std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count() : 1);
    BAKEN_ASSIGN_OR_RETURN(auto out, WriteRpzZone(exported, rpz));
    return Served(std::move(out.content), kText);
  }
  BAKEN_ASSIGN_OR_RETURN(auto out, WriteSuricataRules(exported, SuricataOptions{}));
  return Served(std::move(out.content), kText);
}

Result<FeedFile> IntelService::Export(const auth::Principal& who, std::string_view name) {
  store::IntelReader reader;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(reader, ReaderFor(*tx, who));
  }
  return ExportFor(reader, name);
}

Result<FeedFile> IntelService::FeedExport(std::string_view key, std::string_view name) {
  if (key.empty() || key.size() > kMaxKeyLength) return NotFound("there is no such feed");
  std::optional<std::string> member;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(member, tx->Intel().MemberOfFeedToken(Sha256Hex(key)));
  }
  if (!member) return NotFound("there is no such feed");
  return ExportFor(store::IntelReader{false, member, false}, name);
}

Result<Json> IntelService::Feed(const auth::Principal& who,
                                const std::optional<std::string>& member) {
  const std::optional<std::string> code = who.IsStaff() ? member : who.member;
  if (!code) return InvalidInput(problems::field_required, {{"field", "member"}});
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(*code));
  BAKEN_ASSIGN_OR_RETURN(const auto created, tx->Intel().FeedTokenCreated(*code));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  Json files = Json::array();
  for (const std::string_view name : kFeedFiles) files.push_back(Json{{"name", name}});
  return Json{{"member", *code},
              {"token_created_at", created ? Json(*created) : Json()},
              {"may_make_key", !reader.general_only},
              {"files", std::move(files)}};
}

Result<Json> IntelService::NewFeedKey(const auth::Principal& who, const Json& body,
                                      std::string_view base) {
  Fields fields(body, {"member"});
  const auto member = fields.Text("member", 100);
  BAKEN_RETURN_IF_ERROR(fields.Done());
  if (member && !who.IsStaff()) {
    return PermissionDenied("a member's user makes a feed key for its own member only");
  }
  const std::optional<std::string> code = who.IsStaff() ? member : who.member;
  if (!code) return InvalidInput(problems::field_required, {{"field", "member"}});
  const std::string key = auth::GenerateToken();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(*code));
  // The key serves what the member receives, AMBER included: its trusted contacts' to make.
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  if (reader.general_only) {
    return PermissionDenied("only the member's trusted contacts make its feed key");
  }
  BAKEN_RETURN_IF_ERROR(tx->Intel().SetFeedToken(*code, Sha256Hex(key), Now(), who.actor));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.feed_key",
                                             fmt::format("member:{}", *code), Json::object()));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  Json urls = Json::array();
  for (const std::string_view name : kFeedFiles) {
    urls.push_back(Json{{"name", name}, {"url", fmt::format("{}/{}/{}", base, key, name)}});
  }
  return Json{{"member", *code}, {"token", key}, {"urls", std::move(urls)}};
}

}  // namespace baken::intel
