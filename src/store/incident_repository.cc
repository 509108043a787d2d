#include <fmt/format.h>

#include "store/incident_repository_sql.h"

namespace baken::store {

namespace {

using sql::Connection;
using sql::Statement;

constexpr std::string_view kIncidentColumns =
    "i.id, i.title, i.description, i.source, i.source_ref, i.reporter, i.classification, i.type, "
    "i.cause, i.impact, i.priority, i.tlp, i.coordinator, i.state, i.merged_into, i.created_at, "
    "i.updated_at, i.closed_at";

// The scope of an incident `i`: all for staff (?1 NULL), else incidents the member takes part in.
constexpr std::string_view kIncidentInScope =
    "(?1 IS NULL OR EXISTS (SELECT 1 FROM incident_participations s "
    "WHERE s.incident_id = i.id AND s.member = ?1))";

IncidentRecord ReadIncident(const Statement& row) {
  IncidentRecord incident;
  incident.id = row.ColumnInt(0);
  incident.title = row.ColumnText(1);
  incident.description = row.ColumnText(2);
  incident.source = row.ColumnText(3);
  incident.source_ref = row.ColumnOptionalText(4);
  incident.reporter = row.ColumnText(5);
  incident.classification = row.ColumnOptionalText(6);
  incident.type = row.ColumnOptionalText(7);
  incident.cause = row.ColumnOptionalText(8);
  incident.impact = row.ColumnOptionalText(9);
  incident.priority = row.ColumnText(10);
  incident.tlp = row.ColumnText(11);
  incident.coordinator = row.ColumnOptionalText(12);
  incident.state = row.ColumnText(13);
  incident.merged_into = row.ColumnOptionalInt(14);
  incident.created_at = row.ColumnText(15);
  incident.updated_at = row.ColumnText(16);
  incident.closed_at = row.ColumnOptionalText(17);
  return incident;
}

constexpr std::string_view kParticipationColumns =
    "p.id, p.incident_id, p.member, m.name, m.kind, p.title, p.state, p.breach, p.named, "
    "p.added_by, p.added_at, p.updated_at, p.closed_at";

ParticipationRecord ReadParticipation(const Statement& row) {
  ParticipationRecord participation;
  participation.id = row.ColumnInt(0);
  participation.incident_id = row.ColumnInt(1);
  participation.member = row.ColumnText(2);
  participation.member_name = row.ColumnText(3);
  participation.member_kind = row.ColumnText(4);
  participation.title = row.ColumnText(5);
  participation.state = row.ColumnText(6);
  participation.breach = row.ColumnText(7);
  participation.named = row.ColumnInt(8) != 0;
  participation.added_by = row.ColumnText(9);
  participation.added_at = row.ColumnText(10);
  participation.updated_at = row.ColumnText(11);
  participation.closed_at = row.ColumnOptionalText(12);
  return participation;
}

constexpr std::string_view kEntryColumns =
    "id, incident_id, member, author, at, text, tlp, released_at, released_by";

// An entry, task or history row `member` column in scope: staff see all; a member its own
// participation's rows (and, for entries, the coordination's once released: see Entries).
constexpr std::string_view kRowOfMember = "(?1 IS NULL OR member = ?1)";

JournalEntry ReadEntry(const Statement& row) {
  JournalEntry entry;
  entry.id = row.ColumnInt(0);
  entry.incident_id = row.ColumnInt(1);
  entry.member = row.ColumnOptionalText(2);
  entry.author = row.ColumnText(3);
  entry.at = row.ColumnText(4);
  entry.text = row.ColumnText(5);
  entry.tlp = row.ColumnText(6);
  entry.released_at = row.ColumnOptionalText(7);
  entry.released_by = row.ColumnOptionalText(8);
  return entry;
}

constexpr std::string_view kTaskColumns =
    "id, incident_id, member, title, owner, due_at, state, reason, created_by, created_at, "
    "updated_at";

IncidentTask ReadTask(const Statement& row) {
  IncidentTask task;
  task.id = row.ColumnInt(0);
  task.incident_id = row.ColumnInt(1);
  task.member = row.ColumnOptionalText(2);
  task.title = row.ColumnText(3);
  task.owner = row.ColumnOptionalText(4);
  task.due_at = row.ColumnOptionalText(5);
  task.state = row.ColumnText(6);
  task.reason = row.ColumnOptionalText(7);
  task.created_by = row.ColumnText(8);
  task.created_at = row.ColumnText(9);
  task.updated_at = row.ColumnText(10);
  return task;
}

std::string_view OrderOf(IncidentQuery::Order order) {
  switch (order) {
    case IncidentQuery::Order::kOldest:
      return "i.created_at, i.id";
    case IncidentQuery::Order::kUpdated:
      return "i.updated_at DESC, i.id DESC";
    case IncidentQuery::Order::kPriority:
      return "CASE i.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 "
             "ELSE 3 END, i.created_at DESC, i.id DESC";
    case IncidentQuery::Order::kNewest:
      break;
  }
  return "i.created_at DESC, i.id DESC";
}

// The filters of a list, on `i`, after the scope (?1): state ?2, open only ?3, member ?4,
// text ?5 (in the title; staff, ?6 = 1, also in the description), unassigned ?7.
constexpr std::string_view kIncidentFilter =
    "AND (?2 IS NULL OR i.state = ?2) AND (?3 = 0 OR i.state <> 'closed') "
    "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM incident_participations f "
    "WHERE f.incident_id = i.id AND f.member = ?4)) "
    "AND (?5 IS NULL OR instr(lower(i.title), lower(?5)) > 0 "
    "OR (?6 = 1 AND instr(lower(i.description), lower(?5)) > 0)) "
    "AND (?7 = 0 OR i.coordinator IS NULL) "
    "AND (?8 IS NULL OR EXISTS (SELECT 1 FROM incident_links l "
    "WHERE l.incident_id = i.id AND l.kind = ?8 AND l.target = ?9))";

void BindFilter(Statement& statement, const registry::Scope& scope, const IncidentQuery& query) {
  statement.Bind(1, scope.member())
      .Bind(2, query.state)
      .Bind(3, int64_t{query.open_only ? 1 : 0})
      .Bind(4, query.member)
      .Bind(5, query.text)
      .Bind(6, int64_t{scope.IncludesAll() ? 1 : 0})
      .Bind(7, int64_t{query.unassigned ? 1 : 0});
  if (query.linked) {
    statement.Bind(8, query.linked->first).Bind(9, query.linked->second);
  } else {
    statement.Bind(8, std::optional<std::string>()).Bind(9, std::optional<std::string>());
  }
}

class SqlIncidentRepository final : public IncidentRepository {
 public:
  explicit SqlIncidentRepository(Connection& db) : db_(db) {}

