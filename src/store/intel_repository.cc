#include "store/intel_repository.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/intel_repository_sql.h"
#include "store/json_columns.h"

namespace baken::store {

namespace {

using sql::Connection;
using sql::Flag;
using sql::Statement;

// intel::MayReceive (intel/sharing.h) as SQL, for the event `e` and an indicator's TLP and
// cert-only columns (the event's own TLP and 0 for the event itself). ?1 1 for staff, ?2 the
// reader's member or NULL, ?3 1 for a partner, 2 for a member's user who is no trusted contact
// (CLEAR and GREEN only), 0 otherwise. Kept to MayReceive's answers by
// store/intel_store_test.cc.
std::string MayReceive(std::string_view tlp, std::string_view cert_only) {
  const std::string named =
      "EXISTS (SELECT 1 FROM intel_event_members m WHERE m.event_id = e.id AND m.member_code = "
      "?2)";
  return fmt::format(
      "(?1 = 1 OR (e.owner_member IS NOT NULL AND e.owner_member = ?2) OR ({cert_only} = 0 AND "
      "e.distribution <> 'cert' AND (({tlp} IN ('CLEAR', 'GREEN') AND ((?3 <> 1 AND ?2 IS NOT "
      "NULL AND (e.distribution IN ('members', 'partners') OR {named})) OR (?3 = 1 AND "
      "e.distribution = 'partners'))) OR ({tlp} = 'AMBER' AND ?3 = 0 AND {named}) OR ({tlp} = "
      "'AMBER+STRICT' AND ?3 = 0 AND {named} AND (e.from_outside = 0 OR e.permission IS NOT "
      "NULL)))))",
      fmt::arg("tlp", tlp), fmt::arg("cert_only", cert_only), fmt::arg("named", named));
}

void BindReader(Statement& statement, const IntelReader& reader) {
  statement.Bind(1, Flag(reader.staff))
      .Bind(2, reader.member)
      .Bind(3, int64_t{reader.partner        ? 1
                       : reader.general_only ? 2
                                             : 0});
}

constexpr std::string_view kEventColumns =
    "e.id, e.source_kind, e.source_id, e.title, e.description, e.tlp, e.tlp_given, e.pap, "
    "e.distribution, e.confidence, e.threat_level, e.event_date, e.creator, e.tags, e.problems, "
    "e.owner_member, e.from_outside, e.permission, e.added_by, e.created_at, e.updated_at";

// The event's columns and how many of its indicators the reader (?1 to ?3) may receive.
std::string EventColumns() {
  return fmt::format("{}, (SELECT COUNT(*) FROM intel_indicators i WHERE i.event_id = e.id AND {})",
                     kEventColumns, MayReceive("i.tlp", "i.cert_only"));
}

// The events a reader may receive whose title holds ?4 (NULL: any).
std::string EventsWhere() {
  return fmt::format("{} AND (?4 IS NULL OR instr(lower(e.title), lower(?4)) > 0)",
                     MayReceive("e.tlp", "0"));
}

// The indicators a reader may receive that match ?4 to ?7 (an IndicatorQuery).
std::string IndicatorsWhere() {
  return fmt::format(
      "{} AND (?4 IS NULL OR instr(lower(i.value), lower(?4)) > 0) AND (?5 IS NULL OR i.kind = "
      "?5) AND (?6 = 0 OR i.for_detection = 1) AND (?7 IS NULL OR i.valid_until IS NULL OR "
      "i.valid_until > ?7)",
      MayReceive("i.tlp", "i.cert_only"));
}

void BindIndicatorQuery(Statement& statement, const IntelReader& reader,
                        const IndicatorQuery& query) {
  BindReader(statement, reader);
  statement.Bind(4, query.text)
      .Bind(5, query.kind)
      .Bind(6, Flag(query.for_detection))
      .Bind(7, query.valid_at);
}

// What a source says of an indicator, as ?2 to ?15 (insert and update alike).
void BindIndicatorFields(Statement& statement, const IndicatorRecord& indicator) {
  statement.Bind(2, indicator.kind)
      .Bind(3, indicator.value)
      .Bind(4, indicator.tlp)
      .Bind(5, Flag(indicator.for_detection))
      .Bind(6, Flag(indicator.cert_only))
      .Bind(7, indicator.valid_until)
      .Bind(8, indicator.first_seen)
      .Bind(9, indicator.last_seen)
      .Bind(10, indicator.comment)
      .Bind(11, indicator.group_ref)
      .Bind(12, indicator.group_name)
      .Bind(13, indicator.source_ref)
      .Bind(14, indicator.source_type)
      .Bind(15, TextListJson(indicator.tags));
}

IntelEventRecord ReadEvent(const Statement& row) {
  IntelEventRecord event;
  event.id = row.ColumnInt(0);
  event.source_kind = row.ColumnText(1);
  event.source_id = row.ColumnText(2);
  event.title = row.ColumnText(3);
  event.description = row.ColumnText(4);
  event.tlp = row.ColumnText(5);
  event.tlp_given = row.ColumnInt(6) != 0;
  event.pap = row.ColumnOptionalText(7);
  event.distribution = row.ColumnText(8);
  event.confidence = row.ColumnOptionalInt(9);
  event.threat_level = row.ColumnOptionalText(10);
  event.event_date = row.ColumnOptionalText(11);
  event.creator = row.ColumnText(12);
  event.tags = TextListColumn(row.ColumnText(13));
  event.problems = TextListColumn(row.ColumnText(14));
  event.owner_member = row.ColumnOptionalText(15);
  event.from_outside = row.ColumnInt(16) != 0;
  event.permission = row.ColumnOptionalText(17);
  event.added_by = row.ColumnText(18);
  event.created_at = row.ColumnText(19);
  event.updated_at = row.ColumnText(20);
  event.indicator_count = row.ColumnInt(21);
  return event;
}

constexpr std::string_view kIndicatorColumns =
    "i.id, i.event_id, i.kind, i.value, i.tlp, i.for_detection, i.cert_only, i.valid_until, "
    "i.first_seen, i.last_seen, i.comment, i.group_ref, i.group_name, i.source_ref, "
    "i.source_type, i.tags, i.created_at, (SELECT COALESCE(SUM(s.count), 0) FROM intel_sightings "
    "s WHERE s.indicator_id = i.id AND s.kind = 'seen'), (SELECT COUNT(*) FROM intel_sightings s "
    "WHERE s.indicator_id = i.id AND s.kind = 'false_positive'), (SELECT COUNT(*) FROM "
    "intel_sightings s WHERE s.indicator_id = i.id AND s.kind = 'expired')";

IndicatorRecord ReadIndicator(const Statement& row) {
  IndicatorRecord indicator;
  indicator.id = row.ColumnInt(0);
  indicator.event_id = row.ColumnInt(1);
  indicator.kind = row.ColumnText(2);
  indicator.value = row.ColumnText(3);
  indicator.tlp = row.ColumnText(4);
  indicator.for_detection = row.ColumnInt(5) != 0;
  indicator.cert_only = row.ColumnInt(6) != 0;
  indicator.valid_until = row.ColumnOptionalText(7);
  indicator.first_seen = row.ColumnOptionalText(8);
  indicator.last_seen = row.ColumnOptionalText(9);
  indicator.comment = row.ColumnText(10);
  indicator.group_ref = row.ColumnText(11);
  indicator.group_name = row.ColumnText(12);
  indicator.source_ref = row.ColumnText(13);
  indicator.source_type = row.ColumnText(14);
  indicator.tags = TextListColumn(row.ColumnText(15));
  indicator.created_at = row.ColumnText(16);
  indicator.seen = row.ColumnInt(17);
  indicator.false_positives = row.ColumnInt(18);
  indicator.expired = row.ColumnInt(19);
  return indicator;
}

SightingRecord ReadSighting(const Statement& row) {
  SightingRecord sighting;
  sighting.id = row.ColumnInt(0);
  sighting.indicator_id = row.ColumnInt(1);
  sighting.member = row.ColumnOptionalText(2);
  sighting.kind = row.ColumnText(3);
  sighting.at = row.ColumnText(4);
  sighting.count = row.ColumnInt(5);
  sighting.source = row.ColumnText(6);
  sighting.named = row.ColumnInt(7) != 0;
  sighting.added_by = row.ColumnText(8);
  sighting.created_at = row.ColumnText(9);
  return sighting;
}

class SqlIntelRepository final : public IntelRepository {
 public:
  explicit SqlIntelRepository(Connection& db) : db_(db) {}

