#ifndef BAKEN_STORE_ONCALL_REPOSITORY_SQL_H_
#define BAKEN_STORE_ONCALL_REPOSITORY_SQL_H_

// The piket repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/oncall_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<OncallRepository> MakeOncallRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_ONCALL_REPOSITORY_SQL_H_
