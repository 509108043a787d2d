#ifndef BAKEN_DISCLOSURE_SUBMISSION_H_
#define BAKEN_DISCLOSURE_SUBMISSION_H_

// A researcher's report as it arrives (the public form, the API, later e-mail and partners'
// JSON), read into what is stored, with every problem named in the reader's language. Hostile
// input: every text is bounded and checked for control characters and for markup meant to run
// (decision 0020), every IP address, host name, URL and domain is parsed into its canonical
// form, attachments are bounded in number and size.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "store/disclosure_repository.h"

namespace baken::disclosure {

using Json = nlohmann::ordered_json;

inline constexpr size_t kMaxTitle = 200;
inline constexpr size_t kMaxDescription = 20000;
inline constexpr size_t kMaxItems = 100;  // per kind
inline constexpr size_t kMaxAttachments = 3;
inline constexpr int64_t kMaxAttachmentBytes = int64_t{512} << 10;
// The largest body the public route reads: the attachments in base64 and the text.
inline constexpr size_t kMaxSubmissionBytes =
    static_cast<size_t>(kMaxAttachmentBytes) * kMaxAttachments / 3 * 4 + (64 << 10);

struct NamedItem {
  std::string kind;   // ip, host, url, email_domain, product
  std::string value;  // canonical: an address, a lower-case name, a URL, "vendor|product|version"
};

struct Submission {
  store::VulnerabilityReport report;  // the reporter's fields; the caller sets the rest
  std::vector<NamedItem> items;
  std::vector<store::ReportAttachment> attachments;  // name, media type, content, size, sha256
};

// The fields of a submission (see the OpenAPI document's VulnerabilityReportSubmission), except
// the proof of work's `challenge` and `nonce`, which the public route reads itself and which
// are allowed here so that one body serves both.
// A report by e-mail may name nothing Baken can read (an analyst routes it); one by form or API
// must name something.
enum class Naming { kRequired, kOptional };
Result<Submission> ReadSubmission(const Json& body, Naming naming = Naming::kRequired);

// The markup in `text` that could run in a browser (`<script`, `javascript:`, an event handler
// in a tag, …), named for the message; nullopt when there is none.
std::optional<std::string> ScriptIn(std::string_view text);

// The product item's parts ("vendor|product|version").
struct ProductName {
  std::string vendor;
  std::string product;
  std::string version;
};
ProductName SplitProduct(std::string_view value);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_SUBMISSION_H_
