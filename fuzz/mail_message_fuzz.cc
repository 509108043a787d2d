// libFuzzer target: an incoming e-mail as `baken intake mail` reads it (mail/message.h through
// GMime, then disclosure/mail_report.h and the X-ARF readers), without an OpenPGP home, as an
// MTA would pipe in anything at all. Whatever the bytes, the reading ends in a report body or a
// refusal that names the problem; the body it makes is always one the submission reader takes
// (a mail is never refused for what Baken itself put into the body).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "disclosure/mail_report.h"
#include "disclosure/submission.h"
#include "mail/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto message = baken::mail::ReadMessage(raw, nullptr);
  if (!message) {
    if (message.error().code != baken::ErrorCode::kInvalidArgument ||
        message.error().message.empty()) {
      __builtin_trap();
    }
    return 0;
  }
  // Every host counts as a member's, so that the text's host names are read too.
  const auto report = baken::disclosure::ReportFromMail(
      *message, [](std::string_view host) { return host.size() % 2 == 0; });
  if (!report) {
    if (report.error().code != baken::ErrorCode::kInvalidArgument) __builtin_trap();
    return 0;
  }
  const auto submission =
      baken::disclosure::ReadSubmission(report->submission, baken::disclosure::Naming::kOptional);
  if (!submission) {
    std::fprintf(stderr, "the body Baken made is refused: %s\n%s\n",
                 submission.error().message.c_str(), report->submission.dump().c_str());
    __builtin_trap();
  }
  return 0;
}
