#ifndef BAKEN_ADVISORIES_READER_H_
#define BAKEN_ADVISORIES_READER_H_

// Reading advisories: a CSAF 2.0 document or a CVE JSON 5 record, recognised by its content.
// A document that is structurally broken (not JSON, a required part missing or of the wrong
// type, a CSAF mandatory test that matters for matching failing: 6.1.1 to 6.1.7 and 6.1.23) is
// refused with every reason found. A document that is merely messy (a range in free text, an
// invalid vers, a version range in a product_version: 6.1.31, an empty status list) is read,
// and each messy part is kept and listed in Advisory::problems.

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "advisories/advisory.h"

namespace baken::advisories {

struct Refusal {
  std::vector<std::string> reasons;  // each names its place ("/document/tracking/id: missing")
};

// Documents larger than this are refused before parsing (the largest real CSAF documents are a
// few megabytes).
inline constexpr size_t kMaxAdvisoryBytes = 64 << 20;

tl::expected<Advisory, Refusal> ReadAdvisory(std::string_view json_text);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_READER_H_
