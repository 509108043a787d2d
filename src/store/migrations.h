#ifndef BAKEN_STORE_MIGRATIONS_H_
#define BAKEN_STORE_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "common/error.h"
#include "store/sqlite.h"

namespace baken::store {

struct Migration {
  int version;
  std::string_view sql;
  // Work SQL alone cannot do (moving rows into a new encoding), run after `sql` in the same
  // transaction; nullptr when there is none.
  Status (*then)(sqlite::Connection&) = nullptr;
};

// SQLite schema migrations, in order. A released migration is never edited: a change is a new
// migration at the end.
std::span<const Migration> SqliteMigrations();

}  // namespace baken::store

#endif  // BAKEN_STORE_MIGRATIONS_H_
