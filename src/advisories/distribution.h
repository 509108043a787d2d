#ifndef BAKEN_ADVISORIES_DISTRIBUTION_H_
#define BAKEN_ADVISORIES_DISTRIBUTION_H_

// How CSAF providers publish (CSAF 2.0 section 7): provider-metadata.json, ROLIE feeds,
// directories with changes.csv and index.txt, and .sha256/.sha512 hash files. These readers
// turn the bytes into lists of document URLs with their update times; fetching them is the
// service's work. Providers deviate from the specification (unquoted or unzoned changes.csv,
// paths that repeat the directory), so the readers are lenient where the meaning is still
// clear and note every deviation; what cannot be understood is an error naming its place.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::advisories {

struct RolieFeedRef {
  std::string url;
  std::string tlp_label;  // as written ("WHITE", "GREEN", ...), may be empty
};

struct ProviderMetadata {
  std::string canonical_url;
  std::string last_updated;
  std::string publisher;  // publisher.name
  std::vector<RolieFeedRef> feeds;
  std::vector<std::string> directories;  // directory_url values
};

// kInvalidArgument when the bytes are not provider metadata or offer no distribution.
Result<ProviderMetadata> ReadProviderMetadata(std::string_view json_text);

struct ListedDocument {
  std::string url;       // absolute
  std::string updated;   // NormalizeTimestamp form; empty when the listing gives no time
  std::string hash_url;  // from a ROLIE "hash" link; empty: try url + ".sha512" / ".sha256"
};

struct Listing {
  std::vector<ListedDocument> documents;
  std::vector<std::string> notes;  // deviations and skipped entries, each naming its place
};

// A ROLIE feed (a JSON Atom feed): the entries' content.src (or "self" link), updated and hash
// links, resolved against feed_url. kInvalidArgument when the bytes are not a feed.
Result<Listing> ReadRolieFeed(std::string_view json_text, std::string_view feed_url);

// changes.csv of a directory distribution: "path","time" lines, no header, newest first.
// Unquoted lines, times without a zone and paths that repeat the directory's own path are
// read and noted.
Listing ReadChangesCsv(std::string_view text, std::string_view directory_url);

// index.txt: one path per line, no times.
Listing ReadIndexTxt(std::string_view text, std::string_view directory_url);

// The hash at the start of a .sha256/.sha512 file ("<hex>  <name>"), lower-cased, when it has
// the length of that hash (64 or 128 hex digits).
std::optional<std::string> ReadHashFile(std::string_view text, size_t hex_digits);

// A timestamp as "YYYY-MM-DDTHH:MM:SS.ffffffZ" in UTC, so that the text order is the time
// order. Accepts RFC 3339 with or without fractional seconds and with a zone offset, and the
// deviations seen in the wild: no zone (read as UTC), a space instead of 'T'.
std::optional<std::string> NormalizeTimestamp(std::string_view text);
// The time `earlier` before a timestamp, normalized.
std::optional<std::string> TimestampBefore(std::string_view timestamp,
                                           std::chrono::seconds earlier);

// `reference` resolved against `base` (an absolute http(s) URL): absolute URLs stay, "/x" is
// taken from the base's origin, "x" from the base's folder. std::nullopt for another scheme.
std::optional<std::string> ResolveUrl(std::string_view base, std::string_view reference);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_DISTRIBUTION_H_
