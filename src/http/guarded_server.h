#ifndef BAKEN_HTTP_GUARDED_SERVER_H_
#define BAKEN_HTTP_GUARDED_SERVER_H_

// cpp-httplib's server with bounded connections. httplib gives every connection a worker thread
// and waits for each byte as long as the read timeout, however long the whole request takes, so
// a few clients that send a header byte every few seconds hold every worker. Here:
// - each client address holds at most `connections_per_client` connections; more are refused
//   at once with 429, so one client cannot take the workers that others need. Connections are
//   admitted in the order they were accepted (workers pick them up in any order), so the one
//   over the limit is always the last one opened;
// - a request's line and headers must arrive within `header_time` of its first byte, and its
//   body within `body_time` of the end of the headers (a handler that takes a large upload
//   allows more with AllowBodyTime);
// - a handler that answers without reading the body closes the connection after the answer
//   (CloseAfterResponse), since what follows on it is that body, not a next request.
// The keep-alive loop is ours; parsing and routing stay httplib's (Server::process_request).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <httplib.h>

namespace baken::http {

struct ConnectionLimits {
  size_t workers = 48;
  size_t connections_per_client = 16;
  std::chrono::milliseconds header_time{std::chrono::seconds(10)};
  std::chrono::milliseconds body_time{std::chrono::seconds(30)};
  std::chrono::milliseconds idle_time{std::chrono::seconds(5)};  // between kept-alive requests
  size_t requests_per_connection = 100;
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);

  // For the handler running on the calling thread, about the connection it answers: close it
  // after this response; or give the body until `time` from now to arrive.
  static void CloseAfterResponse();
  static void AllowBodyTime(std::chrono::milliseconds time);

 private:
  bool process_and_close_socket(socket_t sock) override;

  // Counts a client's open connections; false when it has its limit already. Waits until the
  // connections accepted before this one (by `ticket`, their place in accept order) are counted.
  bool Admit(const std::string& client, uint64_t ticket);
  void Leave(const std::string& client);

  const ConnectionLimits limits_;
  std::mutex clients_mutex_;
  std::condition_variable admitted_;
  uint64_t next_admission_ = 0;  // the ticket whose turn it is
  std::map<std::string, size_t, std::less<>> open_by_client_;
};

}  // namespace baken::http

#endif  // BAKEN_HTTP_GUARDED_SERVER_H_
