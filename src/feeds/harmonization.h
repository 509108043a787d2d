#ifndef BAKEN_FEEDS_HARMONIZATION_H_
#define BAKEN_FEEDS_HARMONIZATION_H_

// IntelMQ's harmonization: the event field names, their types, and how a value is sanitised
// and validated before it is accepted (intelmq/etc/harmonization.conf and
// intelmq/lib/harmonization.py; summarised in ../shared/reference/intelmq.md §2). Following it
// lets Baken read and write the events of an existing IntelMQ pipeline unchanged.
//
// Differences, on purpose (docs/decisions/0004-event-model.md): the fields IntelMQ 3.5 added
// (severity, product.*) are known, so Shadowserver's values for them are not pushed into extra;
// `tlp` also takes the TLP 2.0 names CLEAR and AMBER+STRICT; internationalised domain names
// must come in their xn-- form; times are parsed by a strict ISO 8601 reader rather than a
// fuzzy one, so a value that is not clearly a time is refused instead of guessed.

#include <cassert>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/problem.h"

namespace baken::feeds {

enum class FieldType {
  kString,
  kLowercaseString,
  kUppercaseString,
  kInteger,
  kFloat,
  kAccuracy,
  kBoolean,
  kAsn,
  kIpAddress,
  kIpNetwork,
  kFqdn,
  kUrl,
  kDateTime,
  kBase64,
  kJson,
  kJsonDict,
  kRegistry,
  kTlp,
  kClassificationTaxonomy,
  kClassificationType,
};

// How a field's value is written in JSON.
enum class ValueKind { kString, kNumber, kBoolean, kJson };

// A further constraint from harmonization.conf, on top of the type.
enum class Constraint {
  kNone,
  kCountryCode,  // two letters or digits
  kPrintable,    // printable ASCII only (malware names and hashes)
  kPort,         // 0..65535
  kTransport,    // an IANA protocol keyword: lower-case letters, digits, '-', '.', '+'
  kEventHash,    // upper-case hex, '.', '/'
  kUuid,         // lower-case hex UUID
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  Constraint constraint = Constraint::kNone;
  size_t max_length = 0;  // 0: no limit
};

// The spec of a harmonization field, or nullptr for an unknown key. `extra.*` keys are not in
// the table: see IsExtraKey.
const FieldSpec* FindField(std::string_view key);
// How many harmonization fields there are, and the place of one among them (0 to
// kFieldCount - 1): an Event keeps the position of each field it has by this place.
inline constexpr size_t kFieldCount = 86;
// `spec` must be one of the table's (from FindField or AllFields), not a copy. Inline: an
// Event asks it for every field it adds or looks up.
namespace internal {
extern const FieldSpec* const kFieldTable;  // AllFields().data()
}  // namespace internal
inline size_t FieldIndex(const FieldSpec& spec) {
  assert(&spec >= internal::kFieldTable && &spec < internal::kFieldTable + kFieldCount);
  return static_cast<size_t>(&spec - internal::kFieldTable);
}
// Every harmonization field, by name.
std::span<const FieldSpec> AllFields();
// The spec of a field that Baken's own code names ("source.ip"), for looking fields up by spec
// (Event::Get) without hashing the name each time. Aborts for a name not in the table: that is
// a mistake in the code, not in any input.
const FieldSpec& KnownField(std::string_view name);

// True for "extra.<name>" with a name that follows IntelMQ's key syntax
// (^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$ for the whole key).
bool IsExtraKey(std::string_view key);
// True when the key follows IntelMQ's key syntax.
bool IsValidKey(std::string_view key);

ValueKind KindOf(FieldType type);

// The `extra.` key that keeps a CSV column no mapping names: "extra.<column>", lower case,
// anything but letters, digits and '_' made '_' ("Last Seen" -> "extra.last_seen").
std::string ExtraKeyForColumn(std::string_view column);

// True for the values IntelMQ treats as "not given": "", "-", "N/A" (after trimming spaces).
// Asked of every value of every row, so all but values with blanks at an end are answered
// inline.
bool IsIgnoredAfterTrimming(std::string_view value);
inline bool IsIgnoredValue(std::string_view value) {
  const auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  if (value.empty()) return true;
  if (blank(value.front()) || blank(value.back())) return IsIgnoredAfterTrimming(value);
  return value.size() <= 3 && (value == "-" || value == "N/A");
}

// Sanitises `value` for the field and checks it. On success *out holds the normalised text
// (numbers and booleans as JSON literals, JSON types as compact JSON text); on failure the
// result says why in a phrase that can follow the quoted value, e.g. "is not an IP address".
std::optional<std::string> Sanitize(const FieldSpec& spec, std::string_view value,
                                    std::string* out);

// The coded problem (i18n/problems.json, "feed.value.*") for a phrase Sanitize returned, so
// that an upload's rejected row is worded in the reader's language; nullptr for a phrase the
// table does not have. Its sentence takes the `column` and the `value`.
const ProblemCode* ValueProblemCode(std::string_view phrase);

// The refusal of `value` for field `spec` because of `phrase` (from Sanitize): the message
// "source.ip 'abc' is not an IP address", coded when the table knows the phrase.
Error ValueProblem(const FieldSpec& spec, std::string_view value, std::string_view phrase);

// `error` (from Event::Add) as the refusal of a row: "column 'ip': " in front of its message,
// and, when it is coded, the column the reader knows in place of the field.
Error InColumn(std::string_view column, Error error);

// The RSIT taxonomy a classification type belongs to ("other" for an unknown type), as
// IntelMQ's taxonomy expert fills it in.
std::string_view TaxonomyOfType(std::string_view type);

// IntelMQ's form of a moment, to the second: "2026-11-23T10:00:00+00:00".
std::string FormatIntelMqTime(std::chrono::system_clock::time_point when);

// Parses a date-time in one of the forms feeds use: "2026-11-23T10:00:00Z",
// "2026-11-23 10:00:00", with fractional seconds, with an offset (+01:00, +0100), "UTC" suffix,
// or a plain date (midnight UTC). Converts to UTC and writes IntelMQ's form,
// "2026-11-23T10:00:00+00:00" (with ".ffffff" when the input had a fraction).
std::optional<std::string> NormalizeDateTime(std::string_view value);
// The same into *out (reusing its memory); false when `value` is not a time.
bool NormalizeDateTimeInto(std::string_view value, std::string* out);
// The date forms of HTTP and e-mail headers (RFC 9110 §5.6.7, RFC 5322 §3.3), as servers
// send them in a `Date:` header: "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete
// "Sunday, 06-Nov-94 08:49:37 GMT" and "Sun Nov  6 08:49:37 1994", and "6 Nov 1994 08:49:37
// +0100"; the weekday is optional and not checked. Writes IntelMQ's form into *out, like
// NormalizeDateTimeInto; false when `value` is none of them.
bool NormalizeHttpDateInto(std::string_view value, std::string* out);

// True for base64 text (RFC 4648 alphabet, length a multiple of four, at most two '=' at the
// end); line breaks are skipped.
bool IsBase64(std::string_view text);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_HARMONIZATION_H_
