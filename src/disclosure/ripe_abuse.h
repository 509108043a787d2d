#ifndef BAKEN_DISCLOSURE_RIPE_ABUSE_H_
#define BAKEN_DISCLOSURE_RIPE_ABUSE_H_

// The abuse contacts of the RIPE database, from its dump files (decision 0022): `baken ripe
// load` reads ripe.db.inetnum.gz, ripe.db.inet6num.gz, ripe.db.organisation.gz and
// ripe.db.role.gz (in any order, gzip or plain) and replaces what the store held in one
// transaction; a report that reaches no member then gets, for each of its addresses, the
// abuse mailbox RIPE's own rule gives (store::RipeRepository::AbuseContactFor), as a
// suggestion with source "ripe". Dummified dumps keep abuse-c and abuse-mailbox, so the public
// files are enough.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "disclosure/rpsl.h"
#include "store/ripe_repository.h"
#include "store/store.h"

namespace baken::disclosure {

// What one object of a dump gives.
struct RipeObject {
  std::optional<store::RipeRange> range;  // an inetnum or inet6num worth keeping
  // A role with an abuse mailbox: its handle (upper-case) and the mailbox.
  std::optional<std::pair<std::string, std::string>> role;
  // An organisation with an abuse-c: its handle and the abuse-c, both upper-case.
  std::optional<std::pair<std::string, std::string>> organisation;
  // Why the object was not taken, when it should have been (a range that does not parse, a
  // mailbox that is no address); empty for objects that are simply not needed.
  std::string problem;
};

// Reads one object. Only objects with "source: RIPE" count; ranges that carry no abuse-c, no
// organisation and no registry maintainer are not kept (their contact is their parent's), nor
// are the roots of the address space.
RipeObject ReadRipeObject(const RpslObject& object);

struct RipeLoadSummary {
  int64_t ranges = 0;
  int64_t organisations = 0;
  int64_t roles = 0;
  int64_t objects = 0;                // read in all
  int64_t refused = 0;                // broken, or with a problem
  std::vector<std::string> problems;  // the first 20, each naming the file and line
};

// Reads the files and replaces the RIPE data in the store, all in one write transaction with
// its audit entry ("ripe.load", by `who`): a file that cannot be read leaves the store as it
// was. `now` is the load's time as stored.
Result<RipeLoadSummary> LoadRipeDump(store::Store& store, const std::vector<std::string>& paths,
                                     const auth::Principal& who, std::string_view now);

// For up to `limit` items of open reports that reach no member, once per report and item: the
// abuse contact the loaded RIPE data gives for the item's address (an IP address, or a URL
// whose host is one), kept as a suggestion with source "ripe" — also when there is none, so
// that an item is looked at once. Nothing while no RIPE data was loaded. Returns how many
// items were looked at.
Result<int64_t> SuggestRipeContacts(store::Store& store, const std::string& now, int64_t limit);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_RIPE_ABUSE_H_
