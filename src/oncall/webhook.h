#ifndef BAKEN_ONCALL_WEBHOOK_H_
#define BAKEN_ONCALL_WEBHOOK_H_

// A page's webhook (decision 0019): a JSON POST to an analyst's SMS or voice gateway, signed so
// that the gateway knows it came from Baken and was not replayed:
//   X-Baken-Timestamp: <unix seconds>
//   X-Baken-Signature: sha256=<hex HMAC-SHA256, keyed with the method's secret, of
//                      "<timestamp>.<body>">
// The secret is the text shown once when the method was made. The body carries no
// confidential content; its "delivery" is the same on every retry, so a gateway drops repeats.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "oncall/roster.h"

namespace baken::oncall {

inline constexpr std::string_view kSignatureHeader = "X-Baken-Signature";
inline constexpr std::string_view kTimestampHeader = "X-Baken-Timestamp";

// "sha256=<64 hex digits>".
std::string WebhookSignature(std::string_view secret, int64_t timestamp, std::string_view body);

// A new secret for a contact method: 32 random bytes, URL-safe base64.
std::string NewWebhookSecret();

struct WebhookAnswer {
  bool delivered = false;  // the gateway answered 2xx
  std::string detail;      // "HTTP 200", or why it was not delivered (names the URL)
};

// Posts `body` signed at `now`. A gateway that cannot be reached is not an error here: it is
// an answer not delivered, retried by the caller.
WebhookAnswer PostWebhook(const std::string& url, std::string_view secret, const std::string& body,
                          Time now, long timeout_seconds = 10);

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_WEBHOOK_H_
