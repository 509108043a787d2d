#ifndef BAKEN_STORE_RIPE_REPOSITORY_H_
#define BAKEN_STORE_RIPE_REPOSITORY_H_

// The abuse contacts of the RIPE database (decision 0022), from its dump files: the address
// ranges (inetnum, inet6num) with their abuse-c and organisation, the organisations' abuse-c,
// and the roles' abuse-mailbox. Replaced whole by `baken ripe load`; read to suggest where a
// researcher's report that reaches no member may go. Reached through Transaction::Ripe().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "net/ip_address.h"

namespace baken::store {

struct RipeRange {
  net::IpAddress first;
  net::IpAddress last;  // of the same family, not before first
  std::string object;   // "inetnum 193.0.0.0 - 193.0.7.255", "inet6num 2001:db8::/32"
  std::optional<std::string> abuse_c;  // a role's handle, upper-case
  std::optional<std::string> org;      // an organisation's handle, upper-case
  // Maintained by RIPE's registration services: the search for a contact stops here.
  bool registry = false;
};

// What the RIPE data says of one address.
struct RipeAbuseContact {
  std::string mailbox;
  std::string role;                // the abuse-c handle the mailbox is of
  std::string object;              // the range it was found on
  std::optional<std::string> org;  // when the abuse-c was the range's organisation's
};

struct RipeLoad {
  std::string loaded_at;
  std::string files;  // the files' names, comma-separated
  int64_t ranges = 0;
  int64_t organisations = 0;
  int64_t roles = 0;
};

class RipeRepository {
 public:
  virtual ~RipeRepository() = default;

  // Removes everything loaded before: the start of a load, in the load's transaction.
  virtual Status Clear() = 0;
  // Returns the range's id. `parent`: the id of the nearest range that contains it (the
  // loader sorts the ranges and knows), or nullopt.
  virtual Result<int64_t> AddRange(const RipeRange& range, std::optional<int64_t> parent) = 0;
  // Adds or replaces.
  virtual Status PutRole(std::string_view handle, std::string_view mailbox) = 0;
  virtual Status PutOrganisation(std::string_view handle, std::string_view abuse_c) = 0;
  virtual Status RecordLoad(const RipeLoad& load) = 0;
  // The last load, or nullopt when none.
  virtual Result<std::optional<RipeLoad>> LastLoad() = 0;

  // RIPE's rule (AbuseCFinder): on the most specific range holding the address, its abuse-c,
  // else its organisation's; else the same on the next less specific range, but not past one
  // the registry maintains. nullopt when no range gives one.
  virtual Result<std::optional<RipeAbuseContact>> AbuseContactFor(
      const net::IpAddress& address) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_RIPE_REPOSITORY_H_
