#ifndef BAKEN_DISCLOSURE_SECURITY_TXT_H_
#define BAKEN_DISCLOSURE_SECURITY_TXT_H_

// RFC 9116 security.txt: where a report that concerns no member may go (decision 0020). The
// file is fetched from the host a report names, with limits, without redirects and, unless the
// configuration allows it, only from public addresses; what it says is a suggestion for an
// analyst, never a destination Baken sends to by itself.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::disclosure {

inline constexpr size_t kMaxSecurityTxtBytes = 32 << 10;

struct SecurityTxt {
  std::vector<std::string> contacts;  // in the file's order of preference
  std::optional<std::string> expires;
  std::vector<std::string> encryption;
  std::vector<std::string> policy;
  std::optional<std::string> preferred_languages;
  std::vector<std::string> canonical;
  bool signed_cleartext = false;  // wrapped in an OpenPGP cleartext signature (not verified)
};

// The fields of a security.txt (a cleartext-signed one too); refused when it names no Contact
// or is not text.
Result<SecurityTxt> ParseSecurityTxt(std::string_view text);

// Where to look for the file of a report's item: its own origin for a URL
// ("https://host:port/.well-known/security.txt"), https://NAME/.well-known/security.txt for a
// host, an address or an e-mail domain.
std::string SecurityTxtUrl(std::string_view kind, std::string_view value);

// Fetches and reads it (10 s, 32 KiB, no redirects; public addresses only unless
// `private_hosts_allowed`).
Result<SecurityTxt> FetchSecurityTxt(const std::string& url, bool private_hosts_allowed);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_SECURITY_TXT_H_
