#ifndef BAKEN_TESTS_SUPPORT_BAKEN_PROCESS_H_
#define BAKEN_TESTS_SUPPORT_BAKEN_PROCESS_H_

// Runs the real `baken` program for integration tests: one-shot commands, and `baken serve` on
// a free loopback port that the server picks itself (--listen 127.0.0.1:0), stopped when the
// test ends, also when it fails, and killed with the test process if that dies.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace baken::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The built program (set by CMake) and the source tree (for fixtures).
std::string BakenBinary();
std::filesystem::path SourceDir();

// Runs `baken ARGS...` with `input` on stdin; gives up (and fails) after `timeout_seconds`.
CommandResult RunBaken(const std::vector<std::string>& args, const std::string& input = "",
                       int timeout_seconds = 60);

// Starts `baken ARGS...` (output discarded) and kills it with SIGKILL after `delay`, unless it
// ends first. Returns true when it was killed, false when it ended by itself (then *exit_code
// holds its status).
bool RunBakenAndKill(const std::vector<std::string>& args, std::chrono::microseconds delay,
                     int* exit_code);
// Likewise, but the clock starts when `ready()` first returns true (checked every half
// millisecond): to kill at a chosen stage of the work.
bool RunBakenAndKillWhen(const std::vector<std::string>& args, const std::function<bool()>& ready,
                         std::chrono::microseconds delay, int* exit_code);

// A fresh folder under /tmp for one test, removed when it goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

class BakenServer {
 public:
  // Whether the server runs the scheduled jobs (notify, retention, ...). Tests of other things
  // leave them out, so that a retention run does not remove their old findings under them.
  enum class Jobs { kNone, kScheduled };

  // Starts `baken --db DB serve --listen 127.0.0.1:0` (without --db when `db` is empty) and
  // waits (at most 30 s) until it says where it listens. Destroying a server that is still
  // running stops it and fails the test if it does not end with status 0.
  explicit BakenServer(const std::string& db, const std::vector<std::string>& extra_args = {},
                       Jobs jobs = Jobs::kNone);
  ~BakenServer();
  BakenServer(const BakenServer&) = delete;
  BakenServer& operator=(const BakenServer&) = delete;

  int port() const { return port_; }
  bool running() const { return port_ > 0; }
  // Everything the server printed on stdout up to start-up.
  const std::string& banner() const { return banner_; }
  // Sends SIGTERM and waits; returns the exit status.
  int Stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string banner_;
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_BAKEN_PROCESS_H_
