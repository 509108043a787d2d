#include "service/events_service.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/problem_json.h"
#include "common/time.h"
#include "feeds/harmonization.h"
#include "net/ip_address.h"
#include "notify/digest.h"
#include "service/audit.h"

namespace baken::service {

Status EventsService::ForEach(const auth::Principal& who, const store::EventQuery& query,
                              const std::function<bool(const store::StoredEvent&)>& visit) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Events().ForEach(auth::ScopeFor(who), query, visit);
}

Result<std::optional<store::StoredEvent>> EventsService::Find(const auth::Principal& who,
                                                              int64_t id) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Events().Find(auth::ScopeFor(who), id);
}

Result<int64_t> EventsService::Page(const auth::Principal& who, const store::EventQuery& query,
                                    const std::function<bool(const store::StoredEvent&)>& visit) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const registry::Scope scope = auth::ScopeFor(who);
  BAKEN_RETURN_IF_ERROR(tx->Events().ForEach(scope, query, visit));
  return tx->Events().Count(scope, query);
}

Result<int64_t> EventsService::Purge(const auth::Principal& who, int days) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may remove events");
  // The clock tests set (common/time.h), like every deadline.
  const auto cutoff_time = Now() - std::chrono::hours(24) * days;
  const std::string cutoff = feeds::FormatIntelMqTime(cutoff_time);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const int64_t removed, tx->Events().DeleteObservedBefore(cutoff));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "events.purge", fmt::format("before {}", cutoff),
                                    registry::Json{{"removed", removed}, {"days", days}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return removed;
}

namespace {

void AddSample(std::vector<std::string>* sample, const std::string& value) {
  if (value.empty() || sample->size() >= kGroupSample) return;
  if (std::find(sample->begin(), sample->end(), value) == sample->end()) sample->push_back(value);
}

}  // namespace

std::string UnroutedGroupKey(UnroutedGrouping by, const store::EventRecord& event) {
  if (by == UnroutedGrouping::kAsn) {
    // Stored events are compact JSON written by feeds::ToIntelMqJson, where the key is exactly
    // this text; inside a string value its quotes would be escaped, so it cannot match there.
    constexpr std::string_view kKey = "\"source.asn\":";
    const size_t at = event.data.find(kKey);
    if (at == std::string::npos) return {};
    size_t end = at + kKey.size();
    while (end < event.data.size() && event.data[end] >= '0' && event.data[end] <= '9') ++end;
    const std::string digits = event.data.substr(at + kKey.size(), end - at - kKey.size());
    if (digits.empty() || digits.size() > 10 || (digits.size() > 1 && digits[0] == '0')) return {};
    const uint64_t asn = std::stoull(digits);
    if (asn == 0 || asn > 0xFFFFFFFFull) return {};
    return digits;
  }
  const auto address = net::IpAddress::Parse(event.source_ip);
  if (!address) return {};
  net::Prefix prefix;
  if (address->is_v4()) {
    prefix = net::Prefix{net::IpAddress::V4(address->v4() & 0xFFFFFF00u), 24};
  } else {
    prefix = net::Prefix{net::IpAddress::V6(address->v6_high() & ~0xFFFFull, 0), 48};
  }
  return prefix.ToString();
}

