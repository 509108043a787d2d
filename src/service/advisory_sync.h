#ifndef BAKEN_SERVICE_ADVISORY_SYNC_H_
#define BAKEN_SERVICE_ADVISORY_SYNC_H_

// Following a CSAF provider (CSAF 2.0 section 7.3): find its provider-metadata.json, list its
// documents from the ROLIE feeds (preferred) or the directories' changes.csv (index.txt when
// there is none), fetch what changed since the last run, check each document against its
// .sha512/.sha256 file, and import it like `baken advisory import`. Where a listing stopped is
// remembered per listing, with the documents fetched near that point; a document that could
// not be fetched or verified is tried again on the next runs, up to ten times.
// Decision: docs/decisions/0008-advisory-sync.md.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "registry/member_json.h"
#include "service/advisory_service.h"
#include "store/store.h"

namespace baken::service {

struct SyncSummary {
  std::string provider_metadata;  // the URL the metadata was read from
  std::string publisher;
  struct ListingReport {
    std::string url;
    std::string kind;  // "rolie", "changes.csv" or "index.txt"
    int64_t listed = 0;
    int64_t fetched = 0;  // fetched, verified and read (imported, updated, unchanged or refused)
    int64_t failed = 0;   // not fetched or not verified: tried again next time
    std::string cursor_before;  // empty: first sync
    std::string cursor_after;
  };
  std::vector<ListingReport> listings;
  AdvisoryImportSummary import;
  // What could not be fetched or verified (tried again next time), each with its URL.
  struct Failure {
    std::string url;
    std::string reason;
  };
  std::vector<Failure> failures;
  std::vector<std::string> unverified;  // documents imported without a hash file to check
  std::vector<std::string> notes;       // the provider's deviations, and skipped listings
};
registry::Json SyncSummaryToJson(const SyncSummary& summary);

struct SyncOptions {
  long timeout_seconds = 60;
  // Documents listed with a time up to this long before the cursor are still fetched when
  // they were not yet: providers list a document with its release date, which can be days
  // before it is published.
  std::chrono::seconds overlap = std::chrono::hours(24 * 7);
};

class AdvisorySyncService {
 public:
  explicit AdvisorySyncService(store::Store& store, SyncOptions options = {})
      : store_(store), options_(options), advisories_(store) {}

  // `url` is the provider-metadata.json URL, or a domain or base URL where it is looked for
  // (/.well-known/csaf/provider-metadata.json, then the CSAF: lines of security.txt).
  // kNotFound when no provider metadata is found; failures of single documents or listings
  // are in the summary.
  Result<SyncSummary> Sync(const auth::Principal& who, std::string_view url);

 private:
  store::Store& store_;
  SyncOptions options_;
  AdvisoryService advisories_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_ADVISORY_SYNC_H_
