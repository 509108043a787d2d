#ifndef BAKEN_INTEL_FEED_FOLLOWER_H_
#define BAKEN_INTEL_FEED_FOLLOWER_H_

// Following a MISP feed by its URL (decision 0023, "Following a MISP feed"), with the care of
// the CSAF sync (service/advisory_sync.h): https only (plain http from this machine alone),
// no redirects, every file bounded. Each run reads the feed's manifest.json and fetches only the
// event files whose manifest timestamp grew since the version taken in; an event taken in
// before is updated in place (IntelService::TakeInFollowed). An event that leaves the manifest
// has its indicators end. An event file that cannot be fetched or read is tried again on the
// next runs, up to ten times.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "intel/intel_service.h"
#include "store/followed_feed_repository.h"
#include "store/store.h"

namespace baken::intel {

// Who the events of a followed feed are given to (intel/sharing.h): `distribution` instead of
// what each event says, and the members named as concerned.
struct FollowOptions {
  std::optional<std::string> distribution;
  std::vector<std::string> named;
};

struct FollowerOptions {
  long timeout_seconds = 60;
  // Event files fetched in one run, the oldest changes first; the rest follow on the next runs,
  // so that a large feed's first run does not hold the job past its time limit.
  size_t max_events_per_run = 200;
};

// What one run of one feed did.
struct FeedRun {
  std::string url;                   // the feed's folder
  std::optional<std::string> error;  // the manifest could not be read: nothing else was done
  int64_t listed = 0;                // events in the manifest
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;  // listed with the timestamp taken in before: not fetched
  int64_t withdrawn = 0;  // taken in before and no longer listed: their indicators ended
  int64_t deferred = 0;   // changed, left for the next run (max_events_per_run)
  int64_t given_up = 0;   // failed ten times in a row: not fetched until followed again
  int64_t indicators_added = 0;
  int64_t indicators_changed = 0;
  int64_t indicators_ended = 0;
  int64_t findings = 0;
  struct Failure {
    std::string url;
    std::string reason;
  };
  std::vector<Failure> failures;      // event files not taken in this run, tried again next time
  std::vector<std::string> problems;  // the manifest's entries left out, each with its reason
};
Json FeedRunToJson(const FeedRun& run);

class FeedFollower {
 public:
  // `intel` takes the events in; `clock` says when a run was (the events' times are intel's).
  FeedFollower(store::Store& store, IntelService& intel, Clock clock, FollowerOptions options = {})
      : store_(store), intel_(intel), clock_(std::move(clock)), options_(options) {}

  // Analysts: starts following the feed at `url` (its folder, or its manifest.json), or changes
  // the circle of one followed already and tries its given-up events again; then runs it once.
  // kInvalidArgument for a URL that is not http(s), or plain http to another machine.
  Result<FeedRun> Follow(const auth::Principal& who, std::string_view url,
                         const FollowOptions& follow);
  // Analysts: starts following (or changes the circle, as Follow) without fetching anything:
  // the next intel_sync run takes the feed in. The feed as Followed lists it.
  Result<Json> Add(const auth::Principal& who, std::string_view url, const FollowOptions& follow);
  // Analysts: one run of every followed feed (the intel_sync job); a feed whose manifest could
  // not be read has its error in its run, the others go on.
  Result<std::vector<FeedRun>> RunAll(const auth::Principal& who);
  // Analysts: the followed feeds, each with its id and how far it was taken in.
  Result<Json> Followed(const auth::Principal& who);
  // Analysts: stops following; the events taken in stay. kNotFound for a feed not followed.
  Status Unfollow(const auth::Principal& who, std::string_view url);
  Status Unfollow(const auth::Principal& who, int64_t id);

 private:
  // Saves the feed and resets its given-up events (following again is how an analyst says
  // they are worth another try).
  Result<store::FollowedFeedRecord> Save(const auth::Principal& who, std::string_view url,
                                         const FollowOptions& follow);
  Result<FeedRun> Run(const auth::Principal& who, const store::FollowedFeedRecord& feed);

  store::Store& store_;
  IntelService& intel_;
  Clock clock_;
  FollowerOptions options_;
};

// The folder of a feed given by its folder (with or without the closing '/') or its
// manifest.json, without query or fragment.
Result<std::string> FeedFolder(std::string_view url);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_FEED_FOLLOWER_H_
