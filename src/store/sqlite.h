#ifndef BAKEN_STORE_SQLITE_H_
#define BAKEN_STORE_SQLITE_H_

// A thin RAII layer over the SQLite C API, private to the store: nothing outside src/store
// includes it. Prepared statements bind by position (1-based, as in SQLite).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace baken::store::sqlite {

class Statement;

// One connection. Not thread-safe: a connection belongs to one thread at a time.
class Connection {
 public:
  // Opens (creating if needed) the database file, in WAL mode, with foreign keys on and a busy
  // timeout so that concurrent writers wait instead of failing.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status Execute(std::string_view sql);  // one or more statements without parameters
  Result<Statement> Prepare(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  Error LastError(std::string_view what) const;
  sqlite3* db_;
};

// A prepared statement. Bind, then Step until it returns false (no more rows).
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, const std::optional<std::string>& value);
  Statement& Bind(int index, const std::optional<int64_t>& value);
  Statement& BindNull(int index);
  // Binds without copying: `value` must stay unchanged until the statement is reset.
  Statement& BindView(int index, std::string_view value);
  // A BLOB, also without copying.
  Statement& BindBlobView(int index, std::string_view bytes);

  // True when a row is available; false when done. Errors (constraint violations, busy) are
  // returned as values.
  Result<bool> Step();
  // Steps a statement that returns no rows.
  Status Run();
  void Reset();

  std::string ColumnText(int index) const;
  // Valid until the next Step or Reset.
  std::string_view ColumnBlob(int index) const;
  std::optional<std::string> ColumnOptionalText(int index) const;
  int64_t ColumnInt(int index) const;
  std::optional<int64_t> ColumnOptionalInt(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class Connection;
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

}  // namespace baken::store::sqlite

#endif  // BAKEN_STORE_SQLITE_H_
