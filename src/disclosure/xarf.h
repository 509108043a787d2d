#ifndef BAKEN_DISCLOSURE_XARF_H_
#define BAKEN_DISCLOSURE_XARF_H_

// X-ARF, the abuse reporting format of machine senders (decision 0021), inside a mail:
//   0.1 and 0.2: a header "X-ARF: yes" or "X-XARF: PLAIN"; the second part, report.txt, holds
//     "Key: value" lines (called YAML, but real senders write lines YAML refuses, such as
//     blocklist.de's "Report-ID: @blocklist.de", so they are read as lines);
//   v3 and v4: a JSON attachment xarf.json (v4 has "xarf_version", v3 "Version": "3").
// Only what routing and the analyst need is read; the mail itself is archived whole.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "mail/message.h"

namespace baken::disclosure {

struct XarfReport {
  std::string version;   // "0.1", "0.2", "3", "4"
  std::string category;  // as the sender gave it ("abuse", "vulnerability", "Vulnerability")
  std::string type;      // ("regbot", "cve", "OpenService")
  std::vector<std::string> sources;  // what the report is about: IP addresses, URLs, hosts
  std::string severity;              // critical, high, medium, low; empty when not given
  std::string reporter_organisation;
  std::string reporter_email;
  std::string description;
  // "Name: value" lines worth showing an analyst (report id, service, port, CVE, date).
  std::vector<std::string> facts;
  std::vector<mail::MailPart> evidence;  // decoded
};

// nullopt when `message` is not X-ARF; an error (kInvalidArgument) when it says it is and its
// report cannot be read.
Result<std::optional<XarfReport>> ReadXarf(const mail::MailMessage& message);

// The two readers, for the fuzz targets and tests.
Result<XarfReport> ReadXarfLines(std::string_view report_txt);
Result<XarfReport> ReadXarfJson(std::string_view text);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_XARF_H_
