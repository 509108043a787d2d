#ifndef BAKEN_STORE_INTEL_REPOSITORY_H_
#define BAKEN_STORE_INTEL_REPOSITORY_H_

// Threat intelligence in the store (decision 0023): intel events with the members named as
// concerned, their indicators and sightings. Reached through Transaction::Intel(). Every read
// for a reader goes through one SQL condition, the store's form of intel::MayReceive
// (intel/sharing.h); store/intel_store_test.cc holds the two to the same answers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::store {

struct IntelEventRecord {
  int64_t id = 0;
  std::string source_kind = "portal";  // misp, stix, list, portal
  std::string source_id;
  std::string title;
  std::string description;
  std::string tlp = "AMBER";
  bool tlp_given = false;
  std::optional<std::string> pap;
  std::string distribution = "cert";  // cert, named, members, partners
  std::optional<int64_t> confidence;
  std::optional<std::string> threat_level;
  std::optional<std::string> event_date;
  std::string creator;
  std::vector<std::string> tags;
  std::vector<std::string> problems;
  std::optional<std::string> owner_member;
  bool from_outside = false;
  std::optional<std::string> permission;
  std::vector<std::string> named;  // the members named as concerned
  std::string added_by;
  std::string created_at;
  std::string updated_at;
  // Read only: how many of its indicators the reader may receive.
  int64_t indicator_count = 0;
};

struct IndicatorRecord {
  int64_t id = 0;
  int64_t event_id = 0;
  std::string kind;
  std::string value;
  std::string tlp = "AMBER";
  bool for_detection = false;
  bool cert_only = false;
  std::optional<std::string> valid_until;
  std::optional<std::string> first_seen;
  std::optional<std::string> last_seen;
  std::string comment;
  std::string group_ref;
  std::string group_name;
  std::string source_ref;
  std::string source_type;
  std::vector<std::string> tags;
  std::string created_at;
  // Read only, from its sightings: how often it was seen (the sum of their counts), and how
  // many sightings said false positive or expired.
  int64_t seen = 0;
  int64_t false_positives = 0;
  int64_t expired = 0;
};

struct SightingRecord {
  int64_t id = 0;
  int64_t indicator_id = 0;
  std::optional<std::string> member;  // NULL: the source said so
  std::string kind = "seen";          // seen, false_positive, expired
  std::string at;
  int64_t count = 1;
  std::string source;
  bool named = false;
  std::string added_by;
  std::string created_at;
};

// That a member is to be warned of a sighting (planned into the outbox by `baken notify`).
struct IntelWarningRecord {
  int64_t id = 0;
  int64_t indicator_id = 0;
  int64_t sighting_id = 0;
  std::string member;  // the member warned
  std::string created_at;
  std::optional<std::string> planned_at;
};

// Who reads (intel::Recipient).
struct IntelReader {
  bool staff = false;
  std::optional<std::string> member;
  bool partner = false;
  bool general_only = false;  // a member's user who is no trusted contact (intel::Recipient)
};

struct IntelEventQuery {
  std::optional<std::string> text;  // in the title, ASCII case ignored
  int64_t limit = 50;               // 0: all
  int64_t offset = 0;
};

struct IndicatorQuery {
  std::optional<std::string> text;  // in the value, ASCII case ignored
  std::optional<std::string> kind;
  bool for_detection = false;           // only those marked for detection
  std::optional<std::string> valid_at;  // only those without valid_until or valid after this
  int64_t limit = 50;                   // 0: all
  int64_t offset = 0;
};

class IntelRepository {
 public:
  virtual ~IntelRepository() = default;

  // The event with its named members; its id.
  virtual Result<int64_t> AddEvent(const IntelEventRecord& event) = 0;
  // The event, if `reader` may receive the event itself (its own TLP).
  virtual Result<std::optional<IntelEventRecord>> FindEvent(const IntelReader& reader,
                                                            int64_t id) = 0;
  // The events `reader` may receive that match, newest first.
  virtual Result<std::vector<IntelEventRecord>> Events(const IntelReader& reader,
                                                       const IntelEventQuery& query) = 0;
  // How many events `reader` may receive match, whatever the query's limit and offset.
  virtual Result<int64_t> CountEvents(const IntelReader& reader, const IntelEventQuery& query) = 0;
  // The event taken in before from this source (a MISP uuid, a STIX id), for a re-import.
  virtual Result<std::optional<int64_t>> EventBySource(std::string_view source_kind,
                                                       std::string_view source_id) = 0;

  // What a source may change of an event taken in from it (a followed feed's newer version):
  // everything it said (title, description, TLP, confidence, threat level, date, creator, tags,
  // problems) and updated_at; not the circle Baken gave it, nor who added it.
  virtual Status UpdateEvent(const IntelEventRecord& event) = 0;

  virtual Result<int64_t> AddIndicator(const IndicatorRecord& indicator) = 0;
  // Everything of the indicator but its event, its id and when it was added.
  virtual Status UpdateIndicator(const IndicatorRecord& indicator) = 0;
  // An event's indicators `reader` may receive, in the order they were added.
  virtual Result<std::vector<IndicatorRecord>> Indicators(const IntelReader& reader,
                                                          int64_t event_id) = 0;
  // Every indicator of this kind and value `reader` may receive, in any event.
  virtual Result<std::vector<IndicatorRecord>> IndicatorsWithValue(const IntelReader& reader,
                                                                   std::string_view kind,
                                                                   std::string_view value) = 0;

  // The indicator, if `reader` may receive it.
  virtual Result<std::optional<IndicatorRecord>> FindIndicator(const IntelReader& reader,
                                                               int64_t id) = 0;
  // The indicators `reader` may receive that match, newest first.
  virtual Result<std::vector<IndicatorRecord>> SearchIndicators(const IntelReader& reader,
                                                                const IndicatorQuery& query) = 0;

  // How many indicators `reader` may receive match, whatever the query's limit and offset.
  virtual Result<int64_t> CountIndicators(const IntelReader& reader,
                                          const IndicatorQuery& query) = 0;

  virtual Result<int64_t> AddSighting(const SightingRecord& sighting) = 0;
  virtual Result<std::vector<SightingRecord>> Sightings(int64_t indicator_id) = 0;

  virtual Result<int64_t> AddWarning(const IntelWarningRecord& warning) = 0;
  // Whether `member` was warned of a sighting of the indicator at or after `since`.
  virtual Result<bool> WarnedSince(int64_t indicator_id, std::string_view member,
                                   std::string_view since) = 0;
  // Warnings not planned yet, oldest first.
  virtual Result<std::vector<IntelWarningRecord>> UnplannedWarnings() = 0;
  // Marks the warning planned; false when another process planned it first.
  virtual Result<bool> MarkWarningPlanned(int64_t id, std::string_view now) = 0;

  // The member's feed key (its SHA-256), replacing the one it had.
  virtual Status SetFeedToken(std::string_view member, std::string_view token_sha256,
                              std::string_view now, std::string_view actor) = 0;
  // When the member's feed key was made, if it has one.
  virtual Result<std::optional<std::string>> FeedTokenCreated(std::string_view member) = 0;
  // The member whose feed key has this SHA-256.
  virtual Result<std::optional<std::string>> MemberOfFeedToken(std::string_view token_sha256) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_INTEL_REPOSITORY_H_
