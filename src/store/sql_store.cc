// The SQLite implementation of the store (see store.h). Connections are pooled: each
// Transaction borrows one and gives it back when it ends.

#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/problem_codes.h"
#include "store/advisory_repository.h"
#include "store/contact_method_repository_sql.h"
#include "store/disclosure_repository_sql.h"
#include "store/feed_repositories.h"
#include "store/followed_feed_repository_sql.h"
#include "store/incident_repository_sql.h"
#include "store/intel_repository_sql.h"
#include "store/migrations.h"
#include "store/oncall_repository_sql.h"
#include "store/openpgp_key_repository_sql.h"
#include "store/partner_repository_sql.h"
#include "store/ripe_repository_sql.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/work_repository.h"

namespace baken::store {

using registry::Asset;
using registry::Claim;
using registry::ClaimKind;
using registry::ClaimState;
using registry::Contact;
using registry::Member;
using registry::Scope;
using sql::Connection;
using sql::Statement;

std::string_view Name(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kAnalyst:
      return "analyst";
    case Role::kMember:
      return "member";
  }
  return "?";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role role : {Role::kAdmin, Role::kAnalyst, Role::kMember}) {
    if (Name(role) == text) return role;
  }
  return std::nullopt;
}

namespace {

std::string JoinRoles(const std::vector<registry::ContactRole>& roles) {
  std::string joined;
  for (auto role : roles) {
    if (!joined.empty()) joined += ',';
    joined += registry::Name(role);
  }
  return joined;
}

std::vector<registry::ContactRole> SplitRoles(const std::string& joined) {
  std::vector<registry::ContactRole> roles;
  std::istringstream stream(joined);
  std::string name;
  while (std::getline(stream, name, ',')) {
    if (auto role = registry::ParseContactRole(name)) roles.push_back(*role);
  }
  return roles;
}

// The scope as a bound parameter: NULL means every member.
void BindScope(Statement& statement, int index, const Scope& scope) {
  statement.Bind(index, scope.member());
}

constexpr std::string_view kClaimColumns =
    "id, member_code, kind, value, state, requested_by, requested_at, decided_by, decided_at, "
    "reason";

Claim ReadClaim(const Statement& row) {
  Claim claim;
  claim.id = row.ColumnInt(0);
  claim.member = row.ColumnText(1);
  claim.kind = registry::ParseClaimKind(row.ColumnText(2)).value_or(ClaimKind::kNetblock);
  claim.value = row.ColumnText(3);
  claim.state = registry::ParseClaimState(row.ColumnText(4)).value_or(ClaimState::kPending);
  claim.requested_by = row.ColumnText(5);
  claim.requested_at = row.ColumnText(6);
  claim.decided_by = row.ColumnOptionalText(7);
  claim.decided_at = row.ColumnOptionalText(8);
  claim.reason = row.ColumnOptionalText(9);
  return claim;
}

Result<std::vector<Claim>> CollectClaims(Statement& statement) {
  std::vector<Claim> claims;
  for (;;) {
    BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
    if (!has_row) break;
    claims.push_back(ReadClaim(statement));
  }
  return claims;
}

// The one condition that lists and counts members; the scope is applied here (?1).
constexpr std::string_view kMemberWhere =
    "(?1 IS NULL OR code = ?1) "
    "AND (?2 IS NULL OR instr(lower(code), lower(?2)) > 0 OR instr(lower(name), lower(?2)) > 0 "
    "OR EXISTS (SELECT 1 FROM claims c WHERE c.member_code = members.code AND c.kind = 'domain' "
    "AND instr(lower(c.value), lower(?2)) > 0)) "
    "AND (?3 IS NULL OR kind = ?3) "
    "AND (?4 IS NULL OR data_confirmed_at IS NULL OR data_confirmed_at < ?4) "
    "AND (?5 = 0 OR data_confirmed_at IS NULL)";

std::string_view MemberOrder(MemberQuery::Order order) {
  switch (order) {
    case MemberQuery::Order::kCodeDescending:
      return "code DESC";
    case MemberQuery::Order::kName:
      return "lower(name), code";
    case MemberQuery::Order::kNameDescending:
      return "lower(name) DESC, code";
    case MemberQuery::Order::kConfirmedOldest:
      return "data_confirmed_at IS NOT NULL, data_confirmed_at, code";
    case MemberQuery::Order::kConfirmedLatest:
      return "data_confirmed_at IS NULL, data_confirmed_at DESC, code";
    case MemberQuery::Order::kCode:
      break;
  }
  return "code";
}

void BindMemberQuery(Statement& statement, const Scope& scope, const MemberQuery& query) {
  BindScope(statement, 1, scope);
  statement.Bind(2, query.text)
      .Bind(3, query.kind)
      .Bind(4, query.confirmed_before)
      .Bind(5, int64_t{query.never_confirmed ? 1 : 0});
}

class SqlMemberRepository final : public MemberRepository {
 public:
  explicit SqlMemberRepository(Connection& db) : db_(db) {}

