#ifndef BAKEN_INTEL_INTEL_SERVICE_H_
#define BAKEN_INTEL_INTEL_SERVICE_H_

// Threat intelligence, the use cases (decision 0023): taking in MISP events, STIX bundles and
// plain lists, and reading events and indicators as the caller may receive them. Commands and
// HTTP handlers read requests and hand them over; the SQL is store/intel_repository.h.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/error.h"
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

class IntelService {
 public:
  IntelService(store::Store& store, Clock clock);

  // Analysts: the document's events, each with its indicators and the sightings it carries,
  // in one transaction: a document that is refused leaves nothing. An event taken in before
  // (the same MISP uuid or STIX id) is skipped and said. Everything taken in counts as from
  // outside (AMBER+STRICT stays inside the CERT until the source permits).
  Result<Json> Import(const auth::Principal& who, std::string_view bytes,
                      const ImportOptions& options);

  // The events the caller may receive, newest first; one with its indicators.
  Result<Json> Events(const auth::Principal& who, int64_t limit, int64_t offset);
  Result<Json> Event(const auth::Principal& who, int64_t id);

 private:
  std::string Now() const;

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::intel

#endif  // BAKEN_INTEL_INTEL_SERVICE_H_
