#include "service/advisory_sync.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "advisories/distribution.h"
#include "advisories/reader.h"
#include "common/hash.h"
#include "common/text.h"
#include "common/time.h"
#include "net/http_client.h"

namespace baken::service {

namespace {

using advisories::ListedDocument;
using advisories::Listing;

constexpr size_t kMaxListingBytes = 32 << 20;  // NCSC's changes.csv is well under 1 MiB
constexpr size_t kMaxHashFileBytes = 4096;
constexpr int64_t kMaxAttempts = 10;           // then a document is given up, and said so
constexpr size_t kMaxMetadataCandidates = 10;  // URLs tried to find the provider metadata

using net::Fetched;

// CSAF requirement 3: documents come over TLS.
Fetched Get(const std::string& url, size_t max_bytes, long timeout_seconds) {
  return net::GetOk(url, {timeout_seconds, max_bytes},
                    "CSAF documents come over https (requirement 3)");
}

bool IsAbsent(long status) { return status == 404 || status == 410; }

std::string WithScheme(std::string_view url) {
  return net::IsHttpUrl(url) ? std::string(url) : "https://" + std::string(url);
}

// The CSAF: lines of a security.txt (RFC 9116 field names are case-insensitive).
std::vector<std::string> CsafLines(std::string_view text) {
  std::vector<std::string> urls;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line =
        TrimBlanks(text.substr(0, end == std::string_view::npos ? text.size() : end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.size() > 5 && AsciiLower(line.substr(0, 5)) == "csaf:") {
      urls.emplace_back(TrimBlanks(line.substr(5)));
    }
  }
  return urls;
}

class SyncRun {
 public:
  SyncRun(store::Store& store, AdvisoryService& advisories, const SyncOptions& options,
          const auth::Principal& who, SyncSummary* summary)
      : store_(store), advisories_(advisories), options_(options), who_(who), summary_(*summary) {}

  Result<advisories::ProviderMetadata> Locate(std::string_view given) {
    const std::string url = WithScheme(TrimBlanks(given));
    std::vector<std::string> candidates;
    std::string path = url.substr(0, url.find_first_of("?#"));
    if (path.ends_with(".json")) {
      candidates.push_back(url);
    } else {
      while (path.ends_with('/')) path.pop_back();
      candidates.push_back(path + "/.well-known/csaf/provider-metadata.json");
      candidates.push_back(path + "/.well-known/security.txt");
      candidates.push_back(path + "/security.txt");
    }
    std::vector<std::string> tried;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const std::string candidate = candidates[i];  // copied: candidates may grow
      Fetched fetched = Get(candidate, kMaxListingBytes, options_.timeout_seconds);
      if (!fetched.ok()) {
        tried.push_back(fmt::format("{} ({})", candidate, fetched.problem));
        continue;
      }
      if (candidate.ends_with(".txt")) {
        // security.txt: its CSAF: lines name provider metadata; try them next.
        for (std::string& csaf : CsafLines(fetched.body)) {
          if (candidates.size() >= kMaxMetadataCandidates) break;
          if (std::find(candidates.begin(), candidates.end(), csaf) == candidates.end()) {
            candidates.push_back(std::move(csaf));
          }
        }
        continue;
      }
      auto metadata = advisories::ReadProviderMetadata(fetched.body);
      if (!metadata) {
        tried.push_back(fmt::format("{} ({})", candidate, metadata.error().message));
        continue;
      }
      summary_.provider_metadata = candidate;
      return metadata;
    }
    return NotFound(fmt::format("no CSAF provider metadata found for {}: tried {}", given,
                                fmt::join(tried, "; ")));
  }

  void Run(const advisories::ProviderMetadata& metadata) {
    summary_.publisher = metadata.publisher;
    const std::string& base = summary_.provider_metadata;
    if (!metadata.canonical_url.empty() && metadata.canonical_url != base) {
      Note(base, fmt::format("canonical_url is {}", metadata.canonical_url));
    }
    if (!metadata.feeds.empty()) {
      if (!metadata.directories.empty()) {
        Note(base, "offers ROLIE feeds and directories; the ROLIE feeds are followed (7.3.2)");
      }
      for (const advisories::RolieFeedRef& feed : metadata.feeds) SyncFeed(base, feed.url);
      return;
    }
    for (const std::string& directory : metadata.directories) SyncDirectory(base, directory);
  }

 private:
  void Note(const std::string& where, const std::string& what) {
    summary_.notes.push_back(fmt::format("{}: {}", where, what));
  }
  void Fail(const std::string& url, std::string reason) {
    summary_.failures.push_back({url, std::move(reason)});
  }

  void SyncFeed(const std::string& base, const std::string& reference) {
    auto url = advisories::ResolveUrl(base, reference);
    if (!url) return Fail(reference, "not an http(s) URL");
    Fetched feed = Get(*url, kMaxListingBytes, options_.timeout_seconds);
    if (feed.status == 401 || feed.status == 403) {
      // TLP:AMBER and RED feeds are access-controlled (requirement 5); not ours to read.
      return Note(*url, fmt::format("{}; skipped (access-controlled feed)", feed.problem));
    }
    if (!feed.ok()) return Fail(*url, feed.problem);
    auto listing = advisories::ReadRolieFeed(feed.body, *url);
    if (!listing) return Fail(*url, listing.error().message);
    SyncListing(*url, "rolie", std::move(*listing));
  }

