#ifndef BAKEN_STORE_SQLITE_FEEDS_H_
#define BAKEN_STORE_SQLITE_FEEDS_H_

// SQLite repositories for events, digests and the outbox (internal to src/store).

#include <memory>

#include "store/sqlite.h"
#include "store/store.h"

namespace baken::store {

std::unique_ptr<EventRepository> MakeSqliteEventRepository(sqlite::Connection& db);
std::unique_ptr<DigestRepository> MakeSqliteDigestRepository(sqlite::Connection& db);
std::unique_ptr<OutboxRepository> MakeSqliteOutboxRepository(sqlite::Connection& db);

// Migration 3: moves the rows of the version 2 events table into blocks, then drops it.
Status MoveEventsIntoBlocks(sqlite::Connection& db);

}  // namespace baken::store

#endif  // BAKEN_STORE_SQLITE_FEEDS_H_
