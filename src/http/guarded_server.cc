#include "http/guarded_server.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace baken::http {

namespace {

using Clock = std::chrono::steady_clock;

// The numeric address of the socket's peer (or, with `local`, its own end), and the port.
std::pair<std::string, int> SocketAddress(int sock, bool local) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if ((local ? getsockname(sock, generic, &length) : getpeername(sock, generic, &length)) != 0) {
    return {"", 0};
  }
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (address.ss_family == AF_INET) {
    const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &ipv4->sin_addr, text.data(), text.size());
    return {text.data(), ntohs(ipv4->sin_port)};
  }
  if (address.ss_family == AF_INET6) {
    const auto* ipv6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &ipv6->sin6_addr, text.data(), text.size());
    return {text.data(), ntohs(ipv6->sin6_port)};
  }
  return {"", 0};
}

// Waits until `sock` can be read (or written), at most until `until`. False on time-out.
bool WaitFor(int sock, short events, Clock::time_point until) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return false;
    pollfd entry{sock, events, 0};
    const int ready = poll(&entry, 1, static_cast<int>(std::min<int64_t>(left.count(), 1'000'000)));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
  }
}

// A connection's socket as httplib reads and writes it, with a deadline for the request that
// is being read. One per connection, so that bytes read ahead belong to the next request.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(int sock, std::chrono::milliseconds write_timeout)
      : sock_(sock), write_timeout_(write_timeout) {}

  void SetDeadline(Clock::time_point deadline) { deadline_ = deadline; }

  // Waits for the first byte of a next request, at most `idle` or until `stopped` says so.
  template <class Stopped>
  bool WaitForRequest(std::chrono::milliseconds idle, Stopped stopped) {
    if (buffered_ < filled_) return true;
    const auto until = Clock::now() + idle;
    while (!stopped()) {
      // Short slices, so that a stopping server does not wait for idle clients.
      const auto slice = std::min(until, Clock::now() + std::chrono::milliseconds(200));
      if (WaitFor(sock_, POLLIN, slice)) return true;
      if (Clock::now() >= until) return false;
    }
    return false;
  }

  bool is_readable() const override {
    return buffered_ < filled_ || WaitFor(sock_, POLLIN, deadline_);
  }
  bool is_writable() const override {
    return WaitFor(sock_, POLLOUT, Clock::now() + write_timeout_);
  }

  ssize_t read(char* out, size_t size) override {
    if (buffered_ == filled_) {
      if (!WaitFor(sock_, POLLIN, deadline_)) return -1;
      const ssize_t received = recv(sock_, buffer_.data(), buffer_.size(), 0);
      if (received <= 0) return received;
      buffered_ = 0;
      filled_ = static_cast<size_t>(received);
    }
    const size_t taken = std::min(size, filled_ - buffered_);
    std::memcpy(out, buffer_.data() + buffered_, taken);
    buffered_ += taken;
    return static_cast<ssize_t>(taken);
  }

  ssize_t write(const char* data, size_t size) override {
    if (!is_writable()) return -1;
    return send(sock_, data, size, MSG_NOSIGNAL);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    std::tie(ip, port) = SocketAddress(sock_, /*local=*/false);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    std::tie(ip, port) = SocketAddress(sock_, /*local=*/true);
  }
  socket_t socket() const override { return sock_; }

 private:
  int sock_;
  std::chrono::milliseconds write_timeout_;
  Clock::time_point deadline_ = Clock::now();
  std::array<char, 16 * 1024> buffer_{};
  size_t buffered_ = 0;  // read position in buffer_
  size_t filled_ = 0;    // bytes in buffer_
};

// What the handler on this thread may ask of the connection it answers.
struct ConnectionControl {
  DeadlineStream* stream = nullptr;
  bool close_after_response = false;
  std::string framing_problem;  // of the request being answered
};