Result<UnroutedGroups> EventsService::GroupUnrouted(const auth::Principal& who, UnroutedGrouping by,
                                                    int64_t offset, int64_t limit) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may list unrouted events");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  store::EventQuery query;
  query.unrouted = true;
  UnroutedGroups result;
  std::unordered_map<std::string, UnroutedGroup> groups;
  BAKEN_RETURN_IF_ERROR(
      tx->Events().ForEach(auth::ScopeFor(who), query, [&](const store::StoredEvent& event) {
        ++result.events;
        std::string key = UnroutedGroupKey(by, event.record);
        if (key.empty()) {
          ++result.without_key;
          return true;
        }
        auto [it, added] = groups.try_emplace(key);
        UnroutedGroup& group = it->second;
        const std::string& seen = event.record.time_observation;
        if (added) {
          group.key = std::move(key);
          group.first_seen = seen;
          group.last_seen = seen;
        }
        ++group.events;
        group.first_seen = std::min(group.first_seen, seen);
        group.last_seen = std::max(group.last_seen, seen);
        AddSample(&group.feeds, event.record.feed_name);
        AddSample(&group.types, event.record.classification_type);
        return true;
      }));
  std::vector<UnroutedGroup> sorted;
  sorted.reserve(groups.size());
  for (auto& [key, group] : groups) sorted.push_back(std::move(group));
  std::sort(sorted.begin(), sorted.end(), [](const UnroutedGroup& a, const UnroutedGroup& b) {
    return a.events != b.events ? a.events > b.events : a.key < b.key;
  });
  result.total = static_cast<int64_t>(sorted.size());
  const int64_t begin = std::min(std::max<int64_t>(offset, 0), result.total);
  const int64_t end = std::min(begin + std::max<int64_t>(limit, 0), result.total);
  result.groups.assign(std::make_move_iterator(sorted.begin() + begin),
                       std::make_move_iterator(sorted.begin() + end));
  // Overlaps only for the page shown: a page is small, the claims are all in memory.
  BAKEN_ASSIGN_OR_RETURN(auto approved, tx->Members().ApprovedClaims());
  const registry::ClaimKind kind =
      by == UnroutedGrouping::kAsn ? registry::ClaimKind::kAsn : registry::ClaimKind::kNetblock;
  for (UnroutedGroup& group : result.groups) {
    for (const registry::Claim& claim : approved) {
      if (claim.kind == kind && ClaimsOverlap(kind, group.key, claim.value)) {
        group.overlaps.push_back(Overlap{claim.member, claim.value});
      }
    }
  }
  return result;
}

Result<Overview> EventsService::GetOverview(const auth::Principal& who,
                                            std::optional<std::string> member, int weeks,
                                            std::chrono::system_clock::time_point now) {
  if (!who.IsStaff()) {
    if (member && member != who.member) {
      return NotFound(fmt::format("member {} does not exist", *member));
    }
    member = who.member;
  }
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const registry::Scope scope = auth::ScopeFor(who);
  if (member) BAKEN_RETURN_IF_ERROR(tx->Members().Get(scope, *member));
  Overview overview;
  overview.member = member;
  const std::string first_week = IsoWeekStart(FormatUtc(now - std::chrono::days{7} * (weeks - 1)));
  BAKEN_ASSIGN_OR_RETURN(auto counts,
                         tx->Events().CountPerWeek(scope, member, first_week + "T00:00:00+00:00"));
  for (int i = weeks - 1; i >= 0; --i) {
    const std::string week = IsoWeekStart(FormatUtc(now - std::chrono::days{7} * i));
    const auto found = counts.find(week);
    overview.weeks.push_back(WeekCount{week, found == counts.end() ? 0 : found->second});
  }
  if (who.user_id != 0) {
    BAKEN_ASSIGN_OR_RETURN(overview.previous_visit, tx->Accounts().PreviousSignIn(who.user_id));
  }
  if (overview.previous_visit) {
    store::EventQuery since;
    since.member = member;
    since.observed_since = IntelMqForm(*overview.previous_visit);
    BAKEN_ASSIGN_OR_RETURN(overview.new_events, tx->Events().Count(scope, since));
  }
  return overview;
}

Result<std::vector<store::OutboxMessage>> EventsService::Outbox(
    const auth::Principal& who, std::optional<store::OutboxState> state, int64_t limit) {
  store::OutboxQuery query;
  query.state = state;
  query.limit = limit;
  BAKEN_ASSIGN_OR_RETURN(auto page, ListOutbox(who, std::move(query)));
  return std::move(page.messages);
}

Result<OutboxPage> EventsService::ListOutbox(const auth::Principal& who, store::OutboxQuery query) {
  if (!who.IsStaff()) {
    // A member's users see the messages their member received: those sent. What is pending,
    // held (a TLP:RED message an analyst has not released) or failed is the CERT's business.
    if (query.state && *query.state != store::OutboxState::kSent) {
      return PermissionDenied("a member's users see the messages sent to the member only");
    }
    query.state = store::OutboxState::kSent;
  }
  // TLP:RED stays with the CERT's analysts, as for warnings (decision 0007), also once an
  // analyst released a message to its recipients.
  query.with_red = who.IsStaff();
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  const registry::Scope scope = auth::ScopeFor(who);
  OutboxPage page;
  BAKEN_ASSIGN_OR_RETURN(page.messages, tx->Outbox().List(scope, query));
  BAKEN_ASSIGN_OR_RETURN(page.total, tx->Outbox().Count(scope, query));
  return page;
}