  Result<std::vector<Member>> List(const Scope& scope) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare("SELECT code FROM members WHERE (?1 IS NULL OR code = ?1) ORDER BY code"));
    BindScope(statement, 1, scope);
    std::vector<std::string> codes;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
      if (!has_row) break;
      codes.push_back(statement.ColumnText(0));
    }
    std::vector<Member> members;
    for (const std::string& code : codes) {
      BAKEN_ASSIGN_OR_RETURN(Member member, Get(scope, code));
      members.push_back(std::move(member));
    }
    return members;
  }

  Result<std::vector<Member>> Search(const Scope& scope, const MemberQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format(
            "SELECT code, name, kind FROM members WHERE {} ORDER BY {} LIMIT ?6 OFFSET ?7",
            kMemberWhere, MemberOrder(query.order))));
    BindMemberQuery(statement, scope, query);
    statement.Bind(6, sql::Limit(query.limit)).Bind(7, query.offset);
    std::vector<std::string> codes;
    std::vector<Member> members;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
      if (!has_row) break;
      codes.push_back(statement.ColumnText(0));
      if (query.names_only) {
        Member& member = members.emplace_back();
        member.code = codes.back();
        member.name = statement.ColumnText(1);
        member.kind = registry::ParseMemberKind(statement.ColumnText(2))
                          .value_or(registry::MemberKind::kPartner);
      }
    }
    if (query.names_only) return members;
    for (const std::string& code : codes) {
      BAKEN_ASSIGN_OR_RETURN(Member member, Get(scope, code));
      members.push_back(std::move(member));
    }
    return members;
  }

  Result<int64_t> Count(const Scope& scope, const MemberQuery& query) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format("SELECT count(*) FROM members WHERE {}", kMemberWhere)));
    BindMemberQuery(statement, scope, query);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
    return has_row ? statement.ColumnInt(0) : int64_t{0};
  }

  Result<Member> Get(const Scope& scope, std::string_view code) override {
    if (!scope.Includes(code)) return NotFound(fmt::format("member {} does not exist", code));
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare("SELECT code, name, kind, joined, data_confirmed_at FROM members "
                    "WHERE code = ?1 AND (?2 IS NULL OR code = ?2)"));
    statement.Bind(1, code);
    BindScope(statement, 2, scope);
    BAKEN_ASSIGN_OR_RETURN(bool found, statement.Step());
    if (!found) return NotFound(fmt::format("member {} does not exist", code));
    Member member;
    member.code = statement.ColumnText(0);
    member.name = statement.ColumnText(1);
    member.kind =
        registry::ParseMemberKind(statement.ColumnText(2)).value_or(registry::MemberKind::kPartner);
    member.joined = statement.ColumnOptionalText(3);
    member.data_confirmed_at = statement.ColumnOptionalText(4);

    BAKEN_ASSIGN_OR_RETURN(Statement bodies,
                           db_.Prepare("SELECT body_code FROM member_joint_bodies "
                                       "WHERE member_code = ?1 ORDER BY position"));
    bodies.Bind(1, code);
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, bodies.Step());
      if (!has_row) break;
      member.joint_bodies.push_back(bodies.ColumnText(0));
    }

    BAKEN_ASSIGN_OR_RETURN(Statement contacts,
                           db_.Prepare("SELECT name, email, roles, language, warnings, phone "
                                       "FROM contacts WHERE member_code = ?1 ORDER BY position"));
    contacts.Bind(1, code);
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, contacts.Step());
      if (!has_row) break;
      const std::optional<int64_t> warnings = contacts.ColumnOptionalInt(4);
      member.contacts.push_back(Contact{
          contacts.ColumnText(0), contacts.ColumnText(1), SplitRoles(contacts.ColumnText(2)),
          contacts.ColumnText(3), warnings ? std::optional<bool>(*warnings != 0) : std::nullopt,
          contacts.ColumnOptionalText(5)});
    }

    BAKEN_ASSIGN_OR_RETURN(
        Statement claims,
        db_.Prepare(fmt::format("SELECT {} FROM claims WHERE member_code = ?1 ORDER BY id",
                                kClaimColumns)));
    claims.Bind(1, code);
    BAKEN_ASSIGN_OR_RETURN(member.claims, CollectClaims(claims));

    BAKEN_ASSIGN_OR_RETURN(
        Statement assets,
        db_.Prepare("SELECT name, vendor, product, version, cpe, purl, criticality, "
                    "internet_facing FROM assets WHERE member_code = ?1 ORDER BY position"));
    assets.Bind(1, code);
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, assets.Step());
      if (!has_row) break;
      Asset asset;
      asset.name = assets.ColumnText(0);
      asset.vendor = assets.ColumnText(1);
      asset.product = assets.ColumnText(2);
      asset.version = assets.ColumnText(3);
      asset.cpe = assets.ColumnOptionalText(4);
      asset.purl = assets.ColumnOptionalText(5);
      asset.criticality =
          registry::ParseCriticality(assets.ColumnText(6)).value_or(registry::Criticality::kMedium);
      asset.internet_facing = assets.ColumnInt(7) != 0;
      member.assets.push_back(std::move(asset));
    }
    return member;
  }

  Status Upsert(const Member& member, std::string_view actor, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO members (code, name, kind, joined, data_confirmed_at, "
                    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
                    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                    "joined = excluded.joined, "
                    "data_confirmed_at = coalesce(excluded.data_confirmed_at, "
                    "members.data_confirmed_at), "
                    "updated_at = CASE WHEN members.name IS NOT DISTINCT FROM excluded.name "
                    "AND members.kind IS NOT DISTINCT FROM excluded.kind "
                    "AND members.joined IS NOT DISTINCT FROM excluded.joined "
                    "THEN members.updated_at ELSE excluded.updated_at END"));
    upsert.Bind(1, member.code)
        .Bind(2, member.name)
        .Bind(3, registry::Name(member.kind))
        .Bind(4, member.joined)
        .Bind(5, member.data_confirmed_at)
        .Bind(6, now);
    BAKEN_RETURN_IF_ERROR(upsert.Run());

    BAKEN_RETURN_IF_ERROR(DeleteWhereMember("member_joint_bodies", member.code));
    BAKEN_ASSIGN_OR_RETURN(Statement body,
                           db_.Prepare("INSERT INTO member_joint_bodies (member_code, body_code, "
                                       "position) VALUES (?1, ?2, ?3)"));
    for (size_t i = 0; i < member.joint_bodies.size(); ++i) {
      body.Reset();
      body.Bind(1, member.code).Bind(2, member.joint_bodies[i]).Bind(3, static_cast<int64_t>(i));
      BAKEN_RETURN_IF_ERROR(body.Run());
    }
    BAKEN_RETURN_IF_ERROR(ReplaceContacts(member.code, member.contacts));
    BAKEN_RETURN_IF_ERROR(ReplaceAssets(member.code, member.assets));
    for (ClaimKind kind : {ClaimKind::kNetblock, ClaimKind::kAsn, ClaimKind::kDomain}) {
      // Approved claims are exactly the listed ones; the member's own pending and refused
      // claims that the file does not mention stay for the analyst to decide.
      const auto values = member.ClaimValues(kind, ClaimState::kApproved);
      BAKEN_RETURN_IF_ERROR(RetainApprovedClaims(member.code, kind, values));
      BAKEN_RETURN_IF_ERROR(
          UpsertClaims(member.code, kind, values, ClaimState::kApproved, true, actor, now));
    }
    return {};
  }

  Status RetainApprovedClaims(std::string_view code, ClaimKind kind,
                              const std::vector<std::string>& values) override {
    return DeleteClaimsNotIn(code, kind, values, /*approved_only=*/true);
  }

  Status ReplaceContacts(std::string_view code, const std::vector<Contact>& contacts) override {
    BAKEN_RETURN_IF_ERROR(DeleteWhereMember("contacts", code));
    BAKEN_ASSIGN_OR_RETURN(Statement insert,
                           db_.Prepare("INSERT INTO contacts (member_code, position, name, email, "
                                       "roles, language, warnings, phone) VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    for (size_t i = 0; i < contacts.size(); ++i) {
      insert.Reset();
      insert.Bind(1, code)
          .Bind(2, static_cast<int64_t>(i))
          .Bind(3, contacts[i].name)
          .Bind(4, contacts[i].email)
          .Bind(5, JoinRoles(contacts[i].roles))
          .Bind(6, contacts[i].language)
          .Bind(7, contacts[i].warnings ? std::optional<int64_t>(*contacts[i].warnings ? 1 : 0)
                                        : std::nullopt)
          .Bind(8, contacts[i].phone);
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

  Status ReplaceAssets(std::string_view code, const std::vector<Asset>& assets) override {
    BAKEN_RETURN_IF_ERROR(DeleteWhereMember("assets", code));
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO assets (member_code, position, name, vendor, product, version, "
                    "cpe, purl, criticality, internet_facing) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    for (size_t i = 0; i < assets.size(); ++i) {
      const Asset& asset = assets[i];
      insert.Reset();
      insert.Bind(1, code)
          .Bind(2, static_cast<int64_t>(i))
          .Bind(3, asset.name)
          .Bind(4, asset.vendor)
          .Bind(5, asset.product)
          .Bind(6, asset.version)
          .Bind(7, asset.cpe)
          .Bind(8, asset.purl)
          .Bind(9, registry::Name(asset.criticality))
          .Bind(10, int64_t{asset.internet_facing ? 1 : 0});
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

  Status ReplaceClaims(std::string_view code, ClaimKind kind,
                       const std::vector<std::string>& values, ClaimState state_for_new,
                       std::string_view actor, std::string_view now) override {
    BAKEN_RETURN_IF_ERROR(DeleteClaimsNotIn(code, kind, values, /*approved_only=*/false));
    return UpsertClaims(code, kind, values, state_for_new, false, actor, now);
  }

  Status ConfirmData(std::string_view code, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update, db_.Prepare("UPDATE members SET data_confirmed_at = ?2 WHERE code = ?1"));
    update.Bind(1, code).Bind(2, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    if (db_.Changes() == 0) return NotFound(fmt::format("member {} does not exist", code));
    return {};
  }

  Result<std::vector<Claim>> ListClaims(const Scope& scope,
                                        std::optional<ClaimState> state) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format("SELECT {} FROM claims WHERE (?1 IS NULL OR member_code = ?1) "
                                "AND (?2 IS NULL OR state = ?2) ORDER BY id",
                                kClaimColumns)));
    BindScope(statement, 1, scope);
    if (state) {
      statement.Bind(2, registry::Name(*state));
    } else {
      statement.BindNull(2);
    }
    return CollectClaims(statement);
  }

  Result<Claim> GetClaim(const Scope& scope, int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(Statement statement,
                           db_.Prepare(fmt::format("SELECT {} FROM claims WHERE id = ?1 AND "
                                                   "(?2 IS NULL OR member_code = ?2)",
                                                   kClaimColumns)));
    statement.Bind(1, id);
    BindScope(statement, 2, scope);
    BAKEN_ASSIGN_OR_RETURN(auto claims, CollectClaims(statement));
    if (claims.empty()) return NotFound(fmt::format("claim {} does not exist", id));
    return claims.front();
  }

  Status DecideClaim(int64_t id, ClaimState state, const std::optional<std::string>& reason,
                     std::string_view actor, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE claims SET state = ?2, reason = ?3, decided_by = ?4, decided_at = ?5 "
                    "WHERE id = ?1"));
    update.Bind(1, id).Bind(2, registry::Name(state)).Bind(3, reason).Bind(4, actor).Bind(5, now);
    BAKEN_RETURN_IF_ERROR(update.Run());
    if (db_.Changes() == 0) return NotFound(fmt::format("claim {} does not exist", id));
    return {};
  }

  Result<std::vector<Claim>> ApprovedClaims() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format("SELECT {} FROM claims WHERE state = 'approved' ORDER BY id",
                                kClaimColumns)));
    return CollectClaims(statement);
  }

 private:
  // Removes the member's claims of `kind` (only approved ones, or all) whose value is not
  // listed.
  Status DeleteClaimsNotIn(std::string_view code, ClaimKind kind,
                           const std::vector<std::string>& values, bool approved_only) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT id, value FROM claims WHERE member_code = ?1 AND kind = ?2 AND "
                    "(?3 = 0 OR state = 'approved')"));
    select.Bind(1, code).Bind(2, registry::Name(kind)).Bind(3, int64_t{approved_only ? 1 : 0});
    const std::set<std::string_view> keep(values.begin(), values.end());
    std::vector<int64_t> unlisted;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      if (!keep.contains(select.ColumnText(1))) unlisted.push_back(select.ColumnInt(0));
    }
    BAKEN_ASSIGN_OR_RETURN(Statement drop, db_.Prepare("DELETE FROM claims WHERE id = ?1"));
    for (int64_t id : unlisted) {
      drop.Reset();
      drop.Bind(1, id);
      BAKEN_RETURN_IF_ERROR(drop.Run());
    }
    return {};
  }

  Status DeleteWhereMember(std::string_view table, std::string_view code) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format("DELETE FROM {} WHERE member_code = ?1", table)));
    statement.Bind(1, code);
    return statement.Run();
  }

  Status UpsertClaims(std::string_view code, ClaimKind kind, const std::vector<std::string>& values,
                      ClaimState state_for_new, bool approve_all, std::string_view actor,
                      std::string_view now) {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO claims (member_code, kind, value, state, requested_by, "
                    "requested_at, decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                    "CASE WHEN ?4 = 'approved' THEN ?5 END, CASE WHEN ?4 = 'approved' THEN ?6 END) "
                    "ON CONFLICT (member_code, kind, value) DO UPDATE SET "
                    "state = 'approved', reason = NULL, decided_by = ?5, decided_at = ?6 "
                    "WHERE ?7 = 1 AND claims.state != 'approved'"));
    for (const std::string& value : values) {
      insert.Reset();
      insert.Bind(1, code)
          .Bind(2, registry::Name(kind))
          .Bind(3, value)
          .Bind(4, registry::Name(state_for_new))
          .Bind(5, actor)
          .Bind(6, now)
          .Bind(7, int64_t{approve_all ? 1 : 0});
      BAKEN_RETURN_IF_ERROR(insert.Run());
    }
    return {};
  }

  Connection& db_;
};

