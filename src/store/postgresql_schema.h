#ifndef BAKEN_STORE_POSTGRESQL_SCHEMA_H_
#define BAKEN_STORE_POSTGRESQL_SCHEMA_H_

#include <string_view>

namespace baken::store {

// The PostgreSQL schema as one script: what SQLite has after migration 15 (the same tables,
// columns in the same order, constraints and index names), plus the functions that let the
// SQL the repositories share run unchanged. A new PostgreSQL database starts here rather than
// replaying SQLite's history; migrations after 15 are written once for both engines.
// scripts/compare-schemas.py checks that the two agree.
std::string_view PostgresqlBaseline();

// The SQLite schema version the baseline equals.
inline constexpr int kPostgresqlBaselineVersion = 15;

}  // namespace baken::store

#endif  // BAKEN_STORE_POSTGRESQL_SCHEMA_H_
