#ifndef BAKEN_NOTIFY_MIME_H_
#define BAKEN_NOTIFY_MIME_H_

// The small part of RFC 5322 / MIME (RFC 2045-2047) that a digest needs: a multipart/mixed
// message with one text/plain part and one attachment, all 7-bit with CRLF line ends. Private to
// the notify module; digest.h is the public face.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"

namespace baken::notify {

struct MimeHeaders {
  std::string from;  // "Name <address>" or "address"
  std::vector<Recipient> to;
  std::string subject;     // UTF-8
  std::string date;        // as it goes into the Date header
  std::string message_id;  // without <>
  std::string language;    // Content-Language
  std::string tlp;         // X-Baken-TLP
};

struct Attachment {
  std::string file_name;     // already safe: [A-Za-z0-9._-]
  std::string content_type;  // "text/csv; charset=utf-8"
  std::string content;
};

// `text` as one line that is safe in a header and in a table: valid UTF-8 (bad bytes become
// U+FFFD), control characters, line and paragraph separators and bidirectional overrides
// replaced by spaces, runs of spaces joined, no space at either end.
std::string CleanLine(std::string_view text);

// `when` as a Date header gives it: "Sun, 06 Dec 2026 09:00:00 +0000".
std::string RfcDate(std::chrono::system_clock::time_point when);

// A header field "Name: value", folded to lines of at most 78 characters where it can be, with
// the value as RFC 2047 encoded words (UTF-8, B) when it is not plain ASCII. No final CRLF.
std::string UnstructuredHeader(std::string_view name, std::string_view value);

// `text` ("\n" or "\r\n" line ends) in quoted-printable with CRLF line ends and lines of at most
// 76 characters.
std::string QuotedPrintable(std::string_view text);

// The whole message; without the attachment when its file name is empty. Fails with
// kInvalidArgument when an address or the date is not acceptable.
Result<std::string> BuildMime(const MimeHeaders& headers, std::string_view text_body,
                              const Attachment& attachment);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_MIME_H_
