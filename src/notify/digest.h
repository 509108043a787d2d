#ifndef BAKEN_NOTIFY_DIGEST_H_
#define BAKEN_NOTIFY_DIGEST_H_

// Turns one digest (one member, one feed, one day) into a complete e-mail: subject and text from
// Mustache templates (templates/notify/, see the README there), the events as a CSV attachment,
// and the RFC 5322 / MIME message that SmtpSender sends. Pure: no clock, no randomness, no I/O
// except Templates::LoadDirectory, so the same digest always gives the same bytes.
//
// Every string in a Digest may be hostile (member names from files, events from feeds): values
// are data and never template source, line breaks never reach a header, and CSV cells that a
// spreadsheet would run as a formula are defused.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::notify {

struct Recipient {
  std::string name;  // display name, may be empty
  std::string email;
};

struct Digest {
  std::string message_id;   // chosen by the caller, without <>: "outbox-17.GM0363@baken.invalid"
  std::string language;     // "nl" (also when empty) or "en"
  std::string member_code;  // "GM0363"
  std::string member_name;  // "Gemeente Amsterdam"
  std::string feed_name;    // "Accessible-RDP"
  std::string tlp;          // "CLEAR", "GREEN", "AMBER", "AMBER+STRICT" or "RED"
  std::string period;       // the day covered, "2026-11-23"
  // Each an IntelMQ event as a flat JSON object: {"source.ip":"192.0.2.1","source.port":3389,..}
  std::vector<std::string> events;
  std::string from;  // "Baken CERT <cert@baken.invalid>" or a bare address
  std::vector<Recipient> to;
  std::string date;  // the Date header value, given for reproducible output
};

struct RenderedMessage {
  std::string subject;          // one line, UTF-8, not encoded
  std::string text_body;        // UTF-8, "\n" line ends
  std::string csv;              // UTF-8, RFC 4180 ("\r\n" line ends), header row first
  std::string attachment_name;  // "baken-GM0363-Accessible-RDP-2026-11-23.csv"
  std::string mime;             // the whole message, 7-bit, "\r\n" line ends
};

// The subject and body templates per language. Immutable once loaded; safe to share between
// threads.
class Templates {
 public:
  // The built-in templates with those found in `dir` (subject.<lang>.mustache and
  // digest.<lang>.mustache) put in their place. Fails when the folder cannot be read, holds no
  // template, holds only one of the two files for a language, or a template does not parse.
  static Result<Templates> LoadDirectory(const std::string& dir);
  // The templates compiled in from templates/notify/*.mustache.
  static const Templates& BuiltIn();

  struct Language {
    std::string subject;
    std::string body;
  };
  // The templates for `language`, or nullptr when there are none.
  const Language* Find(std::string_view language) const;

 private:
  std::map<std::string, Language, std::less<>> languages_;
};

// The columns of the CSV attachment, in order.
const std::vector<std::string>& CsvColumns();

// Renders `digest`. Fails with kInvalidArgument (naming the field) when the digest has no
// events or recipients, an event is not a JSON object, an address, the message id or the TLP is
// not acceptable, or the language has no templates.
Result<RenderedMessage> Render(const Templates& templates, const Digest& digest);

// The addr-spec of a mailbox: "cert@baken.invalid" for "Baken CERT <cert@baken.invalid>" and for
// "cert@baken.invalid". For the SMTP envelope.
std::string MailboxAddress(std::string_view mailbox);

// The text part of a message that Render (or a warning's or overview's render) built, decoded
// from quoted-printable, with "\n" line ends: what an analyst reads before releasing it. Empty
// when the message has no such part.
std::string MessageText(std::string_view mime);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_DIGEST_H_
