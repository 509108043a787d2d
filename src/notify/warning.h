#ifndef BAKEN_NOTIFY_WARNING_H_
#define BAKEN_NOTIFY_WARNING_H_

// Turns one vulnerability warning (one member, one advisory) into a complete e-mail: subject
// and text from the Mustache templates in templates/warning/ (compiled in), the member's
// affected systems as a CSV attachment, and the MIME message. Pure, like digest.h: the same
// warning always gives the same bytes. Every string may be hostile (asset names come from
// members, advisory texts from publishers): values are data, never template source.

#include <string>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"

namespace baken::notify {

struct WarningRow {
  std::string asset;
  std::string outcome;  // "affected" or "unknown" (the member must check its version)
  std::string risk;     // "Urgent", "Hoog", "Normaal", "Laag"
  std::vector<std::string> cves;
  std::vector<std::string> risk_reasons;
  std::vector<std::string> reasons;       // why this outcome
  std::vector<std::string> remediations;  // "vendor_fix: Update to 4.2 or later."
};

struct Warning {
  std::string message_id;  // without <>
  std::string language;    // "nl" (also when empty) or "en"
  std::string member_code;
  std::string member_name;
  std::string advisory_id;  // "RHSA-2023:1441", "CVE-2024-7264"
  std::string title;
  std::string description;  // the advisory's summary, may be empty
  std::string tlp;          // at least AMBER: a warning says which systems are weak
  std::vector<WarningRow> rows;
  std::vector<std::string> changes;  // since the last warning about this advisory; empty: new
  std::string from;
  std::vector<Recipient> to;
  std::string date;
};

// Fails with kInvalidArgument (naming the field) when the warning has no rows or recipients,
// or its message id, TLP or language is not acceptable.
Result<RenderedMessage> RenderWarning(const Warning& warning);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_WARNING_H_
