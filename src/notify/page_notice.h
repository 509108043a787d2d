#ifndef BAKEN_NOTIFY_PAGE_NOTICE_H_
#define BAKEN_NOTIFY_PAGE_NOTICE_H_

// A page for the analyst on call as an e-mail (decision 0019), subject and text from
// templates/page/ (compiled in). It carries the page's number, severity and kind of source and
// a link to acknowledge it, never what the page is about: that is behind sign-in. Pure, like
// incident_notice.h.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"

namespace baken::notify {

struct PageNotice {
  std::string message_id;  // without <>
  std::string language;    // "nl" (also when empty) or "en"
  int64_t page_id = 0;
  std::string severity;  // critical, high, low
  std::string source;    // incident, breach, heartbeat, manual
  int64_t round = 0;     // shown counting from 1
  int64_t step = 0;      // likewise
  std::string link;      // where to acknowledge it; empty: none
  std::string sender;
  std::vector<Recipient> to;
  std::string date;
};

// Fails with kInvalidArgument (naming the field) when it has no recipients, its message id is
// not acceptable, or its link is not an http(s) URL.
Result<RenderedMessage> RenderPageNotice(const PageNotice& notice);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_PAGE_NOTICE_H_
