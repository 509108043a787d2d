#include "store/followed_feed_repository.h"

#include "store/followed_feed_repository_sql.h"
#include "store/json_columns.h"

namespace baken::store {

namespace {

using sql::AllRows;
using sql::Connection;
using sql::Statement;

constexpr char kFeedColumns[] =
    "id, url, distribution, named, added_by, added_at, last_run_at, last_error";

FollowedFeedRecord ReadFeed(const Statement& row) {
  FollowedFeedRecord feed;
  feed.id = row.ColumnInt(0);
  feed.url = row.ColumnText(1);
  feed.distribution = row.ColumnOptionalText(2);
  feed.named = TextListColumn(row.ColumnText(3));
  feed.added_by = row.ColumnText(4);
  feed.added_at = row.ColumnText(5);
  feed.last_run_at = row.ColumnOptionalText(6);
  feed.last_error = row.ColumnOptionalText(7);
  return feed;
}

FollowedEventRecord ReadFollowedEvent(const Statement& row) {
  FollowedEventRecord event;
  event.feed_id = row.ColumnInt(0);
  event.event_uuid = row.ColumnText(1);
  event.timestamp = row.ColumnInt(2);
  event.event_id = row.ColumnOptionalInt(3);
  event.failures = row.ColumnInt(4);
  event.last_error = row.ColumnOptionalText(5);
  return event;
}

class SqlFollowedFeedRepository final : public FollowedFeedRepository {
 public:
  explicit SqlFollowedFeedRepository(Connection& db) : db_(db) {}

  Result<int64_t> SaveFeed(const FollowedFeedRecord& feed) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO intel_followed_feeds (url, distribution, named, added_by, "
                    "added_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (url) DO UPDATE SET "
                    "distribution = excluded.distribution, named = excluded.named RETURNING id"));
    upsert.Bind(1, feed.url)
        .Bind(2, feed.distribution)
        .Bind(3, TextListJson(feed.named))
        .Bind(4, feed.added_by)
        .Bind(5, feed.added_at);
    return sql::InsertedId(upsert);
  }

  Result<std::optional<FollowedFeedRecord>> FeedByUrl(std::string_view url) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(std::string("SELECT ") + kFeedColumns +
                                       " FROM intel_followed_feeds WHERE url = ?1"));
    select.Bind(1, url);
    BAKEN_ASSIGN_OR_RETURN(auto feeds, AllRows(select, ReadFeed));
    if (feeds.empty()) return std::optional<FollowedFeedRecord>();
    return std::optional<FollowedFeedRecord>(std::move(feeds.front()));
  }

  Result<std::vector<FollowedFeedRecord>> Feeds() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select, db_.Prepare(std::string("SELECT ") + kFeedColumns +
                                                         " FROM intel_followed_feeds ORDER BY id"));
    return AllRows(select, ReadFeed);
  }

  Status RemoveFeed(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(Statement events,
                           db_.Prepare("DELETE FROM intel_followed_events WHERE feed_id = ?1"));
    events.Bind(1, id);
    BAKEN_RETURN_IF_ERROR(events.Run());
    BAKEN_ASSIGN_OR_RETURN(Statement feed,
                           db_.Prepare("DELETE FROM intel_followed_feeds WHERE id = ?1"));
    feed.Bind(1, id);
    return feed.Run();
  }

  Status RecordRun(int64_t id, std::string_view at,
                   const std::optional<std::string>& error) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE intel_followed_feeds SET last_run_at = ?2, last_error = ?3 WHERE "
                    "id = ?1"));
    update.Bind(1, id).Bind(2, at).Bind(3, error);
    return update.Run();
  }

  Result<std::vector<FollowedEventRecord>> Events(int64_t feed_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT feed_id, event_uuid, timestamp, event_id, failures, last_error FROM "
                    "intel_followed_events WHERE feed_id = ?1 ORDER BY event_uuid"));
    select.Bind(1, feed_id);
    return AllRows(select, ReadFollowedEvent);
  }

  Status SaveEvent(const FollowedEventRecord& event) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO intel_followed_events (feed_id, event_uuid, timestamp, "
                    "event_id, failures, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON "
                    "CONFLICT (feed_id, event_uuid) DO UPDATE SET timestamp = "
                    "excluded.timestamp, event_id = excluded.event_id, failures = "
                    "excluded.failures, last_error = excluded.last_error"));
    upsert.Bind(1, event.feed_id)
        .Bind(2, event.event_uuid)
        .Bind(3, event.timestamp)
        .Bind(4, event.event_id)
        .Bind(5, event.failures)
        .Bind(6, event.last_error);
    return upsert.Run();
  }

  Status ForgetEvent(int64_t feed_id, std::string_view event_uuid) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement remove,
        db_.Prepare("DELETE FROM intel_followed_events WHERE feed_id = ?1 AND event_uuid = ?2"));
    remove.Bind(1, feed_id).Bind(2, event_uuid);
    return remove.Run();
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<FollowedFeedRepository> MakeFollowedFeedRepository(sql::Connection& db) {
  return std::make_unique<SqlFollowedFeedRepository>(db);
}

}  // namespace baken::store
