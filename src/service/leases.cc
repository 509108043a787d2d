#include "service/leases.h"

#include <cerrno>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

namespace baken::service {

namespace {

std::string HostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "localhost";
  return host;
}

}  // namespace

std::string ProcessOwnerName() { return fmt::format("{}:{}", HostName(), ::getpid()); }

bool LocalProcessGone(std::string_view owner) {
  const size_t colon = owner.rfind(':');
  if (colon == std::string_view::npos || owner.substr(0, colon) != HostName()) return false;
  const std::string_view digits = owner.substr(colon + 1);
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (error != std::errc() || end != digits.data() + digits.size() || pid <= 0) return false;
  // A reused process id looks alive: then the lease decides, which is never wrong, only later.
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

Status EndLeasesOfGoneProcesses(store::Transaction& tx, std::string_view now) {
  std::set<std::string> holders;
  BAKEN_ASSIGN_OR_RETURN(const auto work, tx.Work().LeaseHolders(now));
  holders.insert(work.begin(), work.end());
  BAKEN_ASSIGN_OR_RETURN(const auto outbox, tx.Outbox().LeaseHolders(now));
  holders.insert(outbox.begin(), outbox.end());
  for (const std::string& holder : holders) {
    if (!LocalProcessGone(holder)) continue;
    BAKEN_RETURN_IF_ERROR(tx.Work().EndLeases(holder));
    BAKEN_RETURN_IF_ERROR(tx.Outbox().EndLeases(holder));
  }
  return {};
}

}  // namespace baken::service
