#include "service/advisory_sync.h"

#include <algorithm>
#include <map>
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

// One GET: the body when the server answered 200, otherwise the problem in one sentence.
struct Fetched {
  long status = 0;  // 0: no answer
  std::string body;
  std::string problem;  // empty when status is 200
  bool ok() const { return problem.empty(); }
};

Fetched Get(const std::string& url, size_t max_bytes, long timeout_seconds) {
  auto response = net::HttpGet(url, {timeout_seconds, max_bytes});
  if (!response) return {0, {}, response.error().message};
  if (response->status == 200) return {200, std::move(response->body), {}};
  if (response->status >= 300 && response->status < 400) {
    return {response->status,
            {},
            fmt::format("HTTP {}, redirected to {}; redirects are not followed", response->status,
                        response->location)};
  }
  return {response->status, {}, fmt::format("HTTP {}", response->status)};
}

bool IsAbsent(long status) { return status == 404 || status == 410; }

std::string WithScheme(std::string_view url) {
  const std::string lower = AsciiLower(url.substr(0, 8));
  if (lower.starts_with("http://") || lower.starts_with("https://")) return std::string(url);
  return "https://" + std::string(url);
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
    {
      auto tx = store_.Begin(store::Access::kRead);
      auto cursor = tx ? (*tx)->Advisories().SyncCursor(url) : Result<std::string>("");
      if (!cursor) return Fail(url, cursor.error().message);
      report.cursor_before = *cursor;
    }
    std::string threshold;
    if (!report.cursor_before.empty()) {
      threshold = advisories::TimestampBefore(report.cursor_before, options_.overlap)
                      .value_or(report.cursor_before);
    }
    // The documents changed since the cursor, each once (its newest time), oldest first.
    std::map<std::string, std::string> newest;  // url -> updated
    for (ListedDocument& document : listing.documents) {
      if (!document.updated.empty() && document.updated < threshold) continue;
      auto [it, added] = newest.emplace(document.url, document.updated);
      if (!added && document.updated > it->second) it->second = document.updated;
    }
    std::vector<ListedDocument> due;
    for (ListedDocument& document : listing.documents) {
      auto it = newest.find(document.url);
      if (it == newest.end() || it->second != document.updated) continue;
      newest.erase(it);
      due.push_back(std::move(document));
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const auto& a, const auto& b) { return a.updated < b.updated; });
    // (time, fetched): a failure sorts before a success at the same time, so it holds the
    // cursor back to before that time.
    std::vector<std::pair<std::string, bool>> outcomes;
    for (const ListedDocument& document : due) {
      const bool ok = FetchAndImport(document);
      ++report.fetched;
      if (!document.updated.empty()) outcomes.emplace_back(document.updated, ok);
    }
    std::sort(outcomes.begin(), outcomes.end());
    report.cursor_after = report.cursor_before;
    for (const auto& [time, ok] : outcomes) {
      if (!ok) break;
      report.cursor_after = std::max(report.cursor_after, time);
    }
    if (report.cursor_after != report.cursor_before) {
      Status saved = SaveCursor(url, report.cursor_after);
      if (!saved) {
        Fail(url, saved.error().message);
        report.cursor_after = report.cursor_before;
      }
    }
    summary_.listings.push_back(std::move(report));
  }

  Status SaveCursor(const std::string& url, const std::string& cursor) {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(tx->Advisories().SaveSyncCursor(url, cursor, NowUtc()));
    return tx->Commit();
  }

  bool FetchAndImport(const ListedDocument& document) {
    Fetched fetched = Get(document.url, advisories::kMaxAdvisoryBytes, options_.timeout_seconds);
    if (!fetched.ok()) {
      Fail(document.url, fetched.problem);
      return false;
    }
    std::vector<std::string> hash_urls;
    if (document.hash_url.empty()) {
      hash_urls = {document.url + ".sha512", document.url + ".sha256"};
    } else {
      hash_urls = {document.hash_url};
    }
    bool verified = false;
    for (const std::string& hash_url : hash_urls) {
      Fetched hash = Get(hash_url, kMaxHashFileBytes, options_.timeout_seconds);
      if (IsAbsent(hash.status)) continue;
      if (!hash.ok()) {
        Fail(document.url, fmt::format("hash file {}: {}", hash_url, hash.problem));
        return false;
      }
      const bool sha256 =
          hash_url.ends_with(".sha256") ||
          (!hash_url.ends_with(".sha512") && advisories::ReadHashFile(hash.body, 64).has_value());
      const std::string_view name = sha256 ? "SHA-256" : "SHA-512";
      auto expected = advisories::ReadHashFile(hash.body, sha256 ? 64 : 128);
      if (!expected) {
        Fail(document.url,
             fmt::format("hash file {} holds no {} hash; not imported", hash_url, name));
        return false;
      }
      const std::string actual = sha256 ? Sha256Hex(fetched.body) : Sha512Hex(fetched.body);
      if (actual != *expected) {
        Fail(document.url, fmt::format("{} of the document is {}, but {} says {}; not imported",
                                       name, actual, hash_url, *expected));
        return false;
      }
      verified = true;
      break;
    }
    if (!verified) summary_.unverified.push_back(document.url);
    Status imported = advisories_.ImportInto(who_, document.url, fetched.body, &summary_.import);
    if (!imported) {
      Fail(document.url, imported.error().message);
      return false;
    }
    return true;
  }

  store::Store& store_;
  AdvisoryService& advisories_;
  const SyncOptions& options_;
  const auth::Principal& who_;
  SyncSummary& summary_;
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
