#include "store/disclosure_repository.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/disclosure_repository_sql.h"

namespace baken::store {

namespace {

using sql::AllRows;
using sql::Connection;
using sql::Flag;
using sql::Statement;

constexpr std::string_view kReportColumns =
    "id, channel, title, description, severity, reporter_name, reporter_email, "
    "reporter_organisation, reporter_language, share_details, credit, credit_as, wants_updates, "
    "tlp, member_summary, state, state_reason, merged_into, incident_id, source_key, "
    "submitted_by, created_at, updated_at, closed_at";

VulnerabilityReport ReadReport(const Statement& row) {
  VulnerabilityReport report;
  report.id = row.ColumnInt(0);
  report.channel = row.ColumnText(1);
  report.title = row.ColumnText(2);
  report.description = row.ColumnText(3);
  report.severity = row.ColumnText(4);
  report.reporter_name = row.ColumnOptionalText(5);
  report.reporter_email = row.ColumnOptionalText(6);
  report.reporter_organisation = row.ColumnOptionalText(7);
  report.reporter_language = row.ColumnText(8);
  report.share_details = row.ColumnInt(9) != 0;
  report.credit = row.ColumnInt(10) != 0;
  report.credit_as = row.ColumnOptionalText(11);
  report.wants_updates = row.ColumnInt(12) != 0;
  report.tlp = row.ColumnText(13);
  report.member_summary = row.ColumnOptionalText(14);
  report.state = row.ColumnText(15);
  report.state_reason = row.ColumnOptionalText(16);
  report.merged_into = row.ColumnOptionalInt(17);
  report.incident_id = row.ColumnOptionalInt(18);
  report.source_key = row.ColumnText(19);
  report.submitted_by = row.ColumnText(20);
  report.created_at = row.ColumnText(21);
  report.updated_at = row.ColumnText(22);
  report.closed_at = row.ColumnOptionalText(23);
  return report;
}

constexpr std::string_view kItemColumns =
    "id, report_id, kind, value, member_code, route_reason, route_match";

ReportItem ReadItem(const Statement& row) {
  ReportItem item;
  item.id = row.ColumnInt(0);
  item.report_id = row.ColumnInt(1);
  item.kind = row.ColumnText(2);
  item.value = row.ColumnText(3);
  item.member = row.ColumnOptionalText(4);
  item.route_reason = row.ColumnOptionalText(5);
  item.route_match = row.ColumnOptionalText(6);
  return item;
}

constexpr std::string_view kNotificationColumns =
    "n.id, n.report_id, n.member_code, m.name, n.state, n.routed_by, n.named, "
    "n.member_reference, n.note, n.notified_at, n.seen_at, n.acknowledged_at, "
    "n.acknowledged_by, n.answered_at, n.answered_by, n.due_at, n.reminders, n.created_at, "
    "n.updated_at";
constexpr std::string_view kNotificationFrom =
    "vulnerability_notifications n JOIN members m ON m.code = n.member_code";

VulnerabilityNotification ReadNotification(const Statement& row) {
  VulnerabilityNotification notification;
  notification.id = row.ColumnInt(0);
  notification.report_id = row.ColumnInt(1);
  notification.member = row.ColumnText(2);
  notification.member_name = row.ColumnText(3);
  notification.state = row.ColumnText(4);
  notification.routed_by = row.ColumnText(5);
  notification.named = row.ColumnInt(6) != 0;
  notification.member_reference = row.ColumnOptionalText(7);
  notification.note = row.ColumnOptionalText(8);
  notification.notified_at = row.ColumnOptionalText(9);
  notification.seen_at = row.ColumnOptionalText(10);
  notification.acknowledged_at = row.ColumnOptionalText(11);
  notification.acknowledged_by = row.ColumnOptionalText(12);
  notification.answered_at = row.ColumnOptionalText(13);
  notification.answered_by = row.ColumnOptionalText(14);
  notification.due_at = row.ColumnOptionalText(15);
  notification.reminders = row.ColumnInt(16);
  notification.created_at = row.ColumnText(17);
  notification.updated_at = row.ColumnText(18);
  return notification;
}

constexpr std::string_view kMessageColumns =
    "id, report_id, member_code, author, text, for_reporter, released_at, released_by, at";

ReportMessage ReadMessage(const Statement& row) {
  ReportMessage message;
  message.id = row.ColumnInt(0);
  message.report_id = row.ColumnInt(1);
  message.member = row.ColumnOptionalText(2);
  message.author = row.ColumnText(3);
  message.text = row.ColumnText(4);
  message.for_reporter = row.ColumnInt(5) != 0;
  message.released_at = row.ColumnOptionalText(6);
  message.released_by = row.ColumnOptionalText(7);
  message.at = row.ColumnText(8);
  return message;
}

std::string AttachmentColumns(bool with_content) {
  return fmt::format("id, report_id, name, media_type, size, sha256, {}, added_by, added_at",
                     with_content ? "content" : "''");
}

ReportAttachment ReadAttachment(const Statement& row) {
  ReportAttachment attachment;
  attachment.id = row.ColumnInt(0);
  attachment.report_id = row.ColumnInt(1);
  attachment.name = row.ColumnText(2);
  attachment.media_type = row.ColumnText(3);
  attachment.size = row.ColumnInt(4);
  attachment.sha256 = row.ColumnText(5);
  attachment.content = std::string(row.ColumnBlob(6));
  attachment.added_by = row.ColumnText(7);
  attachment.added_at = row.ColumnText(8);
  return attachment;
}

std::string MailColumns(bool with_raw) {
  return fmt::format(
      "id, report_id, message_id, sender, format, encrypted, signature, signer, size, sha256, "
      "{}, received_at",
      with_raw ? "raw" : "''");
}

ReportMail ReadMail(const Statement& row) {
  ReportMail mail;
  mail.id = row.ColumnInt(0);
  mail.report_id = row.ColumnInt(1);
  mail.message_id = row.ColumnText(2);
  mail.sender = row.ColumnText(3);
  mail.format = row.ColumnText(4);
  mail.encrypted = row.ColumnInt(5) != 0;
  mail.signature = row.ColumnText(6);
  mail.signer = row.ColumnText(7);
  mail.size = row.ColumnInt(8);
  mail.sha256 = row.ColumnText(9);
  mail.raw = std::string(row.ColumnBlob(10));
  mail.received_at = row.ColumnText(11);
  return mail;
}

ReportHistoryEntry ReadHistory(const Statement& row) {
  ReportHistoryEntry entry;
  entry.id = row.ColumnInt(0);
  entry.report_id = row.ColumnInt(1);
  entry.member = row.ColumnOptionalText(2);
  entry.at = row.ColumnText(3);
  entry.actor = row.ColumnText(4);
  entry.action = row.ColumnText(5);
  entry.from_state = row.ColumnOptionalText(6);
  entry.to_state = row.ColumnOptionalText(7);
  entry.detail = row.ColumnOptionalText(8);
  return entry;
}

ReportNotice ReadNotice(const Statement& row) {
  ReportNotice notice;
  notice.id = row.ColumnInt(0);
  notice.report_id = row.ColumnInt(1);
  notice.member = row.ColumnOptionalText(2);
  notice.kind = row.ColumnText(3);
  notice.created_at = row.ColumnText(4);
  return notice;
}

// The report list's conditions: ?1 the state (or NULL), ?2 1 for reports that reach no member
// (candidates reach no one until an analyst confirms them), ?3 and ?4 the period they came in
// (or NULL).
constexpr std::string_view kReportWhere =
    "(?1 IS NULL OR state = ?1) AND (?2 = 0 OR NOT EXISTS (SELECT 1 FROM "
    "vulnerability_notifications n WHERE n.report_id = vulnerability_reports.id AND n.state NOT "
    "IN ('proposed', 'withdrawn'))) AND (?3 IS NULL OR created_at >= ?3) AND (?4 IS NULL OR "
    "created_at < ?4)";

void BindReportQuery(Statement& select, const ReportQuery& query) {
  select.Bind(1, query.state)
      .Bind(2, Flag(query.unrouted_only))
      .Bind(3, query.from)
      .Bind(4, query.to);
}

class SqlDisclosureRepository final : public DisclosureRepository {
 public:
  explicit SqlDisclosureRepository(Connection& db) : db_(db) {}

