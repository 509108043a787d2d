#include "store/feed_repositories.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/problem_json.h"
#include "common/text.h"
#include "common/time.h"
#include "store/event_block.h"

namespace baken::store {

using registry::Scope;
using sql::Connection;
using sql::Statement;

std::string_view Name(OutboxState state) {
  switch (state) {
    case OutboxState::kPending:
      return "pending";
    case OutboxState::kHeld:
      return "held";
    case OutboxState::kSending:
      return "sending";
    case OutboxState::kSent:
      return "sent";
    case OutboxState::kFailed:
      return "failed";
    case OutboxState::kUnknown:
      return "unknown";
  }
  return "?";
}

std::optional<OutboxState> ParseOutboxState(std::string_view text) {
  for (OutboxState state : {OutboxState::kPending, OutboxState::kHeld, OutboxState::kSending,
                            OutboxState::kSent, OutboxState::kFailed, OutboxState::kUnknown}) {
    if (Name(state) == text) return state;
  }
  return std::nullopt;
}

namespace {

// A statement a repository runs many times in one transaction (per event, per block, per
// digest), prepared once: preparing costs more than running it.
Result<Statement*> Cached(Connection& db, std::optional<Statement>& slot, std::string_view sql) {
  if (!slot) {
    BAKEN_ASSIGN_OR_RETURN(Statement statement, db.Prepare(sql));
    slot.emplace(std::move(statement));
  }
  return &*slot;
}

class SqlEventRepository final : public EventRepository {
 public:
  explicit SqlEventRepository(Connection& db) : db_(db) {}

  Result<std::vector<bool>> AddNew(std::span<const EventRecord* const> events) override {
    std::vector<bool> stored(events.size(), false);
    std::vector<DedupHash> hashes(events.size());
    for (size_t i = 0; i < events.size(); ++i) hashes[i] = HashDedupKey(events[i]->dedup_key);
    // Writing the key index is most of what storing costs. Equal keys stay in the order given,
    // so that the first event of a duplicate group (the first row of a file) is the one
    // stored, not whichever the sort happened to put first.
    const std::vector<size_t> order = HashOrder(hashes);
    if (db_.engine() == sql::Engine::kPostgresql) {
      BAKEN_RETURN_IF_ERROR(AddKeysInBulk(hashes, order, stored));
    } else {
      BAKEN_RETURN_IF_ERROR(AddKeysOneByOne(hashes, order, stored));
    }

    // The new events, grouped into blocks by what a block shares; groups in the order of
    // their first event, each in the order given. Keys are views into the events, which
    // outlive this call.
    using GroupKey =
        std::tuple<bool, std::string_view, std::string_view, std::string_view, int64_t>;
    std::map<GroupKey, size_t> group_of;
    std::vector<std::vector<const EventRecord*>> groups;
    for (size_t i = 0; i < events.size(); ++i) {
      if (!stored[i]) continue;
      const EventRecord& event = *events[i];
      const auto [it, added] = group_of.try_emplace(
          GroupKey{event.member.has_value(),
                   event.member ? std::string_view(*event.member) : std::string_view(),
                   event.feed_name, event.tlp, event.digest_id.value_or(-1)},
          groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(&event);
    }
    std::vector<std::span<const EventRecord* const>> blocks;
    for (const std::vector<const EventRecord*>& group : groups) {
      size_t begin = 0;
      while (begin < group.size()) {
        size_t end = begin;
        size_t bytes = 0;
        while (end < group.size() && end - begin < kMaxEventsPerBlock &&
               bytes < kBlockTargetBytes) {
          bytes += EncodedSize(*group[end++]);
        }
        blocks.push_back(std::span<const EventRecord* const>(group).subspan(begin, end - begin));
        begin = end;
      }
    }
    if (db_.engine() == sql::Engine::kPostgresql) {
      BAKEN_RETURN_IF_ERROR(WriteBlocksInBulk(blocks));
    } else {
      for (const auto& block : blocks) BAKEN_RETURN_IF_ERROR(WriteBlock(block));
    }
    return stored;
  }

  Result<std::vector<bool>> Known(std::span<const DedupHash> hashes) override {
    std::vector<bool> known(hashes.size(), false);
    const std::vector<size_t> order = HashOrder(hashes);
    if (db_.engine() == sql::Engine::kPostgresql) {
      BAKEN_ASSIGN_OR_RETURN(Statement * select,
                             Cached(db_, select_keys_,
                                    "SELECT hash FROM event_keys WHERE hash IN ("
                                    "SELECT substring(?1 FROM g * 16 + 1 FOR 16) "
                                    "FROM generate_series(0, octet_length(?1) / 16 - 1) AS g)"));
      BAKEN_RETURN_IF_ERROR(
          RunOverKeysInBulk(*select, hashes, order, [&](size_t begin, size_t end, KeySet& found) {
            for (size_t k = begin; k < end; ++k) {
              known[order[k]] = found.contains(ByteView(hashes[order[k]]));
            }
          }));
      return known;
    }
    BAKEN_ASSIGN_OR_RETURN(Statement * select_statement,
                           Cached(db_, select_keys_, "SELECT 1 FROM event_keys WHERE hash = ?1"));
    Statement& select = *select_statement;
    for (size_t i : order) {
      select.Reset();
      select.BindBlobView(1, ByteView(hashes[i]));
      BAKEN_ASSIGN_OR_RETURN(known[i], select.Step());
    }
    select.Reset();  // a finished statement must not hold the transaction open
    return known;
  }

  Status ForEach(const Scope& scope, const EventQuery& query,
                 const std::function<bool(const StoredEvent&)>& visit) override {
    if (query.offset > 0 && (query.after_id > 0 || query.before_id > 0)) {
      return InvalidArgument("an offset cannot be combined with after or before");
    }
    BAKEN_ASSIGN_OR_RETURN(Statement select, SelectBlocks(scope, query, /*count_only=*/false));
    const int64_t before = query.newest_first ? query.before_id : 0;
    const bool by_event = HasEventFilters(query);
    int64_t skip = std::max<int64_t>(query.offset, 0);
    int64_t left = query.limit > 0 ? query.limit : -1;
    StoredEvent event;
    std::vector<StoredEvent> block;
    while (left != 0) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      const int64_t block_id = select.ColumnInt(0);
      // A block wholly before the page is passed by its count, without reading its events.
      const int64_t event_count = select.ColumnInt(5);
      if (!by_event && query.after_id == 0 && before == 0 && skip >= event_count) {
        skip -= event_count;
        continue;
      }
      EventRecord& record = event.record;
      record.member = select.ColumnOptionalText(1);
      record.feed_name = select.ColumnText(2);
      record.tlp = select.ColumnText(3);
      record.digest_id = select.ColumnOptionalInt(4);
      BAKEN_ASSIGN_OR_RETURN(std::string_view data, BlockData(block_id));
      BAKEN_ASSIGN_OR_RETURN(EventBlockReader reader,
                             EventBlockReader::Open(data, fmt::format("event block {}", block_id)));
      // The block's events in the order asked for: a block holds them oldest first, so for
      // newest first it is read whole and visited backwards.
      block.clear();
      for (int64_t index = 0;; ++index) {
        BAKEN_ASSIGN_OR_RETURN(bool has_event, reader.Next(&record));
        if (!has_event) break;
        event.id = block_id * kEventsPerBlockId + index;
        if (event.id <= query.after_id || (before > 0 && event.id >= before)) continue;
        if (by_event && !Matches(query, record)) continue;
        block.push_back(event);
        if (!query.newest_first && left >= 0 && static_cast<int64_t>(block.size()) >= skip + left) {
          break;
        }
      }
      if (query.newest_first) std::reverse(block.begin(), block.end());
      for (const StoredEvent& found : block) {
        if (left == 0) break;
        if (skip > 0) {
          --skip;
          continue;
        }
        if (!visit(found)) return {};
        if (left > 0) --left;
      }
    }
    return {};
  }

