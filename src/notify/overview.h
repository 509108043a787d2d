#ifndef BAKEN_NOTIFY_OVERVIEW_H_
#define BAKEN_NOTIFY_OVERVIEW_H_

// Turns a member's weekly overview of vulnerability warnings into a complete e-mail: subject
// and text from templates/overview/ (compiled in), the list as a CSV attachment, the MIME
// message. Pure, like warning.h; every string may be hostile and is data, never template.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"

namespace baken::notify {

struct OverviewLine {
  std::string advisory_id;
  std::string version;
  std::string title;
  std::string risk;
  int64_t affected = 0;
  int64_t unknown = 0;
  bool revised = false;
  std::string issued_at;
};

struct Overview {
  std::string message_id;  // without <>
  std::string language;    // "nl" (also when empty) or "en"
  std::string member_code;
  std::string member_name;
  std::string week;   // "2026-W47"
  std::string from;   // the week's Monday, "2026-11-16"
  std::string until;  // its Sunday
  std::string tlp;    // AMBER: it says which systems are weak
  std::vector<OverviewLine> lines;
  std::string sender;
  std::vector<Recipient> to;
  std::string date;
};

// Fails with kInvalidArgument (naming the field) when the overview has no lines or recipients,
// or its message id or TLP is not acceptable.
Result<RenderedMessage> RenderOverview(const Overview& overview);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_OVERVIEW_H_
