// `baken migrate`: one SQLite installation copied into an empty PostgreSQL database. The tables
// and columns come from the two schemas themselves, so a table added by a later migration is
// copied without anyone remembering to list it here; rows go in with PostgreSQL's binary COPY
// (docs/decisions/0006-event-blocks.md: millions of dedup keys, thousands of blocks of several
// megabytes), the one part that speaks PostgreSQL only.

#include "store/copy.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "store/sql.h"
#include "store/store.h"

namespace baken::store {

namespace {

using sql::Connection;
using sql::Statement;

// How a column's values travel: SQLite's declared type (its tables are STRICT), the type the
// PostgreSQL baseline gives it, and SQLite's storage class for a value of it.
enum class Kind { kInteger, kText, kBlob };
struct KindNames {
  Kind kind;
  std::string_view sqlite;
  std::string_view postgresql;
  std::string_view storage_class;
};
constexpr KindNames kKinds[] = {
    {Kind::kInteger, "INTEGER", "bigint", "integer"},
    {Kind::kText, "TEXT", "text", "text"},
    {Kind::kBlob, "BLOB", "bytea", "blob"},
};

struct Column {
  std::string name;
  Kind kind = Kind::kText;
};

struct Table {
  std::string name;
  std::vector<Column> columns;       // in SQLite's order
  std::set<std::string> references;  // the tables its foreign keys point to
};

struct TargetColumn {
  std::string name;
  std::string type;                     // information_schema's data_type
  std::optional<std::string> sequence;  // the identity's (or serial's) sequence, qualified
};

// About 1 MiB per piece sent: large enough that libpq's calls cost nothing, small enough that
// memory stays flat whatever the table's size.
constexpr size_t kCopyPiece = size_t{1} << 20;

std::string Quoted(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string ColumnList(const Table& table) {
  std::vector<std::string> names;
  for (const Column& column : table.columns) names.push_back(Quoted(column.name));
  return fmt::format("{}", fmt::join(names, ", "));
}

const KindNames& NamesOf(Kind kind) {
  for (const KindNames& names : kKinds) {
    if (names.kind == kind) return names;
  }
  return kKinds[0];
}

Result<int64_t> CountRows(Connection& db, std::string_view table) {
  BAKEN_ASSIGN_OR_RETURN(Statement count,
                         db.Prepare(fmt::format("SELECT count(*) FROM {}", Quoted(table))));
  BAKEN_ASSIGN_OR_RETURN(bool has_row, count.Step());
  return has_row ? count.ColumnInt(0) : int64_t{0};
}

// A transaction that rolls back unless committed.
class TransactionGuard {
 public:
  explicit TransactionGuard(Connection& db) : db_(db) {}
  ~TransactionGuard() {
    if (open_) (void)db_.Execute("ROLLBACK");
  }
  TransactionGuard(const TransactionGuard&) = delete;
  TransactionGuard& operator=(const TransactionGuard&) = delete;
  Status Commit() {
    open_ = false;
    return db_.Execute("COMMIT");
  }

 private:
  Connection& db_;
  bool open_ = true;
};

class Copier {
 public:
  Copier(std::string_view sqlite_path, std::string_view postgresql_url)
      : path_(sqlite_path),
        url_(postgresql_url),
        from_(fmt::format("sqlite:{}", sqlite_path)),
        to_(sql::RedactedUrl(postgresql_url)) {}

  Result<CopyReport> Run(std::string_view actor, std::string_view now) {
    BAKEN_RETURN_IF_ERROR(MigrateBoth());
    BAKEN_ASSIGN_OR_RETURN(source_, sql::OpenSqlite(path_));
    BAKEN_ASSIGN_OR_RETURN(target_, sql::OpenPostgresql(url_));
    // One snapshot of the source throughout, so that the counts compared at the end are those
    // of the rows copied even if a `baken` still writes to it.
    BAKEN_RETURN_IF_ERROR(source_->BeginTransaction(/*write=*/false));
    TransactionGuard source_transaction(*source_);
    BAKEN_RETURN_IF_ERROR(target_->BeginTransaction(/*write=*/true));
    TransactionGuard target_transaction(*target_);

    BAKEN_ASSIGN_OR_RETURN(std::vector<Table> tables, CompareSchemas());
    BAKEN_RETURN_IF_ERROR(RefuseNonEmptyTarget(tables));
    CopyReport report;
    for (const Table& table : tables) {
      BAKEN_RETURN_IF_ERROR(CheckStorageClasses(table));
      auto copied = CopyTable(table);
      if (!copied) {
        return MakeError(copied.error().code,
                         fmt::format("copying table {} from {} to {} failed, so nothing was "
                                     "written: {}",
                                     table.name, from_, to_, copied.error().message));
      }
      report.tables.emplace_back(table.name, *copied);
      report.rows += *copied;
    }
    BAKEN_RETURN_IF_ERROR(CompareCounts(tables));
    BAKEN_RETURN_IF_ERROR(MoveSequences());
    BAKEN_RETURN_IF_ERROR(RecordAudit(report, actor, now));
    if (auto committed = target_transaction.Commit(); !committed) {
      return MakeError(committed.error().code,
                       fmt::format("committing the copy into {} failed, so nothing was written: {}",
                                   to_, committed.error().message));
    }
    return report;
  }

 private:
  // Both sides at the newest schema: the source's own migrations, the target's baseline.
  Status MigrateBoth() {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path_, error)) {
      return NotFound(
          fmt::format("{}: no such file; baken migrate copies an existing SQLite "
                      "installation",
                      from_));
    }
    if (auto store = Store::Open(path_); !store) {
      return MakeError(store.error().code, fmt::format("{}: {}", from_, store.error().message));
    }
    if (auto store = Store::Open(url_); !store) return tl::unexpected(store.error());
    return {};
  }

