#ifndef BAKEN_STORE_INCIDENT_REPOSITORY_SQL_H_
#define BAKEN_STORE_INCIDENT_REPOSITORY_SQL_H_

// The incident repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/incident_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<IncidentRepository> MakeIncidentRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_INCIDENT_REPOSITORY_SQL_H_
