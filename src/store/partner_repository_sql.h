#ifndef BAKEN_STORE_PARTNER_REPOSITORY_SQL_H_
#define BAKEN_STORE_PARTNER_REPOSITORY_SQL_H_

// The partner repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/partner_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<PartnerRepository> MakePartnerRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_PARTNER_REPOSITORY_SQL_H_
