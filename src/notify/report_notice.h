#ifndef BAKEN_NOTIFY_REPORT_NOTICE_H_
#define BAKEN_NOTIFY_REPORT_NOTICE_H_

// The e-mails about a researcher's report (decision 0020), subject and text from
// templates/report/ (compiled in): to a member, that there is a report for it (or a reminder);
// to the analysts, that a member did not answer; to the reporter, that the report arrived or
// has news, with a status link. None carries what the report says or whom it concerns. Pure,
// like page_notice.h.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"

namespace baken::notify {

struct ReportMail {
  enum class To { kMember, kAnalysts, kReporter };
  To to_whom = To::kMember;
  std::string message_id;  // without <>
  std::string language;    // "nl" (also when empty) or "en"
  std::string reference;   // "CVD-2026-00017"
  std::string link;        // the portal's page, or the reporter's status link; may be empty
                           // except for the reporter
  // To a member.
  std::string member_name;
  int64_t reminder = 0;  // 0: the first notice; n: the n-th reminder
  std::string due;       // a date the answer is asked for; may be empty
  // To the analysts.
  int64_t reminders = 0;
  // To the reporter.
  bool received = false;     // the first message; else news
  std::string link_expires;  // a date
  std::string sender;        // the From header
  std::string sender_name;   // who signs it
  std::vector<Recipient> to;
  std::string date;
};

// Fails with kInvalidArgument (naming the field) when it has no recipients, its message id is
// not acceptable, or its link is not an http(s) URL (a reporter's mail needs one).
Result<RenderedMessage> RenderReportMail(const ReportMail& mail);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_REPORT_NOTICE_H_
