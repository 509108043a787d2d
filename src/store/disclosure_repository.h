#ifndef BAKEN_STORE_DISCLOSURE_REPOSITORY_H_
#define BAKEN_STORE_DISCLOSURE_REPOSITORY_H_

// Researchers' reports as stored (docs/decisions/0020-disclosure.md): the report, the items it
// names with where each was routed, a notification per member, the threads, evidence, the
// reporter's status links (hashes only), the report's history, the public form's challenges,
// and the e-mails still to plan. Reached through Transaction::Disclosure(). The rules (states,
// what a member reads of a report) are in src/disclosure.
//
// Scope: a member's scope holds its own notifications and nothing else here; a report itself is
// read by staff, and by a member only through its notification (disclosure::ReportService).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "registry/scope.h"

namespace baken::store {

struct VulnerabilityReport {
  int64_t id = 0;
  std::string channel = "form";  // disclosure::Channels()
  std::string title;
  std::string description;
  std::string severity = "unknown";
  std::optional<std::string> reporter_name;
  std::optional<std::string> reporter_email;
  std::optional<std::string> reporter_organisation;
  std::string reporter_language = "nl";
  bool share_details = false;  // members may see who reported it
  bool credit = false;
  std::optional<std::string> credit_as;
  bool wants_updates = false;
  std::string tlp = "AMBER";
  std::optional<std::string> member_summary;  // what members read instead of the reporter's text
  std::string state = "received";
  std::optional<std::string> state_reason;
  std::optional<int64_t> merged_into;
  std::optional<int64_t> incident_id;
  std::string source_key;  // the sender, hashed
  std::string submitted_by = "public";
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> closed_at;
};

// One thing a report names: an IP address, host name, URL, e-mail domain or product, in its
// canonical form, and the member it was routed to (none for a product: its candidates are
// notifications).
struct ReportItem {
  int64_t id = 0;
  int64_t report_id = 0;
  std::string kind;
  std::string value;
  std::optional<std::string> member;
  std::optional<std::string> route_reason;  // netblock, domain, inventory, analyst
  std::optional<std::string> route_match;
};

struct VulnerabilityNotification {
  int64_t id = 0;
  int64_t report_id = 0;
  std::string member;
  std::string member_name;  // read only, for lists
  std::string state = "notified";
  std::string routed_by;
  bool named = false;  // the member agreed that the reporter sees its name
  std::optional<std::string> member_reference;
  std::optional<std::string> note;
  std::optional<std::string> notified_at;
  std::optional<std::string> seen_at;
  std::optional<std::string> acknowledged_at;
  std::optional<std::string> acknowledged_by;
  std::optional<std::string> answered_at;
  std::optional<std::string> answered_by;
  std::optional<std::string> due_at;
  int64_t reminders = 0;
  std::string created_at;
  std::string updated_at;
};

// A message in a report's threads: with the reporter (`member` unset) or with one member.
struct ReportMessage {
  int64_t id = 0;
  int64_t report_id = 0;
  std::optional<std::string> member;
  std::string author;  // an actor, or "reporter"
  std::string text;
  bool for_reporter = false;  // a member's message meant for the reporter
  std::optional<std::string> released_at;
  std::optional<std::string> released_by;
  std::string at;
};

// Evidence: the bytes as received (`content`, empty in lists) and their SHA-256.
struct ReportAttachment {
  int64_t id = 0;
  int64_t report_id = 0;
  std::string name;
  std::string media_type;
  int64_t size = 0;
  std::string sha256;
  std::string content;
  std::string added_by;
  std::string added_at;
};

// An e-mail a report came in (`raw`, empty in lists), for the analysts only.
struct ReportMail {
  int64_t id = 0;
  int64_t report_id = 0;
  std::string message_id;
  std::string sender;
  std::string format;
  bool encrypted = false;
  std::string signature = "none";
  std::string signer;
  int64_t size = 0;
  std::string sha256;
  std::string raw;
  std::string received_at;
};

struct ReportHistoryEntry {
  int64_t id = 0;
  int64_t report_id = 0;
  std::optional<std::string> member;  // a notification's change
  std::string at;
  std::string actor;
  std::string action;
  std::optional<std::string> from_state;
  std::optional<std::string> to_state;
  std::optional<std::string> detail;
};

// An e-mail to plan: to a member (notice, reminder), to the analysts (no_response) or to the
// reporter (received, update).
struct ReportNotice {
  int64_t id = 0;
  int64_t report_id = 0;
  std::optional<std::string> member;
  std::string kind;
  std::string created_at;
};

// Where a report that reaches no member may go: what a lookup found for one of its items.
struct ReportSuggestion {
  int64_t id = 0;
  int64_t report_id = 0;
  std::string item;
  std::string source;    // security.txt, ripe
  std::string location;  // the URL asked
  std::vector<std::string> contacts;
  std::optional<std::string> detail;
  std::string found_at;
};

struct ReportQuery {
  std::optional<std::string> state;
  bool unrouted_only =
      false;  // reports that reach no member yet (no notification beyond candidates)
  std::optional<std::string> from;  // received at or after (UTC)
  std::optional<std::string> to;    // received before
  int64_t limit = 100;
  int64_t offset = 0;
};

class DisclosureRepository {
 public:
  virtual ~DisclosureRepository() = default;

