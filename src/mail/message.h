#ifndef BAKEN_MAIL_MESSAGE_H_
#define BAKEN_MAIL_MESSAGE_H_

// An incoming e-mail (RFC 5322 with MIME) read into what Baken needs of it, through GMime
// (decision 0021): the sender, subject and ids, the plain text, the other parts decoded, and
// what OpenPGP says of it. PGP/MIME (RFC 3156) and inline OpenPGP messages are decrypted with
// the CERT's key, and signatures checked. Hostile input: the message is bounded in size and in
// the number of its parts before GMime sees it, decrypted text is bounded too, and the result
// holds only valid UTF-8 in its texts.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "mail/openpgp.h"

namespace baken::mail {

inline constexpr size_t kMaxMessageBytes = size_t{8} << 20;
inline constexpr size_t kMaxParts = 64;
// Lines that begin with "--" (each part of a multipart starts with one).
inline constexpr size_t kMaxDelimiterLines = 4096;

struct MailPart {
  std::string media_type;  // lower-case "type/subtype"
  std::string file_name;   // as the sender named it (UTF-8); may be empty
  std::string content;     // decoded from its transfer encoding; bytes as sent
};

struct MailMessage {
  std::string from_address;  // lower-case
  std::string from_name;
  std::string reply_to;  // when given and different from the sender
  std::string subject;
  std::string message_id;  // without <>
  std::string date;        // UTC, "2026-12-06T10:00:00Z"; empty when missing or unreadable
  // The top-level header fields, lower-case names, each with its first value (unfolded and
  // decoded to UTF-8).
  std::map<std::string, std::string> headers;
  // The first text/plain part that is not an attachment, in UTF-8 (from any charset).
  std::string text;
  bool text_from_html = false;  // there was no plain text: `text` is the HTML part's text
  std::vector<MailPart> parts;  // every other part with content, in order
  bool encrypted = false;       // it came encrypted to the CERT's key and was opened
  Signature signature;          // over the whole content (PGP/MIME) or the inline message
  // It holds encrypted or signed content that was left as it came: wrapped inside other
  // content, or an OpenPGP block among other text (someone else's message, perhaps captured).
  bool unopened_openpgp = false;
};

// Reads `raw`. `openpgp` opens encrypted messages and checks signatures, of the message's own
// body only; without it an encrypted message is refused and a signature is reported as
// "error". Errors name the problem: kInvalidArgument when the message is larger than
// kMaxMessageBytes, has more than kMaxParts parts, is not a message at all (no sender, no
// body), or is encrypted to a key the CERT does not have; kUnavailable when GnuPG could not do
// its part now (the agent, the home).
Result<MailMessage> ReadMessage(std::string_view raw, const OpenPgp* openpgp);

}  // namespace baken::mail

#endif  // BAKEN_MAIL_MESSAGE_H_
