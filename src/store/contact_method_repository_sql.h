#ifndef BAKEN_STORE_CONTACT_METHOD_REPOSITORY_SQL_H_
#define BAKEN_STORE_CONTACT_METHOD_REPOSITORY_SQL_H_

// The contact methods repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/contact_method_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<ContactMethodRepository> MakeContactMethodRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_CONTACT_METHOD_REPOSITORY_SQL_H_
