#ifndef BAKEN_NOTIFY_INCIDENT_NOTICE_H_
#define BAKEN_NOTIFY_INCIDENT_NOTICE_H_

// Turns a notice about an incident into a complete e-mail: today a data breach's reminder of
// the AP's 72 hours (decision 0018), subject and text from templates/incident/ (compiled in).
// It carries the incident's number and the deadline only, never what happened: that stays in
// Baken, where the reader's roles decide. Pure, like warning.h.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "notify/digest.h"

namespace baken::notify {

struct BreachReminder {
  std::string message_id;  // without <>
  std::string language;    // "nl" (also when empty) or "en"
  int64_t incident_id = 0;
  std::string member_code;
  std::string member_name;
  std::string aware_at;     // UTC
  std::string deadline_at;  // UTC
  int64_t hours_left = 0;   // rounded up; 0 or less: overdue
  std::string sender;
  std::vector<Recipient> to;
  std::string date;
};

// Fails with kInvalidArgument (naming the field) when it has no recipients or its message id
// is not acceptable.
Result<RenderedMessage> RenderBreachReminder(const BreachReminder& reminder);

// A message an analyst wrote to a supplier or chain partner about an incident: the text, the
// incident's number and its TLP label; never which members it concerns.
struct PartnerNotice {
  std::string message_id;  // without <>
  std::string language;    // "nl" (also when empty) or "en"
  int64_t incident_id = 0;
  std::string partner_name;
  std::string text;
  std::string tlp;
  std::string sender;
  std::vector<Recipient> to;
  std::string date;
};

Result<RenderedMessage> RenderPartnerNotice(const PartnerNotice& notice);

// News for a participant: a released coordination entry, an entry or a task for its
// participation. At AMBER+STRICT and RED only that there is news: the text and the title stay
// in Baken, behind the reader's roles.
struct IncidentNews {
  std::string message_id;  // without <>
  std::string language;
  int64_t incident_id = 0;
  std::string member_name;
  std::string title;  // the participation's title
  bool task = false;  // a request (task) rather than a message
  std::string text;
  std::string tlp;
  std::string sender;
  std::vector<Recipient> to;
  std::string date;
};

Result<RenderedMessage> RenderIncidentNews(const IncidentNews& news);

}  // namespace baken::notify

#endif  // BAKEN_NOTIFY_INCIDENT_NOTICE_H_
