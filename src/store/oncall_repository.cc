#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/json_columns.h"
#include "store/oncall_repository_sql.h"

namespace baken::store {

namespace {

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

 private:
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
