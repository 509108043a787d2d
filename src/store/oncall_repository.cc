#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/json_columns.h"
#include "store/oncall_repository_sql.h"

namespace baken::store {

namespace {

using sql::AllRows;
using sql::Connection;
using sql::Statement;

constexpr std::string_view kRotationColumns =
    "id, name, shift, handover, handover_day, start_date, coverage, office_start, office_end, "
    "holidays, participants, created_by, created_at, updated_at";

constexpr std::string_view kOverrideColumns =
    "id, rotation_id, person, start_at, end_at, reason, created_by, created_at, cancelled_at, "
    "cancelled_by";

RotationRecord ReadRotation(const Statement& row) {
  RotationRecord rotation;
  rotation.id = row.ColumnInt(0);
  rotation.name = row.ColumnText(1);
  rotation.shift = row.ColumnText(2);
  rotation.handover = row.ColumnText(3);
  rotation.handover_day = row.ColumnInt(4);
  rotation.start_date = row.ColumnText(5);
  rotation.coverage = row.ColumnText(6);
  rotation.office_start = row.ColumnText(7);
  rotation.office_end = row.ColumnText(8);
  rotation.holidays = row.ColumnInt(9) != 0;
  rotation.participants = TextListColumn(row.ColumnText(10));
  rotation.created_by = row.ColumnText(11);
  rotation.created_at = row.ColumnText(12);
  rotation.updated_at = row.ColumnText(13);
  return rotation;
}

OverrideRecord ReadOverride(const Statement& row) {
  OverrideRecord record;
  record.id = row.ColumnInt(0);
  record.rotation_id = row.ColumnInt(1);
  record.person = row.ColumnText(2);
  record.start_at = row.ColumnText(3);
  record.end_at = row.ColumnText(4);
  record.reason = row.ColumnText(5);
  record.created_by = row.ColumnText(6);
  record.created_at = row.ColumnText(7);
  record.cancelled_at = row.ColumnOptionalText(8);
  record.cancelled_by = row.ColumnOptionalText(9);
  return record;
}

constexpr std::string_view kPolicyColumns =
    "id, name, steps, repeat_count, ack_timeout_minutes, created_by, created_at, updated_at, "
    "is_default";

constexpr std::string_view kPageColumns =
    "id, source, severity, dedup_key, subject, policy_id, state, round, repeats_left, step, "
    "exhausted, next_at, created_by, created_at, acknowledged_by, acknowledged_at, resolved_by, "
    "resolved_at";

PolicyRecord ReadPolicy(const Statement& row) {
  PolicyRecord policy;
  policy.id = row.ColumnInt(0);
  policy.name = row.ColumnText(1);
  policy.steps = row.ColumnText(2);
  policy.repeat_count = row.ColumnInt(3);
  policy.ack_timeout_minutes = row.ColumnInt(4);
  policy.created_by = row.ColumnText(5);
  policy.created_at = row.ColumnText(6);
  policy.updated_at = row.ColumnText(7);
  policy.is_default = row.ColumnInt(8) != 0;
  return policy;
}

constexpr std::string_view kNotificationColumns =
    "id, page_id, round, step, person, channel, planned_at, due_at, state, attempts, "
    "last_error, done_at";

NotificationRecord ReadNotification(const Statement& row) {
  NotificationRecord notification;
  notification.id = row.ColumnInt(0);
  notification.page_id = row.ColumnInt(1);
  notification.round = row.ColumnInt(2);
  notification.step = row.ColumnInt(3);
  notification.person = row.ColumnText(4);
  notification.channel = row.ColumnText(5);
  notification.planned_at = row.ColumnText(6);
  // Notifications planned before due times existed went out when they were planned.
  notification.due_at = row.ColumnOptionalText(7).value_or(notification.planned_at);
  notification.state = row.ColumnText(8);
  notification.attempts = row.ColumnInt(9);
  notification.last_error = row.ColumnOptionalText(10);
  notification.done_at = row.ColumnOptionalText(11);
  return notification;
}

PageRecord ReadPage(const Statement& row) {
  PageRecord page;
  page.id = row.ColumnInt(0);
  page.source = row.ColumnText(1);
  page.severity = row.ColumnText(2);
  page.dedup_key = row.ColumnText(3);
  page.subject = row.ColumnText(4);
  page.policy_id = row.ColumnInt(5);
  page.state = row.ColumnText(6);
  page.round = row.ColumnInt(7);
  page.repeats_left = row.ColumnInt(8);
  page.step = row.ColumnInt(9);
  page.exhausted = row.ColumnInt(10) != 0;
  page.next_at = row.ColumnText(11);
  page.created_by = row.ColumnText(12);
  page.created_at = row.ColumnText(13);
  page.acknowledged_by = row.ColumnOptionalText(14);
  page.acknowledged_at = row.ColumnOptionalText(15);
  page.resolved_by = row.ColumnOptionalText(16);
  page.resolved_at = row.ColumnOptionalText(17);
  return page;
}

class SqlOncallRepository final : public OncallRepository {
 public:
  explicit SqlOncallRepository(Connection& db) : db_(db) {}

