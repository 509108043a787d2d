#include "oncall/webhook.h"

#include <array>

#include <fmt/format.h>
#include <sodium.h>

#include "auth/credentials.h"
#include "net/http_client.h"

namespace baken::oncall {

std::string WebhookSignature(std::string_view secret, int64_t timestamp, std::string_view body) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  const std::string prefix = fmt::format("{}.", timestamp);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return fmt::format("sha256={}", hex.data());
}

std::string NewWebhookSecret() { return auth::RandomUrlSafe(32); }

WebhookAnswer PostWebhook(const std::string& url, std::string_view secret, const std::string& body,
                          Time now, long timeout_seconds) {
  const int64_t timestamp = now.time_since_epoch().count();
  const std::vector<std::string> headers = {
      "Content-Type: application/json",
      fmt::format("{}: {}", kTimestampHeader, timestamp),
      fmt::format("{}: {}", kSignatureHeader, WebhookSignature(secret, timestamp, body)),
  };
  net::HttpOptions options;
  options.timeout_seconds = timeout_seconds;
  options.max_bytes = 64 << 10;  // the answer is not read; a gateway may say a little
  auto response = net::HttpPost(url, body, headers, options);
  if (!response) return {false, response.error().message};
  const bool delivered = response->status >= 200 && response->status < 300;
  return {delivered, fmt::format("HTTP {}", response->status)};
}

}  // namespace baken::oncall
