#include "intel/feed_follower.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/fields.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/text.h"
#include "common/time.h"
#include "intel/misp_feed.h"
#include "intel/misp_reader.h"
#include "net/http_client.h"
#include "net/url.h"
#include "service/audit.h"
#include "store/followed_feed_repository.h"

namespace baken::intel {

namespace {

constexpr int64_t kMaxFailures = 10;  // then an event file is given up until followed again
constexpr size_t kMaxFailuresShown = 50;
constexpr std::string_view kFeedDistributions[] = {"cert", "named", "members", "partners"};

// The body of a 200 answer, or the problem in one sentence that names the URL.
Result<std::string> Get(const std::string& url, size_t max_bytes, long timeout_seconds) {
  net::Fetched fetched =
      net::GetOk(url, {timeout_seconds, max_bytes}, "a feed is followed over https");
  if (fetched.ok()) return std::move(fetched.body);
  return Unavailable(fmt::format("{}: {}", Quote(url), fetched.problem));
}

std::string Describe(const Refusal& refusal) {
  std::string text;
  for (const std::string& reason : refusal.reasons) {
    if (!text.empty()) text += "; ";
    text += reason;
  }
  return text;
}

}  // namespace

Json FeedRunToJson(const FeedRun& run) {
  Json failures = Json::array();
  for (const FeedRun::Failure& failure : run.failures) {
    failures.push_back(Json{{"url", failure.url}, {"reason", failure.reason}});
  }
  return Json{{"url", run.url},
              {"error", run.error ? Json(*run.error) : Json()},
              {"listed", run.listed},
              {"created", run.created},
              {"updated", run.updated},
              {"unchanged", run.unchanged},
              {"withdrawn", run.withdrawn},
              {"deferred", run.deferred},
              {"given_up", run.given_up},
              {"indicators_added", run.indicators_added},
              {"indicators_changed", run.indicators_changed},
              {"indicators_ended", run.indicators_ended},
              {"findings", run.findings},
              {"failures", std::move(failures)},
              {"problems", run.problems}};
}

Result<std::string> FeedFolder(std::string_view url) {
  auto parsed = net::ParseHttpUrl(TrimBlanks(url));
  if (!parsed) {
    return InvalidInput(problems::intel_feed_url_invalid,
                        {{"value", std::string(url.substr(0, 200))}});
  }
  std::string folder = parsed->text.substr(0, parsed->text.find_first_of("?#"));
  if (folder.ends_with("/manifest.json")) folder.resize(folder.size() - 13);
  if (!folder.ends_with('/')) folder += '/';
  if (net::PlainHttpElsewhere(folder)) {
    return InvalidInput(problems::intel_feed_url_plain, {{"value", folder}});
  }
  return folder;
}

Result<FeedRun> FeedFollower::Follow(const auth::Principal& who, std::string_view url,
                                     const FollowOptions& follow) {
  BAKEN_ASSIGN_OR_RETURN(const store::FollowedFeedRecord feed, Save(who, url, follow));
  return Run(who, feed);
}

Result<Json> FeedFollower::Add(const auth::Principal& who, std::string_view url,
                               const FollowOptions& follow) {
  BAKEN_ASSIGN_OR_RETURN(const store::FollowedFeedRecord feed, Save(who, url, follow));
  BAKEN_ASSIGN_OR_RETURN(Json feeds, Followed(who));
  for (Json& listed : feeds) {
    if (listed["id"] == feed.id) return std::move(listed);
  }
  return Internal(fmt::format("followed feed {} is not listed", feed.id));
}

Result<store::FollowedFeedRecord> FeedFollower::Save(const auth::Principal& who,
                                                     std::string_view url,
                                                     const FollowOptions& follow) {
  if (!who.IsStaff()) return PermissionDenied("only analysts follow feeds");
  BAKEN_ASSIGN_OR_RETURN(const std::string folder, FeedFolder(url));
  if (follow.distribution && !OneOf(kFeedDistributions, *follow.distribution)) {
    return InvalidInput(problems::intel_distribution_unknown, {{"value", *follow.distribution}});
  }
  store::FollowedFeedRecord feed;
  feed.url = folder;
  feed.distribution = follow.distribution;
  feed.named = follow.named;
  feed.added_by = who.actor;
  feed.added_at = FormatUtc(clock_());
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    for (const std::string& member : follow.named) {
      BAKEN_RETURN_IF_ERROR(tx->Members().MustExist(member));
    }
    BAKEN_ASSIGN_OR_RETURN(feed.id, tx->FollowedFeeds().SaveFeed(feed));
    // Following again is how an analyst says a feed's given-up files are worth another try.
    BAKEN_ASSIGN_OR_RETURN(auto events, tx->FollowedFeeds().Events(feed.id));
    for (store::FollowedEventRecord& event : events) {
      if (event.failures == 0) continue;
      event.failures = 0;
      BAKEN_RETURN_IF_ERROR(tx->FollowedFeeds().SaveEvent(event));
    }
    BAKEN_RETURN_IF_ERROR(service::RecordAudit(
        *tx, who, "intel.follow", fmt::format("intel-feed:{}", folder),
        Json{{"distribution", feed.distribution ? Json(*feed.distribution) : Json()},
             {"named", feed.named}}));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return feed;
}

Result<std::vector<FeedRun>> FeedFollower::RunAll(const auth::Principal& who) {
  if (!who.IsStaff()) return PermissionDenied("only analysts follow feeds");
  std::vector<store::FollowedFeedRecord> feeds;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(feeds, tx->FollowedFeeds().Feeds());
  }
  std::vector<FeedRun> runs;
  for (const store::FollowedFeedRecord& feed : feeds) {
    BAKEN_ASSIGN_OR_RETURN(FeedRun run, Run(who, feed));
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<FeedRun> FeedFollower::Run(const auth::Principal& who,
                                  const store::FollowedFeedRecord& feed) {
  FeedRun run;
  run.url = feed.url;
  auto record_run = [&](const std::optional<std::string>& error) -> Status {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(tx->FollowedFeeds().RecordRun(feed.id, FormatUtc(clock_()), error));
    return tx->Commit();
  };

  const std::string manifest_url = feed.url + "manifest.json";
  auto manifest_text = Get(manifest_url, kMaxManifestBytes, options_.timeout_seconds);
  Result<MispManifest> manifest = manifest_text ? ReadMispManifest(*manifest_text)
                                                : tl::unexpected<Error>(manifest_text.error());
  if (!manifest) {
    run.error = manifest.error().message;
    BAKEN_RETURN_IF_ERROR(record_run(run.error));
    return run;
  }
  run.listed = static_cast<int64_t>(manifest->entries.size());
  run.problems = manifest->problems;

  std::map<std::string, store::FollowedEventRecord> known;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(auto events, tx->FollowedFeeds().Events(feed.id));
    for (store::FollowedEventRecord& event : events) {
      known.emplace(event.event_uuid, std::move(event));
    }
  }

  // What changed since the version taken in, the oldest change first: a feed larger than one
  // run's share is taken in over several runs, and none of its events waits forever.
  std::vector<const ManifestEntry*> changed;
  for (const ManifestEntry& entry : manifest->entries) {
    const auto state = known.find(entry.uuid);
    if (state == known.end()) {
      changed.push_back(&entry);
    } else if (state->second.failures >= kMaxFailures) {
      ++run.given_up;
    } else if (entry.timestamp > state->second.timestamp) {
      changed.push_back(&entry);
    } else {
      ++run.unchanged;
    }
  }
  std::stable_sort(
      changed.begin(), changed.end(),
      [](const ManifestEntry* a, const ManifestEntry* b) { return a->timestamp < b->timestamp; });
  if (changed.size() > options_.max_events_per_run) {
    run.deferred = static_cast<int64_t>(changed.size() - options_.max_events_per_run);
    changed.resize(options_.max_events_per_run);
  }

  ImportOptions circle;
  circle.distribution = feed.distribution.value_or("");
  circle.named = feed.named;
  for (const ManifestEntry* entry : changed) {
    store::FollowedEventRecord state;
    if (const auto it = known.find(entry->uuid); it != known.end()) state = it->second;
    state.feed_id = feed.id;
    state.event_uuid = entry->uuid;
    const std::string url = feed.url + entry->uuid + ".json";
    circle.name = entry->uuid + ".json";
    Result<FollowedEventTaken> taken = [&]() -> Result<FollowedEventTaken> {
      BAKEN_ASSIGN_OR_RETURN(const std::string body,
                             Get(url, kMaxMispBytes, options_.timeout_seconds));
      auto events = ReadMispEvents(body);
      if (!events)
        return InvalidArgument(fmt::format("{}: {}", Quote(url), Describe(events.error())));
      // The file must be the event the manifest lists there: another event's uuid would let a
      // feed overwrite what it does not own.
      if (events->size() != 1 || events->front().source_id != entry->uuid) {
        return InvalidArgument(fmt::format("{}: holds {} event(s), not the one event {} alone",
                                           Quote(url), events->size(), entry->uuid));
      }
      return intel_.TakeInFollowed(who, events->front(), circle, state.event_id);
    }();
    if (!taken) {
      if (taken.error().code != ErrorCode::kUnavailable &&
          taken.error().code != ErrorCode::kInvalidArgument &&
          taken.error().code != ErrorCode::kNotFound) {
        return tl::unexpected(taken.error());  // the store failed: the run cannot go on
      }
      ++state.failures;
      state.last_error = taken.error().message;
      if (run.failures.size() < kMaxFailuresShown) {
        run.failures.push_back({url, taken.error().message});
      }
    } else {
      (taken->created ? run.created : run.updated) += 1;
      run.indicators_added += taken->added;
      run.indicators_changed += taken->changed;
      run.indicators_ended += taken->ended;
      run.findings += taken->findings;
      state.timestamp = entry->timestamp;
      state.event_id = taken->event_id;
      state.failures = 0;
      state.last_error.reset();
    }
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(tx->FollowedFeeds().SaveEvent(state));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }

  // Events the feed no longer lists. An empty manifest withdraws nothing: a publisher's
  // broken run must not end every indicator a feed ever gave.
  if (!manifest->entries.empty()) {
    std::map<std::string_view, bool> listed;
    for (const ManifestEntry& entry : manifest->entries) listed.emplace(entry.uuid, true);
    for (const auto& [uuid, state] : known) {
      if (listed.contains(uuid)) continue;
      if (state.event_id) {
        BAKEN_ASSIGN_OR_RETURN(const int64_t ended, intel_.WithdrawEvent(who, *state.event_id));
        run.indicators_ended += ended;
      }
      BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
      BAKEN_RETURN_IF_ERROR(tx->FollowedFeeds().ForgetEvent(feed.id, uuid));
      BAKEN_RETURN_IF_ERROR(tx->Commit());
      ++run.withdrawn;
    }
  } else if (!known.empty()) {
    run.problems.push_back("the manifest lists no events: nothing was withdrawn");
  }
  BAKEN_RETURN_IF_ERROR(record_run(std::nullopt));
  return run;
}

Result<Json> FeedFollower::Followed(const auth::Principal& who) {
  if (!who.IsStaff()) return PermissionDenied("only analysts follow feeds");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  BAKEN_ASSIGN_OR_RETURN(auto feeds, tx->FollowedFeeds().Feeds());
  Json list = Json::array();
  for (const store::FollowedFeedRecord& feed : feeds) {
    BAKEN_ASSIGN_OR_RETURN(auto events, tx->FollowedFeeds().Events(feed.id));
    const auto failing = std::count_if(events.begin(), events.end(),
                                       [](const auto& event) { return event.failures > 0; });
    list.push_back(Json{{"id", feed.id},
                        {"url", feed.url},
                        {"distribution", feed.distribution ? Json(*feed.distribution) : Json()},
                        {"named", feed.named},
                        {"added_by", feed.added_by},
                        {"added_at", feed.added_at},
                        {"last_run_at", OrNull(feed.last_run_at)},
                        {"last_error", OrNull(feed.last_error)},
                        {"events", events.size()},
                        {"failing", failing}});
  }
  return list;
}

Status FeedFollower::Unfollow(const auth::Principal& who, std::string_view url) {
  if (!who.IsStaff()) return PermissionDenied("only analysts follow feeds");
  BAKEN_ASSIGN_OR_RETURN(const std::string folder, FeedFolder(url));
  std::optional<store::FollowedFeedRecord> feed;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(feed, tx->FollowedFeeds().FeedByUrl(folder));
  }
  if (!feed) return NotFound(fmt::format("{} is not followed", Quote(folder)));
  return Unfollow(who, feed->id);
}

Status FeedFollower::Unfollow(const auth::Principal& who, int64_t id) {
  if (!who.IsStaff()) return PermissionDenied("only analysts follow feeds");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const auto feeds, tx->FollowedFeeds().Feeds());
  const auto feed =
      std::find_if(feeds.begin(), feeds.end(),
                   [id](const store::FollowedFeedRecord& each) { return each.id == id; });
  if (feed == feeds.end()) return NotFound(fmt::format("no followed feed {}", id));
  BAKEN_RETURN_IF_ERROR(tx->FollowedFeeds().RemoveFeed(id));
  BAKEN_RETURN_IF_ERROR(service::RecordAudit(*tx, who, "intel.unfollow",
                                             fmt::format("intel-feed:{}", feed->url), Json{}));
  return tx->Commit();
}

}  // namespace baken::intel