  Result<int64_t> Count(const Scope& scope, const EventQuery& query) override {
    EventQuery all = query;
    all.offset = 0;
    all.limit = 0;
    all.after_id = 0;
    all.before_id = 0;
    if (!HasEventFilters(all)) {
      BAKEN_ASSIGN_OR_RETURN(Statement count, SelectBlocks(scope, all, /*count_only=*/true));
      BAKEN_ASSIGN_OR_RETURN(bool has_row, count.Step());
      return has_row ? count.ColumnInt(0) : 0;
    }
    int64_t total = 0;
    BAKEN_RETURN_IF_ERROR(ForEach(scope, all, [&](const StoredEvent&) {
      ++total;
      return true;
    }));
    return total;
  }

  Result<int64_t> DeleteObservedBefore(std::string_view cutoff) override {
    // Events of digests not yet turned into messages are kept, so that nothing that was
    // promised to a member disappears before it is sent.
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT b.id, b.event_count, d.data FROM event_blocks b "
                                       "JOIN event_block_data d ON d.block_id = b.id "
                                       "WHERE b.last_observation < ?1 AND (b.digest_id IS NULL OR "
                                       "b.digest_id IN (SELECT id FROM digests WHERE open = 0))"));
    select.Bind(1, cutoff);
    std::vector<int64_t> blocks;
    std::vector<DedupHash> keys;
    int64_t removed = 0;
    EventRecord record;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      blocks.push_back(select.ColumnInt(0));
      removed += select.ColumnInt(1);
      BAKEN_ASSIGN_OR_RETURN(EventBlockReader reader,
                             EventBlockReader::Open(select.ColumnBlob(2),
                                                    fmt::format("event block {}", blocks.back())));
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_event, reader.Next(&record));
        if (!has_event) break;
        keys.push_back(HashDedupKey(record.dedup_key));
      }
    }
    BAKEN_ASSIGN_OR_RETURN(Statement erase_key,
                           db_.Prepare("DELETE FROM event_keys WHERE hash = ?1"));
    for (const DedupHash& key : keys) {
      erase_key.Reset();
      erase_key.BindBlobView(1, ByteView(key));
      BAKEN_RETURN_IF_ERROR(erase_key.Run());
    }
    BAKEN_ASSIGN_OR_RETURN(Statement erase_data,
                           db_.Prepare("DELETE FROM event_block_data WHERE block_id = ?1"));
    BAKEN_ASSIGN_OR_RETURN(Statement erase_block,
                           db_.Prepare("DELETE FROM event_blocks WHERE id = ?1"));
    for (int64_t id : blocks) {
      erase_data.Reset();
      erase_data.Bind(1, id);
      BAKEN_RETURN_IF_ERROR(erase_data.Run());
      erase_block.Reset();
      erase_block.Bind(1, id);
      BAKEN_RETURN_IF_ERROR(erase_block.Run());
    }
    return removed;
  }

  Status RecordArrival(std::string_view feed_name, int64_t events, std::string_view at) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO feed_arrivals (feed_name, last_at, events) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT (feed_name) DO UPDATE SET last_at = excluded.last_at, "
                    "events = feed_arrivals.events + excluded.events"));
    upsert.Bind(1, feed_name).Bind(2, at).Bind(3, events);
    return upsert.Run();
  }

  Result<std::map<std::string, std::string>> LastArrivals() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT feed_name, last_at FROM feed_arrivals"));
    std::map<std::string, std::string> arrivals;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      arrivals[select.ColumnText(0)] = select.ColumnText(1);
    }
    return arrivals;
  }

  Result<std::map<std::string, int64_t>> CountPerWeek(const Scope& scope,
                                                      const std::optional<std::string>& member,
                                                      std::string_view since) override {
    EventQuery query;
    query.member = member;
    query.observed_since = std::string(since);
    BAKEN_ASSIGN_OR_RETURN(Statement select, SelectBlocks(scope, query, /*count_only=*/false));
    std::map<std::string, int64_t> weeks;
    EventRecord record;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      const std::string first = select.ColumnText(6);
      const std::string week = IsoWeekStart(first);
      // Events of one ingest share their observation time, so nearly every block lies in one
      // week and is counted without being decompressed.
      if (first >= since && !week.empty() && week == IsoWeekStart(select.ColumnText(7))) {
        weeks[week] += select.ColumnInt(5);
        continue;
      }
      BAKEN_ASSIGN_OR_RETURN(std::string_view data, BlockData(select.ColumnInt(0)));
      BAKEN_ASSIGN_OR_RETURN(
          EventBlockReader reader,
          EventBlockReader::Open(data, fmt::format("event block {}", select.ColumnInt(0))));
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_event, reader.Next(&record));
        if (!has_event) break;
        if (record.time_observation < since) continue;
        const std::string event_week = IsoWeekStart(record.time_observation);
        if (!event_week.empty()) ++weeks[event_week];
      }
    }
    return weeks;
  }

 private:
  static std::string_view ByteView(const DedupHash& hash) {
    return {reinterpret_cast<const char*>(hash.data()), hash.size()};
  }

  // SQLite, in the process: one statement per key costs no more than one for all of them.
  Status AddKeysOneByOne(const std::vector<DedupHash>& hashes, const std::vector<size_t>& order,
                         std::vector<bool>& stored) {
    BAKEN_ASSIGN_OR_RETURN(Statement * insert_key_statement,
                           Cached(db_, insert_key_,
                                  "INSERT INTO event_keys (hash) VALUES (?1) "
                                  "ON CONFLICT (hash) DO NOTHING"));
    Statement& insert_key = *insert_key_statement;
    for (size_t i : order) {
      insert_key.Reset();
      insert_key.BindBlobView(1, ByteView(hashes[i]));
      BAKEN_RETURN_IF_ERROR(insert_key.Run());
      stored[i] = db_.Changes() > 0;
    }
    insert_key.Reset();  // a finished statement must not hold the transaction open
    return {};
  }

  // The indexes of `hashes` in hash order, equal hashes in the order given: a batch then reads
  // or writes each page of the key index once rather than jumping around it.
  // The hashes are sorted in their sortable form, held beside their index: comparing arrays
  // byte-wise through the indexes was a thirtieth of an ingest.
  static std::vector<size_t> HashOrder(std::span<const DedupHash> hashes) {
    std::vector<std::pair<SortableDedupHash, size_t>> entries(hashes.size());
    for (size_t i = 0; i < hashes.size(); ++i) entries[i] = {SortableDedupHash::Of(hashes[i]), i};
    // A dry run asks in hash order already: a look saves the sort.
    if (!std::is_sorted(entries.begin(), entries.end())) std::sort(entries.begin(), entries.end());
    std::vector<size_t> order(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) order[i] = entries[i].second;
    return order;
  }

  using KeySet = std::set<std::string, std::less<>>;

  // PostgreSQL, over the network: runs `statement` over the keys in `order`, thousands per
  // statement, sent as one bytea of 16-byte hashes that the statement splits on the server and
  // answers with hashes. `take(begin, end, returned)` gets each slice of `order` with the
  // hashes returned for it.
  static Status RunOverKeysInBulk(Statement& statement, std::span<const DedupHash> hashes,
                                  const std::vector<size_t>& order,
                                  const std::function<void(size_t, size_t, KeySet&)>& take) {
    constexpr size_t kKeysPerStatement = 8192;
    std::string batch;
    KeySet returned;
    for (size_t begin = 0; begin < order.size(); begin += kKeysPerStatement) {
      const size_t end = std::min(order.size(), begin + kKeysPerStatement);
      batch.clear();
      for (size_t k = begin; k < end; ++k) batch += ByteView(hashes[order[k]]);
      statement.Reset();
      statement.BindBlobView(1, batch);
      returned.clear();
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
        if (!has_row) break;
        returned.emplace(statement.ColumnBlob(0));
      }
      take(begin, end, returned);
    }
    statement.Reset();  // a finished statement must not hold the transaction open
    return {};
  }

  // PostgreSQL: the keys that were new come back. Of equal keys in the batch, the first in
  // `order` (the first given) counts as the one stored.
  Status AddKeysInBulk(const std::vector<DedupHash>& hashes, const std::vector<size_t>& order,
                       std::vector<bool>& stored) {
    BAKEN_ASSIGN_OR_RETURN(Statement * insert_keys,
                           Cached(db_, insert_key_,
                                  "INSERT INTO event_keys (hash) "
                                  "SELECT substring(?1 FROM g * 16 + 1 FOR 16) "
                                  "FROM generate_series(0, octet_length(?1) / 16 - 1) AS g "
                                  "ON CONFLICT (hash) DO NOTHING RETURNING hash"));
    return RunOverKeysInBulk(*insert_keys, hashes, order,
                             [&](size_t begin, size_t end, KeySet& added) {
                               for (size_t k = begin; k < end; ++k) {
                                 const size_t i = order[k];
                                 const auto it = added.find(ByteView(hashes[i]));
                                 stored[i] = it != added.end();
                                 if (it != added.end()) added.erase(it);
                               }
                             });
  }

  // A block's compressed events, read only for the blocks a list gets to (the block list itself
  // is read without them); valid until the next call.
  Result<std::string_view> BlockData(int64_t block_id) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement * select,
        Cached(db_, select_data_, "SELECT data FROM event_block_data WHERE block_id = ?1"));
    select->Reset();
    select->Bind(1, block_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) return Internal(fmt::format("event block {} has no data", block_id));
    return select->ColumnBlob(0);
  }

  static bool HasEventFilters(const EventQuery& query) {
    return query.classification_type || query.observed_since || query.observed_until ||
           (query.text && !query.text->empty());
  }

  static bool Matches(const EventQuery& query, const EventRecord& record) {
    if (query.classification_type && record.classification_type != *query.classification_type) {
      return false;
    }
    // IntelMQ times are one fixed form (2026-12-05T08:44:00+00:00), so text order is time order.
    if (query.observed_since && record.time_observation < *query.observed_since) return false;
    if (query.observed_until && record.time_observation >= *query.observed_until) return false;
    if (query.text && !query.text->empty()) {
      const std::string needle = AsciiLower(*query.text);
      if (AsciiLower(record.data).find(needle) == std::string::npos &&
          AsciiLower(record.feed_name).find(needle) == std::string::npos) {
        return false;
      }
    }
    return true;
  }

  // The blocks a query reads, or their event count. The scope is applied here, in the one
  // query that reads events: a member's principal never sees another member's events or
  // unrouted ones, nor a TLP:RED event before an analyst released the message that carries it
  // to that member (decision 0005). A RED message is born held and leaves "held" only by a
  // release, so any other state of a message of the event's digest to the event's member
  // means released; an event without a digest has had no release.
  Result<Statement> SelectBlocks(const Scope& scope, const EventQuery& query, bool count_only) {
    const std::string_view columns =
        count_only ? "COALESCE(SUM(b.event_count), 0)"
                   : "b.id, b.member_code, b.feed_name, b.tlp, b.digest_id, b.event_count, "
                     "b.first_observation, b.last_observation";
    const std::string_view order =
        count_only ? "" : (query.newest_first ? " ORDER BY b.id DESC" : " ORDER BY b.id ASC");
    BAKEN_ASSIGN_OR_RETURN(
        Statement select, db_.Prepare(fmt::format(
                              "SELECT {} FROM event_blocks b "
                              "WHERE (?1 IS NULL OR b.member_code = ?1) "
                              "AND (?1 IS NULL OR b.tlp <> 'RED' OR EXISTS (SELECT 1 FROM outbox o "
                              "WHERE o.digest_id = b.digest_id AND o.member_code = b.member_code "
                              "AND o.tlp = 'RED' AND o.state <> 'held')) "
                              "AND (?2 IS NULL OR b.member_code = ?2) "
                              "AND (?3 = 0 OR b.member_code IS NULL) "
                              "AND (?4 IS NULL OR b.feed_name = ?4) "
                              "AND (?5 IS NULL OR b.digest_id = ?5) "
                              "AND b.id >= ?6 AND (?7 IS NULL OR b.id <= ?7) "
                              "AND (?8 IS NULL OR b.tlp = ?8) "
                              "AND (?9 IS NULL OR b.last_observation >= ?9) "
                              "AND (?10 IS NULL OR b.first_observation < ?10){}",
                              columns, order)));
    const int64_t before = query.newest_first ? query.before_id : 0;
    select.Bind(1, scope.member())
        .Bind(2, query.member)
        .Bind(3, int64_t{query.unrouted ? 1 : 0})
        .Bind(4, query.feed_name)
        .Bind(5, query.digest_id)
        .Bind(6, std::max<int64_t>(query.after_id, 0) / kEventsPerBlockId)
        .Bind(7, before > 0 ? std::optional<int64_t>((before - 1) / kEventsPerBlockId)
                            : std::optional<int64_t>())
        .Bind(8, query.tlp)
        .Bind(9, query.observed_since)
        .Bind(10, query.observed_until);
    return select;
  }

  // What a block's row says: the events' shared member, feed, TLP level and digest (checked
  // here once more, as the block's member is what scopes every read of its events, so that no
  // mistake in grouping can show one member's events to another), and their time span.
  struct BlockRow {
    const EventRecord* first = nullptr;
    std::string_view oldest;
    std::string_view newest;
  };
  static Result<BlockRow> RowOf(std::span<const EventRecord* const> events) {
    const EventRecord& first = *events.front();
    for (const EventRecord* event : events) {
      if (event->member != first.member || event->feed_name != first.feed_name ||
          event->tlp != first.tlp || event->digest_id != first.digest_id) {
        return MakeError(ErrorCode::kInternal, "events of different members in one block");
      }
    }
    const auto [oldest, newest] = std::minmax_element(
        events.begin(), events.end(), [](const EventRecord* a, const EventRecord* b) {
          return a->time_observation < b->time_observation;
        });
    return BlockRow{&first, (*oldest)->time_observation, (*newest)->time_observation};
  }

  // PostgreSQL, over the network: a batch's blocks in a few statements rather than two each
  // (a batch has hundreds of blocks, one per member and feed). Their ids are drawn from the
  // table's sequence first, in one statement, and given in the blocks' order, so that event ids
  // still follow one another as the blocks do. A statement carries a power of two of blocks
  // (at most 256): the connection keeps each text it ran prepared, so only nine texts per
  // table ever exist, not one per block count.
  Status WriteBlocksInBulk(const std::vector<std::span<const EventRecord* const>>& blocks) {
    constexpr size_t kMaxBlocksPerStatement = 256;
    constexpr size_t kBytesPerStatement = 32 << 20;  // of compressed block data
    if (blocks.empty()) return {};
    std::vector<BlockRow> rows;
    rows.reserve(blocks.size());
    for (const auto& block : blocks) {
      BAKEN_ASSIGN_OR_RETURN(BlockRow row, RowOf(block));
      rows.push_back(row);
    }
    BAKEN_ASSIGN_OR_RETURN(
        Statement ids_select,
        db_.Prepare("SELECT nextval(pg_get_serial_sequence('event_blocks', 'id')) AS id "
                    "FROM generate_series(1, ?1) ORDER BY id"));
    ids_select.Bind(1, static_cast<int64_t>(blocks.size()));
    std::vector<int64_t> ids;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, ids_select.Step());
      if (!has_row) break;
      ids.push_back(ids_select.ColumnInt(0));
    }
    if (ids.size() != blocks.size()) return Internal("the block ids could not be drawn");
    // The largest power of two of blocks from `begin` that is left (and, for data, that fits).
    const auto chunk = [&](size_t begin, const std::vector<std::string>* data) {
      size_t count = kMaxBlocksPerStatement;
      while (count > blocks.size() - begin) count /= 2;
      if (data != nullptr) {
        const auto bytes = [&](size_t n) {
          size_t total = 0;
          for (size_t i = begin; i < begin + n; ++i) total += (*data)[i].size();
          return total;
        };
        while (count > 1 && bytes(count) > kBytesPerStatement) count /= 2;
      }
      return count;
    };
    for (size_t begin = 0; begin < blocks.size();) {
      const size_t count = chunk(begin, nullptr);
      std::string sql =
          "INSERT INTO event_blocks (id, member_code, feed_name, tlp, digest_id, event_count, "
          "first_observation, last_observation, encoding) VALUES ";
      for (size_t k = 0; k < count; ++k) {
        const size_t p = k * 8;
        sql +=
            fmt::format("{}(?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, 'zstd-records-1')",
                        k == 0 ? "" : ", ", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8);
      }
      BAKEN_ASSIGN_OR_RETURN(Statement insert, db_.Prepare(sql));
      for (size_t k = 0; k < count; ++k) {
        const int p = static_cast<int>(k * 8);
        const size_t i = begin + k;
        const EventRecord& first = *rows[i].first;
        insert.Bind(p + 1, ids[i])
            .Bind(p + 2, first.member)
            .BindView(p + 3, first.feed_name)
            .BindView(p + 4, first.tlp)
            .Bind(p + 5, first.digest_id)
            .Bind(p + 6, static_cast<int64_t>(blocks[i].size()))
            .BindView(p + 7, rows[i].oldest)
            .BindView(p + 8, rows[i].newest);
      }
      BAKEN_RETURN_IF_ERROR(insert.Run());
      begin += count;
    }
    std::vector<std::string> data;
    data.reserve(blocks.size());
    for (const auto& block : blocks) data.push_back(EncodeEventBlock(block));
    for (size_t begin = 0; begin < blocks.size();) {
      const size_t count = chunk(begin, &data);
      std::string sql = "INSERT INTO event_block_data (block_id, data) VALUES ";
      for (size_t k = 0; k < count; ++k) {
        sql += fmt::format("{}(?{}, ?{})", k == 0 ? "" : ", ", k * 2 + 1, k * 2 + 2);
      }
      BAKEN_ASSIGN_OR_RETURN(Statement insert, db_.Prepare(sql));
      for (size_t k = 0; k < count; ++k) {
        const int p = static_cast<int>(k * 2);
        insert.Bind(p + 1, ids[begin + k]).BindBlobView(p + 2, data[begin + k]);
      }
      BAKEN_RETURN_IF_ERROR(insert.Run());
      begin += count;
    }
    return {};
  }

  // SQLite, in the process: one block at a time, two statements prepared once.
  Status WriteBlock(std::span<const EventRecord* const> events) {
    BAKEN_ASSIGN_OR_RETURN(const BlockRow row, RowOf(events));
    const EventRecord& first = *row.first;
    BAKEN_ASSIGN_OR_RETURN(
        Statement * insert_block,
        Cached(db_, insert_block_,
               "INSERT INTO event_blocks (member_code, feed_name, tlp, digest_id, event_count, "
               "first_observation, last_observation, encoding) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'zstd-records-1')"));
    insert_block->Reset();
    insert_block->Bind(1, first.member)
        .BindView(2, first.feed_name)
        .BindView(3, first.tlp)
        .Bind(4, first.digest_id)
        .Bind(5, static_cast<int64_t>(events.size()))
        .BindView(6, row.oldest)
        .BindView(7, row.newest);
    auto block_id = sql::InsertedRowId(db_, *insert_block);
    insert_block->Reset();
    BAKEN_RETURN_IF_ERROR(block_id);
    const std::string data = EncodeEventBlock(events);
    BAKEN_ASSIGN_OR_RETURN(
        Statement * insert_data,
        Cached(db_, insert_data_, "INSERT INTO event_block_data (block_id, data) VALUES (?1, ?2)"));
    insert_data->Reset();
    insert_data->Bind(1, *block_id).BindBlobView(2, data);
    BAKEN_RETURN_IF_ERROR(insert_data->Run());
    insert_data->Reset();
    return {};
  }

  Connection& db_;
  std::optional<Statement> insert_key_;
  std::optional<Statement> select_keys_;
  std::optional<Statement> insert_block_;
  std::optional<Statement> insert_data_;
  std::optional<Statement> select_data_;
};

