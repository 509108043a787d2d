#ifndef BAKEN_STORE_RIPE_REPOSITORY_SQL_H_
#define BAKEN_STORE_RIPE_REPOSITORY_SQL_H_

// The RIPE abuse-contact repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/ripe_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<RipeRepository> MakeRipeRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_RIPE_REPOSITORY_SQL_H_
