#ifndef BAKEN_STORE_COPY_H_
#define BAKEN_STORE_COPY_H_

// Moving a whole installation from SQLite to PostgreSQL (`baken migrate`, issue 14).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace baken::store {

struct CopyReport {
  // Each table with the rows copied, in the order they were copied (referenced tables first).
  std::vector<std::pair<std::string, int64_t>> tables;
  int64_t rows = 0;
};

// Copies every row of the Baken installation in the SQLite file `sqlite_path` into the empty
// PostgreSQL database at `postgresql_url`, ids, bytes and NULLs as they are. Both are first
// brought to the newest schema (Store::Open); the tables and columns to copy are read from the
// two schemas, which must agree (a table only one side has is refused, not skipped). Refused
// when any table of the target holds a row. Everything happens in one transaction on the
// target, under the store's write lock: an error or a kill half-way leaves the target as it
// was. Before committing, each table's rows are counted on both sides, and the id sequences are
// moved past the largest id copied (or ever given out, for SQLite's AUTOINCREMENT), so that new
// rows get new ids. The copy is recorded in the target's audit log ("store.migrate") as done
// by `actor` at `now`. Errors name the file, the URL (without its password) and the table.
Result<CopyReport> CopyInstallation(std::string_view sqlite_path, std::string_view postgresql_url,
                                    std::string_view actor, std::string_view now);

// A database location for messages: a URL without its password; a file path as it is.
std::string RedactedLocation(std::string_view location);

}  // namespace baken::store

#endif  // BAKEN_STORE_COPY_H_
