#include "store/ripe_repository.h"

#include <array>

#include "store/ripe_repository_sql.h"

namespace baken::store {

namespace {

using sql::Connection;
using sql::Statement;

// A longer climb than any real registry tree has; it only bounds the loop.
constexpr int kMaxClimb = 64;

// Big-endian bytes, 4 for IPv4 and 16 for IPv6: compared as BLOB (SQLite) or bytea
// (PostgreSQL), byte by byte, they order as the addresses do.
std::string AddressBytes(const net::IpAddress& address) {
  std::string bytes;
  const auto put = [&bytes](uint64_t value, int count) {
    for (int i = count - 1; i >= 0; --i) {
      bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
  };
  if (address.is_v4()) {
    put(address.v4(), 4);
  } else {
    put(address.v6_high(), 8);
    put(address.v6_low(), 8);
  }
  return bytes;
}

int64_t FamilyNumber(const net::IpAddress& address) { return address.is_v4() ? 4 : 6; }

std::optional<std::string> OptionalText(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return std::string(row.ColumnText(column));
}

class SqlRipeRepository final : public RipeRepository {
 public:
  explicit SqlRipeRepository(Connection& db) : db_(db) {}

  Status Clear() override {
    for (const char* table : {"ripe_ranges", "ripe_organisations", "ripe_roles", "ripe_loads"}) {
      BAKEN_ASSIGN_OR_RETURN(Statement remove, db_.Prepare(std::string("DELETE FROM ") + table));
      BAKEN_RETURN_IF_ERROR(remove.Run());
    }
    return {};
  }

  Result<int64_t> AddRange(const RipeRange& range, std::optional<int64_t> parent) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO ripe_ranges (family, first_address, last_address, object, "
                    "abuse_c, org, registry, parent_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                    "RETURNING id"));
    insert.Bind(1, FamilyNumber(range.first))
        .BindBlob(2, AddressBytes(range.first))
        .BindBlob(3, AddressBytes(range.last))
        .Bind(4, range.object)
        .Bind(5, range.abuse_c)
        .Bind(6, range.org)
        .Bind(7, int64_t{range.registry ? 1 : 0})
        .Bind(8, parent);
    return sql::InsertedId(insert);
  }

  Status PutRole(std::string_view handle, std::string_view mailbox) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO ripe_roles (handle, mailbox) VALUES (?1, ?2) ON CONFLICT "
                    "(handle) DO UPDATE SET mailbox = excluded.mailbox"));
    upsert.Bind(1, handle).Bind(2, mailbox);
    return upsert.Run();
  }

  Status PutOrganisation(std::string_view handle, std::string_view abuse_c) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO ripe_organisations (handle, abuse_c) VALUES (?1, ?2) ON "
                    "CONFLICT (handle) DO UPDATE SET abuse_c = excluded.abuse_c"));
    upsert.Bind(1, handle).Bind(2, abuse_c);
    return upsert.Run();
  }

  Status RecordLoad(const RipeLoad& load) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO ripe_loads (loaded_at, files, ranges, organisations, roles) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.Bind(1, load.loaded_at)
        .Bind(2, load.files)
        .Bind(3, load.ranges)
        .Bind(4, load.organisations)
        .Bind(5, load.roles);
    return insert.Run();
  }

  Result<std::optional<RipeLoad>> LastLoad() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT loaded_at, files, ranges, organisations, roles FROM ripe_loads "
                    "ORDER BY id DESC LIMIT 1"));
    BAKEN_ASSIGN_OR_RETURN(const bool has_row, select.Step());
    if (!has_row) return std::optional<RipeLoad>();
    RipeLoad load;
    load.loaded_at = select.ColumnText(0);
    load.files = select.ColumnText(1);
    load.ranges = select.ColumnInt(2);
    load.organisations = select.ColumnInt(3);
    load.roles = select.ColumnInt(4);
    return std::optional<RipeLoad>(std::move(load));
  }

  Result<std::optional<RipeAbuseContact>> AbuseContactFor(const net::IpAddress& address) override {
    const std::string bytes = AddressBytes(address);
    // The range that begins nearest before the address; when it ended before the address, one
    // of the ranges containing it holds the address (ranges nest or are apart).
    BAKEN_ASSIGN_OR_RETURN(
        Statement nearest,
        db_.Prepare("SELECT id FROM ripe_ranges WHERE family = ?1 AND first_address <= ?2 "
                    "ORDER BY first_address DESC, last_address ASC, id DESC LIMIT 1"));
    nearest.Bind(1, FamilyNumber(address)).BindBlob(2, bytes);
    BAKEN_ASSIGN_OR_RETURN(const bool found, nearest.Step());
    if (!found) return std::optional<RipeAbuseContact>();
    std::optional<int64_t> id = nearest.ColumnInt(0);
    nearest.Reset();

    BAKEN_ASSIGN_OR_RETURN(
        Statement range,
        db_.Prepare("SELECT r.last_address, r.parent_id, r.object, r.abuse_c, r.org, r.registry, "
                    "own.mailbox, o.abuse_c, via.mailbox FROM ripe_ranges r "
                    "LEFT JOIN ripe_roles own ON own.handle = r.abuse_c "
                    "LEFT JOIN ripe_organisations o ON o.handle = r.org "
                    "LEFT JOIN ripe_roles via ON via.handle = o.abuse_c WHERE r.id = ?1"));
    bool holds_address = false;
    for (int climb = 0; id && climb < kMaxClimb; ++climb) {
      range.Reset();
      range.Bind(1, *id);
      BAKEN_ASSIGN_OR_RETURN(const bool has_row, range.Step());
      if (!has_row) break;
      id = range.ColumnIsNull(1) ? std::nullopt : std::optional<int64_t>(range.ColumnInt(1));
      if (!holds_address) {
        if (std::string_view(range.ColumnBlob(0)) < std::string_view(bytes)) continue;
        holds_address = true;
      }
      if (!range.ColumnIsNull(6)) {
        return std::optional<RipeAbuseContact>(
            RipeAbuseContact{std::string(range.ColumnText(6)), std::string(range.ColumnText(3)),
                             std::string(range.ColumnText(2)), std::nullopt});
      }
      if (!range.ColumnIsNull(8)) {
        return std::optional<RipeAbuseContact>(
            RipeAbuseContact{std::string(range.ColumnText(8)), std::string(range.ColumnText(7)),
                             std::string(range.ColumnText(2)), OptionalText(range, 4)});
      }
      if (range.ColumnInt(5) != 0) break;  // not past the registry's own range
    }
    return std::optional<RipeAbuseContact>();
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<RipeRepository> MakeRipeRepository(sql::Connection& db) {
  return std::make_unique<SqlRipeRepository>(db);
}

}  // namespace baken::store
