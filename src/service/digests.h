#ifndef BAKEN_SERVICE_DIGESTS_H_
#define BAKEN_SERVICE_DIGESTS_H_

// Which digest a routed event goes out with. Every writer of routed events (feed intake,
// findings from threat intelligence) opens digests through this one place, in the same
// transaction that stores the events, so that every stored event is told to its member once.

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/store.h"

namespace baken::service {

// The digest period that holds a moment: its start in seconds since the epoch, and its length.
struct DigestPeriod {
  int64_t start = 0;
  int64_t seconds = 86400;
};

// The period of `seconds` (a day when not positive) holding `now`.
DigestPeriod DigestPeriodAt(std::chrono::system_clock::time_point now, int64_t seconds);

// The open digests that a transaction's events go out with. For an event's member, feed and TLP
// level: the digest of `period`; when that period's digest is already closed (its message went
// out), the next period's. The digests of a feed from `period` on are read in one query the
// first time the feed comes up, not one query per event: ingest asks for the digests of a
// batch's hundreds of members in every batch, because another process may have closed one
// since the last batch. Digests it creates are listed in opened(), for
// Digests().DropIfEmpty once the events are stored (an event that turned out to be known
// leaves its new digest empty). Use one opener per transaction.
class DigestOpener {
 public:
  DigestOpener(store::Transaction& tx, const DigestPeriod& period, std::string now);

  // The digest for `record`, whose member must be set.
  Result<int64_t> For(const store::EventRecord& record);
  const std::vector<int64_t>& opened() const { return opened_; }

 private:
  Status LoadFeed(const std::string& feed_name);

  store::Transaction& tx_;
  DigestPeriod period_;
  std::string period_start_;  // as the digests' period column holds it
  std::string now_;
  std::set<std::string, std::less<>> loaded_feeds_;
  // member, feed, TLP level and period (separated by \x1F) -> the digest and whether it is open
  std::unordered_map<std::string, std::pair<int64_t, bool>> known_;
  // member, feed and TLP level -> the digest For gave before
  std::unordered_map<std::string, int64_t> given_;
  std::string given_key_buffer_;
  std::vector<int64_t> opened_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_DIGESTS_H_
