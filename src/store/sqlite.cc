#include "store/sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace baken::store::sqlite {

namespace {

Error ErrorFrom(sqlite3* db, int code, std::string_view what) {
  const ErrorCode kind = (code & 0xff) == SQLITE_CONSTRAINT ? ErrorCode::kConflict
                         : (code & 0xff) == SQLITE_BUSY     ? ErrorCode::kUnavailable
                                                            : ErrorCode::kInternal;
  return Error{kind, fmt::format("database error during {}: {}", what, sqlite3_errmsg(db))};
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
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
  std::unique_ptr<Connection> connection(new Connection(db));
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
  return connection;
}

Connection::~Connection() { sqlite3_close_v2(db_); }

Error Connection::LastError(std::string_view what) const {
  return ErrorFrom(db_, sqlite3_extended_errcode(db_), what);
}

Status Connection::Execute(std::string_view sql) {
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

Result<Statement> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (rc != SQLITE_OK) {
    return tl::unexpected(LastError(fmt::format("prepare of '{}'", sql)));
  }
  return Statement(db_, statement);
}

int64_t Connection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Connection::Changes() const { return sqlite3_changes(db_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), statement_(other.statement_) {
  other.statement_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindView(int index, std::string_view value) {
  sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::BindBlobView(int index, std::string_view bytes) {
  sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  if (value) return Bind(index, std::string_view(*value));
  return BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  if (value) return Bind(index, *value);
  return BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(ErrorFrom(db_, rc, "step"));
}

Status Statement::Run() {
  auto stepped = Step();
  if (!stepped) return tl::unexpected(stepped.error());
  return {};
}

void Statement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string Statement::ColumnText(int index) const {
  const auto* text = sqlite3_column_text(statement_, index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, index)));
}

std::string_view Statement::ColumnBlob(int index) const {
  const void* bytes = sqlite3_column_blob(statement_, index);
  if (bytes == nullptr) return {};
  return std::string_view(static_cast<const char*>(bytes),
                          static_cast<size_t>(sqlite3_column_bytes(statement_, index)));
}

std::optional<std::string> Statement::ColumnOptionalText(int index) const {
  if (ColumnIsNull(index)) return std::nullopt;
  return ColumnText(index);
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(statement_, index); }

std::optional<int64_t> Statement::ColumnOptionalInt(int index) const {
  if (ColumnIsNull(index)) return std::nullopt;
  return ColumnInt(index);
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

}  // namespace baken::store::sqlite