  Result<int64_t> AddReport(const VulnerabilityReport& report) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_reports (channel, title, description, severity, "
                    "reporter_name, reporter_email, reporter_organisation, reporter_language, "
                    "share_details, credit, credit_as, wants_updates, tlp, member_summary, "
                    "state, state_reason, merged_into, incident_id, source_key, submitted_by, "
                    "created_at, updated_at, closed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23) "
                    "RETURNING id"));
    insert.Bind(1, report.channel)
        .Bind(2, report.title)
        .Bind(3, report.description)
        .Bind(4, report.severity)
        .Bind(5, report.reporter_name)
        .Bind(6, report.reporter_email)
        .Bind(7, report.reporter_organisation)
        .Bind(8, report.reporter_language)
        .Bind(9, Flag(report.share_details))
        .Bind(10, Flag(report.credit))
        .Bind(11, report.credit_as)
        .Bind(12, Flag(report.wants_updates))
        .Bind(13, report.tlp)
        .Bind(14, report.member_summary)
        .Bind(15, report.state)
        .Bind(16, report.state_reason)
        .Bind(17, report.merged_into)
        .Bind(18, report.incident_id)
        .Bind(19, report.source_key)
        .Bind(20, report.submitted_by)
        .Bind(21, report.created_at)
        .Bind(22, report.updated_at)
        .Bind(23, report.closed_at);
    return sql::InsertedId(insert);
  }