class SqlAccountRepository final : public AccountRepository {
 public:
  explicit SqlAccountRepository(Connection& db) : db_(db) {}

  Result<int64_t> AddUser(const User& user) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO users (email, role, member_code, password_hash, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id"));
    insert.Bind(1, user.email)
        .Bind(2, Name(user.role))
        .Bind(3, user.member)
        .Bind(4, user.password_hash)
        .Bind(5, user.created_at);
    // An address already taken inserts nothing (rather than failing, which would end the
    // whole transaction on PostgreSQL).
    BAKEN_ASSIGN_OR_RETURN(std::optional<int64_t> id, sql::InsertedIdIfAny(insert));
    if (!id) {
      return tl::unexpected(
          Coded(ErrorCode::kConflict, problems::user_exists, {{"value", user.email}}));
    }
    return *id;
  }

  Result<std::optional<User>> FindUserByEmail(std::string_view email) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(
            fmt::format("SELECT {} FROM users WHERE lower(email) = lower(?1)", kUserColumns)));
    statement.Bind(1, email);
    return ReadOne(statement);
  }

  Result<int64_t> CountUsers() override {
    BAKEN_ASSIGN_OR_RETURN(Statement statement, db_.Prepare("SELECT count(*) FROM users"));
    BAKEN_RETURN_IF_ERROR(statement.Step());
    return statement.ColumnInt(0);
  }

  Result<std::vector<User>> ListUsers() override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format("SELECT {} FROM users ORDER BY role = 'member', lower(email)",
                                kUserColumns)));
    std::vector<User> users;
    while (true) {
      BAKEN_ASSIGN_OR_RETURN(std::optional<User> user, ReadOne(statement));
      if (!user) break;
      users.push_back(std::move(*user));
    }
    return users;
  }

  Status SetDisabled(int64_t user_id, const std::optional<std::string>& disabled_at) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE users SET disabled_at = ?2 WHERE id = ?1"));
    update.Bind(1, user_id).Bind(2, disabled_at);
    return update.Run();
  }

  Result<int64_t> AddToken(const ApiToken& token, std::string_view token_hash) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
    insert.Bind(1, token.user_id)
        .Bind(2, token_hash)
        .Bind(3, token.label)
        .Bind(4, token.created_at)
        .Bind(5, token.expires_at);
    return sql::InsertedId(insert);
  }

  Result<std::optional<std::pair<User, ApiToken>>> FindToken(std::string_view token_hash) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format("SELECT {}, t.id, t.label, t.created_at, t.expires_at "
                                "FROM users u JOIN api_tokens t ON t.user_id = u.id "
                                "WHERE t.token_hash = ?1",
                                kPrefixedUserColumns)));
    statement.Bind(1, token_hash);
    BAKEN_ASSIGN_OR_RETURN(std::optional<User> user, ReadOne(statement));
    if (!user) return std::optional<std::pair<User, ApiToken>>();
    ApiToken token{statement.ColumnInt(kUserColumnCount),
                   user->id,
                   user->email,
                   statement.ColumnText(kUserColumnCount + 1),
                   statement.ColumnText(kUserColumnCount + 2),
                   statement.ColumnText(kUserColumnCount + 3)};
    return std::optional<std::pair<User, ApiToken>>(
        std::make_pair(std::move(*user), std::move(token)));
  }

  Result<std::vector<ApiToken>> ListTokens(std::optional<int64_t> user_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare("SELECT t.id, t.user_id, u.email, t.label, t.created_at, t.expires_at "
                    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE ?1 IS NULL OR t.user_id = ?1 ORDER BY lower(u.email), t.id"));
    statement.Bind(1, user_id);
    std::vector<ApiToken> tokens;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
      if (!has_row) break;
      tokens.push_back(ApiToken{statement.ColumnInt(0), statement.ColumnInt(1),
                                statement.ColumnText(2), statement.ColumnText(3),
                                statement.ColumnText(4), statement.ColumnText(5)});
    }
    return tokens;
  }

  Result<bool> DeleteToken(int64_t id, std::optional<int64_t> user_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement erase,
        db_.Prepare("DELETE FROM api_tokens WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2)"));
    erase.Bind(1, id).Bind(2, user_id);
    BAKEN_RETURN_IF_ERROR(erase.Run());
    return db_.Changes() > 0;
  }

  Result<std::optional<SignInFailures>> FindSignInFailures(int64_t user_id,
                                                           std::string_view source) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare("SELECT failures, last_failure_at, locked_until FROM sign_in_failures "
                    "WHERE user_id = ?1 AND source = ?2"));
    statement.Bind(1, user_id).Bind(2, source);
    BAKEN_ASSIGN_OR_RETURN(bool found, statement.Step());
    if (!found) return std::optional<SignInFailures>();
    return std::optional<SignInFailures>(SignInFailures{
        statement.ColumnInt(0), statement.ColumnText(1), statement.ColumnOptionalText(2)});
  }

  Status SetSignInFailures(int64_t user_id, std::string_view source,
                           const SignInFailures& failures) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO sign_in_failures (user_id, source, failures, last_failure_at, "
                    "locked_until) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_id, source) "
                    "DO UPDATE SET failures = ?3, last_failure_at = ?4, locked_until = ?5"));
    upsert.Bind(1, user_id)
        .Bind(2, source)
        .Bind(3, failures.failures)
        .Bind(4, failures.last_failure_at)
        .Bind(5, failures.locked_until);
    return upsert.Run();
  }

  Status ClearSignInFailures(int64_t user_id, std::optional<std::string_view> source) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement erase,
        db_.Prepare(
            "DELETE FROM sign_in_failures WHERE user_id = ?1 AND (?2 IS NULL OR source = ?2)"));
    erase.Bind(1, user_id);
    if (source) {
      erase.Bind(2, *source);
    } else {
      erase.BindNull(2);
    }
    return erase.Run();
  }

  Status SetTotp(int64_t user_id, const std::optional<std::string>& secret,
                 const std::optional<std::string>& pending) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement update,
        db_.Prepare("UPDATE users SET totp_secret = ?2, totp_pending = ?3 WHERE id = ?1"));
    update.Bind(1, user_id).Bind(2, secret).Bind(3, pending);
    return update.Run();
  }

  Status SetTotpLastStep(int64_t user_id, int64_t step) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE users SET totp_last_step = ?2 WHERE id = ?1"));
    update.Bind(1, user_id).Bind(2, step);
    return update.Run();
  }

  Status AddSession(const Session& session) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, "
                    "expires_at, source, last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4)"));
    insert.Bind(1, session.user_id)
        .Bind(2, session.token_hash)
        .Bind(3, session.csrf_token)
        .Bind(4, session.created_at)
        .Bind(5, session.expires_at)
        .Bind(6, session.source);
    return insert.Run();
  }

  Result<std::optional<std::pair<User, Session>>> FindSession(std::string_view token_hash,
                                                              std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare(fmt::format(
            "SELECT {}, s.csrf_token, s.created_at, s.expires_at, s.source, s.last_used_at, s.id "
            "FROM users u JOIN sessions s ON s.user_id = u.id "
            "WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            kPrefixedUserColumns)));
    statement.Bind(1, token_hash).Bind(2, now);
    BAKEN_ASSIGN_OR_RETURN(std::optional<User> user, ReadOne(statement));
    if (!user) return std::optional<std::pair<User, Session>>();
    Session session{user->id,
                    std::string(token_hash),
                    statement.ColumnText(kUserColumnCount),
                    statement.ColumnText(kUserColumnCount + 1),
                    statement.ColumnText(kUserColumnCount + 2),
                    statement.ColumnText(kUserColumnCount + 3),
                    statement.ColumnOptionalText(kUserColumnCount + 4),
                    statement.ColumnInt(kUserColumnCount + 5)};
    return std::optional<std::pair<User, Session>>(
        std::make_pair(std::move(*user), std::move(session)));
  }

  Status DeleteSession(std::string_view token_hash) override {
    BAKEN_ASSIGN_OR_RETURN(Statement erase,
                           db_.Prepare("DELETE FROM sessions WHERE token_hash = ?1"));
    erase.Bind(1, token_hash);
    return erase.Run();
  }

  Status DeleteSessionsOf(int64_t user_id,
                          std::optional<std::string_view> keep_token_hash) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement erase,
        db_.Prepare(
            "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)"));
    erase.Bind(1, user_id);
    if (keep_token_hash) {
      erase.Bind(2, *keep_token_hash);
    } else {
      erase.BindNull(2);
    }
    return erase.Run();
  }

  Result<std::vector<Session>> ListSessions(int64_t user_id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT user_id, token_hash, csrf_token, created_at, expires_at, source, "
                    "last_used_at, id FROM sessions WHERE user_id = ?1 AND expires_at > ?2 "
                    "ORDER BY created_at DESC, id DESC"));
    select.Bind(1, user_id).Bind(2, now);
    std::vector<Session> sessions;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      sessions.push_back({select.ColumnInt(0), select.ColumnText(1), select.ColumnText(2),
                          select.ColumnText(3), select.ColumnText(4), select.ColumnText(5),
                          select.ColumnOptionalText(6), select.ColumnInt(7)});
    }
    return sessions;
  }

  Result<bool> DeleteSessionOf(int64_t user_id, int64_t id) override {
    BAKEN_ASSIGN_OR_RETURN(Statement erase,
                           db_.Prepare("DELETE FROM sessions WHERE id = ?1 AND user_id = ?2"));
    erase.Bind(1, id).Bind(2, user_id);
    BAKEN_RETURN_IF_ERROR(erase.Run());
    return db_.Changes() > 0;
  }

  Status TouchSession(int64_t id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE sessions SET last_used_at = ?2 WHERE id = ?1"));
    update.Bind(1, id).Bind(2, now);
    return update.Run();
  }

  Status SetPasswordHash(int64_t user_id, std::string_view password_hash) override {
    BAKEN_ASSIGN_OR_RETURN(Statement update,
                           db_.Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1"));
    update.Bind(1, user_id).Bind(2, password_hash);
    return update.Run();
  }

  Status DeleteExpiredSessions(std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(Statement erase,
                           db_.Prepare("DELETE FROM sessions WHERE expires_at <= ?1"));
    erase.Bind(1, now);
    return erase.Run();
  }

  Status RecordSignIn(int64_t user_id, std::string_view now) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement upsert,
        db_.Prepare("INSERT INTO user_visits (user_id, last_sign_in_at) VALUES (?1, ?2) "
                    "ON CONFLICT (user_id) DO UPDATE SET "
                    "previous_sign_in_at = user_visits.last_sign_in_at, "
                    "last_sign_in_at = excluded.last_sign_in_at"));
    upsert.Bind(1, user_id).Bind(2, now);
    return upsert.Run();
  }

  Result<std::optional<std::string>> PreviousSignIn(int64_t user_id) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT previous_sign_in_at FROM user_visits WHERE user_id = ?1"));
    select.Bind(1, user_id);
    BAKEN_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) return std::optional<std::string>();
    return select.ColumnOptionalText(0);
  }

 private:
  static constexpr std::string_view kUserColumns =
      "id, email, role, member_code, password_hash, created_at, disabled_at, totp_secret, "
      "totp_pending, totp_last_step";
  static constexpr std::string_view kPrefixedUserColumns =
      "u.id, u.email, u.role, u.member_code, u.password_hash, u.created_at, u.disabled_at, "
      "u.totp_secret, u.totp_pending, u.totp_last_step";
  static constexpr int kUserColumnCount = 10;

  static Result<std::optional<User>> ReadOne(Statement& statement) {
    BAKEN_ASSIGN_OR_RETURN(bool found, statement.Step());
    if (!found) return std::optional<User>();
    User user;
    user.id = statement.ColumnInt(0);
    user.email = statement.ColumnText(1);
    user.role = ParseRole(statement.ColumnText(2)).value_or(Role::kMember);
    user.member = statement.ColumnOptionalText(3);
    user.password_hash = statement.ColumnText(4);
    user.created_at = statement.ColumnText(5);
    user.disabled_at = statement.ColumnOptionalText(6);
    user.totp_secret = statement.ColumnOptionalText(7);
    user.totp_pending = statement.ColumnOptionalText(8);
    user.totp_last_step = statement.ColumnInt(9);
    return std::optional<User>(std::move(user));
  }

  Connection& db_;
};

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(Connection& db) : db_(db) {}

  Status Record(const AuditEntry& entry) override {
    BAKEN_ASSIGN_OR_RETURN(Statement insert,
                           db_.Prepare("INSERT INTO audit_log (at, actor, action, object, detail) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.Bind(1, entry.at)
        .Bind(2, entry.actor)
        .Bind(3, entry.action)
        .Bind(4, entry.object)
        .Bind(5, entry.detail.empty() ? std::string_view("{}") : std::string_view(entry.detail));
    return insert.Run();
  }

  Result<std::vector<AuditEntry>> List(int64_t limit) override {
    BAKEN_ASSIGN_OR_RETURN(
        Statement statement,
        db_.Prepare("SELECT id, at, actor, action, object, detail FROM audit_log "
                    "ORDER BY id DESC LIMIT ?1"));
    statement.Bind(1, limit);
    std::vector<AuditEntry> entries;
    for (;;) {
      BAKEN_ASSIGN_OR_RETURN(bool has_row, statement.Step());
      if (!has_row) break;
      entries.push_back(AuditEntry{statement.ColumnInt(0), statement.ColumnText(1),
                                   statement.ColumnText(2), statement.ColumnText(3),
                                   statement.ColumnText(4), statement.ColumnText(5)});
    }
    return entries;
  }

 private:
  Connection& db_;
};

class SqlStore;

// A transaction's connection, given back to the pool when the transaction ends. SqlTransaction
// declares it first, so that it goes back only after every repository, and every statement a
// repository keeps prepared, is gone: a statement finalised on a connection another thread has
// taken from the pool meanwhile is a data race (SQLite connections are opened without a mutex).
class PooledConnection {
 public:
  PooledConnection(SqlStore& store, std::unique_ptr<Connection> connection)
      : store_(store), connection_(std::move(connection)) {}
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();  // rolls back what was not committed; a broken connection is dropped

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }
  bool committed = false;

 private:
  SqlStore& store_;
  std::unique_ptr<Connection> connection_;
};

