#ifndef BAKEN_STORE_ADVISORY_REPOSITORY_H_
#define BAKEN_STORE_ADVISORY_REPOSITORY_H_

// SQLite repository for advisories (internal to src/store).

#include <memory>

#include "store/sql.h"
#include "store/store.h"

namespace baken::store {

std::unique_ptr<AdvisoryRepository> MakeAdvisoryRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_ADVISORY_REPOSITORY_H_
