#ifndef BAKEN_SERVICE_LEASES_H_
#define BAKEN_SERVICE_LEASES_H_

// Who holds shared work (docs/decisions/0017-shared-work.md). A process that takes a unit of
// work or an outbox message holds it with a lease in its name; another process takes it over
// when the lease has run out. A process on the same machine can tell sooner: when the holder
// is named "HOST:PID" with this machine's name and no process PID exists any more, it is
// gone (killed, crashed), and its leases are ended at once. On another machine, or under a
// name of the operator's (`baken worker --id`), the lease alone decides.

#include <string>
#include <string_view>

#include "common/error.h"
#include "store/store.h"

namespace baken::service {

// "HOST:PID" of this process: the default name of a worker or a notify run.
std::string ProcessOwnerName();

// True when `owner` names a process of this machine that no longer exists.
bool LocalProcessGone(std::string_view owner);

// Ends the leases (on units of work and on outbox messages) of the processes of this machine
// that are gone; within the caller's write transaction.
Status EndLeasesOfGoneProcesses(store::Transaction& tx, std::string_view now);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_LEASES_H_
