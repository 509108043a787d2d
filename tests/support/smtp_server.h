#ifndef BAKEN_TESTS_SUPPORT_SMTP_SERVER_H_
#define BAKEN_TESTS_SUPPORT_SMTP_SERVER_H_

// A real SMTP server for tests: tests/support/smtp_server.py (Debian's python3-aiosmtpd) on a
// free port on 127.0.0.1, keeping every accepted message in a fresh folder. Stopped when the
// object goes out of scope (also when a test fails), killed with the test process if that dies,
// and gone by itself after `timeout_seconds` in any case.
//
//   baken::testing::SmtpServer server;               // or SmtpServer({.fail_first = 1})
//   ASSERT_TRUE(server.running()) << server.error();
//   sender = SmtpSender({.url = server.url()});
//   ... send ...
//   auto mails = server.Received();                 // [{mail_from, rcpt_tos, data}]

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace baken::testing {

struct SmtpServerOptions {
  int fail_first = 0;        // refuse every RCPT and DATA of the first N transactions ...
  int fail_code = 451;       // ... with this reply (4xx: try later, 5xx: permanent)
  int timeout_seconds = 60;  // the server exits after this long whatever happens
  int reply_delay_ms = 0;    // each accepted message waits this long for its "250"
};

struct ReceivedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  std::string data;  // the message as received, CRLF line ends, dot-stuffing undone
};

class SmtpServer {
 public:
  // Starts the server and waits (at most 30 s) until it reports its port.
  explicit SmtpServer(const SmtpServerOptions& options = {});
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  bool running() const { return port_ > 0; }
  // Why it is not running, when it is not.
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // The messages accepted so far, oldest first.
  std::vector<ReceivedMail> Received() const;
  // How many messages were accepted so far (cheap: counts files).
  size_t ReceivedCount() const;

  // Sends SIGTERM and waits (then SIGKILL after 10 s); returns the exit status. Idempotent.
  int Stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string error_;
  std::filesystem::path directory_;
};

// The script's path, from BAKEN_SOURCE_DIR or the source tree CMake saw.
std::filesystem::path SmtpServerScript();

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_SMTP_SERVER_H_
