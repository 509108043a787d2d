#ifndef BAKEN_TESTS_SUPPORT_PROCESS_H_
#define BAKEN_TESTS_SUPPORT_PROCESS_H_

// Stopping a process started by a test: shared by BakenServer, SmtpServer and the tests that
// run `baken worker`s.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace baken::testing {

// Sends SIGTERM, waits up to ten seconds, then SIGKILL; returns the exit status (128 + signal
// when killed).
inline int StopProcess(pid_t pid, std::chrono::seconds patience = std::chrono::seconds(10)) {
  kill(pid, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    usleep(20000);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Whether the process has a handler for `signal` in place (SigCgt in /proc/PID/status).
inline bool CatchesSignal(pid_t pid, int signal) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/status");
  std::stringstream text;
  text << file.rdbuf();
  const std::string status = text.str();
  const size_t at = status.find("\nSigCgt:");
  if (at == std::string::npos) return false;
  const uint64_t caught = std::strtoull(status.c_str() + at + 8, nullptr, 16);
  return (caught & (uint64_t{1} << (signal - 1))) != 0;
}

// StopProcess for a program that stops cleanly on SIGTERM once it has started: SIGTERM is sent
// only when its handler is in place (at most `startup` later), because a program still starting
// up dies of it like any program, and then says nothing about how the program stops.
inline int StopProcessOnceItCatchesTerm(pid_t pid, std::chrono::seconds patience,
                                        std::chrono::seconds startup = std::chrono::seconds(30)) {
  const auto give_up = std::chrono::steady_clock::now() + startup;
  while (!CatchesSignal(pid, SIGTERM) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return StopProcess(pid, patience);
}

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_PROCESS_H_
