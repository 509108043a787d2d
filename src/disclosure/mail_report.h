#ifndef BAKEN_DISCLOSURE_MAIL_REPORT_H_
#define BAKEN_DISCLOSURE_MAIL_REPORT_H_

// A researcher's e-mail (plain, X-ARF, or OpenPGP-encrypted; mail/message.h opens it) made into
// the submission the other channels send (submission.h), so that one reader checks them all
// (decision 0021). What the report is about comes from X-ARF's sources, or from the text:
// every IP address and http(s) URL in it, and the host names in it that a member registered
// (a bare word with a dot is too often a file name to be taken as a host of nobody's).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "mail/message.h"

namespace baken::disclosure {

struct MailReport {
  nlohmann::ordered_json submission;  // the body ReadSubmission reads
  std::string format;                 // plain, xarf-0.1, xarf-0.2, xarf-3, xarf-4
  std::vector<std::string> notes;     // what was left out, added to the description too
};

// Whether a host name belongs to a member (the constituency's domains).
using KnownHost = std::function<bool(std::string_view host)>;

// Errors: an X-ARF report that cannot be read (kInvalidArgument, naming the part and field).
Result<MailReport> ReportFromMail(const mail::MailMessage& message, const KnownHost& known_host);

// The IP addresses, URLs and known host names in `text`, in order, each once, at most 100 of a
// kind: {"ips": [...], "urls": [...], "hosts": [...]}.
nlohmann::ordered_json ItemsInText(std::string_view text, const KnownHost& known_host);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_MAIL_REPORT_H_
