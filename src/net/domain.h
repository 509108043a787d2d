#ifndef BAKEN_NET_DOMAIN_H_
#define BAKEN_NET_DOMAIN_H_

// DNS host names as the registry stores and compares them: lower case, no trailing dot, ASCII
// only (internationalised names in their xn-- form).

#include <string>
#include <string_view>

#include "common/error.h"

namespace baken::net {

inline constexpr size_t kMaxDomainLength = 253;
inline constexpr size_t kMaxLabelLength = 63;

// Lower-cases, removes one trailing dot, and checks that the result is a DNS host name: labels
// of 1..63 letters, digits and hyphens, not starting or ending with a hyphen; an underscore is
// allowed only as the first character of a label (SRV-style names such as _dmarc.example.nl);
// at most 253 characters; the last label is not all digits (so "192.0.2.1" is not a domain).
// Non-ASCII input is refused with a message asking for the xn-- (punycode) form.
// Errors (kInvalidArgument) quote the input.
Result<std::string> NormalizeDomain(std::string_view text);
// The same into *out, reusing its memory (a feed has a domain on every row); false, with *out
// unspecified, where NormalizeDomain gives an error.
bool NormalizeDomainInto(std::string_view text, std::string* out);

// True when `name` is already what NormalizeDomain returns for it. Allocates nothing, for hot
// paths that normalise into their own buffer.
bool IsNormalizedDomain(std::string_view name);

// True when `name` equals `suffix` or ends with "." + suffix (label-aligned, so "badexample.nl"
// is not under "example.nl"). Both must already be normalised.
bool IsDomainOrSubdomain(std::string_view name, std::string_view suffix);

}  // namespace baken::net

#endif  // BAKEN_NET_DOMAIN_H_
