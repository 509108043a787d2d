#ifndef BAKEN_STORE_SQL_H_
#define BAKEN_STORE_SQL_H_

// How the repositories reach a database: one connection and prepared-statement interface with
// two engines behind it, SQLite (sqlite_connection.cc) and PostgreSQL (postgresql_connection.cc)
// (docs/decisions/0016-one-sql-layer.md). Private to the store: nothing outside src/store
// includes it.
//
// The SQL text is the same for both engines. Parameters are written as SQLite writes them,
// `?1`, `?2` (a number may repeat) or a bare `?`; the PostgreSQL connection rewrites them to
// `$1`, `$2`. Where the engines must differ (bulk loading, locking, schema versions) the code
// asks `engine()` in one small place.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::store::sql {

enum class Engine { kSqlite, kPostgresql };

// What an engine's prepared statement does; Statement is the value the repositories hold.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  // `copy` false: `value` stays unchanged until the statement is reset (the engine may keep a
  // view instead of a copy).
  virtual void BindText(int index, std::string_view value, bool copy) = 0;
  // Bytes; with `copy` false they stay unchanged until the statement is reset.
  virtual void BindBlob(int index, std::string_view bytes, bool copy) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  // A NULL in the place of an integer (`integer`) or of a text: PostgreSQL needs the type.
  virtual void BindNull(int index, bool integer) = 0;
  virtual Result<bool> Step() = 0;
  virtual void Reset() = 0;
  // Valid until the next Step or Reset. A BLOB column reads as its bytes through either.
  virtual std::string_view ColumnText(int index) = 0;
  virtual std::string_view ColumnBlob(int index) = 0;
  virtual int64_t ColumnInt(int index) = 0;
  virtual bool ColumnIsNull(int index) = 0;
};

// A prepared statement. Bind by position (1-based), then Step until it returns false.
class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementBackend> backend) : backend_(std::move(backend)) {}
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& Bind(int index, std::string_view value) {
    backend_->BindText(index, value, /*copy=*/true);
    return *this;
  }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, int64_t value) {
    backend_->BindInt(index, value);
    return *this;
  }
  Statement& Bind(int index, const std::optional<std::string>& value) {
    if (value) return Bind(index, std::string_view(*value));
    return BindNull(index);
  }
  Statement& Bind(int index, const std::optional<int64_t>& value) {
    if (value) return Bind(index, *value);
    backend_->BindNull(index, /*integer=*/true);
    return *this;
  }
  // A NULL text.
  Statement& BindNull(int index) {
    backend_->BindNull(index, /*integer=*/false);
    return *this;
  }
  // A BLOB (PostgreSQL: bytea), copied.
  Statement& BindBlob(int index, std::string_view bytes) {
    backend_->BindBlob(index, bytes, /*copy=*/true);
    return *this;
  }
  // Binds without copying where the engine can: `value` must stay unchanged until the
  // statement is reset.
  Statement& BindView(int index, std::string_view value) {
    backend_->BindText(index, value, /*copy=*/false);
    return *this;
  }
  // A BLOB (PostgreSQL: bytea), also without copying.
  Statement& BindBlobView(int index, std::string_view bytes) {
    backend_->BindBlob(index, bytes, /*copy=*/false);
    return *this;
  }

  // True when a row is available; false when done. Errors (constraint violations, busy, a lost
  // connection) are returned as values.
  Result<bool> Step() { return backend_->Step(); }
  // Steps a statement that returns no rows.
  Status Run() {
    auto stepped = Step();
    if (!stepped) return tl::unexpected(stepped.error());
    return {};
  }
  void Reset() { backend_->Reset(); }

  std::string ColumnText(int index) const { return std::string(backend_->ColumnText(index)); }
  // Valid until the next Step or Reset.
  std::string_view ColumnBlob(int index) const { return backend_->ColumnBlob(index); }
  std::optional<std::string> ColumnOptionalText(int index) const {
    if (ColumnIsNull(index)) return std::nullopt;
    return ColumnText(index);
  }
  int64_t ColumnInt(int index) const { return backend_->ColumnInt(index); }
  std::optional<int64_t> ColumnOptionalInt(int index) const {
    if (ColumnIsNull(index)) return std::nullopt;
    return ColumnInt(index);
  }
  bool ColumnIsNull(int index) const { return backend_->ColumnIsNull(index); }

 private:
  std::unique_ptr<StatementBackend> backend_;
};