Result<OutboxPreview> EventsService::PreviewMessage(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may preview messages");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto message, tx->Outbox().Get(id));
  if (!message) return NotFound(fmt::format("message {} does not exist", id));
  OutboxPreview preview{std::move(*message), ""};
  preview.text = notify::MessageText(preview.message.mime);
  return preview;
}

std::string EventToJsonText(const store::StoredEvent& event) {
  const std::string& data = event.record.data;
  // The level the event is kept and shared at: the feed's, or the event's own when that is
  // stricter (ingest), so the IntelMQ "tlp" key the feed may have sent is replaced by it.
  if (data.find("\"tlp\"") != std::string::npos) {
    nlohmann::ordered_json object = nlohmann::ordered_json::parse(data, nullptr, false);
    if (object.is_object()) {
      object["tlp"] = event.record.tlp;
      object["baken.member"] =
          event.record.member ? nlohmann::ordered_json(*event.record.member) : nullptr;
      return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
  }
  // The stored data is a JSON object written by feeds::ToIntelMqJson; most have no "tlp" key,
  // so the two keys are added before its closing brace rather than parse and re-serialise it.
  std::string text = data;
  if (text.size() < 2 || text.back() != '}') return text;
  text.pop_back();
  if (text.size() > 1) text.push_back(',');
  text += "\"tlp\":";
  AppendJsonString(&text, event.record.tlp);
  text += ",\"baken.member\":";
  if (event.record.member) {
    AppendJsonString(&text, *event.record.member);
  } else {
    text += "null";
  }
  text.push_back('}');
  return text;
}

registry::Json OutboxMessageToJson(const store::OutboxMessage& message) {
  using registry::Json;
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? Json(*value) : Json();
  };
  return Json{{"id", message.id},
              {"kind", message.page_id            ? "page"
                       : message.incident_id      ? "incident"
                       : message.overview_id      ? "overview"
                       : message.advisory_id      ? "warning"
                       : message.report_id        ? "report"
                       : message.intel_warning_id ? "sighting"
                                                  : "digest"},
              {"incident", message.incident_id ? Json(*message.incident_id) : Json()},
              {"page", message.page_id ? Json(*message.page_id) : Json()},
              {"state", store::Name(message.state)},
              {"reason", optional(message.reason)},
              // The reason as a code of the translation table, for the reader's language.
              {"reason_code", message.reason_code.empty() ? Json() : Json(message.reason_code)},
              {"reason_params", ProblemParamsJson(message.reason_params)},
              {"member", message.member},
              {"feed", message.feed_name},
              {"tlp", message.tlp},
              {"language", message.language.empty() ? Json() : Json(message.language)},
              {"recipients", message.recipients},
              {"subject", message.subject},
              {"message_id", message.message_id},
              {"events", message.event_count},
              {"attempts", message.attempts},
              {"next_attempt_at", optional(message.next_attempt_at)},
              {"created_at", message.created_at},
              {"sent_at", optional(message.sent_at)}};
}

registry::Json UnroutedGroupsToJson(const UnroutedGroups& groups) {
  using registry::Json;
  Json list = Json::array();
  for (const UnroutedGroup& group : groups.groups) {
    Json overlaps = Json::array();
    for (const Overlap& overlap : group.overlaps) {
      overlaps.push_back(Json{{"member", overlap.member}, {"value", overlap.value}});
    }
    list.push_back(Json{{"key", group.key},
                        {"events", group.events},
                        {"first_seen", group.first_seen},
                        {"last_seen", group.last_seen},
                        {"feeds", group.feeds},
                        {"types", group.types},
                        {"overlaps", std::move(overlaps)}});
  }
  return Json{{"groups", std::move(list)},
              {"total", groups.total},
              {"events", groups.events},
              {"without_key", groups.without_key}};
}

registry::Json OverviewToJson(const Overview& overview) {
  using registry::Json;
  Json weeks = Json::array();
  for (const WeekCount& week : overview.weeks) {
    weeks.push_back(Json{{"week", week.week}, {"events", week.events}});
  }
  return Json{{"member", overview.member ? Json(*overview.member) : Json()},
              {"weeks", std::move(weeks)},
              {"previous_visit", overview.previous_visit ? Json(*overview.previous_visit) : Json()},
              {"new_events", overview.new_events}};
}

}  // namespace baken::service