  virtual Result<int64_t> AddReport(const VulnerabilityReport& report) = 0;
  virtual Result<std::optional<VulnerabilityReport>> FindReport(int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<VulnerabilityReport>> Reports(const ReportQuery& query) = 0;
  virtual Result<int64_t> CountReports(const ReportQuery& query) = 0;
  // Saves the fields an analyst or a transition changes: tlp, member summary, state and its
  // reason, merged_into, incident, updated_at, closed_at; only while the stored report is still
  // in `from_state` (false otherwise: someone changed it meanwhile).
  virtual Result<bool> SaveReport(const VulnerabilityReport& report,
                                  std::string_view from_state) = 0;
  // Reports from `source_key` created at or after `since`.
  virtual Result<int64_t> CountReportsFrom(std::string_view source_key, std::string_view since) = 0;

  // The reports merged into `report_id` as its duplicates, oldest first.
  virtual Result<std::vector<VulnerabilityReport>> Duplicates(int64_t report_id) = 0;

  virtual Result<int64_t> AddItem(const ReportItem& item) = 0;
  virtual Result<std::vector<ReportItem>> Items(int64_t report_id) = 0;

  // Adds the notification unless the member has one for the report already; the id of the
  // new one, or nullopt.
  virtual Result<std::optional<int64_t>> AddNotification(
      const VulnerabilityNotification& notification) = 0;
  // A report's notifications, by member.
  virtual Result<std::vector<VulnerabilityNotification>> Notifications(int64_t report_id) = 0;
  virtual Result<std::optional<VulnerabilityNotification>> FindNotification(
      const registry::Scope& scope, int64_t id) = 0;
  // The notifications in scope (a member's own), newest first; proposed and withdrawn ones
  // only when `with_inactive`.
  virtual Result<std::vector<VulnerabilityNotification>> ListNotifications(
      const registry::Scope& scope, bool with_inactive, int64_t limit, int64_t offset) = 0;
  // Saves the state, its times, reminders, due time, named, reference and note; only while the
  // stored one still has `from_state` and `from_reminders` (false otherwise: another process or
  // person changed it meanwhile).
  virtual Result<bool> SaveNotification(const VulnerabilityNotification& notification,
                                        std::string_view from_state, int64_t from_reminders) = 0;
  // A merge: the notification, with the member's thread on its report, goes to `to_report`
  // (which has no notification for that member).
  virtual Status MoveNotification(const VulnerabilityNotification& notification,
                                  int64_t to_report) = 0;
  // Notifications waiting for an answer whose due time has passed, oldest due first; none of a
  // closed or invalid report.
  virtual Result<std::vector<VulnerabilityNotification>> DueNotifications(std::string_view now,
                                                                          int64_t limit) = 0;

  virtual Result<int64_t> AddMessage(const ReportMessage& message) = 0;
  virtual Result<std::vector<ReportMessage>> Messages(int64_t report_id) = 0;
  virtual Status SaveMessage(const ReportMessage& message) = 0;  // its release

  virtual Result<int64_t> AddAttachment(const ReportAttachment& attachment) = 0;
  // Without their content.
  virtual Result<std::vector<ReportAttachment>> Attachments(int64_t report_id) = 0;
  virtual Result<std::optional<ReportAttachment>> Attachment(int64_t report_id, int64_t id) = 0;

  virtual Result<int64_t> AddMail(const ReportMail& mail) = 0;
  // The report a message with this SHA-256 was taken in as, if any.
  virtual Result<std::optional<int64_t>> ReportOfMail(std::string_view sha256) = 0;
  // Without the message itself.
  virtual Result<std::vector<ReportMail>> Mails(int64_t report_id) = 0;
  virtual Result<std::optional<ReportMail>> Mail(int64_t report_id, int64_t id) = 0;

  virtual Status AddLink(std::string_view token_sha256, int64_t report_id,
                         std::string_view expires_at, std::string_view now) = 0;
  // The report a link leads to while it has not expired.
  virtual Result<std::optional<int64_t>> ReportOfLink(std::string_view token_sha256,
                                                      std::string_view now) = 0;

  virtual Status AddHistory(const ReportHistoryEntry& entry) = 0;
  virtual Result<std::vector<ReportHistoryEntry>> History(int64_t report_id) = 0;

  virtual Status AddChallenge(std::string_view challenge_sha256, int64_t bits,
                              std::string_view source_key, std::string_view expires_at,
                              std::string_view now) = 0;
  // Takes the challenge: its bits when it was unused and unexpired (it is used now), else
  // nullopt. Two submissions with one challenge: one wins.
  virtual Result<std::optional<int64_t>> UseChallenge(std::string_view challenge_sha256,
                                                      std::string_view now) = 0;
  virtual Result<int64_t> CountChallengesFrom(std::string_view source_key,
                                              std::string_view since) = 0;
  // Removes challenges that expired before `before`.
  virtual Status PurgeChallenges(std::string_view before) = 0;

  // Items of open reports (received, valid, accepted) that reach no member and have no
  // suggestion from `source` yet, oldest first: the hosts to look up.
  virtual Result<std::vector<ReportItem>> ItemsToLookUp(std::string_view source, int64_t limit) = 0;
  // Keeps the first suggestion for a report's item and source (another process may have
  // looked it up meanwhile).
  virtual Status AddSuggestion(const ReportSuggestion& suggestion) = 0;
  virtual Result<std::vector<ReportSuggestion>> Suggestions(int64_t report_id) = 0;

  virtual Status AddNotice(const ReportNotice& notice) = 0;
  virtual Result<std::vector<ReportNotice>> UnplannedNotices(int64_t limit) = 0;
  // Marks the notice planned; false when another process planned it already.
  virtual Result<bool> MarkNoticePlanned(int64_t id, std::string_view now) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_DISCLOSURE_REPOSITORY_H_
