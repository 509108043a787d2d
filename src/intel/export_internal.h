#ifndef BAKEN_INTEL_EXPORT_INTERNAL_H_
#define BAKEN_INTEL_EXPORT_INTERNAL_H_

// What the export writers (export_formats.h) share; not for use elsewhere.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/tlp.h"
#include "intel/indicator.h"

namespace baken::intel::export_detail {

// The uuid in a source id: the id itself ("5a3c2fcd-…") or what follows a STIX type
// ("report--5a3c2fcd-…"), in lower case; nullopt when there is none.
std::optional<std::string> UuidInSourceId(std::string_view source_id);

// Whether a uuid is of RFC 4122 versions 1 to 5 and its variant, as STIX identifiers must be.
bool IsRfcUuid(std::string_view uuid);

// The first of `preferred` (when given and not taken) or a uuid derived from `name` (and a
// counter, should that be taken too), marked as taken in `used`.
std::string ClaimUuid(std::set<std::string>& used, const std::optional<std::string>& preferred,
                      const std::string& name);

// The indicator's value when it is exactly the canonical form of its kind; else why not.
// Exporters write only such values: what is canonical was checked when it was read, and what
// is not may be anything.
Result<std::string> CheckedValue(const Indicator& indicator);

// The indicator's TLP (never looser than its event's, whatever the record says).
Tlp IndicatorTlp(const IntelEvent& event, const Indicator& indicator);
Tlp EventTlp(const IntelEvent& event);

// "event 'Title': domain 'x.example': why", with control characters as spaces and long texts
// cut, for the left_out lists people read.
std::string LeftOut(const IntelEvent& event, const Indicator& indicator, std::string_view why);
std::string LeftOutEvent(const IntelEvent& event, std::string_view why);

// Control characters (line breaks included) as spaces.
std::string OneLine(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" as seconds since 1970; nullopt for anything else.
std::optional<int64_t> EpochOf(std::string_view utc);

}  // namespace baken::intel::export_detail

#endif  // BAKEN_INTEL_EXPORT_INTERNAL_H_