  // The tables to copy, referenced tables before the tables referring to them; refused unless
  // both sides have the same tables with the same columns of matching types.
  Result<std::vector<Table>> CompareSchemas() {
    BAKEN_ASSIGN_OR_RETURN(std::vector<Table> tables, SourceTables());
    BAKEN_ASSIGN_OR_RETURN(auto target, TargetTables());
    std::vector<std::string> differences;
    std::set<std::string> source_names;
    for (const Table& table : tables) {
      source_names.insert(table.name);
      auto found = target.find(table.name);
      if (found == target.end()) {
        differences.push_back(fmt::format("table {} is missing in {}", table.name, to_));
        continue;
      }
      std::map<std::string, const TargetColumn*> target_columns;
      for (const TargetColumn& column : found->second) target_columns[column.name] = &column;
      for (const Column& column : table.columns) {
        auto other = target_columns.find(column.name);
        if (other == target_columns.end()) {
          differences.push_back(
              fmt::format("column {}.{} is missing in {}", table.name, column.name, to_));
          continue;
        }
        if (other->second->type != NamesOf(column.kind).postgresql) {
          differences.push_back(fmt::format("column {}.{} is {} in {} but {} in {}", table.name,
                                            column.name, NamesOf(column.kind).sqlite, from_,
                                            other->second->type, to_));
        }
        target_columns.erase(other);
      }
      for (const auto& [name, column] : target_columns) {
        differences.push_back(
            fmt::format("column {}.{} is missing in {}", table.name, name, from_));
      }
    }
    for (const auto& [name, columns] : target) {
      if (!source_names.contains(name)) {
        differences.push_back(fmt::format("table {} is missing in {}", name, from_));
      }
    }
    if (!differences.empty()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} and {} do not have the same tables and columns, so nothing "
                                   "was copied: {}",
                                   from_, to_, fmt::join(differences, "; ")));
    }
    target_sequences_.clear();
    for (const auto& [name, columns] : target) {
      for (const TargetColumn& column : columns) {
        if (column.sequence) target_sequences_.push_back({name, column.name, *column.sequence});
      }
    }
    return InForeignKeyOrder(std::move(tables));
  }

  Result<std::vector<Table>> SourceTables() {
    BAKEN_ASSIGN_OR_RETURN(Statement names,
                           source_->Prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                            "ORDER BY name"));
    BAKEN_ASSIGN_OR_RETURN(Statement columns,
                           source_->Prepare("SELECT name, upper(type) FROM pragma_table_info(?1) "
                                            "ORDER BY cid"));
    BAKEN_ASSIGN_OR_RETURN(
        Statement references,
        source_->Prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)"));
    std::vector<Table> tables;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, names.Step());
      if (!has_row) break;
      tables.push_back(Table{names.ColumnText(0), {}, {}});
    }
    for (Table& table : tables) {
      columns.Reset();
      columns.Bind(1, table.name);
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, columns.Step());
        if (!has_row) break;
        const std::string type = columns.ColumnText(1);
        const auto* kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                                        [&](const KindNames& k) { return k.sqlite == type; });
        if (kind == std::end(kKinds)) {
          return MakeError(ErrorCode::kConflict,
                           fmt::format("{}: column {}.{} has type '{}', which baken migrate "
                                       "cannot copy (only INTEGER, TEXT and BLOB)",
                                       from_, table.name, columns.ColumnText(0), type));
        }
        table.columns.push_back(Column{columns.ColumnText(0), kind->kind});
      }
      references.Reset();
      references.Bind(1, table.name);
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, references.Step());
        if (!has_row) break;
        table.references.insert(references.ColumnText(0));
      }
    }
    return tables;
  }

  // Every table of the target's schema but the version bookkeeping, with its columns.
  Result<std::map<std::string, std::vector<TargetColumn>>> TargetTables() {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        target_->Prepare(
            "SELECT c.table_name, c.column_name, c.data_type, "
            "pg_get_serial_sequence(quote_ident(c.table_schema) || '.' || "
            "quote_ident(c.table_name), c.column_name) "
            "FROM information_schema.columns c JOIN information_schema.tables t "
            "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
            "AND c.table_name <> 'baken_schema' ORDER BY c.table_name, c.ordinal_position"));
    std::map<std::string, std::vector<TargetColumn>> tables;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      tables[select.ColumnText(0)].push_back(
          TargetColumn{select.ColumnText(1), select.ColumnText(2), select.ColumnOptionalText(3)});
    }
    return tables;
  }

  // Referenced tables first (ties by name), so that every foreign key finds its row.
  Result<std::vector<Table>> InForeignKeyOrder(std::vector<Table> tables) {
    std::vector<Table> ordered;
    std::set<std::string> placed;
    while (!tables.empty()) {
      auto ready = std::find_if(tables.begin(), tables.end(), [&](const Table& table) {
        return std::all_of(table.references.begin(), table.references.end(),
                           [&](const std::string& other) {
                             return other == table.name || placed.contains(other);
                           });
      });
      if (ready == tables.end()) {
        std::vector<std::string> names;
        for (const Table& table : tables) names.push_back(table.name);
        return MakeError(ErrorCode::kConflict,
                         fmt::format("{}: the foreign keys of tables {} form a cycle; baken "
                                     "migrate cannot order them",
                                     from_, fmt::join(names, ", ")));
      }
      placed.insert(ready->name);
      ordered.push_back(std::move(*ready));
      tables.erase(ready);
    }
    return ordered;
  }

  Status RefuseNonEmptyTarget(const std::vector<Table>& tables) {
    std::vector<std::string> filled;
    for (const Table& table : tables) {
      BAKEN_ASSIGN_OR_RETURN(int64_t rows, CountRows(*target_, table.name));
      if (rows > 0) {
        filled.push_back(
            fmt::format("table {} has {} row{}", table.name, rows, rows == 1 ? "" : "s"));
      }
    }
    if (filled.empty()) return {};
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is not empty ({}); baken migrate copies into an empty "
                                 "database only, and wrote nothing",
                                 to_, fmt::join(filled, ", ")));
  }

  // SQLite's STRICT tables hold only values of the declared type; a table made without STRICT
  // could hold others, which the binary COPY would silently turn into something else.
  Status CheckStorageClasses(const Table& table) {
    std::vector<std::string> sums;
    for (const Column& column : table.columns) {
      // typeof() reads the record header only, not the value, so this is a quick scan.
      sums.push_back(fmt::format("coalesce(sum(typeof({}) NOT IN ('{}', 'null')), 0)",
                                 Quoted(column.name), NamesOf(column.kind).storage_class));
    }
    BAKEN_ASSIGN_OR_RETURN(Statement check,
                           source_->Prepare(fmt::format("SELECT {} FROM {}", fmt::join(sums, ", "),
                                                        Quoted(table.name))));
    BAKEN_ASSIGN_OR_RETURN(bool has_row, check.Step());
    for (size_t i = 0; has_row && i < table.columns.size(); ++i) {
      if (const int64_t wrong = check.ColumnInt(static_cast<int>(i)); wrong > 0) {
        return MakeError(
            ErrorCode::kConflict,
            fmt::format("{}: column {}.{} holds {} value{} that {} not {}, so nothing "
                        "was copied",
                        from_, table.name, table.columns[i].name, wrong, wrong == 1 ? "" : "s",
                        wrong == 1 ? "is" : "are", NamesOf(table.columns[i].kind).sqlite));
      }
    }
    return {};
  }

  // PostgreSQL's binary COPY format: a header, per row the field count and each field as its
  // length (-1 for NULL) and bytes, integers in network order, and a trailer.
  static void AppendInt16(std::string& out, int16_t value) {
    const auto bits = static_cast<uint16_t>(value);
    out += static_cast<char>(bits >> 8);
    out += static_cast<char>(bits & 0xff);
  }
  static void AppendInt32(std::string& out, int32_t value) {
    const auto bits = static_cast<uint32_t>(value);
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
  }
  static void AppendInt64(std::string& out, int64_t value) {
    const auto bits = static_cast<uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
  }

  Result<int64_t> CopyTable(const Table& table) {
    const std::string columns = ColumnList(table);
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        source_->Prepare(fmt::format("SELECT {} FROM {}", columns, Quoted(table.name))));
    const auto fields = static_cast<int16_t>(table.columns.size());
    bool started = false;
    const sql::Connection::CopyFill fill = [&](std::string& out) -> Result<bool> {
      if (!started) {
        out.append("PGCOPY\n\377\r\n\0", 11);
        AppendInt32(out, 0);  // flags
        AppendInt32(out, 0);  // header extension length
        started = true;
      }
      while (out.size() < kCopyPiece) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
        if (!has_row) {
          AppendInt16(out, -1);
          return false;
        }
        AppendInt16(out, fields);
        for (int i = 0; i < fields; ++i) {
          if (select.ColumnIsNull(i)) {
            AppendInt32(out, -1);
            continue;
          }
          if (table.columns[static_cast<size_t>(i)].kind == Kind::kInteger) {
            AppendInt32(out, 8);
            AppendInt64(out, select.ColumnInt(i));
            continue;
          }
          // Text and bytes alike: SQLite hands out a TEXT value's UTF-8 bytes as they are, and
          // PostgreSQL checks them as it would any text.
          const std::string_view bytes = select.ColumnBlob(i);
          if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
            return InvalidArgument(fmt::format("a value of column {} is larger than 2 GiB",
                                               table.columns[static_cast<size_t>(i)].name));
          }
          AppendInt32(out, static_cast<int32_t>(bytes.size()));
          out.append(bytes);
        }
      }
      return true;
    };
    return target_->CopyIn(
        fmt::format("COPY {} ({}) FROM STDIN (FORMAT binary)", Quoted(table.name), columns), fill);
  }

  Status CompareCounts(const std::vector<Table>& tables) {
    for (const Table& table : tables) {
      BAKEN_ASSIGN_OR_RETURN(int64_t source_rows, CountRows(*source_, table.name));
      BAKEN_ASSIGN_OR_RETURN(int64_t target_rows, CountRows(*target_, table.name));
      if (source_rows != target_rows) {
        return MakeError(ErrorCode::kInternal,
                         fmt::format("table {} has {} rows in {} but {} in {} after copying, so "
                                     "nothing was written",
                                     table.name, source_rows, from_, target_rows, to_));
      }
    }
    return {};
  }

  // Each identity column continues after the largest id copied, or after the largest SQLite
  // ever gave out where it remembers that (AUTOINCREMENT: event blocks' ids are never reused,
  // even after retention removed the newest). ALTER SEQUENCE … RESTART is transactional,
  // unlike setval(), so a copy that does not commit leaves the sequences as they were.
  Status MoveSequences() {
    BAKEN_ASSIGN_OR_RETURN(Statement has_sequence_table,
                           source_->Prepare("SELECT count(*) FROM sqlite_master WHERE type = "
                                            "'table' AND name = 'sqlite_sequence'"));
    BAKEN_ASSIGN_OR_RETURN(bool has_row, has_sequence_table.Step());
    const bool autoincrement = has_row && has_sequence_table.ColumnInt(0) > 0;
    for (const auto& [table, column, sequence] : target_sequences_) {
      BAKEN_ASSIGN_OR_RETURN(Statement largest,
                             target_->Prepare(fmt::format("SELECT coalesce(max({}), 0) FROM {}",
                                                          Quoted(column), Quoted(table))));
      BAKEN_ASSIGN_OR_RETURN(bool found, largest.Step());
      int64_t last = found ? largest.ColumnInt(0) : 0;
      if (autoincrement) {
        BAKEN_ASSIGN_OR_RETURN(Statement given_out,
                               source_->Prepare("SELECT seq FROM sqlite_sequence WHERE name = ?1"));
        given_out.Bind(1, table);
        BAKEN_ASSIGN_OR_RETURN(bool remembered, given_out.Step());
        if (remembered) last = std::max(last, given_out.ColumnInt(0));
      }
      if (last == 0) continue;
      // The sequence's name comes from pg_get_serial_sequence, quoted as SQL needs it.
      BAKEN_RETURN_IF_ERROR(
          target_->Execute(fmt::format("ALTER SEQUENCE {} RESTART WITH {}", sequence, last + 1)));
    }
    return {};
  }

  Status RecordAudit(const CopyReport& report, std::string_view actor, std::string_view now) {
    nlohmann::ordered_json tables = nlohmann::ordered_json::object();
    for (const auto& [name, rows] : report.tables) tables[name] = rows;
    const nlohmann::ordered_json detail{
        {"from", from_}, {"to", to_}, {"tables", tables}, {"rows", report.rows}};
    BAKEN_ASSIGN_OR_RETURN(Statement insert,
                           target_->Prepare("INSERT INTO audit_log (at, actor, action, object, "
                                            "detail) VALUES (?1, ?2, 'store.migrate', ?3, ?4)"));
    insert.Bind(1, now).Bind(2, actor).Bind(3, to_).Bind(4, detail.dump());
    return insert.Run();
  }

  struct Sequence {
    std::string table;
    std::string column;
    std::string sequence;
  };

  std::string path_;
  std::string url_;
  std::string from_;  // "sqlite:PATH", for messages
  std::string to_;    // the URL without its password, for messages
  std::unique_ptr<Connection> source_;
  std::unique_ptr<Connection> target_;
  std::vector<Sequence> target_sequences_;
};

}  // namespace

Result<CopyReport> CopyInstallation(std::string_view sqlite_path, std::string_view postgresql_url,
                                    std::string_view actor, std::string_view now) {
  if (!postgresql_url.starts_with("postgresql://") && !postgresql_url.starts_with("postgres://")) {
    return InvalidArgument(
        fmt::format("{} is not a postgresql:// URL", sql::RedactedUrl(postgresql_url)));
  }
  if (sqlite_path.empty()) return InvalidArgument("the SQLite file to copy from is not named");
  Copier copier(sqlite_path, postgresql_url);
  return copier.Run(actor, now);
}

std::string RedactedLocation(std::string_view location) { return sql::RedactedUrl(location); }

}  // namespace baken::store
