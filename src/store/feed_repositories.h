#ifndef BAKEN_STORE_FEED_REPOSITORIES_H_
#define BAKEN_STORE_FEED_REPOSITORIES_H_

// SQLite repositories for events, digests and the outbox (internal to src/store).

#include <memory>

#include "store/sql.h"
#include "store/store.h"

namespace baken::store {

std::unique_ptr<EventRepository> MakeEventRepository(sql::Connection& db);
std::unique_ptr<DigestRepository> MakeDigestRepository(sql::Connection& db);
std::unique_ptr<OutboxRepository> MakeOutboxRepository(sql::Connection& db);

// Migration 3: moves the rows of the version 2 events table into blocks, then drops it.
Status MoveEventsIntoBlocks(sql::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_FEED_REPOSITORIES_H_
