#ifndef BAKEN_NOTIFY_PGP_MIME_H_
#define BAKEN_NOTIFY_PGP_MIME_H_

// A finished message signed, or encrypted and signed, as PGP/MIME (RFC 3156, decision 0021),
// just before it goes to the mail server: the outbox keeps the message as it was planned, and
// each attempt protects it anew with the key the configuration names.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "mail/openpgp.h"

namespace baken::notify {

// `mime` (a complete message with CRLF line ends, 7-bit, as BuildMime writes it) with its
// content (the Content-* fields and the body) made the first part of a multipart/signed signed
// by `signer`; or, when `recipient_keys` is not empty, encrypted to those armored public keys
// and signed inside (multipart/encrypted). The other header fields stay as they are, outside:
// the subject is not protected, so subjects carry no report's content (decision 0020).
Result<std::string> ProtectMime(std::string_view mime, const mail::OpenPgp& openpgp,
                                std::string_view signer,
                                const std::vector<std::string>& recipient_keys = {});

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_PGP_MIME_H_
