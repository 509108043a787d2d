#ifndef BAKEN_STORE_FOLLOWED_FEED_REPOSITORY_SQL_H_
#define BAKEN_STORE_FOLLOWED_FEED_REPOSITORY_SQL_H_

// The followed-feed repository over the SQL layer (internal to src/store).

#include <memory>

#include "store/followed_feed_repository.h"
#include "store/sql.h"

namespace baken::store {

std::unique_ptr<FollowedFeedRepository> MakeFollowedFeedRepository(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_FOLLOWED_FEED_REPOSITORY_SQL_H_