// Runs an `INSERT … RETURNING id` to its end and gives the id (LAST_INSERT_ID in one form for
// both engines), or nullopt when nothing was inserted (`ON CONFLICT DO NOTHING`).
inline Result<std::optional<int64_t>> InsertedIdIfAny(Statement& insert) {
  BAKEN_ASSIGN_OR_RETURN(bool has_row, insert.Step());
  if (!has_row) return std::optional<int64_t>();
  const int64_t id = insert.ColumnInt(0);
  BAKEN_RETURN_IF_ERROR(insert.Step());
  return std::optional<int64_t>(id);
}

// The same where a row must have been inserted.
inline Result<int64_t> InsertedId(Statement& insert) {
  BAKEN_ASSIGN_OR_RETURN(std::optional<int64_t> id, InsertedIdIfAny(insert));
  if (!id) return Internal("an INSERT … RETURNING gave no row");
  return *id;
}

// Every row of a query, read by `read`.
template <class Read>
auto AllRows(Statement& select, Read read) -> Result<std::vector<decltype(read(select))>> {
  std::vector<decltype(read(select))> rows;
  for (;;) {
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    rows.push_back(read(select));
  }
  return rows;
}

// A boolean as the 0 or 1 both engines' integer flag columns hold.
inline int64_t Flag(bool value) { return value ? 1 : 0; }

// A LIMIT for `limit` rows, 0 meaning all (PostgreSQL refuses SQLite's -1).
inline int64_t Limit(int64_t limit) {
  return limit > 0 ? limit : std::numeric_limits<int64_t>::max();
}

// One connection. Not thread-safe: a connection belongs to one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;
  // One or more statements without parameters.
  virtual Status Execute(std::string_view sql) = 0;
  virtual Result<Statement> Prepare(std::string_view sql) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int64_t Changes() const = 0;
  // Starts a transaction. A writing one takes the store's single write lock at once (SQLite:
  // BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so that writers never
  // deadlock and every repository sees the same rules on both engines.
  virtual Status BeginTransaction(bool write) = 0;
  // False once the connection is lost (the server restarted): the pool drops it.
  virtual bool Usable() const = 0;
  // Bulk loading, PostgreSQL only (SQLite has no COPY; kInternal there): runs `copy`, a
  // `COPY table (columns) FROM STDIN …`, and sends what `fill` appends to the buffer it is
  // given, in the format `copy` names, until `fill` returns false. An error from `fill` ends
  // the COPY with that error. Returns the rows the server stored. The data goes in pieces, so
  // a table larger than memory can be loaded.
  using CopyFill = std::function<Result<bool>(std::string& buffer)>;
  virtual Result<int64_t> CopyIn(std::string_view copy, const CopyFill& fill) {
    (void)copy;
    (void)fill;
    return Internal("COPY … FROM STDIN is PostgreSQL's; this database has no bulk loading");
  }
  // The row id the last INSERT gave, SQLite only (kInternal on PostgreSQL, which answers with
  // RETURNING): on SQLite, RETURNING builds a temporary table for each row it returns, which
  // made writing a block's row cost as much as compressing its events.
  virtual Result<int64_t> LastInsertedRowId() const {
    return Internal("the last inserted row id is SQLite's; use RETURNING");
  }
};

// The id of the one row an INSERT made, for an insert written for the engine: on PostgreSQL it
// ends in RETURNING id, on SQLite it does not, and the connection tells the row id
// (Connection::LastInsertedRowId says why). For inserts that run hundreds of times a batch.
inline Result<int64_t> InsertedRowId(Connection& db, Statement& insert) {
  if (db.engine() == Engine::kPostgresql) return InsertedId(insert);
  BAKEN_RETURN_IF_ERROR(insert.Run());
  return db.LastInsertedRowId();
}

// Opens (creating if needed) a SQLite database file, in WAL mode, with foreign keys on and a
// busy timeout so that concurrent writers wait instead of failing.
Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path);
// Connects to PostgreSQL: `url` is a libpq connection URI ("postgresql://user@host:5432/db?
// sslmode=verify-full"); every libpq option, TLS ones included, passes through. Errors name
// the server (never the password).
Result<std::unique_ptr<Connection>> OpenPostgresql(const std::string& url);

// The URL without its password, for messages and logs.
std::string RedactedUrl(std::string_view url);

}  // namespace baken::store::sql

#endif  // BAKEN_STORE_SQL_H_
