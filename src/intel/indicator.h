#ifndef BAKEN_INTEL_INDICATOR_H_
#define BAKEN_INTEL_INDICATOR_H_

// Threat intelligence (docs/decisions/0023-threat-intelligence.md): an intel event is a context
// that holds indicators. These are the values the readers (MISP, STIX, lists) produce and the
// store keeps; the words people read for the codes are in the translation table.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::intel {

// ip, cidr, domain, host, url, email, md5, sha1, sha256, filename, asn, cve, text, other.
std::span<const std::string_view> IndicatorKinds();
// Whether an indicator of this kind can go into a detection export (not text, not other).
bool Detectable(std::string_view kind);

// `value` in the canonical form of `kind` (decision 0023): an error saying why it is not one.
// `other` and `text` keep the value as given (bounded, no control characters but line breaks).
Result<std::string> CanonicalValue(std::string_view kind, std::string_view value);

// seen, false_positive, expired (MISP's sighting types 0, 1 and 2).
std::span<const std::string_view> SightingKinds();

struct Sighting {
  std::string kind;
  std::string at;      // UTC
  std::string source;  // what the sender said about where (a sensor's name); may be empty
  int64_t count = 1;   // how often it was seen then (STIX `count`)
};

struct Indicator {
  std::string kind;
  std::string value;
  std::string tlp = "AMBER";  // never looser than its event's
  bool for_detection = false;
  bool cert_only = false;  // its own distribution keeps it inside the CERT
  std::optional<std::string> valid_until;
  std::optional<std::string> first_seen;
  std::optional<std::string> last_seen;
  std::string comment;
  std::string group;        // the MISP object or STIX observed-data it belongs to (uuid)
  std::string group_name;   // "file", "domain-ip", …
  std::string source_id;    // the MISP attribute's uuid or the STIX object's id
  std::string source_type;  // as the sender typed it ("ip-dst|port")
  std::vector<std::string> tags;
  std::vector<Sighting> sightings;
};

// Who an event is distributed to, before TLP narrows it (decision 0023).
inline constexpr std::string_view kCertOnly = "cert";
inline constexpr std::string_view kNamedMembers = "named";
inline constexpr std::string_view kAllMembers = "members";
inline constexpr std::string_view kPartners = "partners";

struct IntelEvent {
  std::string source_id;  // the MISP event's uuid, the STIX bundle's id
  std::string title;
  std::string description;
  std::string tlp = "AMBER";
  bool tlp_given = false;  // the sender labelled it
  std::string distribution = std::string(kCertOnly);
  std::string threat_level;  // high, medium, low, undefined; empty when not said
  std::optional<int> confidence;
  std::optional<std::string> date;  // the sender's date of the event (YYYY-MM-DD)
  std::string creator;              // the organisation that made it, as the sender names it
  std::vector<std::string> tags;
  std::vector<Indicator> indicators;
  // What was messy and kept, or left out, each naming its place ("/Event/Attribute/3: …").
  std::vector<std::string> problems;
};

// A document that could not be read at all, with every reason found.
struct Refusal {
  std::vector<std::string> reasons;
};

}  // namespace baken::intel

#endif  // BAKEN_INTEL_INDICATOR_H_