  Result<int64_t> AddRotation(const RotationRecord& rotation) override {
    BAKEN_ASSIGN_OR_RETURN(bool taken, NameTaken(rotation.name, 0));
    if (taken) return Conflict(fmt::format("a rotation named '{}' exists already", rotation.name));
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO rotations (name, name_key, shift, handover, handover_day, "
                    "start_date, coverage, office_start, office_end, holidays, participants, "
                    "created_by, created_at, updated_at) VALUES (?1, lower(?1), ?2, ?3, ?4, ?5, "
                    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id"));
    insert.Bind(1, rotation.name)
        .Bind(2, rotation.shift)
        .Bind(3, rotation.handover)
        .Bind(4, rotation.handover_day)
        .Bind(5, rotation.start_date)
        .Bind(6, rotation.coverage)
        .Bind(7, rotation.office_start)
        .Bind(8, rotation.office_end)
        .Bind(9, int64_t{rotation.holidays ? 1 : 0})
        .Bind(10, nlohmann::json(rotation.participants).dump())
        .Bind(11, rotation.created_by)
        .Bind(12, rotation.created_at)
        .Bind(13, rotation.updated_at);
    return sql::InsertedId(insert);
  }

  Status UpdateRotation(const RotationRecord& rotation) override {
    BAKEN_ASSIGN_OR_RETURN(bool taken, NameTaken(rotation.name, rotation.id));
    if (taken) return Conflict(fmt::format("a rotation named '{}' exists already", rotation.name));
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE rotations SET name = ?2, name_key = lower(?2), shift = ?3, "
                    "handover = ?4, handover_day = ?5, start_date = ?6, coverage = ?7, "
                    "office_start = ?8, office_end = ?9, holidays = ?10, participants = ?11, "
                    "updated_at = ?12 WHERE id = ?1"));
    update.Bind(1, rotation.id)
        .Bind(2, rotation.name)
        .Bind(3, rotation.shift)
        .Bind(4, rotation.handover)
        .Bind(5, rotation.handover_day)
        .Bind(6, rotation.start_date)
        .Bind(7, rotation.coverage)
        .Bind(8, rotation.office_start)
        .Bind(9, rotation.office_end)
        .Bind(10, int64_t{rotation.holidays ? 1 : 0})
        .Bind(11, nlohmann::json(rotation.participants).dump())
        .Bind(12, rotation.updated_at);
    return update.Run();
  }

  Result<std::optional<RotationRecord>> FindRotation(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM rotations WHERE id = ?1", kRotationColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<RotationRecord>();
    return std::optional<RotationRecord>(ReadRotation(select));
  }