class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(SqlStore& store, std::unique_ptr<Connection> connection);
  ~SqlTransaction() override;

  MemberRepository& Members() override { return members_; }
  AccountRepository& Accounts() override { return accounts_; }
  AuditLog& Audit() override { return audit_; }
  EventRepository& Events() override { return *events_; }
  DigestRepository& Digests() override { return *digests_; }
  OutboxRepository& Outbox() override { return *outbox_; }
  AdvisoryRepository& Advisories() override { return *advisories_; }
  WorkRepository& Work() override { return *work_; }
  IncidentRepository& Incidents() override { return *incidents_; }
  PartnerRepository& Partners() override { return *partners_; }
  OncallRepository& Oncall() override { return *oncall_; }
  ContactMethodRepository& ContactMethods() override { return *contact_methods_; }
  DisclosureRepository& Disclosure() override { return *disclosure_; }
  OpenPgpKeyRepository& OpenPgpKeys() override { return *openpgp_keys_; }
  RipeRepository& Ripe() override { return *ripe_; }
  IntelRepository& Intel() override { return *intel_; }
  FollowedFeedRepository& FollowedFeeds() override { return *followed_feeds_; }
  Status Commit() override;

 private:
  PooledConnection connection_;  // first: destroyed last
  SqlMemberRepository members_;
  SqlAccountRepository accounts_;
  SqlAuditLog audit_;
  std::unique_ptr<EventRepository> events_;
  std::unique_ptr<DigestRepository> digests_;
  std::unique_ptr<OutboxRepository> outbox_;
  std::unique_ptr<AdvisoryRepository> advisories_;
  std::unique_ptr<WorkRepository> work_;
  std::unique_ptr<IncidentRepository> incidents_;
  std::unique_ptr<PartnerRepository> partners_;
  std::unique_ptr<OncallRepository> oncall_;
  std::unique_ptr<ContactMethodRepository> contact_methods_;
  std::unique_ptr<DisclosureRepository> disclosure_;
  std::unique_ptr<OpenPgpKeyRepository> openpgp_keys_;
  std::unique_ptr<RipeRepository> ripe_;
  std::unique_ptr<IntelRepository> intel_;
  std::unique_ptr<FollowedFeedRepository> followed_feeds_;
};

