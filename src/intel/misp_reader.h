#ifndef BAKEN_INTEL_MISP_READER_H_
#define BAKEN_INTEL_MISP_READER_H_

// Reading MISP events (decision 0023, "MISP in"): {"Event": …}, a bare event as PyMISP writes
// it, a restSearch {"response": [{"Event": …}, …]}, or a MISP feed's event file. TLP comes from
// the tags and is enforced (no label: AMBER); MISP's distribution levels become Baken's; types
// become indicator kinds, composite types their parts. A document that is not JSON, holds no
// event, or an event without its `info` is refused with every reason found (nothing of it is
// taken in); a messy attribute is kept as `other` or left out, and said in the event's problems.

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "common/error.h"
#include "intel/indicator.h"

namespace baken::intel {

// Larger documents are refused before parsing (CIRCL's largest OSINT events are a few MiB).
inline constexpr size_t kMaxMispBytes = 64 << 20;

tl::expected<std::vector<IntelEvent>, Refusal> ReadMispEvents(std::string_view json_text);

// A sharing group as MISP's API lists them (/sharing_groups): which organisations it names, so
// that an analyst can see who an event "for sharing group N" was meant for. Baken does not
// treat another instance's group as its own members (decision 0023).
struct MispSharingGroup {
  std::string id;
  std::string uuid;
  std::string name;
  std::string releasability;
  std::string owner;                       // the organisation that made it
  std::vector<std::string> organisations;  // its members, by name
  bool extends = false;                    // one of them may add organisations
};

Result<std::vector<MispSharingGroup>> ReadMispSharingGroups(std::string_view json_text);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_MISP_READER_H_