  Result<std::vector<RotationRecord>> Rotations() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(fmt::format("SELECT {} FROM rotations ORDER BY name_key, id",
                                                   kRotationColumns)));
    std::vector<RotationRecord> rotations;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      rotations.push_back(ReadRotation(select));
    }
    return rotations;
  }

  Result<int64_t> AddOverride(const OverrideRecord& record) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO rotation_overrides (rotation_id, person, start_at, end_at, "
                    "reason, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                    "RETURNING id"));
    insert.Bind(1, record.rotation_id)
        .Bind(2, record.person)
        .Bind(3, record.start_at)
        .Bind(4, record.end_at)
        .Bind(5, record.reason)
        .Bind(6, record.created_by)
        .Bind(7, record.created_at);
    return sql::InsertedId(insert);
  }

  Result<std::optional<OverrideRecord>> FindOverride(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select, db_.Prepare(fmt::format("SELECT {} FROM rotation_overrides WHERE id = ?1",
                                                  kOverrideColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<OverrideRecord>();
    return std::optional<OverrideRecord>(ReadOverride(select));
  }

  Status CancelOverride(int64_t id, std::string_view by, std::string_view at) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE rotation_overrides SET cancelled_at = ?2, cancelled_by = ?3 WHERE "
                    "id = ?1 AND cancelled_at IS NULL"));
    update.Bind(1, id).Bind(2, at).Bind(3, by);
    return update.Run();
  }

  Result<std::vector<OverrideRecord>> Overrides(std::string_view from,
                                                std::string_view until) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM rotation_overrides WHERE cancelled_at IS NULL "
                                "AND end_at > ?1 AND start_at < ?2 ORDER BY start_at, id",
                                kOverrideColumns)));
    select.Bind(1, from).Bind(2, until);
    std::vector<OverrideRecord> overrides;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      overrides.push_back(ReadOverride(select));
    }
    return overrides;
  }

  Result<int64_t> AddPolicy(const PolicyRecord& policy) override {
    BAKEN_ASSIGN_OR_RETURN(bool taken, PolicyNameTaken(policy.name, 0));
    if (taken) return Conflict(fmt::format("a policy named '{}' exists already", policy.name));
    if (policy.is_default) BAKEN_RETURN_IF_ERROR(ClearDefault(0));
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO escalation_policies (name, name_key, steps, repeat_count, "
                    "ack_timeout_minutes, created_by, created_at, updated_at, is_default) "
                    "VALUES (?1, lower(?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"));
    insert.Bind(1, policy.name)
        .Bind(2, policy.steps)
        .Bind(3, policy.repeat_count)
        .Bind(4, policy.ack_timeout_minutes)
        .Bind(5, policy.created_by)
        .Bind(6, policy.created_at)
        .Bind(7, policy.updated_at)
        .Bind(8, int64_t{policy.is_default ? 1 : 0});
    return sql::InsertedId(insert);
  }

  Status UpdatePolicy(const PolicyRecord& policy) override {
    BAKEN_ASSIGN_OR_RETURN(bool taken, PolicyNameTaken(policy.name, policy.id));
    if (taken) return Conflict(fmt::format("a policy named '{}' exists already", policy.name));
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE escalation_policies SET name = ?2, name_key = lower(?2), steps = ?3, "
                    "repeat_count = ?4, ack_timeout_minutes = ?5, updated_at = ?6, is_default = ?7 "
                    "WHERE id = ?1"));
    update.Bind(1, policy.id)
        .Bind(2, policy.name)
        .Bind(3, policy.steps)
        .Bind(4, policy.repeat_count)
        .Bind(5, policy.ack_timeout_minutes)
        .Bind(6, policy.updated_at)
        .Bind(7, int64_t{policy.is_default ? 1 : 0});
    if (policy.is_default) BAKEN_RETURN_IF_ERROR(ClearDefault(policy.id));
    return update.Run();
  }

  Result<std::optional<PolicyRecord>> DefaultPolicy() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM escalation_policies WHERE is_default = 1",
                                kPolicyColumns)));
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<PolicyRecord>();
    return std::optional<PolicyRecord>(ReadPolicy(select));
  }

  Result<std::optional<PolicyRecord>> FindPolicy(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select, db_.Prepare(fmt::format(
                              "SELECT {} FROM escalation_policies WHERE id = ?1", kPolicyColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<PolicyRecord>();
    return std::optional<PolicyRecord>(ReadPolicy(select));
  }

  Result<std::vector<PolicyRecord>> Policies() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM escalation_policies ORDER BY name_key, id",
                                kPolicyColumns)));
    return AllRows(select, ReadPolicy);
  }

  Result<std::pair<int64_t, bool>> AddPage(const PageRecord& page) override {
    // The partial unique index keeps one open page per key, also against a concurrent insert.
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO pages (source, severity, dedup_key, subject, policy_id, state, "
                    "round, repeats_left, step, exhausted, next_at, created_by, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                    "ON CONFLICT (dedup_key) WHERE state <> 'resolved' DO NOTHING RETURNING id"));
    insert.Bind(1, page.source)
        .Bind(2, page.severity)
        .Bind(3, page.dedup_key)
        .Bind(4, page.subject)
        .Bind(5, page.policy_id)
        .Bind(6, page.state)
        .Bind(7, page.round)
        .Bind(8, page.repeats_left)
        .Bind(9, page.step)
        .Bind(10, int64_t{page.exhausted ? 1 : 0})
        .Bind(11, page.next_at)
        .Bind(12, page.created_by)
        .Bind(13, page.created_at);
    BAKEN_ASSIGN_OR_RETURN(const std::optional<int64_t> added, sql::InsertedIdIfAny(insert));
    if (added) return std::make_pair(*added, true);
    BAKEN_ASSIGN_OR_RETURN(
        Statement open,
        db_.Prepare("SELECT id FROM pages WHERE dedup_key = ?1 AND state <> 'resolved'"));
    open.Bind(1, page.dedup_key);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, open.Step());
    if (!has_row) return Internal("a page's dedup key was taken by no open page");
    return std::make_pair(open.ColumnInt(0), false);
  }

  Result<std::optional<PageRecord>> FindPage(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM pages WHERE id = ?1", kPageColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<PageRecord>();
    return std::optional<PageRecord>(ReadPage(select));
  }

  Result<std::vector<PageRecord>> Pages(bool open_only, int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM pages WHERE ?1 = 0 OR state <> 'resolved' "
                                "ORDER BY id DESC LIMIT ?2",
                                kPageColumns)));
    select.Bind(1, int64_t{open_only ? 1 : 0}).Bind(2, sql::Limit(limit));
    return AllRows(select, ReadPage);
  }

  Result<std::vector<PageRecord>> DuePages(std::string_view now, int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM pages WHERE state <> 'resolved' AND "
                                "next_at <= ?1 ORDER BY next_at, id LIMIT ?2",
                                kPageColumns)));
    select.Bind(1, now).Bind(2, sql::Limit(limit));
    return AllRows(select, ReadPage);
  }

  Status SavePage(const PageRecord& page) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE pages SET state = ?2, round = ?3, repeats_left = ?4, step = ?5, "
                    "exhausted = ?6, next_at = ?7, acknowledged_by = ?8, acknowledged_at = ?9, "
                    "resolved_by = ?10, resolved_at = ?11 WHERE id = ?1"));
    update.Bind(1, page.id)
        .Bind(2, page.state)
        .Bind(3, page.round)
        .Bind(4, page.repeats_left)
        .Bind(5, page.step)
        .Bind(6, int64_t{page.exhausted ? 1 : 0})
        .Bind(7, page.next_at)
        .Bind(8, page.acknowledged_by)
        .Bind(9, page.acknowledged_at)
        .Bind(10, page.resolved_by)
        .Bind(11, page.resolved_at);
    return update.Run();
  }

  Status AddPageEvent(const PageEventRecord& event) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO page_events (page_id, at, kind, round, step, person, channel, "
                    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert.Bind(1, event.page_id)
        .Bind(2, event.at)
        .Bind(3, event.kind)
        .Bind(4, event.round)
        .Bind(5, event.step)
        .Bind(6, event.person)
        .Bind(7, event.channel)
        .Bind(8, event.detail);
    return insert.Run();
  }

  Result<std::vector<PageEventRecord>> PageEvents(int64_t page_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, page_id, at, kind, round, step, person, channel, detail FROM "
                    "page_events WHERE page_id = ?1 ORDER BY id"));
    select.Bind(1, page_id);
    return AllRows(select, [](const Statement& row) {
      PageEventRecord event;
      event.id = row.ColumnInt(0);
      event.page_id = row.ColumnInt(1);
      event.at = row.ColumnText(2);
      event.kind = row.ColumnText(3);
      event.round = row.ColumnOptionalInt(4);
      event.step = row.ColumnOptionalInt(5);
      event.person = row.ColumnOptionalText(6);
      event.channel = row.ColumnOptionalText(7);
      event.detail = row.ColumnOptionalText(8);
      return event;
    });
  }

  Result<bool> PageKeyUsed(std::string_view dedup_key) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT 1 FROM pages WHERE dedup_key = ?1 LIMIT 1"));
    select.Bind(1, dedup_key);
    return select.Step();
  }

  Result<std::optional<int64_t>> PlanNotification(const NotificationRecord& plan) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO page_notifications (page_id, round, step, person, channel, "
                    "planned_at, due_at, state, attempts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "'planned', 0) ON CONFLICT (page_id, round, step, person, channel) "
                    "DO NOTHING RETURNING id"));
    insert.Bind(1, plan.page_id)
        .Bind(2, plan.round)
        .Bind(3, plan.step)
        .Bind(4, plan.person)
        .Bind(5, plan.channel)
        .Bind(6, plan.planned_at)
        .Bind(7, plan.due_at);
    // Nothing comes back when it was planned before.
    return sql::InsertedIdIfAny(insert);
  }

  Result<std::vector<NotificationRecord>> DueNotifications(std::string_view now,
                                                           int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM page_notifications WHERE state = 'planned' AND "
                                "due_at <= ?1 ORDER BY due_at, id LIMIT ?2",
                                kNotificationColumns)));
    select.Bind(1, now).Bind(2, sql::Limit(limit));
    return AllRows(select, ReadNotification);
  }

  Result<std::optional<NotificationRecord>> FindNotification(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select, db_.Prepare(fmt::format("SELECT {} FROM page_notifications WHERE id = ?1",
                                                  kNotificationColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<NotificationRecord>();
    return std::optional<NotificationRecord>(ReadNotification(select));
  }

  Status SaveNotification(const NotificationRecord& notification) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE page_notifications SET due_at = ?2, state = ?3, attempts = ?4, "
                    "last_error = ?5, done_at = ?6 WHERE id = ?1"));
    update.Bind(1, notification.id)
        .Bind(2, notification.due_at)
        .Bind(3, notification.state)
        .Bind(4, notification.attempts)
        .Bind(5, notification.last_error)
        .Bind(6, notification.done_at);
    return update.Run();
  }

  Result<int64_t> CancelNotifications(int64_t page_id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE page_notifications SET state = 'cancelled', done_at = ?2 "
                    "WHERE page_id = ?1 AND state = 'planned'"));
    update.Bind(1, page_id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes();
  }

  Result<std::vector<NotificationRecord>> Notifications(int64_t page_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM page_notifications WHERE page_id = ?1 "
                                "ORDER BY id",
                                kNotificationColumns)));
    select.Bind(1, page_id);
    return AllRows(select, ReadNotification);
  }

  Status AddPageLink(const PageLinkRecord& link) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO page_links (token_sha256, page_id, person, expires_at, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.Bind(1, link.token_sha256)
        .Bind(2, link.page_id)
        .Bind(3, link.person)
        .Bind(4, link.expires_at)
        .Bind(5, link.created_at);
    return insert.Run();
  }

  Result<std::optional<PageLinkRecord>> FindPageLink(std::string_view token_sha256) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, token_sha256, page_id, person, expires_at, used_at, used_for, "
                    "created_at FROM page_links WHERE token_sha256 = ?1"));
    select.Bind(1, token_sha256);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<PageLinkRecord>();
    PageLinkRecord link;
    link.id = select.ColumnInt(0);
    link.token_sha256 = select.ColumnText(1);
    link.page_id = select.ColumnInt(2);
    link.person = select.ColumnText(3);
    link.expires_at = select.ColumnText(4);
    link.used_at = select.ColumnOptionalText(5);
    link.used_for = select.ColumnOptionalText(6);
    link.created_at = select.ColumnText(7);
    return std::optional<PageLinkRecord>(std::move(link));
  }

  Result<bool> UsePageLink(int64_t id, std::string_view used_for, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE page_links SET used_at = ?2, used_for = ?3 "
                                       "WHERE id = ?1 AND used_at IS NULL"));
    update.Bind(1, id).Bind(2, now).Bind(3, used_for);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

 private:
  // One default: the index allows no second, so the old one gives way first.
  Status ClearDefault(int64_t except) {
    BAKEN_ASSIGN_OR_RETURN(Statement clear,
                           db_.Prepare("UPDATE escalation_policies SET is_default = 0 "
                                       "WHERE is_default = 1 AND id <> ?1"));
    clear.Bind(1, except);
    return clear.Run();
  }

  Result<bool> PolicyNameTaken(std::string_view name, int64_t except) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT 1 FROM escalation_policies WHERE name_key = lower(?1) AND id <> ?2"));
    select.Bind(1, name).Bind(2, except);
    return select.Step();
  }

  Result<bool> NameTaken(std::string_view name, int64_t except) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT 1 FROM rotations WHERE name_key = lower(?1) AND id <> ?2"));
    select.Bind(1, name).Bind(2, except);
    return select.Step();
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<OncallRepository> MakeOncallRepository(sql::Connection& db) {
  return std::make_unique<SqlOncallRepository>(db);
}

}  // namespace baken::store
