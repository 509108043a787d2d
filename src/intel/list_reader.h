#ifndef BAKEN_INTEL_LIST_READER_H_
#define BAKEN_INTEL_LIST_READER_H_

// Plain indicator lists (decision 0023): one value per line, as block-list publishers and
// people write them. Empty lines and comments (#, ;, //) are skipped; after the value, a tab,
// space, comma or semicolon starts a comment that is kept with it. Each value's kind is told by
// its shape: an address, a network, a URL, an e-mail address, an MD5/SHA-1/SHA-256 hash, a CVE
// id, an AS number, else a domain name. A line that is none of these is said and left out; an
// empty list is an empty list.

#include <string_view>

#include "common/error.h"
#include "intel/indicator.h"

namespace baken::intel {

inline constexpr size_t kMaxListBytes = 64 << 20;
inline constexpr size_t kMaxListLine = 8 * 1024;

// The list as one event titled `title`, its indicators for detection with the TLP the one who
// gives the list says (the file itself says none).
Result<IntelEvent> ReadIndicatorList(std::string_view text, std::string_view title,
                                     std::string_view tlp);

// The kind a value's shape says, or nullopt.
std::optional<std::string> KindOfValue(std::string_view value);

}  // namespace baken::intel

#endif  // BAKEN_INTEL_LIST_READER_H_