bool AllDigits(std::string_view text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What is wrong with how the request frames its body, or empty. Lengths that disagree or are
// not numbers, a transfer coding other than chunked, or both a coding and a length let a proxy
// in front and this server read different requests from the same bytes (request smuggling);
// httplib itself takes the first length and reads "gzip, chunked" as no coding at all.
std::string FramingProblem(const httplib::Request& request) {
  const auto [first_length, end_length] = request.headers.equal_range("Content-Length");
  std::string_view length;
  for (auto it = first_length; it != end_length; ++it) {
    if (!AllDigits(it->second)) {
      return fmt::format("Content-Length {} is not a number of bytes", it->second.substr(0, 40));
    }
    if (!length.empty() && length != it->second)
      return "the request has conflicting Content-Length headers";
    length = it->second;
  }
  const size_t codings = request.headers.count("Transfer-Encoding");
  if (codings > 0) {
    const std::string coding = request.get_header_value("Transfer-Encoding");
    if (codings > 1 || coding.size() != 7 || strncasecmp(coding.c_str(), "chunked", 7) != 0) {
      return "Transfer-Encoding must be exactly chunked";
    }
    if (!length.empty()) return "the request has both Transfer-Encoding and Content-Length";
  }
  const bool body =
      codings > 0 || (!length.empty() && length.find_first_not_of('0') != std::string_view::npos);
  if (body &&
      (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS")) {
    return fmt::format("a {} request takes no body", request.method);
  }
  return {};
}
thread_local ConnectionControl* current_connection = nullptr;

// The place in accept order of the connection the calling worker thread is about to handle.
thread_local uint64_t current_ticket = 0;

// httplib's thread pool, numbering connections as they are accepted. httplib enqueues each
// connection on the accepting thread right after accept(), and the pool hands them to workers
// first in, first out, so the numbers are accept order and each is taken up in turn.
class AcceptOrderPool final : public httplib::TaskQueue {
 public:
  explicit AcceptOrderPool(size_t workers) : pool_(workers) {}

  void enqueue(std::function<void()> handle) override {
    pool_.enqueue([ticket = next_ticket_++, handle = std::move(handle)] {
      current_ticket = ticket;
      handle();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  uint64_t next_ticket_ = 0;  // only the accepting thread enqueues
};

void RefuseBusyClient(int sock) {
  constexpr std::string_view kBody =
      R"({"type":"about:blank","title":"Too Many Requests","status":429,)"
      R"("detail":"this address has too many connections open; close some and try again"})";
  const std::string response = fmt::format(
      "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/problem+json\r\n"
      "Content-Length: {}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n{}",
      kBody.size(), kBody);
  // Best effort and without waiting: the client is already over its share.
  [[maybe_unused]] const ssize_t sent =
      send(sock, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits) : limits_(limits) {
  new_task_queue = [this] {
    // A new pool numbers from zero again (a server listens more than once only in tests).
    std::lock_guard lock(clients_mutex_);
    next_admission_ = 0;
    return new AcceptOrderPool(limits_.workers);
  };
  set_pre_routing_handler([](const httplib::Request&, httplib::Response& response) {
    if (current_connection == nullptr || current_connection->framing_problem.empty()) {
      return HandlerResponse::Unhandled;
    }
    response.status = 400;
    response.set_header("Connection", "close");
    response.set_content(nlohmann::json{{"type", "about:blank"},
                                        {"title", "Bad Request"},
                                        {"status", 400},
                                        {"detail", current_connection->framing_problem}}
                             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/problem+json");
    current_connection->close_after_response = true;
    return HandlerResponse::Handled;
  });
}

void GuardedServer::CloseAfterResponse() {
  if (current_connection) current_connection->close_after_response = true;
}

void GuardedServer::AllowBodyTime(std::chrono::milliseconds time) {
  if (current_connection && current_connection->stream) {
    current_connection->stream->SetDeadline(Clock::now() + time);
  }
}

bool GuardedServer::Admit(const std::string& client, uint64_t ticket) {
  std::unique_lock lock(clients_mutex_);
  // The connections before this one were taken up by workers before it, so the wait is for
  // threads that are already running towards this point, never for a queued connection.
  admitted_.wait(lock, [&] { return next_admission_ == ticket; });
  ++next_admission_;
  admitted_.notify_all();
  size_t& open = open_by_client_[client];
  if (open >= limits_.connections_per_client) return false;
  ++open;
  return true;
}

void GuardedServer::Leave(const std::string& client) {
  std::lock_guard lock(clients_mutex_);
  auto found = open_by_client_.find(client);
  if (found != open_by_client_.end() && --found->second == 0) open_by_client_.erase(found);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  const std::string client = SocketAddress(sock, /*local=*/false).first;
  const bool admitted = Admit(client, current_ticket);
  if (!admitted) {
    RefuseBusyClient(sock);
  } else {
    DeadlineStream stream(sock, std::chrono::milliseconds(write_timeout_sec_ * 1000));
    ConnectionControl control{&stream, false, {}};
    current_connection = &control;
    const auto stopped = [this] { return svr_sock_ == INVALID_SOCKET; };
    // Called by process_request once the line and the headers are in.
    const auto headers_read = [&](httplib::Request& request) {
      stream.SetDeadline(Clock::now() + limits_.body_time);
      control.framing_problem = FramingProblem(request);
      // Without a length or a coding a request has no body (RFC 9112, 6.3); httplib would
      // read one until the client closes.
      if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding")) {
        request.set_header("Content-Length", "0");
      }
    };
    for (size_t left = limits_.requests_per_connection; left > 0; --left) {
      if (!stream.WaitForRequest(limits_.idle_time, stopped)) break;
      stream.SetDeadline(Clock::now() + limits_.header_time);
      control.close_after_response = false;
      control.framing_problem.clear();
      bool client_closes = false;
      const bool answered =
          process_request(stream, /*close_connection=*/left == 1, client_closes, headers_read);
      if (!answered || client_closes || control.close_after_response) break;
    }
    current_connection = nullptr;
    Leave(client);
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return admitted;
}

}  // namespace baken::http
