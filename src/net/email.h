#ifndef BAKEN_NET_EMAIL_H_
#define BAKEN_NET_EMAIL_H_

// E-mail addresses: the one rule for an address Baken stores and sends to. The registry checks
// contacts and accounts with it, and the mail builder and the SMTP sender use it too, so that
// an address the registry took is always one a message can be addressed to.

#include <string_view>

namespace baken::net {

inline constexpr size_t kMaxEmailAddressLength = 254;  // RFC 5321's path limit, without <>
inline constexpr size_t kMaxEmailLocalPartLength = 64;

// True for "local@domain" where the local part is an RFC 5322 dot-atom of ASCII characters (at
// most 64; no quoted strings, no leading, trailing or doubled dots) and the domain a DNS host
// name of at least two labels in ASCII (an internationalised name in its xn-- form; no
// address literals, no trailing dot, no underscores), at most 254 characters in all. Stricter
// than RFC 5322, on purpose: what passes can be written into a header and an SMTP envelope
// without quoting or SMTPUTF8.
bool IsValidEmailAddress(std::string_view address);

}  // namespace baken::net

#endif  // BAKEN_NET_EMAIL_H_
