// The PostgreSQL engine behind sql.h, on libpq.
//
// Statements are sent with the extended protocol: the SQL once per connection (PQprepare, kept
// under a generated name), then only the parameters, each with its type. The server cannot
// infer the type of `$1` in that PostgreSQL cannot infer the type of `$1` in `$1 IS NULL OR code =
// $1`, the shared SQL's scope condition: so text goes as text, integers as int8, blobs as binary
// bytea, and a NULL as the type its place has (text unless bound as a missing integer). Results
// come as text; a bytea column arrives in hex form and is decoded here.

#include <charconv>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "store/sql.h"

namespace baken::store::sql {

namespace {

// Type OIDs from PostgreSQL's catalogue (pg_type.dat); stable across versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

// The key of the one advisory lock that every writing transaction takes (the store's single
// write lock, as SQLite's BEGIN IMMEDIATE): "baken" in ASCII.
constexpr std::string_view kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(418430445934)";
// A reading transaction sees one snapshot throughout, as a SQLite read transaction does.
constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ";

// Rewrites SQLite's `?N` and `?` placeholders to PostgreSQL's `$N`, leaving string literals,
// quoted names and comments alone. A bare `?` takes the number after the largest so far, as
// in SQLite. Returns the text and the largest number.
std::pair<std::string, int> TranslatePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int largest = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const size_t end = sql.find(c, i + 1);  // '' and "" escapes read as two literals
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '?') {
      size_t j = i + 1;
      int number = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') {
        number = number * 10 + (sql[j] - '0');
        ++j;
      }
      if (j == i + 1) number = largest + 1;
      largest = std::max(largest, number);
      out += '$';
      out += std::to_string(number);
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return {std::move(out), largest};
}

std::string Trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

ErrorCode KindOf(std::string_view sqlstate) {
  if (sqlstate.starts_with("23")) return ErrorCode::kConflict;         // integrity constraints
  if (sqlstate.starts_with("22")) return ErrorCode::kInvalidArgument;  // data exceptions
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate == "40001" ||
      sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "53300") {
    return ErrorCode::kUnavailable;  // connection lost, shutdown, serialisation, locks, load
  }
  return ErrorCode::kInternal;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class PostgresqlConnection;

class PostgresqlStatement final : public StatementBackend {
 public:
  PostgresqlStatement(PostgresqlConnection& connection, std::string sql, int parameters)
      : connection_(connection), sql_(std::move(sql)), params_(static_cast<size_t>(parameters)) {}
  ~PostgresqlStatement() override { PQclear(result_); }

  void BindText(int index, std::string_view value, bool /*copy*/) override {
    // libpq reads text parameters up to their NUL, so they are always copied.
    if (Param* param = At(index)) {
      param->kind = Param::kText;
      param->text.assign(value);
    }
  }
  void BindBlob(int index, std::string_view bytes, bool copy) override {
    if (Param* param = At(index)) {
      param->kind = Param::kBlob;
      if (copy) {
        param->text.assign(bytes);
        param->bytes = param->text;
      } else {
        param->bytes = bytes;
      }
    }
  }
  void BindInt(int index, int64_t value) override {
    if (Param* param = At(index)) {
      param->kind = Param::kInt;
      param->text = std::to_string(value);
    }
  }
  void BindNull(int index, bool integer) override {
    if (Param* param = At(index)) param->kind = integer ? Param::kNullInt : Param::kNull;
  }

  Result<bool> Step() override;

  void Reset() override {
    PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    rows_ = 0;
    for (Param& param : params_) param = Param{};
  }

  std::string_view ColumnText(int index) override {
    if (!HasValue(index)) return {};
    if (PQftype(result_, index) == kByteaOid) return Decoded(index);
    return std::string_view(PQgetvalue(result_, row_, index),
                            static_cast<size_t>(PQgetlength(result_, row_, index)));
  }
  std::string_view ColumnBlob(int index) override { return ColumnText(index); }
  int64_t ColumnInt(int index) override {
    if (!HasValue(index)) return 0;
    const char* text = PQgetvalue(result_, row_, index);
    const size_t length = static_cast<size_t>(PQgetlength(result_, row_, index));
    if (PQftype(result_, index) == kBoolOid) return text[0] == 't' ? 1 : 0;
    int64_t value = 0;
    // A numeric (the sum of bigints) reads up to its decimal point.
    std::from_chars(text, text + length, value);
    return value;
  }
  bool ColumnIsNull(int index) override { return !HasValue(index); }

 private:
  struct Param {
    enum Kind { kNull, kNullInt, kText, kInt, kBlob } kind = kNull;
    std::string text;        // text and integers, NUL-terminated; a copied blob
    std::string_view bytes;  // blobs
  };

