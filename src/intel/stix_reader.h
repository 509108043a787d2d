#ifndef BAKEN_INTEL_STIX_READER_H_
#define BAKEN_INTEL_STIX_READER_H_

// Reading STIX 2.1 bundles (decision 0023, "STIX in"). Each `report` and `grouping` becomes an
// intel event holding what it refers to; indicators, observed data and vulnerabilities that no
// report or grouping refers to make one event for the bundle. Indicators give the values their
// patterns compare for equality; observed data gives its observables (not for detection: they
// were seen, nobody said they are bad); vulnerabilities give their CVE ids; sightings of an
// indicator become its sightings (not where it was sighted). TLP comes from the marking
// definitions, TLP 1.0 and 2.0, defined in the bundle or known by their standard ids; the
// stricter of an object's own markings and its event's holds; no TLP at all is AMBER, and said.
// A document that is not a bundle is refused with the reasons; everything else is read, and
// what was left out is said in the events' problems.

#include <optional>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "common/tlp.h"
#include "intel/indicator.h"

namespace baken::intel {

inline constexpr size_t kMaxStixBytes = 64 << 20;

tl::expected<std::vector<IntelEvent>, Refusal> ReadStixBundle(std::string_view json_text);

// The TLP level of a standard marking-definition id (TLP 1.0 in STIX 2.1 §7.2.1.4, TLP 2.0 in
// OASIS's cti-stix-common-objects), if it is one.
std::optional<Tlp> StandardTlpMarking(std::string_view id);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_STIX_READER_H_
