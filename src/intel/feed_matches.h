#ifndef BAKEN_INTEL_FEED_MATCHES_H_
#define BAKEN_INTEL_FEED_MATCHES_H_

// Indicators against the stored feed events (decision 0023, "Matching stored feed events"):
// which findings of Shadowserver and the other feeds name an indicator's value — an address
// seen as a victim's source or a connection's destination, a host name, a URL, a file hash.
// Read on demand, in the caller's scope (a member its own findings, analysts all), over a
// window of recent days: events are kept in compressed blocks (decision 0006) with no index on
// their values, so a match reads every event of the window once, whatever the number of
// indicators.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "registry/member.h"
#include "store/intel_repository.h"
#include "store/store.h"

namespace baken::intel {

struct FeedMatch {
  int64_t indicator_id = 0;
  int64_t event_id = 0;
  std::optional<std::string> member;  // the finding's member; nullopt: unrouted
  std::string feed;
  std::string classification;
  std::string field;  // the event's field that holds the value ("destination.ip")
  std::string observed;
};

struct FeedMatchQuery {
  std::string since;               // IntelMQ time form: events observed at or after this
  size_t max_matches = 200;        // then the list stops and says it is truncated
  int64_t max_events = 2'000'000;  // events read at most, so one request stays bounded
};

struct FeedMatches {
  std::vector<FeedMatch> matches;  // oldest event first
  int64_t events_read = 0;
  bool truncated = false;  // max_matches or max_events was reached
};

// The events in `scope` observed since `query.since` with a field whose value is an
// indicator's: ip, domain, host, url, email and the hashes by value (ASCII case ignored), a
// cidr by the addresses in it. Other kinds (text, file names, ASNs, CVEs) are not looked for.
Result<FeedMatches> MatchFeedEvents(store::Transaction& tx, const registry::Scope& scope,
                                    const std::vector<store::IndicatorRecord>& indicators,
                                    const FeedMatchQuery& query);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_FEED_MATCHES_H_