  Result<int64_t> Add(const IncidentRecord& incident) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incidents (title, description, source, source_ref, reporter, "
                    "classification, type, cause, impact, priority, tlp, coordinator, state, "
                    "merged_into, created_at, updated_at, closed_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id"));
    insert.Bind(1, incident.title)
        .Bind(2, incident.description)
        .Bind(3, incident.source)
        .Bind(4, incident.source_ref)
        .Bind(5, incident.reporter)
        .Bind(6, incident.classification)
        .Bind(7, incident.type)
        .Bind(8, incident.cause)
        .Bind(9, incident.impact)
        .Bind(10, incident.priority)
        .Bind(11, incident.tlp)
        .Bind(12, incident.coordinator)
        .Bind(13, incident.state)
        .Bind(14, incident.merged_into)
        .Bind(15, incident.created_at)
        .Bind(16, incident.updated_at)
        .Bind(17, incident.closed_at);
    return sql::InsertedId(insert);
  }

  Result<std::optional<IncidentRecord>> Find(const registry::Scope& scope, int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(fmt::format("SELECT {} FROM incidents i WHERE i.id = ?2 "
                                                   "AND {}",
                                                   kIncidentColumns, kIncidentInScope)));
    select.Bind(1, scope.member()).Bind(2, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<IncidentRecord>();
    return std::optional<IncidentRecord>(ReadIncident(select));
  }

