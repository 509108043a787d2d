#ifndef BAKEN_TESTS_SUPPORT_FILE_SERVER_H_
#define BAKEN_TESTS_SUPPORT_FILE_SERVER_H_

// A publisher's web server on loopback for the tests that follow one (a CSAF provider, a MISP
// feed): a real HTTP server on a free port of 127.0.0.1 that answers each path it was given
// with its status, body and headers (anything else is 404), and logs every request, so that a
// test can see what a second run fetched again and what it did not. Stopped when it goes out of
// scope.

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>

namespace baken::testing {

class FileServer {
 public:
  FileServer() {
    server_.set_read_timeout(10, 0);
    server_.set_write_timeout(10, 0);
    server_.Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      requests_.push_back(request.path);
      auto it = files_.find(request.path);
      if (it == files_.end()) {
        response.status = 404;
        return;
      }
      response.status = it->second.status;
      for (const auto& [name, value] : it->second.headers) response.set_header(name, value);
      response.set_content(it->second.body, "application/octet-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FileServer() {
    server_.stop();
    thread_.join();
  }
  FileServer(const FileServer&) = delete;
  FileServer& operator=(const FileServer&) = delete;

  std::string Url(const std::string& path = "") const {
    return fmt::format("http://127.0.0.1:{}{}", port_, path);
  }
  void Serve(const std::string& path, std::string body, int status = 200,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    std::lock_guard lock(mutex_);
    files_[path] = {status, std::move(body), std::move(headers)};
  }
  void Remove(const std::string& path) {
    std::lock_guard lock(mutex_);
    files_.erase(path);
  }
  // The paths asked for since the last call, in order.
  std::vector<std::string> TakeRequests() {
    std::lock_guard lock(mutex_);
    return std::exchange(requests_, {});
  }

 private:
  struct File {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::map<std::string, File> files_;
  std::vector<std::string> requests_;
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_FILE_SERVER_H_
