#ifndef BAKEN_NOTIFY_SMTP_H_
#define BAKEN_NOTIFY_SMTP_H_

// Hands one finished message to an SMTP server (libcurl). One attempt per call: the caller (the
// outbox) decides about retries and backoff from the error code.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::notify {

struct SmtpSettings {
  // "smtp://host:port" (STARTTLS when the server offers it, required when a username is set)
  // or "smtps://host:port". A path names the EHLO domain: "smtp://mail.example:587/baken.example".
  std::string url;
  std::string username;  // empty: no AUTH
  std::string password;
  long timeout_seconds = 30;  // for the whole conversation
};

class SmtpSender {
 public:
  explicit SmtpSender(SmtpSettings settings);

  // Called once, when the whole message has been handed over but before the end-of-data mark
  // ("." line) that makes the server take it: until then the server discards what it has. The
  // outbox records "sending" here. An error from it aborts the message and is returned.
  using BeforeEndOfData = std::function<Status()>;

  // Sends `mime` (a complete RFC 5322 message with CRLF line ends) from `envelope_from` to every
  // address in `recipients` (plain addresses, without <>). Errors name the server (without
  // credentials) and its SMTP reply:
  //   kUnavailable       could not connect, timed out, TLS failed, or a 4xx reply: try later;
  //   kPermissionDenied  authentication was refused (530, 535);
  //   kInvalidArgument   any other 5xx reply, a bad address or bad settings: retrying will not
  //                      help;
  //   kInternal          the connection failed after the end of the message was sent and before
  //                      the server replied: it may or may not have arrived, do not resend.
  // Delivery is all or nothing: one refused recipient fails the whole message.
  // Thread-safe: each call uses its own connection.
  Status Send(std::string_view envelope_from, const std::vector<std::string>& recipients,
              std::string_view mime, const BeforeEndOfData& before_end_of_data = {}) const;

  // The server URL as it appears in messages: any user:password@ removed.
  const std::string& server() const { return server_; }

 private:
  SmtpSettings settings_;
  std::string server_;
};

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_SMTP_H_
