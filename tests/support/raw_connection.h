#ifndef BAKEN_TESTS_SUPPORT_RAW_CONNECTION_H_
#define BAKEN_TESTS_SUPPORT_RAW_CONNECTION_H_

// Bytes over a plain socket to a test's `baken serve`, for requests no well-behaved client
// sends (oversized, malformed, cut off) and from several loopback addresses at once. Writes
// never raise SIGPIPE: a server that refuses a body before reading it closes the connection.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace baken::testing {

// A TCP connection to the server from a chosen loopback address (all of 127.0.0.0/8 is this
// machine), so that a test can be several clients at once.
class RawConnection {
 public:
  RawConnection(int port, const char* from) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from, &local.sin_addr);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    connected_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) == 0 &&
                 connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof(server)) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }

  // What arrives until the server closes the connection, or until `timeout`; `closed` says
  // which.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout, bool* closed = nullptr) {
    std::string received;
    const auto until = std::chrono::steady_clock::now() + timeout;
    if (closed) *closed = false;
    while (std::chrono::steady_clock::now() < until) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            until - std::chrono::steady_clock::now())
                            .count();
      pollfd entry{fd_, POLLIN, 0};
      if (poll(&entry, 1, static_cast<int>(std::max<int64_t>(left, 1))) <= 0) continue;
      char buffer[4096];
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        if (closed) *closed = true;
        break;
      }
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// Sends `bytes` from `from` and returns what comes back until the server closes (20 s at most).
inline std::string Exchange(int port, std::string_view bytes, const char* from = "127.0.0.4") {
  RawConnection connection(port, from);
  if (!connection.connected()) return "";
  connection.Send(bytes);
  return connection.ReadUntilClosed(std::chrono::seconds(20));
}

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_RAW_CONNECTION_H_
