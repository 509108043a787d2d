#include "store/openpgp_key_repository.h"

#include "common/text.h"
#include "store/openpgp_key_repository_sql.h"

namespace baken::store {

namespace {

using sql::AllRows;
using sql::Connection;
using sql::Statement;

constexpr char kColumns[] = "email, fingerprint, armored, added_by, added_at";

OpenPgpKey ReadKey(const Statement& row) {
  OpenPgpKey key;
  key.email = row.ColumnText(0);
  key.fingerprint = row.ColumnText(1);
  key.armored = row.ColumnText(2);
  key.added_by = row.ColumnText(3);
  key.added_at = row.ColumnText(4);
  return key;
}

class SqlOpenPgpKeyRepository final : public OpenPgpKeyRepository {
 public:
  explicit SqlOpenPgpKeyRepository(Connection& db) : db_(db) {}

  Status Put(const OpenPgpKey& key) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO openpgp_keys (email, fingerprint, armored, added_by, added_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (email) DO UPDATE SET "
                    "fingerprint = excluded.fingerprint, armored = excluded.armored, "
                    "added_by = excluded.added_by, added_at = excluded.added_at"));
    upsert.Bind(1, AsciiLower(key.email))
        .Bind(2, key.fingerprint)
        .Bind(3, key.armored)
        .Bind(4, key.added_by)
        .Bind(5, key.added_at);
    return upsert.Run();
  }

  Result<std::optional<OpenPgpKey>> KeyFor(std::string_view email) override {
    BAKEN_ASSIGN_OR_RETURN(Statement select, db_.Prepare(std::string("SELECT ") + kColumns +
                                                         " FROM openpgp_keys WHERE email = ?1"));
    select.Bind(1, AsciiLower(email));
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<OpenPgpKey>();
    return std::optional<OpenPgpKey>(ReadKey(select));
  }

  Result<std::vector<OpenPgpKey>> List() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select, db_.Prepare(std::string("SELECT ") + kColumns +
                                                         " FROM openpgp_keys ORDER BY email"));
    return AllRows(select, ReadKey);
  }

  Result<bool> Remove(std::string_view email) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement remove, db_.Prepare("DELETE FROM openpgp_keys WHERE email = ?1 RETURNING email"));
    remove.Bind(1, AsciiLower(email));
    BAKEN_ASSIGN_OR_RETURN(bool has_row, remove.Step());
    remove.Reset();
    return has_row;
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<OpenPgpKeyRepository> MakeOpenPgpKeyRepository(Connection& db) {
  return std::make_unique<SqlOpenPgpKeyRepository>(db);
}

}  // namespace baken::store
