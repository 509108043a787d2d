#ifndef BAKEN_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
#define BAKEN_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_

// An SMS gateway's webhook endpoint on loopback for the paging tests: a real HTTP server on a
// free port of 127.0.0.1 that keeps every POST (body and Baken's signature headers), can be
// told to refuse the next ones (503), and checks a signature the way a gateway would — with
// libsodium's HMAC-SHA256 directly, not with Baken's code. Stopped when it goes out of scope.

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

namespace baken::testing {

struct WebhookCall {
  std::string body;
  std::string timestamp;  // X-Baken-Timestamp
  std::string signature;  // X-Baken-Signature
  int answered = 0;       // the status it was given
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class WebhookReceiver {
 public:
  WebhookReceiver() {
    server_.set_read_timeout(5, 0);
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      WebhookCall call{request.body, request.get_header_value("X-Baken-Timestamp"),
                       request.get_header_value("X-Baken-Signature"), 200};
      if (refuse_ > 0) {
        --refuse_;
        call.answered = 503;
      }
      response.status = call.answered;
      calls_.push_back(std::move(call));
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url() const { return fmt::format("http://127.0.0.1:{}/hook", port_); }
  void RefuseNext(int count) {
    std::lock_guard lock(mutex_);
    refuse_ = count;
  }
  std::vector<WebhookCall> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  // Whether the call carries HMAC-SHA256(secret, "<timestamp>.<body>") as "sha256=<hex>".
  static bool Signed(const WebhookCall& call, const std::string& secret) {
    const std::string message = call.timestamp + "." + call.body;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return !call.timestamp.empty() && call.signature == std::string("sha256=") + hex;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<WebhookCall> calls_;
  int refuse_ = 0;
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
