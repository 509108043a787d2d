#include "store/sqlite_feeds.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace baken::store {

using registry::Scope;
using sqlite::Connection;
using sqlite::Statement;

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

class SqliteEventRepository final : public EventRepository {
 public:
  explicit SqliteEventRepository(Connection& db) : db_(db) {}

  Result<bool> AddIfNew(const EventRecord& event) override {
    // Prepared once per transaction: ingest calls this for every event.
    if (!insert_) {
      BAKEN_ASSIGN_OR_RETURN(
          Statement statement,
          db_.Prepare("INSERT INTO events (dedup_key, member_code, route_reason, route_match, "
                      "feed_name, classification_type, classification_identifier, source_ip, "
                      "source_port, time_source, time_observation, tlp, digest_id, data) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                      "ON CONFLICT (dedup_key) DO NOTHING"));
      insert_.emplace(std::move(statement));
    }
    Statement& insert = *insert_;
    insert.Reset();
    const auto optional_text = [](const std::string& text) {
      return text.empty() ? std::nullopt : std::optional<std::string>(text);
    };
    // Bound without copies (the record outlives the step; the statement is reset below).
    insert.BindView(1, event.dedup_key)
        .Bind(2, event.member)
        .Bind(3, optional_text(event.route_reason))
        .Bind(4, optional_text(event.route_match))
        .BindView(5, event.feed_name)
        .Bind(6, optional_text(event.classification_type))
        .Bind(7, optional_text(event.classification_identifier))
        .Bind(8, optional_text(event.source_ip))
        .Bind(9, event.source_port)
        .Bind(10, optional_text(event.time_source))
        .BindView(11, event.time_observation)
        .BindView(12, event.tlp)
        .Bind(13, event.digest_id)
        .BindView(14, event.data);
    BAKEN_RETURN_IF_ERROR(insert.Run());
    const bool stored = db_.Changes() > 0;
    insert.Reset();  // a finished statement must not hold the transaction open
    return stored;
  }

  Status ForEach(const Scope& scope, const EventQuery& query,
                 const std::function<bool(const StoredEvent&)>& visit) override {
    // The scope is applied here, in the one query that reads events: a member's principal
    // never sees another member's events or unrouted ones.
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, dedup_key, member_code, route_reason, route_match, feed_name, "
                    "classification_type, classification_identifier, source_ip, source_port, "
                    "time_source, time_observation, tlp, digest_id, data FROM events "
                    "WHERE (?1 IS NULL OR member_code = ?1) "
                    "AND (?2 IS NULL OR member_code = ?2) "
                    "AND (?3 = 0 OR member_code IS NULL) "
                    "AND (?4 IS NULL OR feed_name = ?4) "
                    "AND (?5 IS NULL OR digest_id = ?5) "
                    "AND id > ?6 ORDER BY id LIMIT ?7"));
    select.Bind(1, scope.member())
        .Bind(2, query.member)
        .Bind(3, int64_t{query.unrouted ? 1 : 0})
        .Bind(4, query.feed_name)
        .Bind(5, query.digest_id)
        .Bind(6, query.after_id)
        .Bind(7, query.limit > 0 ? query.limit : int64_t{-1});
    StoredEvent event;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      event.id = select.ColumnInt(0);
      EventRecord& record = event.record;
      record.dedup_key = select.ColumnText(1);
      record.member = select.ColumnOptionalText(2);
      record.route_reason = select.ColumnText(3);
      record.route_match = select.ColumnText(4);
      record.feed_name = select.ColumnText(5);
      record.classification_type = select.ColumnText(6);
      record.classification_identifier = select.ColumnText(7);
      record.source_ip = select.ColumnText(8);
      record.source_port = select.ColumnOptionalInt(9);
      record.time_source = select.ColumnText(10);
      record.time_observation = select.ColumnText(11);
      record.tlp = select.ColumnText(12);
      record.digest_id = select.ColumnOptionalInt(13);
      record.data = select.ColumnText(14);
      if (!visit(event)) break;
    }
    return {};
  }

  Result<int64_t> DeleteObservedBefore(std::string_view cutoff) override {
    // Events of digests not yet turned into messages are kept, so that nothing that was
    // promised to a member disappears before it is sent.
    BAKEN_ASSIGN_OR_RETURN(
        Statement erase,
        db_.Prepare("DELETE FROM events WHERE time_observation < ?1 AND (digest_id IS NULL OR "
                    "digest_id IN (SELECT id FROM digests WHERE open = 0))"));
    erase.Bind(1, cutoff);
    BAKEN_RETURN_IF_ERROR(erase.Run());
    return int64_t{db_.Changes()};
  }

 private:
  Connection& db_;
  std::optional<Statement> insert_;
};

