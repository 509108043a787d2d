#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/json_columns.h"
#include "store/partner_repository_sql.h"

namespace baken::store {

namespace {

using sql::Connection;
using sql::Statement;

constexpr std::string_view kPartnerColumns =
    "id, name, kind, description, vendor_names, created_at, updated_at";

Partner ReadPartner(const Statement& row) {
  Partner partner;
  partner.id = row.ColumnInt(0);
  partner.name = row.ColumnText(1);
  partner.kind = row.ColumnText(2);
  partner.description = row.ColumnText(3);
  partner.vendor_names = TextListColumn(row.ColumnText(4));
  partner.created_at = row.ColumnText(5);
  partner.updated_at = row.ColumnText(6);
  return partner;
}

class SqlPartnerRepository final : public PartnerRepository {
 public:
  explicit SqlPartnerRepository(Connection& db) : db_(db) {}

  Result<int64_t> Add(const Partner& partner) override {
    BAKEN_ASSIGN_OR_RETURN(bool taken, NameTaken(partner.name, 0));
    if (taken) {
      return Conflict(fmt::format("a partner named '{}' exists already", partner.name));
    }
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO partners (name, name_key, kind, description, vendor_names, "
                    "created_at, updated_at) VALUES (?1, lower(?1), ?2, ?3, ?4, ?5, ?6) "
                    "RETURNING id"));
    insert.Bind(1, partner.name)
        .Bind(2, partner.kind)
        .Bind(3, partner.description)
        .Bind(4, nlohmann::json(partner.vendor_names).dump())
        .Bind(5, partner.created_at)
        .Bind(6, partner.updated_at);
    BAKEN_ASSIGN_OR_RETURN(const int64_t id, sql::InsertedId(insert));
    BAKEN_RETURN_IF_ERROR(ReplaceContacts(id, partner.contacts));
    return id;
  }