  Param* At(int index) {
    if (index < 1 || static_cast<size_t>(index) > params_.size()) return nullptr;
    return &params_[static_cast<size_t>(index) - 1];
  }

  bool HasValue(int index) const {
    return result_ != nullptr && row_ >= 0 && row_ < rows_ && index >= 0 &&
           index < PQnfields(result_) && !PQgetisnull(result_, row_, index);
  }

  // The bytes of a bytea column of the current row, decoded from its hex form ("\x0a1b…").
  std::string_view Decoded(int index) {
    if (decoded_.size() < static_cast<size_t>(PQnfields(result_))) {
      decoded_.resize(static_cast<size_t>(PQnfields(result_)), {-1, std::string()});
    }
    auto& [row, bytes] = decoded_[static_cast<size_t>(index)];
    if (row != row_) {
      const char* text = PQgetvalue(result_, row_, index);
      const size_t length = static_cast<size_t>(PQgetlength(result_, row_, index));
      bytes.clear();
      if (length >= 2 && text[0] == '\\' && text[1] == 'x') {
        bytes.reserve((length - 2) / 2);
        for (size_t i = 2; i + 1 < length; i += 2) {
          bytes += static_cast<char>(HexValue(text[i]) * 16 + HexValue(text[i + 1]));
        }
      }
      row = row_;
    }
    return bytes;
  }

  PostgresqlConnection& connection_;
  std::string sql_;
  std::vector<Param> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
  std::vector<std::pair<int, std::string>> decoded_;
};

class PostgresqlConnection final : public Connection {
 public:
  PostgresqlConnection(PGconn* connection, std::string server)
      : connection_(connection), server_(std::move(server)) {}
  ~PostgresqlConnection() override { PQfinish(connection_); }

  Engine engine() const override { return Engine::kPostgresql; }

  Status Execute(std::string_view sql) override {
    PGresult* result = PQexec(connection_, std::string(sql).c_str());
    auto status = Check(result, "execute");
    PQclear(result);
    return status;
  }

  Result<Statement> Prepare(std::string_view sql) override {
    auto [text, parameters] = TranslatePlaceholders(sql);
    return Statement(std::make_unique<PostgresqlStatement>(*this, std::move(text), parameters));
  }

  int64_t Changes() const override { return changes_; }

  Status BeginTransaction(bool write) override { return Execute(write ? kBeginWrite : kBeginRead); }

  bool Usable() const override { return PQstatus(connection_) == CONNECTION_OK; }

