#ifndef BAKEN_STORE_OPENPGP_KEY_REPOSITORY_SQL_H_
#define BAKEN_STORE_OPENPGP_KEY_REPOSITORY_SQL_H_

// The OpenPGP key repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/openpgp_key_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<OpenPgpKeyRepository> MakeOpenPgpKeyRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_OPENPGP_KEY_REPOSITORY_SQL_H_