// The store on either engine: a pool of connections to one database, migrated on opening.
class SqlStore final : public Store {
 public:
  using Connector = std::function<Result<std::unique_ptr<Connection>>()>;

  static Result<std::unique_ptr<Store>> Open(std::string location, Connector connect) {
    std::unique_ptr<SqlStore> store(new SqlStore(std::move(location), std::move(connect)));
    BAKEN_ASSIGN_OR_RETURN(auto connection, store->connect_());
    BAKEN_ASSIGN_OR_RETURN(store->schema_version_, Migrate(*connection, store->location_));
    store->engine_ = connection->engine();
    store->Release(std::move(connection));
    return std::unique_ptr<Store>(std::move(store));
  }

  Result<std::unique_ptr<Transaction>> Begin(Access access) override {
    BAKEN_ASSIGN_OR_RETURN(auto connection, Acquire());
    auto begun = connection->BeginTransaction(access == Access::kWrite);
    if (!begun && !connection->Usable()) {
      // The server went away since this connection was last used (a restart, a fail-over):
      // once more on a fresh connection.
      BAKEN_ASSIGN_OR_RETURN(connection, connect_());
      begun = connection->BeginTransaction(access == Access::kWrite);
    }
    BAKEN_RETURN_IF_ERROR(begun);
    return std::unique_ptr<Transaction>(new SqlTransaction(*this, std::move(connection)));
  }

