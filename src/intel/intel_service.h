#ifndef BAKEN_INTEL_INTEL_SERVICE_H_
#define BAKEN_INTEL_INTEL_SERVICE_H_

// Threat intelligence, the use cases (decision 0023): taking in MISP events, STIX bundles and
// plain lists, and reading events and indicators as the caller may receive them. Commands and
// HTTP handlers read requests and hand them over; the SQL is store/intel_repository.h.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/error.h"
#include "intel/indicator.h"
#include "routing/constituency.h"
#include "store/intel_repository.h"
#include "store/store.h"

namespace baken::intel {

using Json = nlohmann::ordered_json;
using Clock = std::function<std::chrono::system_clock::time_point()>;

struct ImportOptions {
  std::string format;        // misp, stix, list; empty: told by the content
  std::string name;          // the document's name, for messages and a list's title
  std::string tlp;           // a list's TLP (the file says none); required for lists
  std::string distribution;  // overrides what the document says: cert, named, members, partners
  std::vector<std::string> named;  // the members named as concerned
};

// The format a document's content says: "stix" for a STIX bundle, "misp" for other JSON,
// "list" for text.
std::string FormatOf(std::string_view bytes);

// Who reads, as the store's intel reads take it: analysts all, a member's user as its member,
// at CLEAR and GREEN only unless the user is a trusted contact of it (intel::Recipient), which
// is read in `tx`.
Result<store::IntelReader> ReaderFor(store::Transaction& tx, const auth::Principal& who);

// One file of a member's intel feed, as it is served.
struct FeedFile {
  std::string content;
  std::string_view content_type;  // a constant: it outlives the file
  std::string etag;               // quoted, from the content: a fetch that has it gets 304
};

// The files every feed has; the MISP feed's event files ("misp-feed/<uuid>.json") besides.
std::span<const std::string_view> FeedFileNames();

// What taking in one event of a followed feed did.
struct FollowedEventTaken {
  int64_t event_id = 0;
  bool created = false;  // new to Baken; otherwise updated in place
  int64_t added = 0;     // indicators new to the event
  int64_t changed = 0;   // indicators the source changed
  int64_t ended = 0;     // indicators the source no longer lists: valid until now
  int64_t findings = 0;  // new findings for members whose systems the values name
};

class IntelService;
// The service that matches against the register as it stands now (an indicator in a member's
// netblock or domain becomes its finding): what commands and jobs take intel in with.
Result<IntelService> IntelServiceOverRegister(store::Store& store, Clock clock);

class IntelService {
 public:
  // `constituency` is what indicators are matched against (an address in a member's netblock
  // becomes a finding for it, intel/findings.h); without one nothing is matched.
  IntelService(store::Store& store, Clock clock,
               std::shared_ptr<const routing::Constituency> constituency = nullptr);

  // Analysts: the document's events, each with its indicators and the sightings it carries,
  // in one transaction: a document that is refused leaves nothing. An event taken in before
  // (the same MISP uuid or STIX id) is skipped and said. Everything taken in counts as from
  // outside (AMBER+STRICT stays inside the CERT until the source permits).
  Result<Json> Import(const auth::Principal& who, std::string_view bytes,
                      const ImportOptions& options);

  // Analysts (the feed follower, intel/feed_follower.h): one event of a followed MISP feed.
  // New to Baken, it is taken in as Import does, in the circle of `options`. Taken in before
  // (the same MISP uuid), it is updated in place: what the source says of the event; its
  // indicators recognised by their attribute uuid (kind and value without one), changed where
  // the source changed them, added where new, and valid until now where the source no longer
  // lists them. The circle Baken gave the event stays. One transaction.
  // `taken_before`: the event this feed took in before under the event's uuid; an event with
  // that uuid from any other source is refused (kInvalidArgument), never rewritten.
  Result<FollowedEventTaken> TakeInFollowed(const auth::Principal& who, const IntelEvent& event,
                                            const ImportOptions& options,
                                            std::optional<int64_t> taken_before);
  // Analysts: every indicator of the event is valid until now (its source withdrew it); how
  // many ended.
  Result<int64_t> WithdrawEvent(const auth::Principal& who, int64_t event_id);

