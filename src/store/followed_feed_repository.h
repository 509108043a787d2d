#ifndef BAKEN_STORE_FOLLOWED_FEED_REPOSITORY_H_
#define BAKEN_STORE_FOLLOWED_FEED_REPOSITORY_H_

// The MISP feeds Baken follows (decision 0023, "Following a MISP feed"): each feed's URL and the
// circle its events are given to, and per event of its manifest the timestamp of the version
// taken in, so that a run fetches only what changed. Reached through
// Transaction::FollowedFeeds().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::store {

struct FollowedFeedRecord {
  int64_t id = 0;
  std::string url;                          // the feed's folder, ending in '/'
  std::optional<std::string> distribution;  // nullopt: what each event says
  std::vector<std::string> named;           // the members named as concerned
  std::string added_by;
  std::string added_at;
  std::optional<std::string> last_run_at;
  std::optional<std::string> last_error;
};

// One event of a feed's manifest, as far as Baken took it in.
struct FollowedEventRecord {
  int64_t feed_id = 0;
  std::string event_uuid;
  int64_t timestamp = 0;  // the manifest's timestamp of the version taken in; 0: none yet
  std::optional<int64_t> event_id;
  int64_t failures = 0;  // failed fetches in a row
  std::optional<std::string> last_error;
};

class FollowedFeedRepository {
 public:
  virtual ~FollowedFeedRepository() = default;

  // Adds the feed, or changes the circle of the one with its URL; its id.
  virtual Result<int64_t> SaveFeed(const FollowedFeedRecord& feed) = 0;
  virtual Result<std::optional<FollowedFeedRecord>> FeedByUrl(std::string_view url) = 0;
  // Every feed, in the order they were added.
  virtual Result<std::vector<FollowedFeedRecord>> Feeds() = 0;
  // Stops following: the feed and its events' states go; the events taken in stay.
  virtual Status RemoveFeed(int64_t id) = 0;
  // When the feed was last read, and why its manifest could not be (nullopt: it could).
  virtual Status RecordRun(int64_t id, std::string_view at,
                           const std::optional<std::string>& error) = 0;

  // The feed's events as far as they were taken in, in uuid order.
  virtual Result<std::vector<FollowedEventRecord>> Events(int64_t feed_id) = 0;
  virtual Status SaveEvent(const FollowedEventRecord& event) = 0;
  virtual Status ForgetEvent(int64_t feed_id, std::string_view event_uuid) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_FOLLOWED_FEED_REPOSITORY_H_