constexpr std::string_view kDigestColumns =
    "d.id, d.member_code, d.feed_name, d.tlp, d.period, d.not_before, d.open, "
    "(SELECT coalesce(sum(e.event_count), 0) FROM event_blocks e WHERE e.digest_id = d.id)";

Digest ReadDigest(const Statement& row) {
  Digest digest;
  digest.id = row.ColumnInt(0);
  digest.key.member = row.ColumnText(1);
  digest.key.feed_name = row.ColumnText(2);
  digest.key.tlp = row.ColumnText(3);
  digest.key.period = row.ColumnText(4);
  digest.not_before = row.ColumnText(5);
  digest.open = row.ColumnInt(6) != 0;
  digest.event_count = row.ColumnInt(7);
  return digest;
}

class SqlDigestRepository final : public DigestRepository {
 public:
  explicit SqlDigestRepository(Connection& db) : db_(db) {}

  Result<std::vector<DigestState>> OfFeedFrom(std::string_view feed_name,
                                              std::string_view period) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare("SELECT id, member_code, tlp, period, open FROM digests "
                                       "WHERE feed_name = ?1 AND period >= ?2"));
    select.BindView(1, feed_name).BindView(2, period);
    return sql::AllRows(select, [&](const Statement& row) {
      DigestState digest;
      digest.id = row.ColumnInt(0);
      digest.key.member = row.ColumnText(1);
      digest.key.feed_name = std::string(feed_name);
      digest.key.tlp = row.ColumnText(2);
      digest.key.period = row.ColumnText(3);
      digest.open = row.ColumnInt(4) != 0;
      return digest;
    });
  }

  Result<int64_t> Create(const DigestKey& key, std::string_view not_before,
                         std::string_view now) override {
    // A batch of a 20,000-row report creates hundreds of digests (sql::InsertedRowId).
    const bool returning = db_.engine() == sql::Engine::kPostgresql;
    BAKEN_ASSIGN_OR_RETURN(
        Statement * cached,
        Cached(db_, insert_,
               fmt::format("INSERT INTO digests (member_code, feed_name, tlp, period, not_before, "
                           "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6){}",
                           returning ? " RETURNING id" : "")));
    Statement& insert = *cached;
    insert.Reset();
    insert.Bind(1, key.member)
        .Bind(2, key.feed_name)
        .Bind(3, key.tlp)
        .Bind(4, key.period)
        .Bind(5, not_before)
        .Bind(6, now);
    auto id = sql::InsertedRowId(db_, insert);
    insert.Reset();  // a finished statement must not hold the transaction open
    return id;
  }

  Status DropIfEmpty(const std::vector<int64_t>& ids) override {
    BAKEN_ASSIGN_OR_RETURN(Statement erase,
                           db_.Prepare("DELETE FROM digests WHERE id = ?1 AND NOT EXISTS "
                                       "(SELECT 1 FROM event_blocks WHERE digest_id = ?1)"));
    for (int64_t id : ids) {
      erase.Reset();
      erase.Bind(1, id);
      BAKEN_RETURN_IF_ERROR(erase.Run());
    }
    return {};
  }

  Result<std::vector<Digest>> Due(std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM digests d WHERE open = 1 AND not_before <= ?1 "
                                "ORDER BY id",
                                kDigestColumns)));
    select.Bind(1, now);
    std::vector<Digest> digests;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      digests.push_back(ReadDigest(select));
    }
    return digests;
  }

  Result<bool> Close(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE digests SET open = 0, closed_at = ?2 "
                                       "WHERE id = ?1 AND open = 1"));
    update.Bind(1, id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

 private:
  Connection& db_;
  std::optional<Statement> insert_;
};