  Status Update(const Partner& partner) override {
    BAKEN_ASSIGN_OR_RETURN(bool taken, NameTaken(partner.name, partner.id));
    if (taken) {
      return Conflict(fmt::format("a partner named '{}' exists already", partner.name));
    }
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE partners SET name = ?2, name_key = lower(?2), kind = ?3, "
                    "description = ?4, vendor_names = ?5, updated_at = ?6 WHERE id = ?1"));
    update.Bind(1, partner.id)
        .Bind(2, partner.name)
        .Bind(3, partner.kind)
        .Bind(4, partner.description)
        .Bind(5, nlohmann::json(partner.vendor_names).dump())
        .Bind(6, partner.updated_at);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return ReplaceContacts(partner.id, partner.contacts);
  }

  Result<std::optional<Partner>> Find(int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(fmt::format("SELECT {} FROM partners WHERE id = ?1", kPartnerColumns)));
    select.Bind(1, id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<Partner>();
    Partner partner = ReadPartner(select);
    select.Reset();
    BAKEN_ASSIGN_OR_RETURN(partner.contacts, Contacts(partner.id));
    return std::optional<Partner>(std::move(partner));
  }

  Result<std::vector<Partner>> List() override {
    BAKEN_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(fmt::format("SELECT {} FROM partners ORDER BY lower(name), "
                                                   "id",
                                                   kPartnerColumns)));
    std::vector<Partner> partners;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      partners.push_back(ReadPartner(select));
    }
    select.Reset();
    for (Partner& partner : partners) {
      BAKEN_ASSIGN_OR_RETURN(partner.contacts, Contacts(partner.id));
    }
    return partners;
  }

  Result<std::vector<PartnerUser>> Users(int64_t partner_id) override {
    // Said by someone (analyst before member), or seen in the inventory: an asset whose vendor
    // is one of the partner's names, ASCII case ignored.
    BAKEN_ASSIGN_OR_RETURN(auto partner, Find(partner_id));
    if (!partner) return std::vector<PartnerUser>();
    std::vector<PartnerUser> users;
    BAKEN_ASSIGN_OR_RETURN(
        Statement said,
        db_.Prepare("SELECT u.member, m.name, min(u.source) FROM member_partners u JOIN members "
                    "m ON m.code = u.member WHERE u.partner_id = ?1 GROUP BY u.member, m.name "
                    "ORDER BY u.member"));
    said.Bind(1, partner_id);
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, said.Step());
      if (!has_row) break;
      users.push_back(PartnerUser{said.ColumnText(0), said.ColumnText(1), said.ColumnText(2)});
    }
    said.Reset();
    BAKEN_ASSIGN_OR_RETURN(
        Statement inventory,
        db_.Prepare("SELECT DISTINCT a.member_code, m.name FROM assets a JOIN members m ON "
                    "m.code = a.member_code WHERE lower(a.vendor) = ?1 ORDER BY a.member_code"));
    for (const std::string& vendor : partner->vendor_names) {
      inventory.Reset();
      inventory.Bind(1, vendor);
      for (;;) {
        BAKEN_ASSIGN_OR_RETURN(bool has_row, inventory.Step());
        if (!has_row) break;
        const std::string member = inventory.ColumnText(0);
        const bool known = std::any_of(users.begin(), users.end(), [&](const PartnerUser& user) {
          return user.member == member;
        });
        if (!known) users.push_back(PartnerUser{member, inventory.ColumnText(1), "inventory"});
      }
    }
    std::sort(users.begin(), users.end(),
              [](const PartnerUser& a, const PartnerUser& b) { return a.member < b.member; });
    return users;
  }

  Result<std::vector<std::pair<Partner, std::string>>> OfMember(const registry::Scope& scope,
                                                                std::string_view member) override {
    std::vector<std::pair<Partner, std::string>> partners;
    if (!scope.Includes(member)) return partners;
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT p.id, p.name, p.kind, p.description, p.vendor_names, p.created_at, "
                    "p.updated_at, min(u.source) FROM member_partners u JOIN partners p ON "
                    "p.id = u.partner_id WHERE u.member = ?1 GROUP BY p.id, p.name, p.kind, "
                    "p.description, p.vendor_names, p.created_at, p.updated_at "
                    "ORDER BY lower(p.name), p.id"));
    select.Bind(1, member);
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      partners.emplace_back(ReadPartner(select), select.ColumnText(7));
    }
    return partners;
  }

  Status ReplaceOfMember(std::string_view member, const std::vector<int64_t>& partner_ids,
                         std::string_view source, std::string_view actor,
                         std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement remove,
        db_.Prepare("DELETE FROM member_partners WHERE member = ?1 AND source = ?2"));
    remove.Bind(1, member).Bind(2, source);
    BAKEN_RETURN_IF_ERROR(remove.Run());
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO member_partners (member, partner_id, source, added_by, added_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (member, partner_id, source) "
                    "DO NOTHING"));
    for (const int64_t id : partner_ids) {
      insert.Reset();
      insert.Bind(1, member).Bind(2, id).Bind(3, source).Bind(4, actor).Bind(5, now);
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

  Result<int64_t> AddNotice(const PartnerNotice& notice) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO partner_notices (incident_id, partner_id, text, created_by, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
    insert.Bind(1, notice.incident_id)
        .Bind(2, notice.partner_id)
        .Bind(3, notice.text)
        .Bind(4, notice.created_by)
        .Bind(5, notice.created_at);
    return sql::InsertedId(insert);
  }

  Result<std::vector<PartnerNotice>> UnplannedNotices() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, incident_id, partner_id, text, created_by, created_at, "
                    "planned_at FROM partner_notices WHERE planned_at IS NULL ORDER BY id"));
    std::vector<PartnerNotice> notices;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      notices.push_back(PartnerNotice{select.ColumnInt(0), select.ColumnInt(1), select.ColumnInt(2),
                                      select.ColumnText(3), select.ColumnText(4),
                                      select.ColumnText(5), select.ColumnOptionalText(6)});
    }
    return notices;
  }

  Result<bool> MarkNoticePlanned(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE partner_notices SET planned_at = ?2 WHERE id = ?1 AND "
                    "planned_at IS NULL"));
    update.Bind(1, id).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    return db_.Changes() == 1;
  }

 private:
  Result<bool> NameTaken(std::string_view name, int64_t except) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT 1 FROM partners WHERE name_key = lower(?1) AND id <> ?2"));
    select.Bind(1, name).Bind(2, except);
    return select.Step();
  }

  Result<std::vector<PartnerContact>> Contacts(int64_t partner_id) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT name, email, phone, role, language FROM partner_contacts WHERE "
                    "partner_id = ?1 ORDER BY position"));
    select.Bind(1, partner_id);
    std::vector<PartnerContact> contacts;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      contacts.push_back(PartnerContact{select.ColumnText(0), select.ColumnText(1),
                                        select.ColumnText(2), select.ColumnText(3),
                                        select.ColumnText(4)});
    }
    return contacts;
  }

  Status ReplaceContacts(int64_t partner_id, const std::vector<PartnerContact>& contacts) {
    BAKEN_ASSIGN_OR_RETURN(Statement remove,
                           db_.Prepare("DELETE FROM partner_contacts WHERE partner_id = ?1"));
    remove.Bind(1, partner_id);
    BAKEN_RETURN_IF_ERROR(remove.Run());
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO partner_contacts (partner_id, position, name, email, phone, "
                    "role, language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    int64_t position = 0;
    for (const PartnerContact& contact : contacts) {
      insert.Reset();
      insert.Bind(1, partner_id)
          .Bind(2, position++)
          .Bind(3, contact.name)
          .Bind(4, contact.email)
          .Bind(5, contact.phone)
          .Bind(6, contact.role)
          .Bind(7, contact.language);
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

  Connection& db_;
};

}  // namespace

std::unique_ptr<PartnerRepository> MakePartnerRepository(sql::Connection& db) {
  return std::make_unique<SqlPartnerRepository>(db);
}

}  // namespace baken::store
