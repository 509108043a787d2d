#ifndef BAKEN_SERVICE_INGEST_SERVICE_H_
#define BAKEN_SERVICE_INGEST_SERVICE_H_

// Feed intake, shared by `baken ingest` and POST /api/v1/reports: parse (feeds/), route each
// event to the member that owns its system (routing/), drop repeats (feeds/dedup.h), store the
// rest in batched transactions, and open a digest per member, feed, TLP level and period in
// the same transaction, so that every stored event is told to its member exactly once.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/byte_source.h"
#include "common/error.h"
#include "common/tlp.h"
#include "feeds/feed_file.h"
#include "registry/member_json.h"
#include "routing/constituency.h"
#include "store/store.h"

namespace baken::service {

struct IngestOptions {
  feeds::FeedOptions feed;
  Tlp tlp = Tlp::kAmber;  // the feed's level; an event that says it is stricter keeps its own
  // Levels of particular feeds (by feed.name), in place of `tlp` for their events.
  std::map<std::string, Tlp, std::less<>> tlp_by_feed;
  bool dry_run = false;  // parse, route and count; store nothing
  int64_t digest_period_seconds = 86400;
  size_t batch_size = 20000;  // events handed to the writer at a time (memory: 1.5 KB each)
  // Batches a write transaction holds, on a store that groups them (Store::GroupsIngestBatches;
  // otherwise one), and how long it stays open at most: it holds the store's write lock while
  // the next batches are parsed, and other writers (a worker's lease, a portal sign-in) wait.
  // The age is checked when a batch has been written, so a slow batch may stretch it.
  size_t batches_per_transaction = 5;
  std::chrono::milliseconds transaction_time_limit{1000};
  // Called after each commit (a worker renews its lease on the file there), on the thread that
  // writes batches or, for the last, the one that ran the ingest; an error stops the run,
  // keeping what was committed.
  std::function<Status()> after_batch;
};

struct IngestError {
  std::string file;
  std::optional<size_t> line;  // absent when the whole file was refused
  std::string reason;
  // For a coded problem (common/problem.h): its key and values, so the portal words it.
  std::string key;
  ProblemParams params;
};

// What a person should know about a file although nothing in it was refused: rows read
// leniently, a report type recognised from the header (feeds::ParseSink::OnNote).
struct IngestNote {
  std::string file;
  std::string note;
  // For a coded note: its key and values, so the portal words it (decision 0015).
  std::string key;
  ProblemParams params;
};

struct IngestSummary {
  int64_t parsed = 0;               // rows that became events
  int64_t routed = 0;               // new events with a member
  int64_t unrouted = 0;             // new events no member owns (kept, listed for analysts)
  int64_t duplicates = 0;           // events already known (same dedup key)
  int64_t rejected = 0;             // rows refused, plus every row of a refused file we could count
  std::vector<IngestError> errors;  // the first kMaxListedErrors
  int64_t error_count = 0;          // all of them
  std::vector<IngestNote> notes;    // the first kMaxListedErrors
  static constexpr size_t kMaxListedErrors = 1000;
};

// The contract's summary: {"parsed": …, "routed": …, "unrouted": …, "duplicates": …,
// "rejected": …, "errors": [{"file": …, "line": …, "reason": …}]}, plus "error_count" and
// "notes": [{"file": …, "note": …}].
registry::Json SummaryToJson(const IngestSummary& summary);

class IngestService {
 public:
  IngestService(store::Store& store, std::shared_ptr<const routing::Constituency> constituency);

  // Staff only (kPermissionDenied otherwise). A file that cannot be read at all is named in
  // the errors and the other files go on; store failures end the run with an error (what was
  // committed before stays, and a re-run adds only what is missing).
  Result<IngestSummary> IngestFiles(const auth::Principal& who,
                                    const std::vector<std::string>& paths,
                                    const IngestOptions& options);
  // One uploaded input; `name` is its file name, used to recognise the format.
  Result<IngestSummary> IngestInput(const auth::Principal& who, std::string_view name,
                                    std::unique_ptr<ByteSource> input,
                                    const IngestOptions& options);

 private:
  class Run;
  // Writes what is left of the run and, unless it was a dry run, its audit entry.
  Result<IngestSummary> Finish(Run& run, const auth::Principal& who, const std::string& object,
                               const IngestOptions& options);

  store::Store& store_;
  std::shared_ptr<const routing::Constituency> constituency_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_INGEST_SERVICE_H_
