#include "store/contact_method_repository.h"

#include <fmt/format.h>

#include "store/contact_method_repository_sql.h"

namespace baken::store {

namespace {

using sql::AllRows;
using sql::Connection;
using sql::Statement;

constexpr std::string_view kMethodColumns =
    "id, person, kind, label, url, secret, code_sha256, code_expires_at, code_attempts, "
    "verified_at, disabled_at, created_at";

ContactMethodRecord ReadMethod(const Statement& row) {
  ContactMethodRecord method;
  method.id = row.ColumnInt(0);
  method.person = row.ColumnText(1);
  method.kind = row.ColumnText(2);
  method.label = row.ColumnText(3);
  method.url = row.ColumnText(4);
  method.secret = row.ColumnText(5);
  method.code_sha256 = row.ColumnOptionalText(6);
  method.code_expires_at = row.ColumnOptionalText(7);
  method.code_attempts = row.ColumnInt(8);
  method.verified_at = row.ColumnOptionalText(9);
  method.disabled_at = row.ColumnOptionalText(10);
  method.created_at = row.ColumnText(11);
  return method;
}

class SqlContactMethodRepository final : public ContactMethodRepository {
 public:
  explicit SqlContactMethodRepository(Connection& db) : db_(db) {}

  Result<int64_t> AddMethod(const ContactMethodRecord& method) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO contact_methods (person, kind, label, url, secret, code_sha256, "
                    "code_expires_at, code_attempts, verified_at, disabled_at, created_at) VALUES "
                    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id"));
    insert.Bind(1, method.person)
        .Bind(2, method.kind)
        .Bind(3, method.label)
        .Bind(4, method.url)
        .Bind(5, method.secret)
        .Bind(6, method.code_sha256)
        .Bind(7, method.code_expires_at)
        .Bind(8, method.code_attempts)
        .Bind(9, method.verified_at)
        .Bind(10, method.disabled_at)
        .Bind(11, method.created_at);
    return sql::InsertedId(insert);
  }

  Result<std::optional<ContactMethodRecord>> FindMethod(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM contact_methods WHERE id = ?1", kMethodColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<ContactMethodRecord>();
    return std::optional<ContactMethodRecord>(ReadMethod(select));
  }

  Result<std::vector<ContactMethodRecord>> Methods(std::string_view person) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM contact_methods WHERE person = ?1 ORDER BY id",
                                kMethodColumns)));
    select.Bind(1, person);
    return AllRows(select, ReadMethod);
  }

  Status SaveMethod(const ContactMethodRecord& method) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE contact_methods SET code_sha256 = ?2, code_expires_at = ?3, "
                    "code_attempts = ?4, verified_at = ?5, disabled_at = ?6 WHERE id = ?1"));
    update.Bind(1, method.id)
        .Bind(2, method.code_sha256)
        .Bind(3, method.code_expires_at)
        .Bind(4, method.code_attempts)
        .Bind(5, method.verified_at)
        .Bind(6, method.disabled_at);
    return update.Run();
  }

  Result<std::vector<NotificationRuleRecord>> Rules(std::string_view person) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT channel, delay_minutes FROM notification_rules WHERE person = ?1 "
                    "ORDER BY delay_minutes, channel"));
    select.Bind(1, person);
    return AllRows(select, [](const Statement& row) {
      return NotificationRuleRecord{row.ColumnText(0), row.ColumnInt(1)};
    });
  }

  Status ReplaceRules(std::string_view person,
                      const std::vector<NotificationRuleRecord>& rules) override {
    BAKEN_ASSIGN_OR_RETURN(Statement remove,
                           db_.Prepare("DELETE FROM notification_rules WHERE person = ?1"));
    remove.Bind(1, person);
    BAKEN_RETURN_IF_ERROR(remove.Run());
    for (const NotificationRuleRecord& rule : rules) {
      BAKEN_ASSIGN_OR_RETURN(
          Statement insert,
          db_.Prepare("INSERT INTO notification_rules (person, channel, delay_minutes) "
                      "VALUES (?1, ?2, ?3)"));
      insert.Bind(1, person).Bind(2, rule.channel).Bind(3, rule.delay_minutes);
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

 private:
  Connection& db_;
};

}  // namespace

std::unique_ptr<ContactMethodRepository> MakeContactMethodRepository(sql::Connection& db) {
  return std::make_unique<SqlContactMethodRepository>(db);
}

}  // namespace baken::store
