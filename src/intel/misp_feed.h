#ifndef BAKEN_INTEL_MISP_FEED_H_
#define BAKEN_INTEL_MISP_FEED_H_

// A MISP feed is a folder: manifest.json (an object keyed by event uuid, each with the event's
// info, date and timestamp), one <uuid>.json per event (misp_reader.h) and optionally hashes.csv
// (the MD5 of each for-detection value with its event's uuid). These read the manifest and the
// hash list; following a feed's URL is the sync's (decision 0023).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::intel {

struct ManifestEntry {
  std::string uuid;
  std::string info;
  std::string date;       // YYYY-MM-DD, or empty
  int64_t timestamp = 0;  // seconds since 1970: the event changed when this grows
};

struct MispManifest {
  std::vector<ManifestEntry> entries;  // in uuid order
  std::vector<std::string> problems;   // entries left out, each with its reason
};

inline constexpr size_t kMaxManifestBytes = 64 << 20;

// An entry whose key is not a uuid or without a timestamp is left out and said; a document that
// is not a JSON object is refused.
Result<MispManifest> ReadMispManifest(std::string_view json_text);

struct FeedHash {
  std::string md5;
  std::string event_uuid;
};

struct MispHashes {
  std::vector<FeedHash> hashes;
  std::vector<std::string> problems;  // "line 7: …"
};

// MISP writes `md5,uuid`; some publishers write `uuid,md5`. Both are read, told apart by their
// shape (32 hexadecimal digits against a uuid).
MispHashes ReadMispHashes(std::string_view csv_text);

// Whether `text` is a uuid in its 8-4-4-4-12 hexadecimal form.
bool IsUuid(std::string_view text);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_MISP_FEED_H_
