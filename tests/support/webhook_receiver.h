#ifndef BAKEN_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
#define BAKEN_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_

// An SMS gateway's webhook endpoint on loopback for the paging tests: a real HTTP server on a
// free port of 127.0.0.1 that keeps every POST (body and Baken's signature headers), can be
// told to refuse the next ones (503), and checks a signature the way a gateway would — with
// libsodium's HMAC-SHA256 directly, not with Baken's code. Stopped when it goes out of scope.
//
// A slow gateway for the crash tests: given a reply delay, it holds every request that long
// before it answers, and says since when it holds one (WaitingSince), so that a test can kill
// the sender while its POST waits for the answer; each call keeps when it arrived and when it
// was answered, so that the test can tell afterwards that the kill fell in between.

#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>

namespace baken::testing {

struct WebhookCall {
  std::string body;
  std::string timestamp;                              // X-Baken-Timestamp
  std::string signature;                              // X-Baken-Signature
  int answered = 0;                                   // the status it was given
  std::chrono::steady_clock::time_point arrived;      // when the request had come in whole
  std::chrono::steady_clock::time_point answered_at;  // when its answer was given (after the delay)
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::chrono::milliseconds reply_delay = std::chrono::milliseconds{0})
      : reply_delay_(reply_delay) {
    server_.set_read_timeout(5, 0);
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      const auto arrived = std::chrono::steady_clock::now();
      if (reply_delay_.count() > 0) {
        {
          std::lock_guard lock(mutex_);
          waiting_.insert(arrived);
        }
        std::this_thread::sleep_for(reply_delay_);
      }
      std::lock_guard lock(mutex_);
      if (const auto held = waiting_.find(arrived); held != waiting_.end()) waiting_.erase(held);
      WebhookCall call;
      call.body = request.body;
      call.timestamp = request.get_header_value("X-Baken-Timestamp");
      call.signature = request.get_header_value("X-Baken-Signature");
      call.answered = 200;
      call.arrived = arrived;
      call.answered_at = std::chrono::steady_clock::now();
      if (refuse_ > 0) {
        --refuse_;
        call.answered = 503;
      }
      response.status = call.answered;
      calls_.push_back(std::move(call));
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] {
      // The server's threads (started from this one) inherit this mask: the answer to a sender
      // that was killed meanwhile then fails with EPIPE instead of SIGPIPE ending the test.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      server_.listen_after_bind();
    });
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
  // With a reply delay: when the oldest request it holds (not answered yet) came in; nullopt
  // when it holds none.
  std::optional<std::chrono::steady_clock::time_point> WaitingSince() {
    std::lock_guard lock(mutex_);
    if (waiting_.empty()) return std::nullopt;
    return *waiting_.begin();
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
  std::chrono::milliseconds reply_delay_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<WebhookCall> calls_;
  int refuse_ = 0;
  std::multiset<std::chrono::steady_clock::time_point> waiting_;  // arrivals not yet answered
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
