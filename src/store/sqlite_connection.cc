// The SQLite engine behind sql.h.

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/sql.h"

namespace baken::store::sql {

namespace {

Error ErrorFrom(sqlite3* db, int code, std::string_view what) {
  const ErrorCode kind = (code & 0xff) == SQLITE_CONSTRAINT ? ErrorCode::kConflict
                         : (code & 0xff) == SQLITE_BUSY     ? ErrorCode::kUnavailable
                                                            : ErrorCode::kInternal;
  return Error{kind, fmt::format("database error during {}: {}", what, sqlite3_errmsg(db))};
}

class SqliteStatement final : public StatementBackend {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~SqliteStatement() override { sqlite3_finalize(statement_); }

  void BindText(int index, std::string_view value, bool copy) override {
    // SQLite binds a null pointer as NULL; an empty view (string_view{}) is empty text, as on
    // PostgreSQL.
    sqlite3_bind_text(statement_, index, value.data() == nullptr ? "" : value.data(),
                      static_cast<int>(value.size()), copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }
  void BindBlob(int index, std::string_view bytes, bool copy) override {
    sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()),
                      copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }
  void BindInt(int index, int64_t value) override { sqlite3_bind_int64(statement_, index, value); }
  void BindNull(int index, bool /*integer*/) override { sqlite3_bind_null(statement_, index); }

  Result<bool> Step() override {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return tl::unexpected(ErrorFrom(db_, rc, "step"));
  }
  void Reset() override {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

  std::string_view ColumnText(int index) override {
    const auto* text = sqlite3_column_text(statement_, index);
    if (text == nullptr) return {};
    return std::string_view(reinterpret_cast<const char*>(text),
                            static_cast<size_t>(sqlite3_column_bytes(statement_, index)));
  }
  std::string_view ColumnBlob(int index) override {
    const void* bytes = sqlite3_column_blob(statement_, index);
    if (bytes == nullptr) return {};
    return std::string_view(static_cast<const char*>(bytes),
                            static_cast<size_t>(sqlite3_column_bytes(statement_, index)));
  }
  int64_t ColumnInt(int index) override { return sqlite3_column_int64(statement_, index); }
  bool ColumnIsNull(int index) override {
    return sqlite3_column_type(statement_, index) == SQLITE_NULL;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  Engine engine() const override { return Engine::kSqlite; }

  Status Execute(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      Error error = ErrorFrom(db_, rc, "execute");
      if (message != nullptr) {
        error.message = fmt::format("database error: {}", message);
        sqlite3_free(message);
      }
      return tl::unexpected(error);
    }
    return {};
  }

  Result<Statement> Prepare(std::string_view sql) override {
    sqlite3_stmt* statement = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
    if (rc != SQLITE_OK) {
      return tl::unexpected(
          ErrorFrom(db_, sqlite3_extended_errcode(db_), fmt::format("prepare of '{}'", sql)));
    }
    return Statement(std::make_unique<SqliteStatement>(db_, statement));
  }

  int64_t Changes() const override { return sqlite3_changes(db_); }
  Result<int64_t> LastInsertedRowId() const override { return sqlite3_last_insert_rowid(db_); }

  Status BeginTransaction(bool write) override {
    return Execute(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }

  bool Usable() const override { return true; }

 private:
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Unavailable(fmt::format("cannot open database '{}': {}", path, message));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10000);
  auto connection = std::make_unique<SqliteConnection>(db);
  // WAL lets readers go on while one writer commits; NORMAL sync is safe in WAL mode (a power
  // cut may lose the last commits, never corrupt the file). Pages of 16 KiB suit events of one
  // or two KiB (a new database only; an existing one keeps its page size). A 64 MiB page cache
  // keeps the event indexes in memory during a large ingest, and checkpointing every 32 MiB
  // of WAL rather than 4 MiB writes a page changed by several batches to the file once.
  if (auto status = connection->Execute(
          "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
          "PRAGMA foreign_keys=ON; "
          "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=2048;");
      !status) {
    return tl::unexpected(status.error());
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace baken::store::sql
