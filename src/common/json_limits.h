#ifndef BAKEN_COMMON_JSON_LIMITS_H_
#define BAKEN_COMMON_JSON_LIMITS_H_

// Every JSON text from outside (request bodies, member files, advisories, feed lines, provider
// listings) is checked against these limits before a value is built from it. Building and
// copying nlohmann values recurses once per nesting level, so a deep document overflows the
// stack; and nlohmann::ordered_json finds each key by a linear search, so one object with many
// keys costs quadratic time. The check walks the text once with nlohmann's SAX reader, which
// keeps its own stack on the heap and builds nothing.

#include <cstddef>
#include <string_view>

#include "common/error.h"

namespace baken {

struct JsonLimits {
  // Objects and arrays inside each other. CSAF product trees, the deepest real input, stay
  // under 30.
  size_t max_depth = 64;
  // Members of one object. Real objects have tens; an IntelMQ event about a hundred.
  size_t max_object_keys = 1000;
};

// OK when `text` is one JSON document within `limits`; otherwise a sentence that says what is
// wrong and, for a syntax error, at which byte. The caller names the input.
Status CheckJson(std::string_view text, const JsonLimits& limits = {});

// Parses `text` as JsonType (nlohmann::json or nlohmann::ordered_json) after CheckJson.
template <class JsonType>
Result<JsonType> ParseJson(std::string_view text, const JsonLimits& limits = {}) {
  BAKEN_RETURN_IF_ERROR(CheckJson(text, limits));
  JsonType value = JsonType::parse(text, nullptr, /*allow_exceptions=*/false);
  // CheckJson read the same text with the same parser, so this is not expected; but a number
  // nlohmann cannot hold is reported here rather than thrown.
  if (value.is_discarded()) return InvalidArgument("not valid JSON");
  return value;
}

}  // namespace baken

#endif  // BAKEN_COMMON_JSON_LIMITS_H_
