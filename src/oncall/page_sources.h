#ifndef BAKEN_ONCALL_PAGE_SOURCES_H_
#define BAKEN_ONCALL_PAGE_SOURCES_H_

// What Baken pages for by itself (decision 0019), checked by the escalate job before it moves
// pages on: an urgent incident that is not closed; a data breach whose deadline for the AP is
// close with no decision yet; a daily feed that stayed away (a heartbeat). Each problem pages
// once — its dedup key (incident:<id>, breach:<participation>, heartbeat:<feed>:<last arrival>)
// is never raised twice, also not after its page was resolved — to the default policy; without
// one nothing is raised and the summary says so. A heartbeat's page is resolved by Baken when
// the feed arrives again.

#include <chrono>
#include <map>
#include <string>

#include "common/error.h"
#include "oncall/paging_service.h"

namespace baken::oncall {

struct PageSources {
  std::chrono::hours breach_warning{12};                              // before the deadline
  std::map<std::string, std::chrono::hours, std::less<>> heartbeats;  // feed → within
};

// Raises what is due now. Counts into `summary`: "raised", "settled" (heartbeats resolved);
// "no_default_policy" when there is none to page with.
Status RaisePages(store::Store& store, const Clock& clock, const PageSources& sources,
                  Json& summary);

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_PAGE_SOURCES_H_