constexpr std::string_view kDigestColumns =
    "d.id, d.member_code, d.feed_name, d.tlp, d.period, d.not_before, d.open, "
    "(SELECT count(*) FROM events e WHERE e.digest_id = d.id)";

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

class SqliteDigestRepository final : public DigestRepository {
 public:
  explicit SqliteDigestRepository(Connection& db) : db_(db) {}

  Result<std::optional<Digest>> Find(const DigestKey& key) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM digests d WHERE member_code = ?1 AND "
                                "feed_name = ?2 AND tlp = ?3 AND period = ?4",
                                kDigestColumns)));
    select.Bind(1, key.member).Bind(2, key.feed_name).Bind(3, key.tlp).Bind(4, key.period);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<Digest>();
    return ReadDigest(select);
  }

  Result<int64_t> Create(const DigestKey& key, std::string_view not_before,
                         std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO digests (member_code, feed_name, tlp, period, not_before, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.Bind(1, key.member)
        .Bind(2, key.feed_name)
        .Bind(3, key.tlp)
        .Bind(4, key.period)
        .Bind(5, not_before)
        .Bind(6, now);
    BAKEN_RETURN_IF_ERROR(insert.Run());
    return db_.LastInsertId();
  }

  Status DropIfEmpty(const std::vector<int64_t>& ids) override {
    BAKEN_ASSIGN_OR_RETURN(Statement erase,
                           db_.Prepare("DELETE FROM digests WHERE id = ?1 AND NOT EXISTS "
                                       "(SELECT 1 FROM events WHERE digest_id = ?1)"));
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

  Status Close(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update, db_.Prepare("UPDATE digests SET open = 0, closed_at = ?2 WHERE id = ?1"));
    update.Bind(1, id).Bind(2, now);
    return update.Run();
  }

 private:
  Connection& db_;
};

constexpr std::string_view kOutboxColumns =
    "id, digest_id, member_code, feed_name, tlp, language, recipients, subject, message_id, "
    "mime, state, reason, attempts, next_attempt_at, created_at, updated_at, sent_at, "
    "event_count";

OutboxMessage ReadMessage(const Statement& row) {
  OutboxMessage message;
  message.id = row.ColumnInt(0);
  message.digest_id = row.ColumnInt(1);
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

class SqliteOutboxRepository final : public OutboxRepository {
 public:
  explicit SqliteOutboxRepository(Connection& db) : db_(db) {}

  Result<int64_t> Add(const OutboxMessage& message) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare(
            "INSERT INTO outbox (digest_id, member_code, feed_name, tlp, language, "
            "recipients, subject, message_id, mime, state, reason, attempts, "
            "next_attempt_at, created_at, updated_at, sent_at, event_count) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"));
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
        .Bind(17, message.event_count);
    BAKEN_RETURN_IF_ERROR(insert.Run());
    return db_.LastInsertId();
  }

  Result<std::vector<OutboxMessage>> List(std::optional<OutboxState> state,
                                          int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM outbox WHERE (?1 IS NULL OR state = ?1) "
                                "ORDER BY id DESC LIMIT ?2",
                                kOutboxColumns)));
    select.Bind(1, state ? std::optional<std::string>(std::string(Name(*state))) : std::nullopt)
        .Bind(2, limit > 0 ? limit : int64_t{-1});
    return CollectMessages(select);
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

  Status UpdateState(const OutboxMessage& message) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE outbox SET state = ?2, reason = ?3, attempts = ?4, "
                    "next_attempt_at = ?5, sent_at = ?6, updated_at = ?7 WHERE id = ?1"));
    update.Bind(1, message.id)
        .Bind(2, Name(message.state))
        .Bind(3, message.reason)
        .Bind(4, message.attempts)
        .Bind(5, message.next_attempt_at)
        .Bind(6, message.sent_at)
        .Bind(7, message.updated_at);
    return update.Run();
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<EventRepository> MakeSqliteEventRepository(Connection& db) {
  return std::make_unique<SqliteEventRepository>(db);
}
std::unique_ptr<DigestRepository> MakeSqliteDigestRepository(Connection& db) {
  return std::make_unique<SqliteDigestRepository>(db);
}
std::unique_ptr<OutboxRepository> MakeSqliteOutboxRepository(Connection& db) {
  return std::make_unique<SqliteOutboxRepository>(db);
}

}  // namespace baken::store
