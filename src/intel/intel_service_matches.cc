// IntelService: indicators against the stored feed events (intel/feed_matches.h).

#include <chrono>

#include <fmt/format.h>

#include "common/time.h"
#include "intel/feed_matches.h"
#include "intel/intel_service.h"
#include "store/intel_repository.h"

namespace baken::intel {

namespace {

// What the list says of each match. The finding's member is said to analysts; a member's scope
// holds its own findings only, so it reads only its own code there.
Json MatchesJson(const FeedMatches& found, const std::vector<store::IndicatorRecord>& indicators,
                 std::string_view since) {
  Json matches = Json::array();
  for (const FeedMatch& match : found.matches) {
    std::string value;
    for (const auto& indicator : indicators) {
      if (indicator.id == match.indicator_id) value = indicator.value;
    }
    matches.push_back(Json{{"indicator", match.indicator_id},
                           {"value", value},
                           {"event", match.event_id},
                           {"member", match.member ? Json(*match.member) : Json()},
                           {"feed", match.feed},
                           {"classification", match.classification},
                           {"field", match.field},
                           {"observed", match.observed}});
  }
  return Json{{"since", std::string(since)},
              {"events_read", found.events_read},
              {"truncated", found.truncated},
              {"matches", std::move(matches)}};
}

}  // namespace

Result<Json> IntelService::IndicatorFeedMatches(const auth::Principal& who, int64_t id,
                                                int64_t days) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto indicator, tx->Intel().FindIndicator(reader, id));
  if (!indicator) return NotFound(fmt::format("there is no indicator {}", id));
  const std::vector<store::IndicatorRecord> indicators = {*indicator};
  FeedMatchQuery query;
  query.since = IntelMqForm(FormatUtc(Instant() - std::chrono::days{days}));
  BAKEN_ASSIGN_OR_RETURN(const FeedMatches found,
                         MatchFeedEvents(*tx, auth::ScopeFor(who), indicators, query));
  return MatchesJson(found, indicators, query.since);
}

Result<Json> IntelService::EventFeedMatches(const auth::Principal& who, int64_t id, int64_t days) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(const store::IntelReader reader, ReaderFor(*tx, who));
  BAKEN_ASSIGN_OR_RETURN(const auto event, tx->Intel().FindEvent(reader, id));
  if (!event) return NotFound(fmt::format("there is no intel event {}", id));
  BAKEN_ASSIGN_OR_RETURN(const auto indicators, tx->Intel().Indicators(reader, id));
  FeedMatchQuery query;
  query.since = IntelMqForm(FormatUtc(Instant() - std::chrono::days{days}));
  BAKEN_ASSIGN_OR_RETURN(const FeedMatches found,
                         MatchFeedEvents(*tx, auth::ScopeFor(who), indicators, query));
  return MatchesJson(found, indicators, query.since);
}

}  // namespace baken::intel