  Result<int64_t> CopyIn(std::string_view copy, const CopyFill& fill) override {
    PGresult* started = PQexec(connection_, std::string(copy).c_str());
    const bool copying = started != nullptr && PQresultStatus(started) == PGRES_COPY_IN;
    Status status = copying ? Status() : Check(started, "COPY");
    PQclear(started);
    if (!copying) {
      if (status) return Internal(fmt::format("'{}' is no COPY … FROM STDIN", copy));
      return tl::unexpected(status.error());
    }
    // An error on either side ends the COPY: the server's comes back from PQgetResult below,
    // the producer's is sent as the reason to give up (and returned rather than the server's
    // echo of it).
    std::optional<Error> failure;
    std::string buffer;
    for (;;) {
      buffer.clear();
      auto more = fill(buffer);
      if (!more) {
        failure = more.error();
        break;
      }
      if (!buffer.empty() &&
          PQputCopyData(connection_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        break;  // the connection failed; PQgetResult says how
      }
      if (!*more) break;
    }
    PQputCopyEnd(connection_, failure ? failure->message.c_str() : nullptr);
    int64_t rows = 0;
    for (PGresult* result = PQgetResult(connection_); result != nullptr;
         result = PQgetResult(connection_)) {
      if (status) status = Check(result, "COPY");
      if (status && PQresultStatus(result) == PGRES_COMMAND_OK) {
        const char* tuples = PQcmdTuples(result);
        std::from_chars(tuples, tuples + std::strlen(tuples), rows);
      }
      PQclear(result);
    }
    if (failure) return tl::unexpected(*failure);
    if (!status) return tl::unexpected(status.error());
    changes_ = rows;
    return rows;
  }

  // Runs a statement with parameters: prepared once per connection and parameter types.
  PGresult* Run(const std::string& sql, const std::vector<Oid>& types,
                const std::vector<const char*>& values, const std::vector<int>& lengths,
                const std::vector<int>& formats, Status* status) {
    std::string key = sql;
    key.append(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = fmt::format("baken_{}", prepared_.size() + 1);
      PGresult* prepared = PQprepare(connection_, name.c_str(), sql.c_str(),
                                     static_cast<int>(types.size()), types.data());
      *status = Check(prepared, fmt::format("prepare of '{}'", sql));
      PQclear(prepared);
      if (!*status) return nullptr;
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    PGresult* result =
        PQexecPrepared(connection_, it->second.c_str(), static_cast<int>(values.size()),
                       values.data(), lengths.data(), formats.data(), /*resultFormat=*/0);
    *status = Check(result, "step");
    if (*status) {
      const char* tuples = PQcmdTuples(result);
      changes_ = 0;
      std::from_chars(tuples, tuples + std::strlen(tuples), changes_);
    }
    return result;
  }

 private:
  Status Check(PGresult* result, std::string_view what) {
    const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
    const char* sqlstate =
        result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const std::string message =
        Trimmed(result == nullptr ? PQerrorMessage(connection_) : PQresultErrorMessage(result));
    // A lost connection has no SQLSTATE from the server.
    const ErrorCode kind = sqlstate == nullptr ? ErrorCode::kUnavailable : KindOf(sqlstate);
    return MakeError(kind,
                     fmt::format("database error during {} on {}: {}", what, server_, message));
  }

  PGconn* connection_;
  std::string server_;
  std::unordered_map<std::string, std::string> prepared_;
  int64_t changes_ = 0;
};

Result<bool> PostgresqlStatement::Step() {
  if (result_ == nullptr) {
    // Parameters never bound (or not used) are NULL text.
    std::vector<Oid> types(params_.size(), kTextOid);
    std::vector<const char*> values(params_.size(), nullptr);
    std::vector<int> lengths(params_.size(), 0);
    std::vector<int> formats(params_.size(), 0);
    for (size_t i = 0; i < params_.size(); ++i) {
      const Param& param = params_[i];
      switch (param.kind) {
        case Param::kNull:
          break;
        case Param::kNullInt:
          types[i] = kInt8Oid;
          break;
        case Param::kText:
          // PostgreSQL text cannot hold NUL; libpq would silently cut the value there.
          if (param.text.find('\0') != std::string::npos) {
            return InvalidArgument(fmt::format(
                "parameter {} holds a NUL character, which the database cannot store", i + 1));
          }
          values[i] = param.text.c_str();
          break;
        case Param::kInt:
          types[i] = kInt8Oid;
          values[i] = param.text.c_str();
          break;
        case Param::kBlob:
          types[i] = kByteaOid;
          values[i] = param.bytes.data() == nullptr ? "" : param.bytes.data();
          lengths[i] = static_cast<int>(param.bytes.size());
          formats[i] = 1;
          break;
      }
    }
    Status status;
    result_ = connection_.Run(sql_, types, values, lengths, formats, &status);
    if (!status) {
      PQclear(result_);
      result_ = nullptr;
      return tl::unexpected(status.error());
    }
    rows_ = PQntuples(result_);
    row_ = -1;
    decoded_.clear();
  }
  if (row_ < rows_) ++row_;
  return row_ < rows_;
}

}  // namespace

std::string RedactedUrl(std::string_view url) {
  std::string redacted(url);
  // postgresql://user:secret@host → postgresql://user@host
  const size_t scheme = redacted.find("://");
  if (scheme != std::string::npos) {
    const size_t at = redacted.find('@', scheme + 3);
    const size_t slash = redacted.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = redacted.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) redacted.erase(colon, at - colon);
    }
  }
  // …?password=secret&… → …?password=…&…
  for (size_t at = redacted.find("password="); at != std::string::npos;
       at = redacted.find("password=", at + 1)) {
    const size_t begin = at + 9;
    const size_t end = redacted.find_first_of("& ", begin);
    redacted.replace(begin, (end == std::string::npos ? redacted.size() : end) - begin, "…");
  }
  return redacted;
}

Result<std::unique_ptr<Connection>> OpenPostgresql(const std::string& url) {
  // Defaults first: what the URL says overrides them (libpq keeps the last value of a key).
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {"10", "baken", url.c_str(), "UTF8", nullptr};
  PGconn* connection = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  const std::string server = RedactedUrl(url);
  if (connection == nullptr) {
    return Unavailable(fmt::format("cannot connect to PostgreSQL at {}: out of memory", server));
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(connection));
    PQfinish(connection);
    return Unavailable(fmt::format("cannot connect to PostgreSQL at {}: {}", server, message));
  }
  // Notices ("relation already exists, skipping") are not errors; libpq would print them.
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
  auto opened = std::make_unique<PostgresqlConnection>(connection, server);
  BAKEN_RETURN_IF_ERROR(opened->Execute("SET client_min_messages = warning"));
  return std::unique_ptr<Connection>(std::move(opened));
}

}  // namespace baken::store::sql
