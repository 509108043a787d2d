#ifndef BAKEN_REGISTRY_VALIDATION_H_
#define BAKEN_REGISTRY_VALIDATION_H_

// The rules every registry value must meet, whatever the way in (import file, inventory CSV,
// API). Each check returns the canonical value or an error sentence that quotes the input.

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "registry/member.h"

namespace baken::registry {

// "GM0363": two capital letters and four digits. Municipalities use their CBS code (GM…);
// joint bodies and partners get a code of the same shape from the CERT (e.g. SV0001, PA0001).
bool IsValidMemberCode(std::string_view code);

// net::IsValidEmailAddress: the rule the mail builder uses too, so that every address the
// registry takes can be written into a message (a plain local part, a domain of at least two
// labels, ASCII only).
bool IsValidEmail(std::string_view email);

// Languages members can receive messages in.
bool IsSupportedLanguage(std::string_view language);

// A phone number in its E.164 form ("+31201234567"), or nullopt when it is none. Spaces,
// dashes, dots, slashes and brackets are left out; "00" before the country code counts as "+";
// a Dutch national number (ten digits from a "0", "020-1234567", "06 12345678") gets +31.
// An international number has 8 to 15 digits after the "+".
std::optional<std::string> NormalizePhone(std::string_view text);

// The canonical form of a claim value, or why it cannot be a claim:
//  netblock: a CIDR prefix without host bits; the whole address space (/0) is refused;
//  asn: 1..4294967294 written as "64500" or "AS64500", except AS_TRANS (23456) and 65535;
//  domain: a DNS name of at least two labels (a bare top-level domain would claim a country).
Result<std::string> CanonicalClaimValue(ClaimKind kind, std::string_view value);

// True when text is valid UTF-8 (no overlong forms, no surrogates).
bool IsValidUtf8(std::string_view text);

}  // namespace baken::registry

#endif  // BAKEN_REGISTRY_VALIDATION_H_