  void SyncDirectory(const std::string& base, const std::string& reference) {
    auto resolved = advisories::ResolveUrl(base, reference);
    if (!resolved) return Fail(reference, "not an http(s) URL");
    std::string directory = std::move(*resolved);
    if (!directory.ends_with('/')) directory += '/';
    const std::string changes_url = directory + "changes.csv";
    Fetched changes = Get(changes_url, kMaxListingBytes, options_.timeout_seconds);
    if (changes.ok()) {
      return SyncListing(changes_url, "changes.csv",
                         advisories::ReadChangesCsv(changes.body, directory));
    }
    if (!IsAbsent(changes.status)) return Fail(changes_url, changes.problem);
    const std::string index_url = directory + "index.txt";
    Fetched index = Get(index_url, kMaxListingBytes, options_.timeout_seconds);
    if (!index.ok()) return Fail(index_url, index.problem);
    Note(changes_url, fmt::format("{}; every document in index.txt is fetched", changes.problem));
    SyncListing(index_url, "index.txt", advisories::ReadIndexTxt(index.body, directory));
  }

  void SyncListing(const std::string& url, std::string kind, Listing listing) {
    for (const std::string& note : listing.notes) Note(url, note);
    SyncSummary::ListingReport report;
    report.url = url;
    report.kind = std::move(kind);
    report.listed = static_cast<int64_t>(listing.documents.size());
    std::map<std::pair<std::string, std::string>, store::SyncDocument> known;
    {
      auto tx = store_.Begin(store::Access::kRead);
      if (!tx) return Fail(url, tx.error().message);
      auto cursor = (*tx)->Advisories().SyncCursor(url);
      if (!cursor) return Fail(url, cursor.error().message);
      report.cursor_before = *cursor;
      auto documents = (*tx)->Advisories().SyncDocuments(url);
      if (!documents) return Fail(url, documents.error().message);
      for (store::SyncDocument& document : *documents) {
        known[{document.document_url, document.updated}] = std::move(document);
      }
    }
    const std::string threshold = WindowStart(report.cursor_before);
    // A time further ahead than a day is a provider's mistake: such a document is fetched
    // every time, and its time never becomes the cursor (it would hide every later one).
    const std::string horizon =
        advisories::NormalizeTimestamp(FormatUtc(started_ + std::chrono::hours(24))).value_or("");
    // Due: what has no time, what changed since the window before the cursor and was not
    // fetched yet, and what is to be tried again. Each URL once, at its newest time.
    std::map<std::string, const ListedDocument*> newest;
    std::set<std::pair<std::string, std::string>> listed;
    bool noted_future = false;
    for (const ListedDocument& document : listing.documents) {
      listed.insert({document.url, document.updated});
      const auto record = known.find({document.url, document.updated});
      const bool future = !document.updated.empty() && document.updated > horizon;
      if (future && !noted_future) {
        noted_future = true;
        Note(url, fmt::format("{} is listed at {}, more than a day ahead; fetched every time",
                              document.url, document.updated));
      }
      const bool due =
          document.updated.empty() || future ||
          (record != known.end() ? record->second.state == "retry" : document.updated >= threshold);
      if (!due) continue;
      auto [it, added] = newest.emplace(document.url, &document);
      if (!added && document.updated > it->second->updated) it->second = &document;
    }
    std::vector<const ListedDocument*> due;
    for (const auto& [document_url, document] : newest) due.push_back(document);
    std::stable_sort(due.begin(), due.end(),
                     [](const auto* a, const auto* b) { return a->updated < b->updated; });

    report.cursor_after = report.cursor_before;
    for (const ListedDocument* document : due) {
      const auto failure = FetchAndImport(*document);
      (failure ? report.failed : report.fetched) += 1;
      if (document->updated.empty() || document->updated > horizon) continue;
      report.cursor_after = std::max(report.cursor_after, document->updated);
      store::SyncDocument record{document->url, document->updated, "done", 1, std::nullopt};
      if (const auto it = known.find({document->url, document->updated}); it != known.end()) {
        record.attempts = it->second.attempts + 1;
      }
      if (failure) {
        record.state = record.attempts >= kMaxAttempts ? "given_up" : "retry";
        record.last_error = *failure;
        if (record.state == "given_up") {
          Note(document->url, fmt::format("given up after {} attempts", record.attempts));
        }
      }
      known[{record.document_url, record.updated}] = record;
      if (Status saved = Save([&](store::AdvisoryRepository& repository) {
            return repository.SaveSyncDocument(url, record);
          });
          !saved) {
        Fail(url, saved.error().message);
      }
    }
    if (report.cursor_after != report.cursor_before) {
      Status saved = Save([&](store::AdvisoryRepository& repository) {
        return repository.SaveSyncCursor(url, report.cursor_after, NowUtc());
      });
      if (!saved) {
        Fail(url, saved.error().message);
        report.cursor_after = report.cursor_before;
      }
    }
    // Forget what fell out of the window, except what is still to be tried and still listed.
    const std::string kept_from = WindowStart(report.cursor_after);
    for (const auto& entry : known) {
      // Not a structured binding: clang (the fuzz build) does not let a lambda capture one.
      const auto& record = entry.second;
      if (record.updated >= kept_from) continue;
      if (record.state == "retry" && listed.count(entry.first) != 0) continue;
      (void)Save([&](store::AdvisoryRepository& repository) {
        return repository.ForgetSyncDocument(url, record.document_url, record.updated);
      });
    }
    summary_.listings.push_back(std::move(report));
  }

