#include "advisories/distribution.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/csv_reader.h"
#include "common/json_limits.h"
#include "common/text.h"
#include "net/http_client.h"

namespace baken::advisories {

namespace {

using Json = nlohmann::json;

Result<Json> ParseJsonObject(std::string_view text, std::string_view what) {
  auto root = ParseJson<Json>(text);
  if (!root) return InvalidArgument(fmt::format("{}: not JSON: {}", what, root.error().message));
  if (!root->is_object()) return InvalidArgument(fmt::format("{}: not a JSON object", what));
  return root;
}

std::string StringAt(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json* ArrayAt(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? &*it : nullptr;
}

bool ParseDigits(std::string_view text, size_t pos, size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int result = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    result = result * 10 + (text[i] - '0');
  }
  *value = result;
  return true;
}

// "https://host:port" of an absolute URL, or empty.
std::string_view Origin(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const size_t path = url.find_first_of("/?#", scheme + 3);
  return path == std::string_view::npos ? url : url.substr(0, path);
}

bool StartsWithYearFolder(std::string_view path) {
  int year = 0;
  return path.size() > 5 && ParseDigits(path, 0, 4, &year) && path[4] == '/';
}

// CISA's changes.csv lists "csaf_files/IT/white/2024/x.json" beside a directory URL that
// already ends in ".../csaf_files/IT/white/". Spec paths start with the year folder; a path
// that does not, and that starts with the tail of the directory's own path, is read relative
// to that tail. Returns the path to resolve.
std::string_view WithoutRepeatedDirectory(std::string_view path, std::string_view directory_url) {
  if (StartsWithYearFolder(path)) return path;
  const std::string_view origin = Origin(directory_url);
  std::string_view folder = directory_url.substr(origin.size());
  while (!folder.empty() && folder.front() == '/') folder.remove_prefix(1);
  // Try the longest tail first: each tail starts after a '/'.
  for (size_t start = 0; start < folder.size();) {
    const std::string_view tail = folder.substr(start);
    if (tail.size() < path.size() && path.starts_with(tail) && tail.ends_with('/')) {
      return path.substr(tail.size());
    }
    const size_t slash = folder.find('/', start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return path;
}

std::string DirectoryBase(std::string_view directory_url) {
  std::string base(directory_url);
  if (!base.ends_with('/')) base += '/';
  return base;
}

// A path a directory listing names, as a URL under the directory (`base`, ending in '/');
// nullopt, with a note naming `where`, when it is not a document path. `noted_repeat`, when
// given, is set once the first path that repeats the directory's own path has been noted.
std::optional<std::string> ListedUrl(const std::string& base, std::string_view raw_path,
                                     const std::string& where, bool* noted_repeat,
                                     Listing* listing) {
  const std::string_view path = WithoutRepeatedDirectory(raw_path, base);
  if (noted_repeat != nullptr && path.size() != raw_path.size() && !*noted_repeat) {
    *noted_repeat = true;
    listing->notes.push_back(
        fmt::format("{}: path {} repeats the directory's own path; read relative to the directory",
                    where, raw_path));
  }
  auto url = ResolveUrl(base, path);
  if (!url || path.empty()) {
    listing->notes.push_back(
        fmt::format("{}: '{}' is not a document path; skipped", where, raw_path));
    return std::nullopt;
  }
  return url;
}

}  // namespace

Result<ProviderMetadata> ReadProviderMetadata(std::string_view json_text) {
  BAKEN_ASSIGN_OR_RETURN(Json root, ParseJsonObject(json_text, "provider metadata"));
  ProviderMetadata metadata;
  metadata.canonical_url = StringAt(root, "canonical_url");
  metadata.last_updated = StringAt(root, "last_updated");
  if (auto publisher = root.find("publisher"); publisher != root.end()) {
    metadata.publisher = StringAt(*publisher, "name");
  }
  const Json* distributions = ArrayAt(root, "distributions");
  if (distributions == nullptr) {
    return InvalidArgument("provider metadata: /distributions is missing or not an array");
  }
  for (const Json& distribution : *distributions) {
    if (std::string directory = StringAt(distribution, "directory_url"); !directory.empty()) {
      metadata.directories.push_back(std::move(directory));
    }
    if (!distribution.is_object()) continue;
    auto rolie = distribution.find("rolie");
    if (rolie == distribution.end()) continue;
    if (const Json* feeds = ArrayAt(*rolie, "feeds"); feeds != nullptr) {
      for (const Json& feed : *feeds) {
        RolieFeedRef ref{StringAt(feed, "url"), StringAt(feed, "tlp_label")};
        if (!ref.url.empty()) metadata.feeds.push_back(std::move(ref));
      }
    }
  }
  if (metadata.feeds.empty() && metadata.directories.empty()) {
    return InvalidArgument(
        "provider metadata: /distributions offers neither a directory_url nor a ROLIE feed");
  }
  return metadata;
}

Result<Listing> ReadRolieFeed(std::string_view json_text, std::string_view feed_url) {
  BAKEN_ASSIGN_OR_RETURN(Json root, ParseJsonObject(json_text, "ROLIE feed"));
  auto feed = root.find("feed");
  if (feed == root.end() || !feed->is_object()) {
    return InvalidArgument("ROLIE feed: /feed is missing or not an object");
  }
  Listing listing;
  const Json* entries = ArrayAt(*feed, "entry");
  if (entries == nullptr) return listing;  // an empty feed may leave the array out
  for (size_t i = 0; i < entries->size(); ++i) {
    const Json& entry = (*entries)[i];
    const std::string where = fmt::format("/feed/entry/{}", i);
    std::string source;
    if (auto content = entry.is_object() ? entry.find("content") : entry.end();
        entry.is_object() && content != entry.end()) {
      source = StringAt(*content, "src");
    }
    std::string hash;
    if (const Json* links = ArrayAt(entry, "link"); links != nullptr) {
      for (const Json& link : *links) {
        const std::string rel = StringAt(link, "rel");
        const std::string href = StringAt(link, "href");
        if (rel == "self" && source.empty()) source = href;
        // Prefer SHA-512 when both are offered.
        if (rel == "hash" && (hash.empty() || href.ends_with(".sha512"))) hash = href;
      }
    }
    if (source.empty()) {
      listing.notes.push_back(fmt::format("{}: no content.src or self link; skipped", where));
      continue;
    }
    ListedDocument document;
    auto url = ResolveUrl(feed_url, source);
    if (!url) {
      listing.notes.push_back(fmt::format("{}: {} is not an http(s) URL; skipped", where, source));
      continue;
    }
    document.url = std::move(*url);
    if (!hash.empty()) {
      if (auto hash_url = ResolveUrl(feed_url, hash)) document.hash_url = std::move(*hash_url);
    }
    const std::string updated = StringAt(entry, "updated");
    if (auto normalized = NormalizeTimestamp(updated)) {
      document.updated = std::move(*normalized);
    } else {
      listing.notes.push_back(
          fmt::format("{}/updated: '{}' is not a timestamp; fetched every time", where, updated));
    }
    listing.documents.push_back(std::move(document));
  }
  return listing;
}

Listing ReadChangesCsv(std::string_view text, std::string_view directory_url) {
  Listing listing;
  const std::string base = DirectoryBase(directory_url);
  std::istringstream input{std::string(text)};
  CsvReader reader(input);
  CsvRecord record;
  bool noted_repeated_path = false;
  bool noted_no_zone = false;
  while (reader.Next(&record)) {
    const std::string where = fmt::format("changes.csv line {}", record.line);
    if (record.problem) {
      listing.notes.push_back(fmt::format("{}: {}; skipped", where, *record.problem));
      continue;
    }
    if (record.fields.size() < 2) {
      listing.notes.push_back(fmt::format("{}: expected \"path\",\"time\"; skipped", where));
      continue;
    }
    auto url = ListedUrl(base, TrimBlanks(record.fields[0]), where, &noted_repeated_path, &listing);
    if (!url) continue;
    ListedDocument document;
    document.url = std::move(*url);
    const std::string_view time = TrimBlanks(record.fields[1]);
    if (auto normalized = NormalizeTimestamp(time)) {
      document.updated = std::move(*normalized);
      // A zone is 'Z' or an offset after the seconds ("+01:00", "+0100").
      const bool has_zone = time.ends_with('Z') || time.ends_with('z') ||
                            time.find_first_of("+-", 19) != std::string_view::npos;
      if (!has_zone && !noted_no_zone) {
        noted_no_zone = true;
        listing.notes.push_back(fmt::format("{}: time '{}' has no zone; read as UTC", where, time));
      }
    } else {
      listing.notes.push_back(
          fmt::format("{}: '{}' is not a timestamp; fetched every time", where, time));
    }
    listing.documents.push_back(std::move(document));
  }
  return listing;
}

Listing ReadIndexTxt(std::string_view text, std::string_view directory_url) {
  Listing listing;
  const std::string base = DirectoryBase(directory_url);
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    const std::string_view line =
        TrimBlanks(text.substr(0, end == std::string_view::npos ? text.size() : end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    auto url =
        ListedUrl(base, line, fmt::format("index.txt line {}", line_number), nullptr, &listing);
    if (!url) continue;
    listing.documents.push_back({std::move(*url), "", ""});
  }
  return listing;
}

std::optional<std::string> ReadHashFile(std::string_view text, size_t hex_digits) {
  text = TrimBlanks(text);
  const size_t end = text.find_first_of(" \t\r\n");
  const std::string_view hash = text.substr(0, end);
  if (hash.size() != hex_digits) return std::nullopt;
  for (char c : hash) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return AsciiLower(hash);
}

namespace {

struct Instant {
  std::chrono::sys_seconds seconds;
  int micros = 0;
};

std::optional<Instant> ParseTimestamp(std::string_view text) {
  text = TrimBlanks(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ParseDigits(text, 0, 4, &year) || text.size() < 19 || text[4] != '-' ||
      !ParseDigits(text, 5, 2, &month) || text[7] != '-' || !ParseDigits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ParseDigits(text, 11, 2, &hour) ||
      text[13] != ':' || !ParseDigits(text, 14, 2, &minute) || text[16] != ':' ||
      !ParseDigits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  int micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  const std::string_view zone = text.substr(pos);
  if (!zone.empty() && zone != "Z" && zone != "z") {
    // "+01:00" or "+0100"
    const bool colon = zone.size() == 6 && zone[3] == ':';
    int zone_hours = 0, zone_minutes = 0;
    if ((zone[0] != '+' && zone[0] != '-') || (!colon && zone.size() != 5) ||
        !ParseDigits(zone, 1, 2, &zone_hours) ||
        !ParseDigits(zone, colon ? 4 : 3, 2, &zone_minutes) || zone_hours > 23 ||
        zone_minutes > 59) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (zone_hours * 60 + zone_minutes);
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                            std::chrono::day{unsigned(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const sys_seconds local = sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
  return Instant{local - minutes{offset_minutes}, micros};
}

std::string FormatInstant(const Instant& instant) {
  using namespace std::chrono;
  const sys_days day = floor<days>(instant.seconds);
  const year_month_day date{day};
  const hh_mm_ss<seconds> clock{instant.seconds - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", int(date.year()),
                     unsigned(date.month()), unsigned(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count(), instant.micros);
}

}  // namespace

std::optional<std::string> NormalizeTimestamp(std::string_view text) {
  auto instant = ParseTimestamp(text);
  if (!instant) return std::nullopt;
  return FormatInstant(*instant);
}

std::optional<std::string> TimestampBefore(std::string_view timestamp,
                                           std::chrono::seconds earlier) {
  auto instant = ParseTimestamp(timestamp);
  if (!instant) return std::nullopt;
  instant->seconds -= earlier;
  return FormatInstant(*instant);
}

std::optional<std::string> ResolveUrl(std::string_view base, std::string_view reference) {
  reference = TrimBlanks(reference);
  // A scheme is letters, digits, '+', '-' and '.' before the first ':' (RFC 3986 3.1); a "://"
  // further on (in a query) does not make a reference absolute.
  const size_t colon = reference.find(':');
  const bool has_scheme =
      colon != std::string_view::npos && colon > 0 &&
      std::all_of(reference.begin(), reference.begin() + static_cast<std::ptrdiff_t>(colon),
                  [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' ||
                           c == '.';
                  }) &&
      reference.find_first_of("/?#") > colon;
  if (has_scheme) {
    if (!net::IsHttpUrl(reference)) return std::nullopt;
    return std::string(reference);
  }
  if (!net::IsHttpUrl(base)) return std::nullopt;
  if (reference.starts_with("//")) {
    return std::string(base.substr(0, base.find("//"))) + std::string(reference);
  }
  const std::string_view origin = Origin(base);
  if (reference.starts_with('/')) return std::string(origin) + std::string(reference);
  std::string_view folder = base.substr(0, base.find_first_of("?#", origin.size()));
  const size_t slash = folder.rfind('/');
  folder =
      slash == std::string_view::npos || slash < origin.size() ? origin : folder.substr(0, slash);
  return std::string(folder) + "/" + std::string(reference);
}

}  // namespace baken::advisories