  Result<int64_t> AddEvent(const IntelEventRecord& event) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO intel_events (source_kind, source_id, title, description, tlp, "
                    "tlp_given, pap, distribution, confidence, threat_level, event_date, creator, "
                    "tags, problems, owner_member, from_outside, permission, added_by, "
                    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) RETURNING id"));
    insert.Bind(1, event.source_kind)
        .Bind(2, event.source_id)
        .Bind(3, event.title)
        .Bind(4, event.description)
        .Bind(5, event.tlp)
        .Bind(6, Flag(event.tlp_given))
        .Bind(7, event.pap)
        .Bind(8, event.distribution)
        .Bind(9, event.confidence)
        .Bind(10, event.threat_level)
        .Bind(11, event.event_date)
        .Bind(12, event.creator)
        .Bind(13, TextListJson(event.tags))
        .Bind(14, TextListJson(event.problems))
        .Bind(15, event.owner_member)
        .Bind(16, Flag(event.from_outside))
        .Bind(17, event.permission)
        .Bind(18, event.added_by)
        .Bind(19, event.created_at)
        .Bind(20, event.updated_at);
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, sql::InsertedId(insert));
    for (const std::string& member : event.named) {
      BAKEN_ASSIGN_OR_RETURN(Statement name,
                             db_.Prepare("INSERT INTO intel_event_members (event_id, member_code) "
                                         "VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
      name.Bind(1, id).Bind(2, member);
      BAKEN_RETURN_IF_ERROR(name.Run());
    }
    return id;
  }

  Result<std::optional<IntelEventRecord>> FindEvent(const IntelReader& reader,
                                                    int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM intel_events e WHERE e.id = ?4 AND {}",
                                EventColumns(), MayReceive("e.tlp", "0"))));
    BindReader(select, reader);
    select.Bind(4, id);
    BAKEN_ASSIGN_OR_RETURN(auto events, sql::AllRows(select, ReadEvent));
    if (events.empty()) return std::optional<IntelEventRecord>();
    BAKEN_RETURN_IF_ERROR(ReadNamed(events.front()));
    return std::optional<IntelEventRecord>(std::move(events.front()));
  }

  Result<std::vector<IntelEventRecord>> Events(const IntelReader& reader,
                                               const IntelEventQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM intel_events e WHERE {} ORDER BY e.id DESC LIMIT "
                                "?5 OFFSET ?6",
                                EventColumns(), EventsWhere())));
    BindReader(select, reader);
    select.Bind(4, query.text).Bind(5, sql::Limit(query.limit)).Bind(6, query.offset);
    BAKEN_ASSIGN_OR_RETURN(auto events, sql::AllRows(select, ReadEvent));
    for (IntelEventRecord& event : events) BAKEN_RETURN_IF_ERROR(ReadNamed(event));
    return events;
  }

  Result<int64_t> CountEvents(const IntelReader& reader, const IntelEventQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement count,
        db_.Prepare(fmt::format("SELECT COUNT(*) FROM intel_events e WHERE {}", EventsWhere())));
    BindReader(count, reader);
    count.Bind(4, query.text);
    BAKEN_ASSIGN_OR_RETURN(const bool has_row, count.Step());
    return has_row ? count.ColumnInt(0) : 0;
  }

  Result<std::optional<int64_t>> EventBySource(std::string_view source_kind,
                                               std::string_view source_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id FROM intel_events WHERE source_kind = ?1 AND source_id = ?2 "
                    "ORDER BY id DESC LIMIT 1"));
    select.Bind(1, source_kind).Bind(2, source_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<int64_t>();
    return std::optional<int64_t>(select.ColumnInt(0));
  }

  Status UpdateEvent(const IntelEventRecord& event) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE intel_events SET title = ?2, description = ?3, tlp = ?4, tlp_given = "
                    "?5, pap = ?6, confidence = ?7, threat_level = ?8, event_date = ?9, creator "
                    "= ?10, tags = ?11, problems = ?12, updated_at = ?13 WHERE id = ?1"));
    update.Bind(1, event.id)
        .Bind(2, event.title)
        .Bind(3, event.description)
        .Bind(4, event.tlp)
        .Bind(5, Flag(event.tlp_given))
        .Bind(6, event.pap)
        .Bind(7, event.confidence)
        .Bind(8, event.threat_level)
        .Bind(9, event.event_date)
        .Bind(10, event.creator)
        .Bind(11, TextListJson(event.tags))
        .Bind(12, TextListJson(event.problems))
        .Bind(13, event.updated_at);
    return update.Run();
  }

  Result<int64_t> AddIndicator(const IndicatorRecord& indicator) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO intel_indicators (event_id, kind, value, tlp, for_detection, "
                    "cert_only, valid_until, first_seen, last_seen, comment, group_ref, "
                    "group_name, source_ref, source_type, tags, created_at) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id"));
    BindIndicatorFields(insert, indicator);
    insert.Bind(1, indicator.event_id).Bind(16, indicator.created_at);
    return sql::InsertedId(insert);
  }

  Status UpdateIndicator(const IndicatorRecord& indicator) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE intel_indicators SET kind = ?2, value = ?3, tlp = ?4, for_detection "
                    "= ?5, cert_only = ?6, valid_until = ?7, first_seen = ?8, last_seen = ?9, "
                    "comment = ?10, group_ref = ?11, group_name = ?12, source_ref = ?13, "
                    "source_type = ?14, tags = ?15 WHERE id = ?1"));
    BindIndicatorFields(update, indicator);
    update.Bind(1, indicator.id);
    return update.Run();
  }

  Result<std::vector<IndicatorRecord>> Indicators(const IntelReader& reader,
                                                  int64_t event_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM intel_indicators i JOIN intel_events e ON e.id = "
                                "i.event_id WHERE i.event_id = ?4 AND {} ORDER BY i.id",
                                kIndicatorColumns, MayReceive("i.tlp", "i.cert_only"))));
    BindReader(select, reader);
    select.Bind(4, event_id);
    return sql::AllRows(select, ReadIndicator);
  }

  Result<std::vector<IndicatorRecord>> IndicatorsWithValue(const IntelReader& reader,
                                                           std::string_view kind,
                                                           std::string_view value) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM intel_indicators i JOIN intel_events e ON e.id = "
                                "i.event_id WHERE i.kind = ?4 AND i.value = ?5 AND {} ORDER BY "
                                "i.id",
                                kIndicatorColumns, MayReceive("i.tlp", "i.cert_only"))));
    BindReader(select, reader);
    select.Bind(4, kind).Bind(5, value);
    return sql::AllRows(select, ReadIndicator);
  }

  Result<std::optional<IndicatorRecord>> FindIndicator(const IntelReader& reader,
                                                       int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM intel_indicators i JOIN intel_events e ON e.id = "
                                "i.event_id WHERE i.id = ?4 AND {}",
                                kIndicatorColumns, MayReceive("i.tlp", "i.cert_only"))));
    BindReader(select, reader);
    select.Bind(4, id);
    BAKEN_ASSIGN_OR_RETURN(auto found, sql::AllRows(select, ReadIndicator));
    if (found.empty()) return std::optional<IndicatorRecord>();
    return std::optional<IndicatorRecord>(std::move(found.front()));
  }

  Result<std::vector<IndicatorRecord>> SearchIndicators(const IntelReader& reader,
                                                        const IndicatorQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM intel_indicators i JOIN intel_events e ON e.id = "
                                "i.event_id WHERE {} ORDER BY i.id DESC LIMIT ?8 OFFSET ?9",
                                kIndicatorColumns, IndicatorsWhere())));
    BindIndicatorQuery(select, reader, query);
    select.Bind(8, sql::Limit(query.limit)).Bind(9, query.offset);
    return sql::AllRows(select, ReadIndicator);
  }

  Result<int64_t> CountIndicators(const IntelReader& reader, const IndicatorQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement count,
        db_.Prepare(fmt::format("SELECT COUNT(*) FROM intel_indicators i JOIN intel_events e ON "
                                "e.id = i.event_id WHERE {}",
                                IndicatorsWhere())));
    BindIndicatorQuery(count, reader, query);
    BAKEN_ASSIGN_OR_RETURN(const bool has_row, count.Step());
    return has_row ? count.ColumnInt(0) : 0;
  }

  Result<int64_t> AddSighting(const SightingRecord& sighting) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO intel_sightings (indicator_id, member_code, kind, at, count, "
                    "source, named, added_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "?8, ?9) RETURNING id"));
    insert.Bind(1, sighting.indicator_id)
        .Bind(2, sighting.member)
        .Bind(3, sighting.kind)
        .Bind(4, sighting.at)
        .Bind(5, sighting.count)
        .Bind(6, sighting.source)
        .Bind(7, Flag(sighting.named))
        .Bind(8, sighting.added_by)
        .Bind(9, sighting.created_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<SightingRecord>> Sightings(int64_t indicator_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, indicator_id, member_code, kind, at, count, source, named, "
                    "added_by, created_at FROM intel_sightings WHERE indicator_id = ?1 ORDER BY "
                    "id"));
    select.Bind(1, indicator_id);
    return sql::AllRows(select, ReadSighting);
  }

  Result<int64_t> AddWarning(const IntelWarningRecord& warning) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO intel_warnings (indicator_id, sighting_id, member_code, "
                    "created_at, planned_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
    insert.Bind(1, warning.indicator_id)
        .Bind(2, warning.sighting_id)
        .Bind(3, warning.member)
        .Bind(4, warning.created_at)
        .Bind(5, warning.planned_at);
    return sql::InsertedId(insert);
  }

  Result<bool> WarnedSince(int64_t indicator_id, std::string_view member,
                           std::string_view since) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT 1 FROM intel_warnings WHERE indicator_id = ?1 AND member_code = ?2 "
                    "AND created_at >= ?3 LIMIT 1"));
    select.Bind(1, indicator_id).Bind(2, member).Bind(3, since);
    return select.Step();
  }

  Result<std::vector<IntelWarningRecord>> UnplannedWarnings() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, indicator_id, sighting_id, member_code, created_at, planned_at "
                    "FROM intel_warnings WHERE planned_at IS NULL ORDER BY id"));
    return sql::AllRows(select, [](const Statement& row) {
      return IntelWarningRecord{row.ColumnInt(0),
                                row.ColumnInt(1),
                                row.ColumnInt(2),
                                std::string(row.ColumnText(3)),
                                std::string(row.ColumnText(4)),
                                row.ColumnOptionalText(5)};
    });
  }

  Result<bool> MarkWarningPlanned(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE intel_warnings SET planned_at = ?2 WHERE id = ?1 AND planned_at IS "
                    "NULL"));
    update.Bind(1, id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Status SetFeedToken(std::string_view member, std::string_view token_sha256, std::string_view now,
                      std::string_view actor) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO intel_feed_tokens (member_code, token_sha256, created_at, "
                    "created_by) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (member_code) DO UPDATE SET "
                    "token_sha256 = excluded.token_sha256, created_at = excluded.created_at, "
                    "created_by = excluded.created_by"));
    upsert.Bind(1, member).Bind(2, token_sha256).Bind(3, now).Bind(4, actor);
    return upsert.Run();
  }

  Result<std::optional<std::string>> FeedTokenCreated(std::string_view member) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT created_at FROM intel_feed_tokens WHERE member_code = ?1"));
    select.Bind(1, member);
    BAKEN_ASSIGN_OR_RETURN(const bool has_row, select.Step());
    if (!has_row) return std::optional<std::string>();
    return std::optional<std::string>(select.ColumnText(0));
  }

  Result<std::optional<std::string>> MemberOfFeedToken(std::string_view token_sha256) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT member_code FROM intel_feed_tokens WHERE token_sha256 = ?1"));
    select.Bind(1, token_sha256);
    BAKEN_ASSIGN_OR_RETURN(const bool has_row, select.Step());
    if (!has_row) return std::optional<std::string>();
    return std::optional<std::string>(select.ColumnText(0));
  }

 private:
  Status ReadNamed(IntelEventRecord& event) {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT member_code FROM intel_event_members WHERE "
                                       "event_id = ?1 ORDER BY member_code"));
    select.Bind(1, event.id);
    BAKEN_ASSIGN_OR_RETURN(event.named, sql::AllRows(select, [](const Statement& row) {
                             return std::string(row.ColumnText(0));
                           }));
    return {};
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<IntelRepository> MakeIntelRepository(sql::Connection& db) {
  return std::make_unique<SqlIntelRepository>(db);
}

}  // namespace baken::store
