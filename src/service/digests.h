#ifndef BAKEN_SERVICE_DIGESTS_H_
#define BAKEN_SERVICE_DIGESTS_H_

// Which digest a routed event goes out with. Every writer of routed events (feed intake,
// findings from threat intelligence) opens digests through this one place, in the same
// transaction that stores the events, so that every stored event is told to its member once.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
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

// The open digest for the event's member, feed and TLP level in `period`; when that period's
// digest is already closed (its message went out), the next period's. A digest it creates is
// appended to `opened`, for Digests().DropIfEmpty once the events are stored (an event that
// turned out to be known leaves its new digest empty). `record.member` must be set.
Result<int64_t> OpenDigestFor(store::Transaction& tx, const store::EventRecord& record,
                              const DigestPeriod& period, std::string_view now,
                              std::vector<int64_t>* opened);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_DIGESTS_H_
