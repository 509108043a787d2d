#ifndef BAKEN_JOBS_CHILD_PROCESS_H_
#define BAKEN_JOBS_CHILD_PROCESS_H_

// A scheduled job runs in a child process (decision 0019), so that one that hangs can be cut
// off by killing it, and one that crashes does not take `baken serve` down with it.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/error.h"

namespace baken::jobs {

struct ChildRun {
  int exit_code = -1;    // -1 when it was killed
  bool cut_off = false;  // killed at its time limit
  bool stopped = false;  // killed because the parent was asked to stop
  std::string out;       // what it wrote on stdout and stderr, each up to kMaxChildOutput
  std::string err;
};

inline constexpr size_t kMaxChildOutput = 64 * 1024;

struct ChildSpec {
  std::string program;            // a path; "/proc/self/exe" runs this program again
  std::vector<std::string> args;  // after the program's name
  // Added to (or replacing in) the parent's environment, e.g. BAKEN_DB.
  std::vector<std::pair<std::string, std::string>> environment;
  std::chrono::milliseconds limit{std::chrono::minutes(15)};
};

// Runs the child and waits for it, at most `spec.limit` of real time (a hung job does not
// wait for a test's clock), then kills it and its process group. `stop` is asked every 100 ms
// whether the parent is stopping, and then the child is ended too. The child dies with the
// parent (PR_SET_PDEATHSIG), so that a killed `baken serve` leaves no job running.
Result<ChildRun> RunChild(const ChildSpec& spec, const std::function<bool()>& stop);

}  // namespace baken::jobs

#endif  // BAKEN_JOBS_CHILD_PROCESS_H_
