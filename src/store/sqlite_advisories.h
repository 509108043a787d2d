#ifndef BAKEN_STORE_SQLITE_ADVISORIES_H_
#define BAKEN_STORE_SQLITE_ADVISORIES_H_

// SQLite repository for advisories (internal to src/store).

#include <memory>

#include "store/sqlite.h"
#include "store/store.h"

namespace baken::store {

std::unique_ptr<AdvisoryRepository> MakeSqliteAdvisoryRepository(sqlite::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_SQLITE_ADVISORIES_H_
