#ifndef BAKEN_STORE_WORK_REPOSITORY_H_
#define BAKEN_STORE_WORK_REPOSITORY_H_

// The repository of shared work (internal to src/store).

#include <memory>

#include "store/sql.h"
#include "store/store.h"

namespace baken::store {

std::unique_ptr<WorkRepository> MakeWorkRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_WORK_REPOSITORY_H_
