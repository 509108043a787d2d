#ifndef BAKEN_STORE_MIGRATIONS_H_
#define BAKEN_STORE_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "common/error.h"
#include "store/sql.h"

namespace baken::store {

struct Migration {
  int version;
  std::string_view sql;
  // Work SQL alone cannot do (moving rows into a new encoding), run after `sql` in the same
  // transaction; nullptr when there is none.
  Status (*then)(sql::Connection&) = nullptr;
};

// SQLite's own schema history, versions 1 to kPostgresqlBaselineVersion. A released migration
// is never edited: a change is a new migration in SharedMigrations.
std::span<const Migration> SqliteMigrations();
// Migrations after the baseline, one text for both engines (decision 0016).
std::span<const Migration> SharedMigrations();

// Brings the database up to the newest schema in one transaction, under the write lock (so
// that processes starting together migrate once), and returns its version. PostgreSQL starts
// from a baseline equal to SQLite's schema at kPostgresqlBaselineVersion. `location` names the
// database in errors.
Result<int> Migrate(sql::Connection& connection, std::string_view location);

}  // namespace baken::store

#endif  // BAKEN_STORE_MIGRATIONS_H_