  Status Ping() override {
    BAKEN_ASSIGN_OR_RETURN(auto transaction, Begin(Access::kRead));
    BAKEN_RETURN_IF_ERROR(transaction->Members().Count(registry::Scope::All(), MemberQuery{}));
    return {};
  }

  int SchemaVersion() const override { return schema_version_; }

  bool GroupsIngestBatches() const override { return engine_ == sql::Engine::kSqlite; }

  void Release(std::unique_ptr<Connection> connection) {
    if (!connection->Usable()) return;  // a lost connection is not reused
    std::lock_guard lock(mutex_);
    // A handful of idle connections is plenty; extra ones are closed.
    if (idle_.size() < 8) idle_.push_back(std::move(connection));
  }

 private:
  SqlStore(std::string location, Connector connect)
      : location_(std::move(location)), connect_(std::move(connect)) {}

  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
    }
    return connect_();
  }

  std::string location_;
  Connector connect_;
  int schema_version_ = 0;
  sql::Engine engine_ = sql::Engine::kSqlite;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

SqlTransaction::SqlTransaction(SqlStore& store, std::unique_ptr<Connection> connection)
    : connection_(store, std::move(connection)),
      members_(*connection_),
      accounts_(*connection_),
      audit_(*connection_),
      events_(MakeEventRepository(*connection_)),
      digests_(MakeDigestRepository(*connection_)),
      outbox_(MakeOutboxRepository(*connection_)),
      advisories_(MakeAdvisoryRepository(*connection_)),
      work_(MakeWorkRepository(*connection_)),
      incidents_(MakeIncidentRepository(*connection_)),
      partners_(MakePartnerRepository(*connection_)),
      oncall_(MakeOncallRepository(*connection_)),
      contact_methods_(MakeContactMethodRepository(*connection_)),
      disclosure_(MakeDisclosureRepository(*connection_)),
      openpgp_keys_(MakeOpenPgpKeyRepository(*connection_)),
      ripe_(MakeRipeRepository(*connection_)),
      intel_(MakeIntelRepository(*connection_)),
      followed_feeds_(MakeFollowedFeedRepository(*connection_)) {}

SqlTransaction::~SqlTransaction() = default;

PooledConnection::~PooledConnection() {
  if (!committed && !connection_->Execute("ROLLBACK")) return;  // a broken connection is dropped
  store_.Release(std::move(connection_));
}

Status SqlTransaction::Commit() {
  BAKEN_RETURN_IF_ERROR(connection_->Execute("COMMIT"));
  connection_.committed = true;
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& location) {
  if (location.empty()) return InvalidArgument("the database path is empty");
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return SqlStore::Open(sql::RedactedUrl(location),
                          [location] { return sql::OpenPostgresql(location); });
  }
  return SqlStore::Open(location, [location] { return sql::OpenSqlite(location); });
}

}  // namespace baken::store
