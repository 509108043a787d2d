#ifndef BAKEN_NET_AS_NUMBER_H_
#define BAKEN_NET_AS_NUMBER_H_

#include <cstdint>
#include <string_view>

#include "common/error.h"

namespace baken::net {

// Whether a bare number ("64500") may stand for an AS number. People typing a lookup must write
// "AS64500", since a bare number could be meant as something else; files may list bare numbers.
enum class AsPrefix { kRequired, kOptional };

// "AS64500" or "as64500" (and "64500" with kOptional) as a number from 0 to 4294967295.
// Errors quote the input.
Result<uint32_t> ParseAsNumber(std::string_view text, AsPrefix prefix);

// True when text is "AS" or "as" followed by one or more digits only: it is meant as an AS
// number, whether or not it is in range.
bool LooksLikeAsNumber(std::string_view text);

}  // namespace baken::net

#endif  // BAKEN_NET_AS_NUMBER_H_
