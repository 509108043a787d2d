#ifndef BAKEN_STORE_INTEL_REPOSITORY_SQL_H_
#define BAKEN_STORE_INTEL_REPOSITORY_SQL_H_

// The intel repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/intel_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<IntelRepository> MakeIntelRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_INTEL_REPOSITORY_SQL_H_
