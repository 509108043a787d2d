#ifndef BAKEN_TESTS_SUPPORT_PROCESS_H_
#define BAKEN_TESTS_SUPPORT_PROCESS_H_

// Stopping a server started by a test: shared by BakenServer and SmtpServer.

#include <chrono>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace baken::testing {

// Sends SIGTERM, waits up to ten seconds, then SIGKILL; returns the exit status (128 + signal
// when killed).
inline int StopProcess(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
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

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_PROCESS_H_
