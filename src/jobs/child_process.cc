#include "jobs/child_process.h"

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/quote.h"

extern char** environ;

namespace baken::jobs {

namespace {

using SteadyClock = std::chrono::steady_clock;

// How long a child that was asked to stop (SIGTERM) may take before it is killed.
constexpr std::chrono::seconds kStopGrace{5};

// Reads what is there on `fd` into `into` (up to kMaxChildOutput; the rest is read and
// dropped, so that the child never blocks on a full pipe). False at the end of the stream.
bool Drain(int fd, std::string& into) {
  char buffer[4096];
  const ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got == 0) return false;
  if (got < 0) return errno == EINTR || errno == EAGAIN;
  const size_t room = kMaxChildOutput - std::min(kMaxChildOutput, into.size());
  into.append(buffer, std::min(room, static_cast<size_t>(got)));
  return true;
}

}  // namespace

Result<ChildRun> RunChild(const ChildSpec& spec, const std::function<bool()>& stop) {
  // Everything the child needs is made before fork: a multi-threaded parent's child may only
  // call async-signal-safe functions until it execs.
  std::vector<std::string> arguments{spec.program};
  arguments.insert(arguments.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals != std::string_view::npos) {
      variables[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  for (const auto& [name, value] : spec.environment) variables[name] = value;
  std::vector<std::string> environment;
  for (const auto& [name, value] : variables) environment.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    return Unavailable(fmt::format("cannot start {}: {}", Quote(spec.program), strerror(errno)));
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return Unavailable(fmt::format("cannot start {}: {}", Quote(spec.program), strerror(errno)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    return Unavailable(fmt::format("cannot start {}: {}", Quote(spec.program), strerror(errno)));
  }
  if (pid == 0) {
    ::setpgid(0, 0);  // its own group, so that what it starts is killed with it
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before the line above
    // The parent may block signals it takes with sigwait, and ignore SIGPIPE; both would be
    // inherited across exec.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(spec.program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);

  ChildRun run;
  const auto deadline = SteadyClock::now() + spec.limit;
  std::optional<SteadyClock::time_point> kill_at;  // after a stop request
  bool out_open = true;
  bool err_open = true;
  int status = 0;
  for (;;) {
    pollfd fds[2] = {{out_open ? out[0] : -1, POLLIN, 0}, {err_open ? err[0] : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, 100);
    if (ready > 0) {
      if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        out_open = Drain(out[0], run.out);
      }
      if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        err_open = Drain(err[0], run.err);
      }
    }
    const pid_t ended = ::waitpid(pid, &status, WNOHANG);
    if (ended == pid && !out_open && !err_open) break;
    if (ended == pid) {
      // Gone; what it wrote last is still in the pipes. A process it started that still holds
      // them is ended with its group, so that the reads below reach the end.
      ::kill(-pid, SIGKILL);
      while (out_open && Drain(out[0], run.out)) {
      }
      while (err_open && Drain(err[0], run.err)) {
      }
      break;
    }
    const auto now = SteadyClock::now();
    if (!run.cut_off && !run.stopped && now >= deadline) {
      run.cut_off = true;
      ::kill(-pid, SIGKILL);
    } else if (!run.cut_off && !run.stopped && stop && stop()) {
      run.stopped = true;
      ::kill(-pid, SIGTERM);
      kill_at = now + kStopGrace;
    } else if (kill_at && now >= *kill_at) {
      kill_at.reset();
      ::kill(-pid, SIGKILL);
    }
  }
  ::close(out[0]);
  ::close(err[0]);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

}  // namespace baken::jobs
