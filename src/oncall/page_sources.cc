#include "oncall/page_sources.h"

#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "oncall/page_delivery.h"
#include "registry/scope.h"
#include "store/incident_repository.h"
#include "store/oncall_repository.h"

namespace baken::oncall {

namespace {

constexpr int64_t kMaxIncidentsChecked = 500;
constexpr std::string_view kHeartbeatPrefix = "heartbeat:";

// What the checks found, read in one transaction; raised each in its own afterwards.
struct Found {
  std::optional<store::PolicyRecord> policy;
  std::vector<PageRequest> requests;
  std::vector<int64_t> settled;  // heartbeat pages whose feed came again
};

// Whether a heartbeat page's key ("heartbeat:<feed>:<last arrival>") is for `feed`, and then
// the arrival it names. (A time has colons too: the key is matched against the feed, not split.)
bool KeyIsFor(std::string_view key, std::string_view feed, std::string_view* arrival) {
  if (!key.starts_with(kHeartbeatPrefix)) return false;
  key.remove_prefix(kHeartbeatPrefix.size());
  if (!key.starts_with(feed) || key.size() <= feed.size() || key[feed.size()] != ':') {
    return false;
  }
  *arrival = key.substr(feed.size() + 1);
  return true;
}

Result<Found> Check(store::Transaction& tx, std::chrono::system_clock::time_point now,
                    const PageSources& sources) {
  Found found;
  BAKEN_ASSIGN_OR_RETURN(found.policy, tx.Oncall().DefaultPolicy());
  if (!found.policy) return found;
  const int64_t policy = found.policy->id;

  store::IncidentQuery query;
  query.open_only = true;
  query.order = store::IncidentQuery::Order::kPriority;
  query.limit = kMaxIncidentsChecked;
  BAKEN_ASSIGN_OR_RETURN(auto incidents, tx.Incidents().List(registry::Scope::All(), query));
  for (const auto& incident : incidents) {
    if (incident.priority != "urgent" || incident.merged_into) continue;
    found.requests.push_back({"incident", "critical", fmt::format("incident:{}", incident.id),
                              fmt::format("incident {}: {}", incident.id, incident.title), policy,
                              "baken"});
  }

  const std::string warn_from = FormatUtc(now + sources.breach_warning);
  BAKEN_ASSIGN_OR_RETURN(auto breaches, tx.Incidents().OpenBreaches());
  for (const auto& breach : breaches) {
    if (breach.deadline_at > warn_from) continue;
    found.requests.push_back({"breach", "critical",
                              fmt::format("breach:{}", breach.participation_id),
                              fmt::format("incident {}: data breach at {}, AP deadline {}",
                                          breach.incident_id, breach.member, breach.deadline_at),
                              policy, "baken"});
  }

  if (sources.heartbeats.empty()) return found;
  BAKEN_ASSIGN_OR_RETURN(const auto arrivals, tx.Events().LastArrivals());
  for (const auto& [feed, within] : sources.heartbeats) {
    const auto arrival = arrivals.find(feed);
    // A feed that never came has no day it is late from; its first arrival starts the watch.
    if (arrival == arrivals.end()) continue;
    const auto last = ParseUtc(arrival->second);
    if (!last || *last + within >= now) continue;  // late only after its hours
    found.requests.push_back(
        {"heartbeat", "high", fmt::format("{}{}:{}", kHeartbeatPrefix, feed, arrival->second),
         fmt::format("feed {} has not arrived since {}", feed, arrival->second), policy, "baken"});
  }
  BAKEN_ASSIGN_OR_RETURN(auto open, tx.Oncall().Pages(/*open_only=*/true, 0));
  for (const auto& page : open) {
    if (page.source != "heartbeat") continue;
    for (const auto& [feed, within] : sources.heartbeats) {
      std::string_view since;
      const auto arrival = arrivals.find(feed);
      if (KeyIsFor(page.dedup_key, feed, &since) && arrival != arrivals.end() &&
          arrival->second > since) {
        found.settled.push_back(page.id);
      }
    }
  }
  return found;
}

}  // namespace

Status RaisePages(store::Store& store, const Clock& clock, const PageSources& sources,
                  Json& summary) {
  Found found;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(found, Check(*tx, clock(), sources));
  }
  if (!found.policy) {
    summary["no_default_policy"] = true;
    return {};
  }
  PagingService paging(store, clock);
  for (const PageRequest& request : found.requests) {
    BAKEN_ASSIGN_OR_RETURN(const auto raised, paging.RaiseOnce(request));
    if (raised) Tally(summary, "raised");
  }
  for (const int64_t id : found.settled) {
    BAKEN_RETURN_IF_ERROR(paging.ResolveByBaken(id, "feed_arrived"));
    Tally(summary, "settled");
  }
  return {};
}

}  // namespace baken::oncall
