#ifndef BAKEN_NOTIFY_INTEL_WARNING_H_
#define BAKEN_NOTIFY_INTEL_WARNING_H_

// A warning that an indicator a member may receive was seen at another member (decision 0023,
// "Sightings that warn"): what was seen, when and how often, and who saw it only when that
// member agreed to be named. Up to AMBER the value is in the e-mail; at AMBER+STRICT only that
// there is a sighting, to be read in Baken.

#include <string>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"
#include "notify/mime.h"

namespace baken::notify {

struct IntelWarning {
  std::string message_id;   // without <>
  std::string language;     // "nl" (also when empty) or "en"
  std::string member_name;  // the member warned
  int64_t indicator_id = 0;
  std::string kind;   // the indicator's kind (ip, domain, ...)
  std::string value;  // the indicator's value
  std::string event_title;
  std::string seen_at;  // when it was seen (UTC)
  int64_t count = 1;
  std::string seen_by;  // the sighter's name, only when it agreed to be named; else empty
  int64_t others = 0;   // how many members saw it before this one
  std::string tlp;
  std::string sender;
  std::vector<Recipient> to;
  std::string date;
};

Result<RenderedMessage> RenderIntelWarning(const IntelWarning& warning);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_INTEL_WARNING_H_