constexpr std::string_view kOutboxColumns =
    "id, digest_id, member_code, feed_name, tlp, language, recipients, subject, message_id, "
    "mime, state, reason, attempts, next_attempt_at, created_at, updated_at, sent_at, "
    "event_count, advisory_id, overview_id, reason_code, reason_params, lease_owner, "
    "incident_id, page_id, report_id, intel_warning_id";

// The reason's code and values as stored (null without a code).
std::optional<std::string> ReasonCode(const OutboxMessage& message) {
  if (message.reason_code.empty()) return std::nullopt;
  return message.reason_code;
}
std::optional<std::string> ReasonParams(const OutboxMessage& message) {
  if (message.reason_code.empty()) return std::nullopt;
  return ProblemParamsJson(message.reason_params)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

OutboxMessage ReadMessage(const Statement& row) {
  OutboxMessage message;
  message.id = row.ColumnInt(0);
  message.digest_id = row.ColumnOptionalInt(1);
  message.member = row.ColumnText(2);
  message.feed_name = row.ColumnText(3);
  message.tlp = row.ColumnText(4);
  message.language = row.ColumnText(5);
  const auto recipients = nlohmann::json::parse(row.ColumnText(6), nullptr, false);
  if (recipients.is_array()) {
    for (const auto& address : recipients) {
      if (address.is_string()) message.recipients.push_back(address.get<std::string>());
    }
  }
  message.subject = row.ColumnText(7);
  message.message_id = row.ColumnText(8);
  message.mime = row.ColumnText(9);
  message.state = ParseOutboxState(row.ColumnText(10)).value_or(OutboxState::kUnknown);
  message.reason = row.ColumnOptionalText(11);
  message.attempts = row.ColumnInt(12);
  message.next_attempt_at = row.ColumnOptionalText(13);
  message.created_at = row.ColumnText(14);
  message.updated_at = row.ColumnText(15);
  message.sent_at = row.ColumnOptionalText(16);
  message.event_count = row.ColumnInt(17);
  message.advisory_id = row.ColumnOptionalInt(18);
  message.overview_id = row.ColumnOptionalInt(19);
  message.reason_code = row.ColumnOptionalText(20).value_or("");
  const auto params =
      nlohmann::json::parse(row.ColumnOptionalText(21).value_or("{}"), nullptr, false);
  if (params.is_object()) {
    for (const auto& [name, value] : params.items()) {
      if (value.is_string()) message.reason_params.emplace_back(name, value.get<std::string>());
    }
  }
  message.lease_owner = row.ColumnOptionalText(22);
  message.incident_id = row.ColumnOptionalInt(23);
  message.page_id = row.ColumnOptionalInt(24);
  message.report_id = row.ColumnOptionalInt(25);
  message.intel_warning_id = row.ColumnOptionalInt(26);
  return message;
}

Result<std::vector<OutboxMessage>> CollectMessages(Statement& select) {
  std::vector<OutboxMessage> messages;
  for (;;) {
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    messages.push_back(ReadMessage(select));
  }
  return messages;
}

// The one condition that lists and counts messages; the scope is applied here (?2).
constexpr std::string_view kOutboxWhere =
    "(?1 IS NULL OR state = ?1) AND (?2 IS NULL OR member_code = ?2) "
    "AND (?3 IS NULL OR member_code = ?3) AND (?4 IS NULL OR feed_name = ?4) "
    "AND (?5 IS NULL OR tlp = ?5) AND (?6 IS NULL OR created_at >= ?6) "
    "AND (?7 IS NULL OR created_at < ?7) "
    "AND (?8 IS NULL OR instr(lower(subject), lower(?8)) > 0 "
    "OR instr(lower(recipients), lower(?8)) > 0) "
    "AND (?9 = 1 OR tlp <> 'RED')";

// Ties (messages made in the same second) go newest first, so that a page boundary is stable.
std::string_view OrderBy(OutboxQuery::Order order) {
  switch (order) {
    case OutboxQuery::Order::kOldest:
      return "created_at, id";
    case OutboxQuery::Order::kNextAttempt:
      return "next_attempt_at IS NULL, next_attempt_at, id DESC";
    case OutboxQuery::Order::kNextAttemptLatest:
      return "next_attempt_at IS NULL, next_attempt_at DESC, id DESC";
    case OutboxQuery::Order::kNewest:
      break;
  }
  return "created_at DESC, id DESC";
}

void BindOutboxQuery(Statement& select, const Scope& scope, const OutboxQuery& query) {
  select
      .Bind(1, query.state ? std::optional<std::string>(std::string(Name(*query.state)))
                           : std::nullopt)
      .Bind(2, scope.member())
      .Bind(3, query.member)
      .Bind(4, query.feed_name)
      .Bind(5, query.tlp)
      .Bind(6, query.created_since)
      .Bind(7, query.created_until)
      .Bind(8, query.text)
      .Bind(9, int64_t{query.with_red ? 1 : 0});
}

class SqlOutboxRepository final : public OutboxRepository {
 public:
  explicit SqlOutboxRepository(Connection& db) : db_(db) {}

  Result<int64_t> Add(const OutboxMessage& message) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare(
            "INSERT INTO outbox (digest_id, member_code, feed_name, tlp, language, "
            "recipients, subject, message_id, mime, state, reason, attempts, "
            "next_attempt_at, created_at, updated_at, sent_at, event_count, advisory_id, "
            "overview_id, reason_code, reason_params, incident_id, page_id, report_id, "
            "intel_warning_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
            "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25) RETURNING id"));
    insert.Bind(1, message.digest_id)
        .Bind(2, message.member)
        .Bind(3, message.feed_name)
        .Bind(4, message.tlp)
        .Bind(5, message.language)
        .Bind(6, nlohmann::json(message.recipients).dump())
        .Bind(7, message.subject)
        .Bind(8, message.message_id)
        .Bind(9, message.mime)
        .Bind(10, Name(message.state))
        .Bind(11, message.reason)
        .Bind(12, message.attempts)
        .Bind(13, message.next_attempt_at)
        .Bind(14, message.created_at)
        .Bind(15, message.updated_at)
        .Bind(16, message.sent_at)
        .Bind(17, message.event_count)
        .Bind(18, message.advisory_id)
        .Bind(19, message.overview_id)
        .Bind(20, ReasonCode(message))
        .Bind(21, ReasonParams(message))
        .Bind(22, message.incident_id)
        .Bind(23, message.page_id)
        .Bind(24, message.report_id)
        .Bind(25, message.intel_warning_id);
    return sql::InsertedId(insert);
  }

  Result<std::vector<OutboxMessage>> List(const Scope& scope, const OutboxQuery& query) override {
    // A list never needs the messages themselves, which are most of a row's bytes.
    std::string columns(kOutboxColumns);
    columns.replace(columns.find("mime,"), 5, "'' AS mime,");
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM outbox WHERE {} ORDER BY {} LIMIT ?10 OFFSET ?11",
                                columns, kOutboxWhere, OrderBy(query.order))));
    BindOutboxQuery(select, scope, query);
    select.Bind(10, sql::Limit(query.limit)).Bind(11, query.offset);
    return CollectMessages(select);
  }

  Result<int64_t> Count(const Scope& scope, const OutboxQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT count(*) FROM outbox WHERE {}", kOutboxWhere)));
    BindOutboxQuery(select, scope, query);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    return has_row ? select.ColumnInt(0) : int64_t{0};
  }

  Result<std::optional<OutboxMessage>> Get(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM outbox WHERE id = ?1", kOutboxColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<OutboxMessage>();
    return ReadMessage(select);
  }

  Result<std::vector<OutboxMessage>> Deliverable(std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM outbox WHERE state = 'pending' AND "
                                "(next_attempt_at IS NULL OR next_attempt_at <= ?1) ORDER BY id",
                                kOutboxColumns)));
    select.Bind(1, now);
    return CollectMessages(select);
  }

  Result<std::vector<OutboxMessage>> InState(OutboxState state) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(
            fmt::format("SELECT {} FROM outbox WHERE state = ?1 ORDER BY id", kOutboxColumns)));
    select.Bind(1, Name(state));
    return CollectMessages(select);
  }

  Result<std::optional<OutboxMessage>> ClaimDeliverable(std::string_view owner,
                                                        std::string_view now,
                                                        std::string_view until,
                                                        int64_t after_id) override {
    // Under the store's write lock the claim is already alone; on PostgreSQL SKIP LOCKED also
    // keeps it from waiting on a row another transaction is changing.
    const bool postgresql = db_.engine() == sql::Engine::kPostgresql;
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format(
            "SELECT id FROM outbox WHERE state = 'pending' AND "
            "(next_attempt_at IS NULL OR next_attempt_at <= ?1) AND "
            "(lease_until IS NULL OR lease_until < ?1) AND id > ?2 ORDER BY id LIMIT 1{}",
            postgresql ? " FOR UPDATE SKIP LOCKED" : "")));
    select.Bind(1, now).Bind(2, after_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<OutboxMessage>();
    const int64_t id = select.ColumnInt(0);
    select.Reset();
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE outbox SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1"));
    update.Bind(1, id).Bind(2, owner).Bind(3, until);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return Get(id);
  }

  Result<bool> MarkSending(const OutboxMessage& message, std::string_view owner,
                           std::string_view until) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE outbox SET state = 'sending', attempts = ?3, updated_at = ?4, "
                    "lease_until = ?5 WHERE id = ?1 AND state = 'pending' AND lease_owner = ?2"));
    update.Bind(1, message.id)
        .Bind(2, owner)
        .Bind(3, message.attempts)
        .Bind(4, message.updated_at)
        .Bind(5, until);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Result<bool> SaveOutcome(const OutboxMessage& message, std::string_view owner) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE outbox SET state = ?2, reason = ?3, attempts = ?4, "
                    "next_attempt_at = ?5, sent_at = ?6, updated_at = ?7, reason_code = ?8, "
                    "reason_params = ?9, lease_owner = NULL, lease_until = NULL "
                    "WHERE id = ?1 AND lease_owner = ?10"));
    update.Bind(1, message.id)
        .Bind(2, Name(message.state))
        .Bind(3, message.reason)
        .Bind(4, message.attempts)
        .Bind(5, message.next_attempt_at)
        .Bind(6, message.sent_at)
        .Bind(7, message.updated_at)
        .Bind(8, ReasonCode(message))
        .Bind(9, ReasonParams(message))
        .Bind(10, owner);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

  Result<std::vector<OutboxMessage>> Interrupted(std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM outbox WHERE state = 'sending' AND "
                                "(lease_until IS NULL OR lease_until < ?1) ORDER BY id",
                                kOutboxColumns)));
    select.Bind(1, now);
    return CollectMessages(select);
  }

  Result<std::vector<std::string>> LeaseHolders(std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT DISTINCT lease_owner FROM outbox WHERE state IN ('pending', "
                    "'sending') AND lease_owner IS NOT NULL AND lease_until >= ?1"));
    select.Bind(1, now);
    std::vector<std::string> owners;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      owners.push_back(select.ColumnText(0));
    }
    return owners;
  }

  Status EndLeases(std::string_view owner) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE outbox SET lease_until = NULL WHERE lease_owner = "
                                       "?1 AND state IN ('pending', 'sending')"));
    update.Bind(1, owner);
    return update.Run();
  }

  Status UpdateState(const OutboxMessage& message) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE outbox SET state = ?2, reason = ?3, attempts = ?4, "
                    "next_attempt_at = ?5, sent_at = ?6, updated_at = ?7, reason_code = ?8, "
                    "reason_params = ?9 WHERE id = ?1"));
    update.Bind(1, message.id)
        .Bind(2, Name(message.state))
        .Bind(3, message.reason)
        .Bind(4, message.attempts)
        .Bind(5, message.next_attempt_at)
        .Bind(6, message.sent_at)
        .Bind(7, message.updated_at)
        .Bind(8, ReasonCode(message))
        .Bind(9, ReasonParams(message));
    return update.Run();
  }

 private:
  Connection& db_;
};

}  // namespace