  Result<std::optional<VulnerabilityReport>> FindReport(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            fmt::format("SELECT {} FROM vulnerability_reports WHERE id = ?1", kReportColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<VulnerabilityReport>();
    return std::optional<VulnerabilityReport>(ReadReport(select));
  }

  Result<std::vector<VulnerabilityReport>> Reports(const ReportQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM vulnerability_reports WHERE {} ORDER BY id DESC "
                                "LIMIT ?5 OFFSET ?6",
                                kReportColumns, kReportWhere)));
    BindReportQuery(select, query);
    select.Bind(5, sql::Limit(query.limit)).Bind(6, query.offset);
    return AllRows(select, ReadReport);
  }

  Result<std::vector<VulnerabilityReport>> Duplicates(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(fmt::format("SELECT {} FROM vulnerability_reports WHERE "
                                                   "merged_into = ?1 ORDER BY id",
                                                   kReportColumns)));
    select.Bind(1, report_id);
    return AllRows(select, ReadReport);
  }

  Result<int64_t> CountReports(const ReportQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            fmt::format("SELECT count(*) FROM vulnerability_reports WHERE {}", kReportWhere)));
    BindReportQuery(select, query);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnInt(0) : int64_t{0};
  }

  Result<bool> SaveReport(const VulnerabilityReport& report, std::string_view from_state) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE vulnerability_reports SET tlp = ?2, member_summary = ?3, state = ?4, "
                    "state_reason = ?5, merged_into = ?6, incident_id = ?7, updated_at = ?8, "
                    "closed_at = ?9 WHERE id = ?1 AND state = ?10"));
    update.Bind(1, report.id)
        .Bind(2, report.tlp)
        .Bind(3, report.member_summary)
        .Bind(4, report.state)
        .Bind(5, report.state_reason)
        .Bind(6, report.merged_into)
        .Bind(7, report.incident_id)
        .Bind(8, report.updated_at)
        .Bind(9, report.closed_at)
        .Bind(10, from_state);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Result<int64_t> CountReportsFrom(std::string_view source_key, std::string_view since) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT count(*) FROM vulnerability_reports WHERE source_key = ?1 AND "
                    "created_at >= ?2"));
    select.Bind(1, source_key).Bind(2, since);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnInt(0) : int64_t{0};
  }

  Result<int64_t> AddItem(const ReportItem& item) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_items (report_id, kind, value, member_code, "
                    "route_reason, route_match) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"));
    insert.Bind(1, item.report_id)
        .Bind(2, item.kind)
        .Bind(3, item.value)
        .Bind(4, item.member)
        .Bind(5, item.route_reason)
        .Bind(6, item.route_match);
    return sql::InsertedId(insert);
  }

  Result<std::vector<ReportItem>> Items(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT {} FROM vulnerability_report_items WHERE report_id = ?1 ORDER BY id",
            kItemColumns)));
    select.Bind(1, report_id);
    return AllRows(select, ReadItem);
  }

  Result<std::optional<int64_t>> AddNotification(
      const VulnerabilityNotification& notification) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_notifications (report_id, member_code, state, "
                    "routed_by, named, member_reference, note, notified_at, seen_at, "
                    "acknowledged_at, acknowledged_by, answered_at, answered_by, due_at, "
                    "reminders, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) ON CONFLICT (report_id, "
                    "member_code) DO NOTHING RETURNING id"));
    insert.Bind(1, notification.report_id)
        .Bind(2, notification.member)
        .Bind(3, notification.state)
        .Bind(4, notification.routed_by)
        .Bind(5, Flag(notification.named))
        .Bind(6, notification.member_reference)
        .Bind(7, notification.note)
        .Bind(8, notification.notified_at)
        .Bind(9, notification.seen_at)
        .Bind(10, notification.acknowledged_at)
        .Bind(11, notification.acknowledged_by)
        .Bind(12, notification.answered_at)
        .Bind(13, notification.answered_by)
        .Bind(14, notification.due_at)
        .Bind(15, notification.reminders)
        .Bind(16, notification.created_at)
        .Bind(17, notification.updated_at);
    return sql::InsertedIdIfAny(insert);
  }

  Result<std::vector<VulnerabilityNotification>> Notifications(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM {} WHERE n.report_id = ?1 ORDER BY n.member_code",
                                kNotificationColumns, kNotificationFrom)));
    select.Bind(1, report_id);
    return AllRows(select, ReadNotification);
  }

  Result<std::optional<VulnerabilityNotification>> FindNotification(const registry::Scope& scope,
                                                                    int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            fmt::format("SELECT {} FROM {} WHERE n.id = ?1 AND (?2 IS NULL OR n.member_code = ?2)",
                        kNotificationColumns, kNotificationFrom)));
    select.Bind(1, id).Bind(2, scope.member());
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<VulnerabilityNotification>();
    return std::optional<VulnerabilityNotification>(ReadNotification(select));
  }

  Result<std::vector<VulnerabilityNotification>> ListNotifications(const registry::Scope& scope,
                                                                   bool with_inactive,
                                                                   int64_t limit,
                                                                   int64_t offset) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT {} FROM {} WHERE (?1 IS NULL OR n.member_code = ?1) AND (?2 = 1 OR n.state "
            "NOT IN ('proposed', 'withdrawn')) ORDER BY n.id DESC LIMIT ?3 OFFSET ?4",
            kNotificationColumns, kNotificationFrom)));
    select.Bind(1, scope.member())
        .Bind(2, Flag(with_inactive))
        .Bind(3, sql::Limit(limit))
        .Bind(4, offset);
    return AllRows(select, ReadNotification);
  }

  Result<bool> SaveNotification(const VulnerabilityNotification& notification,
                                std::string_view from_state, int64_t from_reminders) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE vulnerability_notifications SET state = ?2, named = ?3, "
                    "member_reference = ?4, note = ?5, notified_at = ?6, seen_at = ?7, "
                    "acknowledged_at = ?8, acknowledged_by = ?9, answered_at = ?10, "
                    "answered_by = ?11, due_at = ?12, reminders = ?13, updated_at = ?14 "
                    "WHERE id = ?1 AND state = ?15 AND reminders = ?16"));
    update.Bind(1, notification.id)
        .Bind(2, notification.state)
        .Bind(3, Flag(notification.named))
        .Bind(4, notification.member_reference)
        .Bind(5, notification.note)
        .Bind(6, notification.notified_at)
        .Bind(7, notification.seen_at)
        .Bind(8, notification.acknowledged_at)
        .Bind(9, notification.acknowledged_by)
        .Bind(10, notification.answered_at)
        .Bind(11, notification.answered_by)
        .Bind(12, notification.due_at)
        .Bind(13, notification.reminders)
        .Bind(14, notification.updated_at)
        .Bind(15, from_state)
        .Bind(16, from_reminders);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Status MoveNotification(const VulnerabilityNotification& notification,
                          int64_t to_report) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement messages,
        db_.Prepare("UPDATE vulnerability_report_messages SET report_id = ?2 WHERE report_id = ?1 "
                    "AND member_code = ?3"));
    messages.Bind(1, notification.report_id).Bind(2, to_report).Bind(3, notification.member);
    BAKEN_RETURN_IF_ERROR(messages.Run());
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE vulnerability_notifications SET report_id = ?2 WHERE id = ?1"));
    update.Bind(1, notification.id).Bind(2, to_report);
    return update.Run();
  }

  Result<std::vector<VulnerabilityNotification>> DueNotifications(std::string_view now,
                                                                  int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM {} WHERE n.state IN ('notified', 'seen') AND "
                                "n.due_at IS NOT NULL AND n.due_at <= ?1 AND EXISTS (SELECT 1 "
                                "FROM vulnerability_reports r WHERE r.id = n.report_id AND "
                                "r.state NOT IN ('closed', 'invalid')) ORDER BY n.due_at, n.id "
                                "LIMIT ?2",
                                kNotificationColumns, kNotificationFrom)));
    select.Bind(1, now).Bind(2, sql::Limit(limit));
    return AllRows(select, ReadNotification);
  }

  Result<int64_t> AddMessage(const ReportMessage& message) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_messages (report_id, member_code, author, "
                    "text, for_reporter, released_at, released_by, at) VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8) RETURNING id"));
    insert.Bind(1, message.report_id)
        .Bind(2, message.member)
        .Bind(3, message.author)
        .Bind(4, message.text)
        .Bind(5, Flag(message.for_reporter))
        .Bind(6, message.released_at)
        .Bind(7, message.released_by)
        .Bind(8, message.at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<ReportMessage>> Messages(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT {} FROM vulnerability_report_messages WHERE report_id = ?1 ORDER BY id",
            kMessageColumns)));
    select.Bind(1, report_id);
    return AllRows(select, ReadMessage);
  }

  Status SaveMessage(const ReportMessage& message) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE vulnerability_report_messages SET released_at = "
                                       "?2, released_by = ?3 WHERE id = ?1"));
    update.Bind(1, message.id).Bind(2, message.released_at).Bind(3, message.released_by);
    return update.Run();
  }

  Result<int64_t> AddAttachment(const ReportAttachment& attachment) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_attachments (report_id, name, media_type, "
                    "size, sha256, content, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                    "?7, ?8) RETURNING id"));
    insert.Bind(1, attachment.report_id)
        .Bind(2, attachment.name)
        .Bind(3, attachment.media_type)
        .Bind(4, attachment.size)
        .Bind(5, attachment.sha256)
        .BindBlob(6, attachment.content)
        .Bind(7, attachment.added_by)
        .Bind(8, attachment.added_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<ReportAttachment>> Attachments(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM vulnerability_report_attachments WHERE "
                                "report_id = ?1 ORDER BY id",
                                AttachmentColumns(false))));
    select.Bind(1, report_id);
    return AllRows(select, ReadAttachment);
  }

  Result<std::optional<ReportAttachment>> Attachment(int64_t report_id, int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM vulnerability_report_attachments WHERE "
                                "report_id = ?1 AND id = ?2",
                                AttachmentColumns(true))));
    select.Bind(1, report_id).Bind(2, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<ReportAttachment>();
    return std::optional<ReportAttachment>(ReadAttachment(select));
  }

  Result<int64_t> AddMail(const ReportMail& mail) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_mails (report_id, message_id, sender, "
                    "format, encrypted, signature, signer, size, sha256, raw, received_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id"));
    insert.Bind(1, mail.report_id)
        .Bind(2, mail.message_id)
        .Bind(3, mail.sender)
        .Bind(4, mail.format)
        .Bind(5, int64_t{mail.encrypted ? 1 : 0})
        .Bind(6, mail.signature)
        .Bind(7, mail.signer)
        .Bind(8, mail.size)
        .Bind(9, mail.sha256)
        .BindBlob(10, mail.raw)
        .Bind(11, mail.received_at);
    return sql::InsertedId(insert);
  }

  Result<std::optional<int64_t>> ReportOfMail(std::string_view sha256) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT report_id FROM vulnerability_report_mails WHERE sha256 = ?1"));
    select.Bind(1, sha256);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<int64_t>();
    return std::optional<int64_t>(select.ColumnInt(0));
  }

  Result<std::vector<ReportMail>> Mails(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT {} FROM vulnerability_report_mails WHERE report_id = ?1 ORDER BY id",
            MailColumns(false))));
    select.Bind(1, report_id);
    return AllRows(select, ReadMail);
  }

  Result<std::optional<ReportMail>> Mail(int64_t report_id, int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT {} FROM vulnerability_report_mails WHERE report_id = ?1 AND id = ?2",
            MailColumns(true))));
    select.Bind(1, report_id).Bind(2, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<ReportMail>();
    return std::optional<ReportMail>(ReadMail(select));
  }

  Status AddLink(std::string_view token_sha256, int64_t report_id, std::string_view expires_at,
                 std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_links (token_sha256, report_id, expires_at, "
                    "created_at) VALUES (?1, ?2, ?3, ?4)"));
    insert.Bind(1, token_sha256).Bind(2, report_id).Bind(3, expires_at).Bind(4, now);
    return insert.Run();
  }

  Result<std::optional<int64_t>> ReportOfLink(std::string_view token_sha256,
                                              std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT report_id FROM vulnerability_report_links WHERE "
                                       "token_sha256 = ?1 AND expires_at > ?2"));
    select.Bind(1, token_sha256).Bind(2, now);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<int64_t>();
    return std::optional<int64_t>(select.ColumnInt(0));
  }

  Status AddHistory(const ReportHistoryEntry& entry) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_history (report_id, member_code, at, actor, "
                    "action, from_state, to_state, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "?8)"));
    insert.Bind(1, entry.report_id)
        .Bind(2, entry.member)
        .Bind(3, entry.at)
        .Bind(4, entry.actor)
        .Bind(5, entry.action)
        .Bind(6, entry.from_state)
        .Bind(7, entry.to_state)
        .Bind(8, entry.detail);
    return insert.Run();
  }

  Result<std::vector<ReportHistoryEntry>> History(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, report_id, member_code, at, actor, action, from_state, to_state, "
                    "detail FROM vulnerability_report_history WHERE report_id = ?1 ORDER BY id"));
    select.Bind(1, report_id);
    return AllRows(select, ReadHistory);
  }

  Status AddChallenge(std::string_view challenge_sha256, int64_t bits, std::string_view source_key,
                      std::string_view expires_at, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO report_challenges (challenge_sha256, bits, source_key, "
                    "expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.Bind(1, challenge_sha256)
        .Bind(2, bits)
        .Bind(3, source_key)
        .Bind(4, expires_at)
        .Bind(5, now);
    return insert.Run();
  }

  Result<std::optional<int64_t>> UseChallenge(std::string_view challenge_sha256,
                                              std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE report_challenges SET used_at = ?2 WHERE challenge_sha256 = ?1 AND "
                    "used_at IS NULL AND expires_at > ?2 RETURNING bits"));
    update.Bind(1, challenge_sha256).Bind(2, now);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, update.Step());
    if (!has_row) return std::optional<int64_t>();
    const int64_t bits = update.ColumnInt(0);
    BAKEN_RETURN_IF_ERROR(update.Step());
    return std::optional<int64_t>(bits);
  }

  Result<int64_t> CountChallengesFrom(std::string_view source_key,
                                      std::string_view since) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT count(*) FROM report_challenges WHERE source_key = "
                                       "?1 AND created_at >= ?2"));
    select.Bind(1, source_key).Bind(2, since);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnInt(0) : int64_t{0};
  }

  Status PurgeChallenges(std::string_view before) override {
    BAKEN_ASSIGN_OR_RETURN(Statement remove,
                           db_.Prepare("DELETE FROM report_challenges WHERE expires_at < ?1"));
    remove.Bind(1, before);
    return remove.Run();
  }

  Result<std::vector<ReportItem>> ItemsToLookUp(std::string_view source, int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT i.id, i.report_id, i.kind, i.value, i.member_code, i.route_reason, "
                    "i.route_match FROM vulnerability_report_items i JOIN vulnerability_reports r "
                    "ON r.id = i.report_id WHERE i.member_code IS NULL AND i.kind <> 'product' "
                    "AND r.state IN ('received', 'valid', 'accepted') AND NOT EXISTS (SELECT 1 "
                    "FROM vulnerability_report_suggestions s WHERE s.report_id = i.report_id AND "
                    "s.item = i.value AND s.source = ?1) ORDER BY i.id LIMIT ?2"));
    select.Bind(1, source).Bind(2, sql::Limit(limit));
    return AllRows(select, ReadItem);
  }

  Status AddSuggestion(const ReportSuggestion& suggestion) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_suggestions (report_id, item, source, "
                    "location, contacts, detail, found_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                    "ON CONFLICT (report_id, item, source) DO NOTHING"));
    insert.Bind(1, suggestion.report_id)
        .Bind(2, suggestion.item)
        .Bind(3, suggestion.source)
        .Bind(4, suggestion.location)
        .Bind(5, nlohmann::json(suggestion.contacts)
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .Bind(6, suggestion.detail)
        .Bind(7, suggestion.found_at);
    return insert.Run();
  }

  Result<std::vector<ReportSuggestion>> Suggestions(int64_t report_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, report_id, item, source, location, contacts, detail, found_at FROM "
                    "vulnerability_report_suggestions WHERE report_id = ?1 ORDER BY id"));
    select.Bind(1, report_id);
    return AllRows(select, [](const Statement& row) {
      ReportSuggestion suggestion;
      suggestion.id = row.ColumnInt(0);
      suggestion.report_id = row.ColumnInt(1);
      suggestion.item = row.ColumnText(2);
      suggestion.source = row.ColumnText(3);
      suggestion.location = row.ColumnText(4);
      const auto contacts = nlohmann::json::parse(row.ColumnText(5), nullptr, false);
      if (contacts.is_array()) {
        for (const auto& contact : contacts) {
          if (contact.is_string()) suggestion.contacts.push_back(contact.get<std::string>());
        }
      }
      suggestion.detail = row.ColumnOptionalText(6);
      suggestion.found_at = row.ColumnText(7);
      return suggestion;
    });
  }

  Status AddNotice(const ReportNotice& notice) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO vulnerability_report_notices (report_id, member_code, kind, "
                    "created_at) VALUES (?1, ?2, ?3, ?4)"));
    insert.Bind(1, notice.report_id)
        .Bind(2, notice.member)
        .Bind(3, notice.kind)
        .Bind(4, notice.created_at);
    return insert.Run();
  }

  Result<std::vector<ReportNotice>> UnplannedNotices(int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, report_id, member_code, kind, created_at FROM "
                    "vulnerability_report_notices WHERE planned_at IS NULL ORDER BY id LIMIT ?1"));
    select.Bind(1, sql::Limit(limit));
    return AllRows(select, ReadNotice);
  }

  Result<bool> MarkNoticePlanned(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE vulnerability_report_notices SET planned_at = ?2 "
                                       "WHERE id = ?1 AND planned_at IS NULL"));
    update.Bind(1, id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<DisclosureRepository> MakeDisclosureRepository(Connection& db) {
  return std::make_unique<SqlDisclosureRepository>(db);
}

}  // namespace baken::store