  // Analysts and members: an event of their own, `{"title", "description", "tlp",
  // "distribution", "named", "tags", "indicators": [...]}` (indicators as AddIndicators takes
  // them). A member's event is its own: it reads all of it whatever the TLP, and adds to it.
  Result<Json> CreateEvent(const auth::Principal& who, const Json& body);
  // Analysts, or the member whose event it is: `{"indicators": [{"value", "kind", "tlp",
  // "for_detection", "valid_until", "comment"}]}`; the kind is told by the value when not
  // given, the TLP is never looser than the event's. Each is matched against the register.
  Result<Json> AddIndicators(const auth::Principal& who, int64_t event_id, const Json& body);

  // The events the caller may receive, newest first; one with its indicators.
  Result<Json> Events(const auth::Principal& who, const store::IntelEventQuery& query);
  Result<Json> Event(const auth::Principal& who, int64_t id);
  // The indicators the caller may receive, newest first; one with its event, and for analysts
  // whose system it names, the same value in other events, and who sighted it.
  Result<Json> Indicators(const auth::Principal& who, const store::IndicatorQuery& query);
  Result<Json> Indicator(const auth::Principal& who, int64_t id);

  // The stored feed events in the caller's scope (a member its own findings, analysts all)
  // observed in the last `days` days that name the indicator's value, or a value of the
  // event's indicators the caller may receive (intel/feed_matches.h). kNotFound for an
  // indicator or event the caller may not receive.
  Result<Json> IndicatorFeedMatches(const auth::Principal& who, int64_t id, int64_t days);
  Result<Json> EventFeedMatches(const auth::Principal& who, int64_t id, int64_t days);

  // A member's sighting of an indicator it may receive, `{"kind": "seen" | "false_positive" |
  // "expired", "at", "count", "named", "source"}` (analysts also `"member"`, on a member's
  // behalf). A "seen" raises the indicator's weight and warns every other member that may
  // receive it (once a day per indicator), without naming the sighter unless `named`.
  Result<Json> AddSighting(const auth::Principal& who, int64_t indicator_id, const Json& body);
  // Matches from a member's own logs: `{"values": [...], "at", "named"}`; each value is a
  // sighting of every indicator with that value the member may receive; values that match
  // none are said, not kept.
  Result<Json> ReportSeen(const auth::Principal& who, const Json& body);

  // A member's feed (members their own; analysts any, `member`): when its key was made and
  // its files.
  Result<Json> Feed(const auth::Principal& who, const std::optional<std::string>& member);
  // A new key for the member's feed (`{"member"}` for analysts): shown once, here, with the
  // files' URLs under `base` ("/api/v1/intel/feed"); only its hash is kept and the old key stops.
  Result<Json> NewFeedKey(const auth::Principal& who, const Json& body, std::string_view base);
  // One file of what the caller may receive (FeedFileNames), for detection and still valid.
  Result<FeedFile> Export(const auth::Principal& who, std::string_view name);
  // The same for the member whose feed key this is; kNotFound for an unknown key, the same
  // answer as for an unknown file.
  Result<FeedFile> FeedExport(std::string_view key, std::string_view name);

 private:
  Result<FeedFile> ExportFor(const store::IntelReader& reader, std::string_view name);
  std::chrono::system_clock::time_point Instant() const;
  std::string Now() const;
  // Stores one indicator of a stored event, and the finding for the member whose system its
  // value names (into `findings`, stored once per transaction by StoreFindings).
  Result<int64_t> StoreIndicator(store::Transaction& tx, const store::IntelEventRecord& event,
                                 store::IndicatorRecord indicator,
                                 std::vector<store::EventRecord>& findings);

  // The sightings a document carries for an indicator stored as `indicator_id`.
  Status StoreSourceSightings(store::Transaction& tx, const auth::Principal& who,
                              int64_t indicator_id, const intel::Indicator& indicator);

  // Stores a sighting of a stored indicator and plans the warnings it gives; how many members
  // are to be warned.
  Result<int64_t> StoreSighting(store::Transaction& tx, const store::IndicatorRecord& indicator,
                                store::SightingRecord sighting, int64_t* sighting_id);

  store::Store& store_;
  Clock clock_;
  std::shared_ptr<const routing::Constituency> constituency_;
};

}  // namespace baken::intel

#endif  // BAKEN_INTEL_INTEL_SERVICE_H_
