#include "support/smtp_server.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/process.h"

namespace baken::testing {

namespace {

// Debian's interpreter, which has python3-aiosmtpd, whatever python3 is first on PATH.
std::string Python() {
  const char* python = std::getenv("BAKEN_PYTHON");
  return python != nullptr ? python : "/usr/bin/python3";
}

std::filesystem::path MakeTempDir() {
  std::string name = (std::filesystem::temp_directory_path() / "baken-smtp-XXXXXX").string();
  if (mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return name;
}

}  // namespace

std::filesystem::path SmtpServerScript() {
  const char* dir = std::getenv("BAKEN_SOURCE_DIR");
  return std::filesystem::path(dir != nullptr ? dir : BAKEN_SOURCE_PATH) / "tests" / "support" /
         "smtp_server.py";
}

SmtpServer::SmtpServer(const SmtpServerOptions& options) : directory_(MakeTempDir()) {
  // Everything the child needs is built before fork.
  std::vector<std::string> args = {Python(),
                                   SmtpServerScript().string(),
                                   "--dir",
                                   (directory_ / "mail").string(),
                                   "--timeout",
                                   std::to_string(options.timeout_seconds),
                                   "--fail-first",
                                   std::to_string(options.fail_first),
                                   "--fail-code",
                                   std::to_string(options.fail_code),
                                   "--reply-delay-ms",
                                   std::to_string(options.reply_delay_ms)};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(null_in, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(null_in);
  close(fds[1]);
  if (pid_ < 0) {
    close(fds[0]);
    error_ = "fork failed";
    return;
  }

  std::string banner;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  pollfd fd{fds[0], POLLIN, 0};
  while (std::chrono::steady_clock::now() < deadline) {
    if (poll(&fd, 1, 200) <= 0) continue;
    char buffer[256];
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    banner.append(buffer, static_cast<size_t>(n));
    if (const size_t end = banner.find('\n'); end != std::string::npos) {
      if (banner.starts_with("PORT ")) port_ = std::atoi(banner.c_str() + 5);
      break;
    }
  }
  close(fds[0]);
  if (port_ <= 0) {
    port_ = 0;
    error_ = "smtp_server.py (" + SmtpServerScript().string() +
             ") did not report its port; it printed '" + banner + "' (its errors are on stderr)";
    Stop();
  }
}

SmtpServer::~SmtpServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

int SmtpServer::Stop() {
  if (pid_ <= 0) return -1;
  const int status = StopProcess(pid_);
  pid_ = -1;
  port_ = 0;
  return status;
}

size_t SmtpServer::ReceivedCount() const {
  size_t count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_ / "mail", error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("message-") && name.ends_with(".json")) ++count;
  }
  return count;
}

std::vector<ReceivedMail> SmtpServer::Received() const {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_ / "mail", error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("message-") && name.ends_with(".json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMail> mails;
  for (const auto& file : files) {
    std::ifstream in(file);
    const auto record = nlohmann::json::parse(in);
    ReceivedMail mail;
    mail.mail_from = record.at("mail_from").get<std::string>();
    mail.rcpt_tos = record.at("rcpt_tos").get<std::vector<std::string>>();
    mail.data = record.at("data").get<std::string>();
    mails.push_back(std::move(mail));
  }
  return mails;
}

}  // namespace baken::testing
