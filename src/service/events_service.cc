#include "service/events_service.h"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/problem_json.h"
#include "common/time.h"
#include "feeds/harmonization.h"
#include "service/audit.h"

namespace baken::service {

Status EventsService::ForEach(const auth::Principal& who, const store::EventQuery& query,
                              const std::function<bool(const store::StoredEvent&)>& visit) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return tx->Events().ForEach(auth::ScopeFor(who), query, visit);
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
  const auto cutoff_time = std::chrono::system_clock::now() - std::chrono::hours(24) * days;
  const std::string cutoff = feeds::FormatIntelMqTime(cutoff_time);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const int64_t removed, tx->Events().DeleteObservedBefore(cutoff));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "events.purge", fmt::format("before {}", cutoff),
                                    registry::Json{{"removed", removed}, {"days", days}}));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return removed;
}

Result<std::vector<store::OutboxMessage>> EventsService::Outbox(
    const auth::Principal& who, std::optional<store::OutboxState> state, int64_t limit) {
  if (!who.IsStaff()) {
    // A member's users see the messages their member received: those sent. What is pending,
    // held (a TLP:RED message an analyst has not released) or failed is the CERT's business.
    if (state && *state != store::OutboxState::kSent) {
      return PermissionDenied("a member's users see the messages sent to the member only");
    }
    state = store::OutboxState::kSent;
  }
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  // TLP:RED stays with the CERT's analysts, as for warnings (decision 0007), also once an
  // analyst released a message to its recipients.
  return tx->Outbox().List(auth::ScopeFor(who), state, limit, who.IsStaff());
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
              {"kind", message.overview_id   ? "overview"
                       : message.advisory_id ? "warning"
                                             : "digest"},
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

}  // namespace baken::service