  // The start of the window before a cursor in which documents are looked at again.
  std::string WindowStart(const std::string& cursor) const {
    if (cursor.empty()) return {};
    return advisories::TimestampBefore(cursor, options_.overlap).value_or(cursor);
  }

  // One change to the sync state, in its own transaction.
  Status Save(const std::function<Status(store::AdvisoryRepository&)>& change) {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(change(tx->Advisories()));
    return tx->Commit();
  }

  // Fetches, verifies and imports one document; the failure (also in the summary), if any.
  std::optional<std::string> FetchAndImport(const ListedDocument& document) {
    const auto fail = [&](std::string reason) -> std::optional<std::string> {
      Fail(document.url, reason);
      return reason;
    };
    Fetched fetched = Get(document.url, advisories::kMaxAdvisoryBytes, options_.timeout_seconds);
    if (!fetched.ok()) return fail(fetched.problem);
    // A hash link in a ROLIE entry is a promise: missing, it is a failure. Otherwise the hash
    // files are looked for beside the document.
    const bool promised = !document.hash_url.empty();
    const std::string base = document.url.substr(0, document.url.find_first_of("?#"));
    const std::vector<std::string> hash_urls =
        promised ? std::vector<std::string>{document.hash_url}
                 : std::vector<std::string>{base + ".sha512", base + ".sha256"};
    bool verified = false;
    for (const std::string& hash_url : hash_urls) {
      Fetched hash = Get(hash_url, kMaxHashFileBytes, options_.timeout_seconds);
      if (IsAbsent(hash.status) && !promised) continue;
      if (!hash.ok()) return fail(fmt::format("hash file {}: {}", hash_url, hash.problem));
      const bool sha256 =
          hash_url.ends_with(".sha256") ||
          (!hash_url.ends_with(".sha512") && advisories::ReadHashFile(hash.body, 64).has_value());
      const std::string_view name = sha256 ? "SHA-256" : "SHA-512";
      auto expected = advisories::ReadHashFile(hash.body, sha256 ? 64 : 128);
      if (!expected) {
        return fail(fmt::format("hash file {} holds no {} hash; not imported", hash_url, name));
      }
      const std::string actual = sha256 ? Sha256Hex(fetched.body) : Sha512Hex(fetched.body);
      if (actual != *expected) {
        return fail(fmt::format("{} of the document is {}, but {} says {}; not imported", name,
                                actual, hash_url, *expected));
      }
      verified = true;
      break;
    }
    if (!verified) summary_.unverified.push_back(document.url);
    Status imported = advisories_.ImportInto(who_, document.url, fetched.body, &summary_.import);
    if (!imported) return fail(imported.error().message);
    return std::nullopt;
  }

  store::Store& store_;
  AdvisoryService& advisories_;
  const SyncOptions& options_;
  const auth::Principal& who_;
  SyncSummary& summary_;
  const std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
};

}  // namespace

registry::Json SyncSummaryToJson(const SyncSummary& summary) {
  registry::Json listings = registry::Json::array();
  for (const auto& listing : summary.listings) {
    listings.push_back(
        {{"url", listing.url},
         {"kind", listing.kind},
         {"listed", listing.listed},
         {"fetched", listing.fetched},
         {"failed", listing.failed},
         {"cursor_before",
          listing.cursor_before.empty() ? registry::Json() : registry::Json(listing.cursor_before)},
         {"cursor_after",
          listing.cursor_after.empty() ? registry::Json() : registry::Json(listing.cursor_after)}});
  }
  registry::Json failures = registry::Json::array();
  for (const auto& failure : summary.failures) {
    failures.push_back({{"url", failure.url}, {"reason", failure.reason}});
  }
  registry::Json json = ImportSummaryToJson(summary.import);
  json["provider_metadata"] = summary.provider_metadata;
  json["publisher"] = summary.publisher;
  json["listings"] = std::move(listings);
  json["failures"] = std::move(failures);
  json["unverified"] = summary.unverified;
  json["notes"] = summary.notes;
  return json;
}

Result<SyncSummary> AdvisorySyncService::Sync(const auth::Principal& who, std::string_view url) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may sync advisories");
  SyncSummary summary;
  SyncRun run(store_, advisories_, options_, who, &summary);
  BAKEN_ASSIGN_OR_RETURN(advisories::ProviderMetadata metadata, run.Locate(url));
  run.Run(metadata);
  return summary;
}

}  // namespace baken::service