Status MoveEventsIntoBlocks(Connection& db) {
  SqlEventRepository blocks(db);
  BAKEN_ASSIGN_OR_RETURN(
      Statement select,
      db.Prepare("SELECT dedup_key, member_code, route_reason, route_match, feed_name, "
                 "classification_type, classification_identifier, source_ip, source_port, "
                 "time_source, time_observation, tlp, digest_id, data FROM events ORDER BY id"));
  std::vector<EventRecord> batch;
  const auto write = [&]() -> Status {
    std::vector<const EventRecord*> events;
    for (const EventRecord& event : batch) events.push_back(&event);
    BAKEN_ASSIGN_OR_RETURN(std::vector<bool> stored, blocks.AddNew(events));
    batch.clear();
    // The old table had a unique dedup key, so every row is new; anything else means the
    // hash index disagrees with it, and the migration must not lose events quietly.
    if (std::find(stored.begin(), stored.end(), false) != stored.end()) {
      return MakeError(ErrorCode::kInternal, "moving events into blocks: a dedup key repeats");
    }
    return {};
  };
  for (;;) {
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    EventRecord& record = batch.emplace_back();
    record.dedup_key = select.ColumnText(0);
    record.member = select.ColumnOptionalText(1);
    record.route_reason = select.ColumnText(2);
    record.route_match = select.ColumnText(3);
    record.feed_name = select.ColumnText(4);
    record.classification_type = select.ColumnText(5);
    record.classification_identifier = select.ColumnText(6);
    record.source_ip = select.ColumnText(7);
    record.source_port = select.ColumnOptionalInt(8);
    record.time_source = select.ColumnText(9);
    record.time_observation = select.ColumnText(10);
    record.tlp = select.ColumnText(11);
    record.digest_id = select.ColumnOptionalInt(12);
    record.data = select.ColumnText(13);
    if (batch.size() == 20000) BAKEN_RETURN_IF_ERROR(write());
  }
  if (!batch.empty()) BAKEN_RETURN_IF_ERROR(write());
  select.Reset();
  return db.Execute("DROP TABLE events");
}

std::unique_ptr<EventRepository> MakeEventRepository(Connection& db) {
  return std::make_unique<SqlEventRepository>(db);
}
std::unique_ptr<DigestRepository> MakeDigestRepository(Connection& db) {
  return std::make_unique<SqlDigestRepository>(db);
}
std::unique_ptr<OutboxRepository> MakeOutboxRepository(Connection& db) {
  return std::make_unique<SqlOutboxRepository>(db);
}

}  // namespace baken::store
