#ifndef BAKEN_STORE_DISCLOSURE_REPOSITORY_SQL_H_
#define BAKEN_STORE_DISCLOSURE_REPOSITORY_SQL_H_

// The disclosure repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/disclosure_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<DisclosureRepository> MakeDisclosureRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_DISCLOSURE_REPOSITORY_SQL_H_