  Result<std::vector<IncidentRecord>> List(const registry::Scope& scope,
                                           const IncidentQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incidents i WHERE {} {} ORDER BY {} "
                                "LIMIT ?10 OFFSET ?11",
                                kIncidentColumns, kIncidentInScope, kIncidentFilter,
                                OrderOf(query.order))));
    BindFilter(select, scope, query);
    select.Bind(10, sql::Limit(query.limit)).Bind(11, query.offset);
    std::vector<IncidentRecord> incidents;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      incidents.push_back(ReadIncident(select));
    }
    return incidents;
  }

  Result<int64_t> Count(const registry::Scope& scope, const IncidentQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(fmt::format("SELECT count(*) FROM incidents i WHERE {} {}",
                                                   kIncidentInScope, kIncidentFilter)));
    BindFilter(select, scope, query);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnInt(0) : 0;
  }

  Status Update(const IncidentRecord& incident) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE incidents SET title = ?2, description = ?3, source_ref = ?4, "
                    "classification = ?5, type = ?6, cause = ?7, impact = ?8, priority = ?9, "
                    "tlp = ?10, coordinator = ?11, state = ?12, merged_into = ?13, "
                    "updated_at = ?14, closed_at = ?15 WHERE id = ?1"));
    update.Bind(1, incident.id)
        .Bind(2, incident.title)
        .Bind(3, incident.description)
        .Bind(4, incident.source_ref)
        .Bind(5, incident.classification)
        .Bind(6, incident.type)
        .Bind(7, incident.cause)
        .Bind(8, incident.impact)
        .Bind(9, incident.priority)
        .Bind(10, incident.tlp)
        .Bind(11, incident.coordinator)
        .Bind(12, incident.state)
        .Bind(13, incident.merged_into)
        .Bind(14, incident.updated_at)
        .Bind(15, incident.closed_at);
    return update.Run();
  }

  Result<int64_t> AddParticipation(const ParticipationRecord& participation) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_participations (incident_id, member, title, state, "
                    "breach, named, added_by, added_at, updated_at, closed_at) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"));
    insert.Bind(1, participation.incident_id)
        .Bind(2, participation.member)
        .Bind(3, participation.title)
        .Bind(4, participation.state)
        .Bind(5, participation.breach)
        .Bind(6, int64_t{participation.named ? 1 : 0})
        .Bind(7, participation.added_by)
        .Bind(8, participation.added_at)
        .Bind(9, participation.updated_at)
        .Bind(10, participation.closed_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<ParticipationRecord>> Participations(const registry::Scope& scope,
                                                          int64_t incident_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_participations p JOIN members m ON "
                                "m.code = p.member WHERE p.incident_id = ?2 AND (?1 IS NULL OR "
                                "p.member = ?1) ORDER BY p.member",
                                kParticipationColumns)));
    select.Bind(1, scope.member()).Bind(2, incident_id);
    std::vector<ParticipationRecord> participations;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      participations.push_back(ReadParticipation(select));
    }
    return participations;
  }

  Result<std::optional<ParticipationRecord>> FindParticipation(const registry::Scope& scope,
                                                               int64_t incident_id,
                                                               std::string_view member) override {
    if (!scope.Includes(member)) return std::optional<ParticipationRecord>();
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_participations p JOIN members m ON "
                                "m.code = p.member WHERE p.incident_id = ?1 AND p.member = ?2",
                                kParticipationColumns)));
    select.Bind(1, incident_id).Bind(2, member);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<ParticipationRecord>();
    return std::optional<ParticipationRecord>(ReadParticipation(select));
  }

  Status UpdateParticipation(const ParticipationRecord& participation) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE incident_participations SET title = ?2, state = ?3, breach = ?4, "
                    "named = ?5, updated_at = ?6, closed_at = ?7 WHERE id = ?1"));
    update.Bind(1, participation.id)
        .Bind(2, participation.title)
        .Bind(3, participation.state)
        .Bind(4, participation.breach)
        .Bind(5, int64_t{participation.named ? 1 : 0})
        .Bind(6, participation.updated_at)
        .Bind(7, participation.closed_at);
    return update.Run();
  }

  Result<std::vector<std::string>> MoveParticipations(int64_t from, int64_t into) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT member FROM incident_participations WHERE incident_id = ?1 AND "
                    "member NOT IN (SELECT member FROM incident_participations WHERE "
                    "incident_id = ?2) ORDER BY member"));
    select.Bind(1, from).Bind(2, into);
    std::vector<std::string> members;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      members.push_back(select.ColumnText(0));
    }
    select.Reset();
    for (const std::string& member : members) {
      for (std::string_view table :
           {"incident_participations", "incident_entries", "incident_tasks", "incident_history",
            "incident_attachments"}) {
        BAKEN_ASSIGN_OR_RETURN(
            Statement move,
            db_.Prepare(fmt::format(
                "UPDATE {} SET incident_id = ?2 WHERE incident_id = ?1 AND member = ?3", table)));
        move.Bind(1, from).Bind(2, into).Bind(3, member);
        BAKEN_RETURN_IF_ERROR(move.Run());
      }
    }
    return members;
  }

  Result<int64_t> AddEntry(const JournalEntry& entry) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_entries (incident_id, member, author, at, text, tlp, "
                    "released_at, released_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                    "RETURNING id"));
    insert.Bind(1, entry.incident_id)
        .Bind(2, entry.member)
        .Bind(3, entry.author)
        .Bind(4, entry.at)
        .Bind(5, entry.text)
        .Bind(6, entry.tlp)
        .Bind(7, entry.released_at)
        .Bind(8, entry.released_by);
    return sql::InsertedId(insert);
  }

  // A member sees its participation's entries and the released coordination entries of an
  // incident it takes part in; staff see all.
  static constexpr std::string_view kEntryInScope =
      "(?1 IS NULL OR (member = ?1 OR (member IS NULL AND released_at IS NOT NULL)) AND "
      "EXISTS (SELECT 1 FROM incident_participations s WHERE s.incident_id = ?2 AND "
      "s.member = ?1))";

  Result<std::vector<JournalEntry>> Entries(const registry::Scope& scope,
                                            int64_t incident_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_entries WHERE incident_id = ?2 AND {} "
                                "ORDER BY at, id",
                                kEntryColumns, kEntryInScope)));
    select.Bind(1, scope.member()).Bind(2, incident_id);
    std::vector<JournalEntry> entries;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      entries.push_back(ReadEntry(select));
    }
    return entries;
  }

  Result<std::optional<JournalEntry>> FindEntry(const registry::Scope& scope, int64_t incident_id,
                                                int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            fmt::format("SELECT {} FROM incident_entries WHERE incident_id = ?2 AND id = ?3 AND {}",
                        kEntryColumns, kEntryInScope)));
    select.Bind(1, scope.member()).Bind(2, incident_id).Bind(3, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<JournalEntry>();
    return std::optional<JournalEntry>(ReadEntry(select));
  }

  Status ReleaseEntry(int64_t id, std::string_view by, std::string_view at) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE incident_entries SET released_at = ?2, released_by = ?3 "
                    "WHERE id = ?1 AND released_at IS NULL"));
    update.Bind(1, id).Bind(2, at).Bind(3, by);
    return update.Run();
  }

  Result<int64_t> AddTask(const IncidentTask& task) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_tasks (incident_id, member, title, owner, due_at, "
                    "state, reason, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"));
    insert.Bind(1, task.incident_id)
        .Bind(2, task.member)
        .Bind(3, task.title)
        .Bind(4, task.owner)
        .Bind(5, task.due_at)
        .Bind(6, task.state)
        .Bind(7, task.reason)
        .Bind(8, task.created_by)
        .Bind(9, task.created_at)
        .Bind(10, task.updated_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<IncidentTask>> Tasks(const registry::Scope& scope,
                                          int64_t incident_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_tasks WHERE incident_id = ?2 AND {} "
                                "ORDER BY created_at, id",
                                kTaskColumns, kRowOfMember)));
    select.Bind(1, scope.member()).Bind(2, incident_id);
    std::vector<IncidentTask> tasks;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      tasks.push_back(ReadTask(select));
    }
    return tasks;
  }

  Status UpdateTask(const IncidentTask& task) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE incident_tasks SET title = ?2, owner = ?3, due_at = ?4, state = ?5, "
                    "reason = ?6, updated_at = ?7 WHERE id = ?1"));
    update.Bind(1, task.id)
        .Bind(2, task.title)
        .Bind(3, task.owner)
        .Bind(4, task.due_at)
        .Bind(5, task.state)
        .Bind(6, task.reason)
        .Bind(7, task.updated_at);
    return update.Run();
  }

  Result<bool> AddLink(const IncidentLink& link) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_links (incident_id, kind, target, added_by, added_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (incident_id, kind, target) "
                    "DO NOTHING"));
    insert.Bind(1, link.incident_id)
        .Bind(2, link.kind)
        .Bind(3, link.target)
        .Bind(4, link.added_by)
        .Bind(5, link.added_at);
    BAKEN_RETURN_IF_ERROR(insert.Run());
    return db_.Changes() == 1;
  }

  Result<std::vector<IncidentLink>> Links(int64_t incident_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, incident_id, kind, target, added_by, added_at FROM "
                    "incident_links WHERE incident_id = ?1 ORDER BY id"));
    select.Bind(1, incident_id);
    std::vector<IncidentLink> links;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      links.push_back(IncidentLink{select.ColumnInt(0), select.ColumnInt(1), select.ColumnText(2),
                                   select.ColumnText(3), select.ColumnText(4),
                                   select.ColumnText(5)});
    }
    return links;
  }

  Result<int64_t> AddAttachment(const IncidentAttachment& attachment) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_attachments (incident_id, member, name, media_type, "
                    "size, sha256, content, tlp, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                    "?6, ?7, ?8, ?9, ?10) RETURNING id"));
    insert.Bind(1, attachment.incident_id)
        .Bind(2, attachment.member)
        .Bind(3, attachment.name)
        .Bind(4, attachment.media_type)
        .Bind(5, attachment.size)
        .Bind(6, attachment.sha256)
        .BindBlob(7, attachment.content)
        .Bind(8, attachment.tlp)
        .Bind(9, attachment.added_by)
        .Bind(10, attachment.added_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<IncidentAttachment>> Attachments(const registry::Scope& scope,
                                                      int64_t incident_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_attachments WHERE incident_id = ?2 AND "
                                "{} ORDER BY id",
                                AttachmentColumns(false), kRowOfMember)));
    select.Bind(1, scope.member()).Bind(2, incident_id);
    std::vector<IncidentAttachment> attachments;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      attachments.push_back(ReadAttachment(select));
    }
    return attachments;
  }

  Result<std::optional<IncidentAttachment>> FindAttachment(const registry::Scope& scope,
                                                           int64_t incident_id,
                                                           int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_attachments WHERE incident_id = ?2 AND "
                                "id = ?3 AND {}",
                                AttachmentColumns(true), kRowOfMember)));
    select.Bind(1, scope.member()).Bind(2, incident_id).Bind(3, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<IncidentAttachment>();
    return std::optional<IncidentAttachment>(ReadAttachment(select));
  }

  Status AddNotice(const IncidentNotice& notice) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_notices (incident_id, member, kind, text, tlp, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.Bind(1, notice.incident_id)
        .Bind(2, notice.member)
        .Bind(3, notice.kind)
        .Bind(4, notice.text)
        .Bind(5, notice.tlp)
        .Bind(6, notice.created_at);
    return insert.Run();
  }

  Result<std::vector<IncidentNotice>> UnplannedNotices() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, incident_id, member, kind, text, tlp, created_at, planned_at "
                    "FROM incident_notices WHERE planned_at IS NULL ORDER BY id"));
    std::vector<IncidentNotice> notices;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      notices.push_back(IncidentNotice{select.ColumnInt(0), select.ColumnInt(1),
                                       select.ColumnText(2), select.ColumnText(3),
                                       select.ColumnText(4), select.ColumnText(5),
                                       select.ColumnText(6), select.ColumnOptionalText(7)});
    }
    return notices;
  }

  Result<bool> MarkNoticePlanned(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE incident_notices SET planned_at = ?2 WHERE id = ?1 AND "
                    "planned_at IS NULL"));
    update.Bind(1, id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Status AddHistory(const IncidentHistoryEntry& entry) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_history (incident_id, member, at, actor, action, "
                    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.Bind(1, entry.incident_id)
        .Bind(2, entry.member)
        .Bind(3, entry.at)
        .Bind(4, entry.actor)
        .Bind(5, entry.action)
        .Bind(6, entry.detail);
    return insert.Run();
  }

  Result<std::vector<IncidentHistoryEntry>> History(const registry::Scope& scope,
                                                    int64_t incident_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT id, incident_id, member, at, actor, action, detail FROM "
                                "incident_history WHERE incident_id = ?2 AND {} ORDER BY id",
                                kRowOfMember)));
    select.Bind(1, scope.member()).Bind(2, incident_id);
    std::vector<IncidentHistoryEntry> history;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      history.push_back(IncidentHistoryEntry{
          select.ColumnInt(0), select.ColumnInt(1), select.ColumnOptionalText(2),
          select.ColumnText(3), select.ColumnText(4), select.ColumnText(5), select.ColumnText(6)});
    }
    return history;
  }

  Result<IncidentCounts> CountFor(const registry::Scope& scope, std::string_view from,
                                  std::string_view until) override {
    // The incidents counted: created in [from, until) ("" unbounded), not merged, in scope.
    const std::string counted = fmt::format(
        "i.merged_into IS NULL AND (?2 = '' OR i.created_at >= ?2) AND "
        "(?3 = '' OR i.created_at < ?3) AND {}",
        kIncidentInScope);
    IncidentCounts counts;
    const auto grouped = [&](std::string_view key, std::map<std::string, int64_t>* into) -> Status {
      BAKEN_ASSIGN_OR_RETURN(
          Statement select,
          db_.Prepare(fmt::format("SELECT {} AS k, count(*) FROM incidents i WHERE {} GROUP BY k",
                                  key, counted)));
      select.Bind(1, scope.member()).Bind(2, from).Bind(3, until);
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
        if (!has_row) break;
        (*into)[select.ColumnText(0)] += select.ColumnInt(1);
      }
      return {};
    };
    BAKEN_RETURN_IF_ERROR(
        grouped("coalesce(i.classification || ':' || i.type, '')", &counts.by_type));
    BAKEN_RETURN_IF_ERROR(grouped("coalesce(i.cause, '')", &counts.by_cause));
    BAKEN_RETURN_IF_ERROR(grouped("coalesce(i.impact, '')", &counts.by_impact));
    for (const auto& [type, count] : counts.by_type) counts.total += count;
    // An incident counts once for each kind among its participants; a member's scope counts
    // its own kind only, so that nothing says which other members took part.
    BAKEN_ASSIGN_OR_RETURN(
        Statement kinds,
        db_.Prepare(fmt::format("SELECT m.kind, count(DISTINCT i.id) FROM incidents i JOIN "
                                "incident_participations p ON p.incident_id = i.id JOIN members "
                                "m ON m.code = p.member WHERE {} AND (?1 IS NULL OR p.member = "
                                "?1) GROUP BY m.kind",
                                counted)));
    kinds.Bind(1, scope.member()).Bind(2, from).Bind(3, until);
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, kinds.Step());
      if (!has_row) break;
      counts.by_member_kind[kinds.ColumnText(0)] = kinds.ColumnInt(1);
    }
    return counts;
  }

  Result<std::optional<BreachRecord>> FindBreach(int64_t participation_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM incident_breaches b WHERE b.participation_id = ?1",
                                kBreachColumns)));
    select.Bind(1, participation_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<BreachRecord>();
    return std::optional<BreachRecord>(ReadBreach(select, 0));
  }

  Status SaveBreach(const BreachRecord& breach) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO incident_breaches (participation_id, aware_at, deadline_at, "
                    "details, ap_decision, ap_reason, ap_notified_at, ap_reference, delay_reason, "
                    "subjects_decision, subjects_reason, created_by, created_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                    "ON CONFLICT (participation_id) DO UPDATE SET "
                    "aware_at = excluded.aware_at, deadline_at = excluded.deadline_at, "
                    "details = excluded.details, ap_decision = excluded.ap_decision, "
                    "ap_reason = excluded.ap_reason, ap_notified_at = excluded.ap_notified_at, "
                    "ap_reference = excluded.ap_reference, delay_reason = excluded.delay_reason, "
                    "subjects_decision = excluded.subjects_decision, "
                    "subjects_reason = excluded.subjects_reason, "
                    "updated_at = excluded.updated_at"));
    upsert.Bind(1, breach.participation_id)
        .Bind(2, breach.aware_at)
        .Bind(3, breach.deadline_at)
        .Bind(4, breach.details)
        .Bind(5, breach.ap_decision)
        .Bind(6, breach.ap_reason)
        .Bind(7, breach.ap_notified_at)
        .Bind(8, breach.ap_reference)
        .Bind(9, breach.delay_reason)
        .Bind(10, breach.subjects_decision)
        .Bind(11, breach.subjects_reason)
        .Bind(12, breach.created_by)
        .Bind(13, breach.created_at)
        .Bind(14, breach.updated_at);
    return upsert.Run();
  }

  Status AddBreachUpdate(const BreachUpdate& update) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_breach_updates (participation_id, kind, sent_at, note, "
                    "added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.Bind(1, update.participation_id)
        .Bind(2, update.kind)
        .Bind(3, update.sent_at)
        .Bind(4, update.note)
        .Bind(5, update.added_by)
        .Bind(6, update.added_at);
    return insert.Run();
  }

  Result<std::vector<BreachUpdate>> BreachUpdates(int64_t participation_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, participation_id, kind, sent_at, note, added_by, added_at FROM "
                    "incident_breach_updates WHERE participation_id = ?1 ORDER BY sent_at, id"));
    select.Bind(1, participation_id);
    std::vector<BreachUpdate> updates;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      updates.push_back(BreachUpdate{select.ColumnInt(0), select.ColumnInt(1), select.ColumnText(2),
                                     select.ColumnText(3), select.ColumnText(4),
                                     select.ColumnText(5), select.ColumnText(6)});
    }
    return updates;
  }

  Result<std::vector<RegisteredBreach>> Breaches(
      const registry::Scope& scope, const std::optional<std::string>& member) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT p.incident_id, p.member, p.title, p.state, {} FROM incident_breaches b "
            "JOIN incident_participations p ON p.id = b.participation_id "
            "WHERE (?1 IS NULL OR p.member = ?1) AND (?2 IS NULL OR p.member = ?2) "
            "ORDER BY b.aware_at, p.id",
            kBreachColumns)));
    select.Bind(1, scope.member()).Bind(2, member);
    std::vector<RegisteredBreach> breaches;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      breaches.push_back(RegisteredBreach{select.ColumnInt(0), select.ColumnText(1),
                                          select.ColumnText(2), select.ColumnText(3),
                                          ReadBreach(select, 4)});
    }
    return breaches;
  }

  Result<std::vector<OpenBreach>> OpenBreaches() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT p.incident_id, p.id, p.member, i.coordinator, b.aware_at, "
                    "b.deadline_at FROM incident_breaches b "
                    "JOIN incident_participations p ON p.id = b.participation_id "
                    "JOIN incidents i ON i.id = p.incident_id "
                    "WHERE p.state <> 'closed' AND (b.ap_decision = 'undecided' OR "
                    "(b.ap_decision = 'notify' AND b.ap_notified_at IS NULL)) "
                    "ORDER BY b.deadline_at, p.id"));
    std::vector<OpenBreach> breaches;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      breaches.push_back(OpenBreach{select.ColumnInt(0),
                                    select.ColumnInt(1),
                                    select.ColumnText(2),
                                    select.ColumnOptionalText(3),
                                    select.ColumnText(4),
                                    select.ColumnText(5),
                                    {}});
    }
    select.Reset();
    BAKEN_ASSIGN_OR_RETURN(
        Statement reminded,
        db_.Prepare("SELECT kind FROM incident_breach_reminders WHERE participation_id = ?1"));
    for (OpenBreach& breach : breaches) {
      reminded.Reset();
      reminded.Bind(1, breach.participation_id);
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, reminded.Step());
        if (!has_row) break;
        breach.reminded.push_back(reminded.ColumnText(0));
      }
    }
    return breaches;
  }

  Result<bool> AddReminder(int64_t participation_id, std::string_view kind, std::string_view due_at,
                           std::string_view now, bool sent) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO incident_breach_reminders (participation_id, kind, due_at, "
                    "planned_at, sent) VALUES (?1, ?2, ?3, ?4, ?5) "
                    "ON CONFLICT (participation_id, kind) DO NOTHING"));
    insert.Bind(1, participation_id)
        .Bind(2, kind)
        .Bind(3, due_at)
        .Bind(4, now)
        .Bind(5, int64_t{sent ? 1 : 0});
    BAKEN_RETURN_IF_ERROR(insert.Run());
    return db_.Changes() == 1;
  }

 private:
  // A list leaves the bytes out: they are most of a row.
  static std::string AttachmentColumns(bool with_content) {
    return fmt::format(
        "id, incident_id, member, name, media_type, size, sha256, {}, tlp, added_by, added_at",
        with_content ? "content" : "''");
  }

  static IncidentAttachment ReadAttachment(const Statement& row) {
    IncidentAttachment attachment;
    attachment.id = row.ColumnInt(0);
    attachment.incident_id = row.ColumnInt(1);
    attachment.member = row.ColumnOptionalText(2);
    attachment.name = row.ColumnText(3);
    attachment.media_type = row.ColumnText(4);
    attachment.size = row.ColumnInt(5);
    attachment.sha256 = row.ColumnText(6);
    attachment.content = std::string(row.ColumnBlob(7));
    attachment.tlp = row.ColumnText(8);
    attachment.added_by = row.ColumnText(9);
    attachment.added_at = row.ColumnText(10);
    return attachment;
  }

  static constexpr std::string_view kBreachColumns =
      "b.participation_id, b.aware_at, b.deadline_at, b.details, b.ap_decision, b.ap_reason, "
      "b.ap_notified_at, b.ap_reference, b.delay_reason, b.subjects_decision, b.subjects_reason, "
      "b.created_by, b.created_at, b.updated_at";

  static BreachRecord ReadBreach(const Statement& row, int first) {
    BreachRecord breach;
    breach.participation_id = row.ColumnInt(first);
    breach.aware_at = row.ColumnText(first + 1);
    breach.deadline_at = row.ColumnText(first + 2);
    breach.details = row.ColumnText(first + 3);
    breach.ap_decision = row.ColumnText(first + 4);
    breach.ap_reason = row.ColumnOptionalText(first + 5);
    breach.ap_notified_at = row.ColumnOptionalText(first + 6);
    breach.ap_reference = row.ColumnOptionalText(first + 7);
    breach.delay_reason = row.ColumnOptionalText(first + 8);
    breach.subjects_decision = row.ColumnText(first + 9);
    breach.subjects_reason = row.ColumnOptionalText(first + 10);
    breach.created_by = row.ColumnText(first + 11);
    breach.created_at = row.ColumnText(first + 12);
    breach.updated_at = row.ColumnText(first + 13);
    return breach;
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<IncidentRepository> MakeIncidentRepository(sql::Connection& db) {
  return std::make_unique<SqlIncidentRepository>(db);
}

}  // namespace baken::store
