#include "support/baken_process.h"

#include <array>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <regex>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/process.h"

namespace baken::testing {

namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    read = fds[0];
    write = fds[1];
  }
};

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  static std::string binary;
  binary = BakenBinary();
  argv.push_back(binary.data());
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// In the child: die with the parent, wire up stdio, exec baken.
[[noreturn]] void ExecChild(const std::vector<std::string>& args, int in, int out, int err) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  auto argv = Argv(args);
  execv(argv[0], argv.data());
  _exit(127);
}

}  // namespace

std::string BakenBinary() {
  const char* binary = std::getenv("BAKEN_BINARY");
  return binary != nullptr ? binary : BAKEN_BINARY_PATH;
}

std::filesystem::path SourceDir() {
  const char* dir = std::getenv("BAKEN_SOURCE_DIR");
  return dir != nullptr ? dir : BAKEN_SOURCE_PATH;
}

CommandResult RunBaken(const std::vector<std::string>& args, const std::string& input,
                       int timeout_seconds) {
  Pipe in;
  Pipe out;
  Pipe err;
  const pid_t pid = fork();
  if (pid == 0) ExecChild(args, in.read, out.write, err.write);
  close(in.read);
  close(out.write);
  close(err.write);
  // The input is small in tests; write it all, then close so the child sees end of input.
  size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = write(in.write, input.data() + written, input.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  close(in.write);

  CommandResult result;
  std::array<pollfd, 2> fds{{{out.read, POLLIN, 0}, {err.read, POLLIN, 0}}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int open_streams = 2;
  while (open_streams > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      result.err += "\n[test: baken timed out and was killed]";
      break;
    }
    if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) <= 0) continue;
    for (auto& fd : fds) {
      if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP)) == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fd.fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fd.fd);
        fd.fd = -1;
        --open_streams;
        continue;
      }
      (&fd == &fds[0] ? result.out : result.err).append(buffer, static_cast<size_t>(n));
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

bool RunBakenAndKillWhen(const std::vector<std::string>& args, const std::function<bool()>& ready,
                         std::chrono::microseconds delay, int* exit_code) {
  const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid == 0) ExecChild(args, null, null, null);
  close(null);
  std::optional<std::chrono::steady_clock::time_point> deadline;
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return false;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!deadline && ready()) deadline = now + delay;
    if (deadline && now >= *deadline) break;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  *exit_code = 128 + SIGKILL;
  return true;
}

bool RunBakenAndKill(const std::vector<std::string>& args, std::chrono::microseconds delay,
                     int* exit_code) {
  return RunBakenAndKillWhen(
      args, [] { return true; }, delay, exit_code);
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("baken-test-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

BakenServer::BakenServer(const std::string& db, const std::vector<std::string>& extra_args,
                         Jobs jobs) {
  std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0"};
  if (jobs == Jobs::kNone) args.push_back("--no-jobs");
  if (!db.empty()) args.insert(args.begin(), {"--db", db});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  Pipe out;
  const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_ = fork();
  if (pid_ == 0) ExecChild(args, null_in, out.write, STDERR_FILENO);
  close(null_in);
  close(out.write);
  const std::regex listening(R"(listens on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  pollfd fd{out.read, POLLIN, 0};
  while (std::chrono::steady_clock::now() < deadline) {
    if (poll(&fd, 1, 200) <= 0) continue;
    char buffer[1024];
    const ssize_t n = read(out.read, buffer, sizeof buffer);
    if (n <= 0) break;
    banner_.append(buffer, static_cast<size_t>(n));
    std::smatch match;
    if (std::regex_search(banner_, match, listening) && banner_.back() == '\n') {
      port_ = std::stoi(match[1]);
      // Give the banner's remaining lines a moment, without blocking.
      while (poll(&fd, 1, 100) > 0) {
        const ssize_t more = read(out.read, buffer, sizeof buffer);
        if (more <= 0) break;
        banner_.append(buffer, static_cast<size_t>(more));
      }
      break;
    }
  }
  // Later output is not read; the server writes little, and closing makes writes fail
  // harmlessly rather than block.
  close(out.read);
  if (port_ == 0) Stop();
}

BakenServer::~BakenServer() {
  // A sanitizer report when the server exits (a leak, say) shows only in its exit status.
  const int status = Stop();
  if (status > 0) ADD_FAILURE() << "baken serve ended with status " << status;
}

int BakenServer::Stop() {
  if (pid_ <= 0) return -1;
  const int status = StopProcess(pid_);
  pid_ = -1;
  port_ = 0;
  return status;
}

}  // namespace baken::testing
