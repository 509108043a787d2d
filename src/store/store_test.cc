#include "store/store.h"

#include <filesystem>
#include <map>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "store/sql.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

using registry::Claim;
using registry::ClaimKind;
using registry::ClaimState;
using registry::Member;
using registry::Scope;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { store_.reset(); }

  static Member MakeMember(const std::string& code, const std::string& netblock) {
    Member member;
    member.code = code;
    member.name = "Gemeente " + code;
    member.contacts.push_back(
        {"SOC", "soc@" + code + ".example.nl", {}, "nl", std::nullopt, std::nullopt});
    Claim claim;
    claim.kind = ClaimKind::kNetblock;
    claim.value = netblock;
    claim.state = ClaimState::kApproved;
    member.claims.push_back(claim);
    return member;
  }

  void Save(const Member& member) {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Members().Upsert(member, "test", "2026-11-23T10:00:00Z"));
    ASSERT_TRUE((*tx)->Commit());
  }

  testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, AppliesMigrationsAndAnswersPing) {
  EXPECT_GE(store_->SchemaVersion(), 1);
  EXPECT_TRUE(store_->Ping());
  // Opening again finds the schema in place.
  auto again = Store::Open(database_.location());
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->SchemaVersion(), store_->SchemaVersion());
}

TEST_F(StoreTest, UpsertTwiceChangesNothing) {
  Save(MakeMember("GM0363", "192.0.2.0/24"));
  auto tx = store_->Begin(Access::kRead);
  auto first = (*tx)->Members().Get(Scope::All(), "GM0363");
  ASSERT_TRUE(first);
  tx->reset();
  Save(MakeMember("GM0363", "192.0.2.0/24"));
  auto tx2 = store_->Begin(Access::kRead);
  auto second = (*tx2)->Members().Get(Scope::All(), "GM0363");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->claims.size(), 1u);
  EXPECT_EQ(second->claims[0].id, first->claims[0].id);
  EXPECT_EQ(second->contacts, first->contacts);
}

TEST_F(StoreTest, ScopeHidesOtherMembers) {
  Save(MakeMember("GM0363", "192.0.2.0/24"));
  Save(MakeMember("GM0599", "198.51.100.0/24"));
  auto tx = store_->Begin(Access::kRead);
  auto& members = (*tx)->Members();
  const Scope own = Scope::OneMember("GM0363");
  auto listed = members.List(own);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].code, "GM0363");
  auto other = members.Get(own, "GM0599");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  auto claims = members.ListClaims(own, std::nullopt);
  ASSERT_TRUE(claims);
  ASSERT_EQ(claims->size(), 1u);
  EXPECT_EQ((*claims)[0].member, "GM0363");
  auto foreign_claim = members.GetClaim(own, 2);
  EXPECT_FALSE(foreign_claim);
  EXPECT_EQ(members.List(Scope::All())->size(), 2u);
}

TEST_F(StoreTest, PendingClaimsStayPendingAndRouteNothingUntilApproved) {
  Save(MakeMember("GM0363", "192.0.2.0/24"));
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE((*tx)->Members().ReplaceClaims(
        "GM0363", ClaimKind::kNetblock, {"192.0.2.0/24", "203.0.113.0/24"}, ClaimState::kPending,
        "user:soc", "2026-11-23T11:00:00Z"));
    ASSERT_TRUE((*tx)->Commit());
  }
  auto tx = store_->Begin(Access::kWrite);
  auto& members = (*tx)->Members();
  auto approved = members.ApprovedClaims();
  ASSERT_TRUE(approved);
  ASSERT_EQ(approved->size(), 1u);
  EXPECT_EQ((*approved)[0].value, "192.0.2.0/24");
  auto pending = members.ListClaims(Scope::All(), ClaimState::kPending);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].value, "203.0.113.0/24");
  ASSERT_TRUE(members.DecideClaim((*pending)[0].id, ClaimState::kApproved, std::nullopt,
                                  "user:analyst", "2026-11-23T12:00:00Z"));
  EXPECT_EQ(members.ApprovedClaims()->size(), 2u);
}

TEST_F(StoreTest, AListSentBackLeavesEveryClaimInItsState) {
  Save(MakeMember("GM0363", "192.0.2.0/24"));
  auto tx = store_->Begin(Access::kWrite);
  auto& members = (*tx)->Members();
  ASSERT_TRUE(members.ReplaceClaims("GM0363", ClaimKind::kNetblock,
                                    {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"},
                                    ClaimState::kPending, "user:soc", "2026-11-23T11:00:00Z"));
  auto pending = members.ListClaims(Scope::All(), ClaimState::kPending);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 2u);
  ASSERT_TRUE(members.DecideClaim((*pending)[0].id, ClaimState::kRefused, std::string("not yours"),
                                  "user:analyst", "2026-11-23T12:00:00Z"));
  // Sent back whole, by anyone, with a new value that new values' state applies to.
  ASSERT_TRUE(
      members.ReplaceClaims("GM0363", ClaimKind::kNetblock,
                            {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "100.64.0.0/16"},
                            ClaimState::kApproved, "user:analyst", "2026-11-23T13:00:00Z"));
  std::map<std::string, ClaimState> states;
  const auto claims = members.ListClaims(Scope::All(), std::nullopt);
  ASSERT_TRUE(claims);
  for (const Claim& claim : *claims) {
    states[claim.value] = claim.state;
  }
  EXPECT_EQ(states, (std::map<std::string, ClaimState>{{"192.0.2.0/24", ClaimState::kApproved},
                                                       {"198.51.100.0/24", ClaimState::kRefused},
                                                       {"203.0.113.0/24", ClaimState::kPending},
                                                       {"100.64.0.0/16", ClaimState::kApproved}}));
}

TEST_F(StoreTest, TwoMembersCannotBothOwnAnApprovedValue) {
  Save(MakeMember("GM0363", "192.0.2.0/24"));
  auto tx = store_->Begin(Access::kWrite);
  auto status = (*tx)->Members().Upsert(MakeMember("GM0599", "192.0.2.0/24"), "test", "now");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
}

TEST_F(StoreTest, UncommittedTransactionWritesNothing) {
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE((*tx)->Members().Upsert(MakeMember("GM0363", "192.0.2.0/24"), "test", "now"));
  }
  auto tx = store_->Begin(Access::kRead);
  EXPECT_TRUE((*tx)->Members().List(Scope::All())->empty());
}

TEST_F(StoreTest, AccountsAndTokens) {
  auto tx = store_->Begin(Access::kWrite);
  auto& accounts = (*tx)->Accounts();
  User user;
  user.email = "Analyst@Example.nl";
  user.role = Role::kAnalyst;
  user.password_hash = "x";
  user.created_at = "now";
  auto id = accounts.AddUser(user);
  ASSERT_TRUE(id);
  user.email = "analyst@example.nl";
  auto duplicate = accounts.AddUser(user);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  auto token_id = accounts.AddToken(
      {0, *id, "", "nightly export", "2026-11-23T08:00:00Z", "2027-11-23T08:00:00Z"}, "hash-1");
  ASSERT_TRUE(token_id);
  auto found = accounts.FindToken("hash-1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->first.role, Role::kAnalyst);
  EXPECT_EQ((*found)->second.id, *token_id);
  EXPECT_EQ((*found)->second.label, "nightly export");
  EXPECT_EQ((*found)->second.expires_at, "2027-11-23T08:00:00Z");
  EXPECT_FALSE(*accounts.FindToken("hash-2"));
  // Another account's token: listed with its own account, and not deleted in this one's name.
  User other = user;
  other.email = "other@example.nl";
  auto other_id = accounts.AddUser(other);
  ASSERT_TRUE(other_id);
  auto other_token = accounts.AddToken(
      {0, *other_id, "", "", "2026-11-24T08:00:00Z", "2027-11-24T08:00:00Z"}, "hash-3");
  ASSERT_TRUE(other_token);
  auto mine = accounts.ListTokens(*id);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].email, "Analyst@Example.nl");
  EXPECT_EQ(accounts.ListTokens(std::nullopt)->size(), 2u);
  EXPECT_FALSE(*accounts.DeleteToken(*other_token, *id));
  EXPECT_TRUE(*accounts.FindToken("hash-3"));
  EXPECT_TRUE(*accounts.DeleteToken(*other_token, *other_id));
  EXPECT_FALSE(*accounts.FindToken("hash-3"));
  EXPECT_FALSE(*accounts.DeleteToken(*other_token, std::nullopt));
  // A member user must name its member, and other roles must not.
  User member_user = user;
  member_user.email = "m@example.nl";
  member_user.role = Role::kMember;
  EXPECT_FALSE(accounts.AddUser(member_user));
}

TEST_F(StoreTest, SessionsEndAndAreForgotten) {
  auto tx = store_->Begin(Access::kWrite);
  auto& accounts = (*tx)->Accounts();
  User user;
  user.email = "soc@example.nl";
  user.role = Role::kAnalyst;
  user.password_hash = "x";
  user.created_at = "2026-11-23T08:00:00Z";
  auto id = accounts.AddUser(user);
  ASSERT_TRUE(id);
  ASSERT_TRUE(accounts.AddSession({*id, "early", "csrf-1", "2026-11-23T08:00:00Z",
                                   "2026-11-23T16:00:00Z", "192.0.2.7", std::nullopt, 0}));
  ASSERT_TRUE(accounts.AddSession({*id, "late", "csrf-2", "2026-11-23T12:00:00Z",
                                   "2026-11-23T20:00:00Z", "2001:db8::/64", std::nullopt, 0}));
  // Found while it lasts, with its CSRF token; not once it has ended.
  auto during = accounts.FindSession("early", "2026-11-23T15:59:59Z");
  ASSERT_TRUE(during && *during);
  EXPECT_EQ((*during)->first.email, "soc@example.nl");
  EXPECT_EQ((*during)->second.csrf_token, "csrf-1");
  EXPECT_FALSE(*accounts.FindSession("early", "2026-11-23T16:00:00Z"));
  // Failures and the lock are kept per source; each source's own.
  ASSERT_TRUE(accounts.SetSignInFailures(
      *id, "192.0.2.7", {5, "2026-11-23T17:45:00Z", std::string("2026-11-23T18:00:00Z")}));
  ASSERT_TRUE(
      accounts.SetSignInFailures(*id, "2001:db8::/64", {1, "2026-11-23T17:00:00Z", std::nullopt}));
  auto locked = accounts.FindSignInFailures(*id, "192.0.2.7");
  ASSERT_TRUE(locked && *locked);
  EXPECT_EQ((*locked)->failures, 5);
  EXPECT_EQ((*locked)->locked_until, "2026-11-23T18:00:00Z");
  EXPECT_FALSE(*accounts.FindSignInFailures(*id, "198.51.100.1"));
  ASSERT_TRUE(accounts.ClearSignInFailures(*id, std::string_view("192.0.2.7")));
  EXPECT_FALSE(*accounts.FindSignInFailures(*id, "192.0.2.7"));
  EXPECT_TRUE(*accounts.FindSignInFailures(*id, "2001:db8::/64"));
  ASSERT_TRUE(accounts.ClearSignInFailures(*id, std::nullopt));
  EXPECT_FALSE(*accounts.FindSignInFailures(*id, "2001:db8::/64"));
  // At 17:00 the first session has ended and is forgotten; the second lives on.
  ASSERT_TRUE(accounts.DeleteExpiredSessions("2026-11-23T17:00:00Z"));
  EXPECT_FALSE(*accounts.FindSession("early", "2026-11-23T09:00:00Z"));
  EXPECT_TRUE(*accounts.FindSession("late", "2026-11-23T17:00:00Z"));
  ASSERT_TRUE(accounts.DeleteSession("late"));
  EXPECT_FALSE(*accounts.FindSession("late", "2026-11-23T17:00:00Z"));
}

// The sessions a user sees of their own (Account page): where each began, when it was last
// used; one ends by its id, only for its own account; a changed password ends all but one.
TEST_F(StoreTest, AUsersOwnSessionsAreListedAndEndOneByOne) {
  auto tx = store_->Begin(Access::kWrite);
  auto& accounts = (*tx)->Accounts();
  User user;
  user.role = Role::kAnalyst;
  user.password_hash = "x";
  user.created_at = "2026-11-23T08:00:00Z";
  user.email = "soc@example.nl";
  auto mine = accounts.AddUser(user);
  user.email = "ciso@example.nl";
  auto theirs = accounts.AddUser(user);
  ASSERT_TRUE(mine && theirs);
  for (const auto& [owner, hash, at] : {std::tuple{*mine, "office", "2026-11-23T08:00:00Z"},
                                        std::tuple{*mine, "phone", "2026-11-23T09:00:00Z"},
                                        std::tuple{*mine, "old", "2026-11-22T08:00:00Z"},
                                        std::tuple{*theirs, "other", "2026-11-23T08:30:00Z"}}) {
    const std::string expires = std::string(at).substr(0, 11) + "23:00:00Z";
    ASSERT_TRUE(accounts.AddSession(
        {owner, hash, "csrf", at, expires, std::string("192.0.2.") + hash[0], std::nullopt, 0}));
  }
  // The one of yesterday has ended: not listed. Newest first, with where each began.
  auto listed = accounts.ListSessions(*mine, "2026-11-23T10:00:00Z");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].token_hash, "phone");
  EXPECT_EQ((*listed)[0].source, "192.0.2.p");
  EXPECT_EQ((*listed)[1].token_hash, "office");
  const int64_t phone = (*listed)[0].id;
  ASSERT_TRUE(accounts.TouchSession(phone, "2026-11-23T09:45:00Z"));
  auto found = accounts.FindSession("phone", "2026-11-23T10:00:00Z");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->second.id, phone);
  EXPECT_EQ((*found)->second.last_used_at, "2026-11-23T09:45:00Z");

  // Another account cannot end it; its owner can, and then it is gone.
  EXPECT_FALSE(*accounts.DeleteSessionOf(*theirs, phone));
  EXPECT_TRUE(*accounts.FindSession("phone", "2026-11-23T10:00:00Z"));
  EXPECT_TRUE(*accounts.DeleteSessionOf(*mine, phone));
  EXPECT_FALSE(*accounts.FindSession("phone", "2026-11-23T10:00:00Z"));
  EXPECT_FALSE(*accounts.DeleteSessionOf(*mine, phone));

  // A new password ends the others of the account, not the one it was changed in, nor any of
  // another account.
  ASSERT_TRUE(accounts.AddSession({*mine, "laptop", "csrf", "2026-11-23T09:30:00Z",
                                   "2026-11-23T23:00:00Z", "192.0.2.9", std::nullopt, 0}));
  ASSERT_TRUE(accounts.DeleteSessionsOf(*mine, std::string_view("laptop")));
  EXPECT_TRUE(*accounts.FindSession("laptop", "2026-11-23T10:00:00Z"));
  EXPECT_FALSE(*accounts.FindSession("office", "2026-11-23T10:00:00Z"));
  EXPECT_TRUE(*accounts.FindSession("other", "2026-11-23T10:00:00Z"));
  ASSERT_TRUE(accounts.SetPasswordHash(*mine, "y"));
  EXPECT_EQ((*accounts.FindUserByEmail("soc@example.nl"))->password_hash, "y");
}

// What only PostgreSQL has: a server that drops connections, connection options, locales.
// Registered in the .postgresql run only (CMakeLists.txt, SQLITE_FILTER).
class PostgresqlStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(database_.postgresql()) << "needs the PostgreSQL test server";
    StoreTest::SetUp();
  }
  // The server URL with `name` as database (and `query` appended).
  std::string UrlOf(const std::string& name, const std::string& query = "") const {
    const std::string& url = database_.location();
    return url.substr(0, url.rfind('/') + 1) + name + query;
  }
  void Execute(const std::string& sql) {
    auto admin = sql::OpenPostgresql(database_.location());
    ASSERT_TRUE(admin) << admin.error().message;
    auto done = (*admin)->Execute(sql);
    ASSERT_TRUE(done) << done.error().message;
  }
};

// Event blocks are zstd already: the server must not try to compress them again
// (migration 38).
TEST_F(PostgresqlStoreTest, BlockDataIsStoredWithoutTheServersCompression) {
  auto admin = sql::OpenPostgresql(database_.location());
  ASSERT_TRUE(admin) << admin.error().message;
  auto storage = (*admin)->Prepare(
      "SELECT attstorage::text FROM pg_attribute "
      "WHERE attrelid = 'event_block_data'::regclass AND attname = 'data'");
  ASSERT_TRUE(storage) << storage.error().message;
  auto has_row = storage->Step();
  ASSERT_TRUE(has_row && *has_row);
  EXPECT_EQ(storage->ColumnText(0), "e");  // EXTERNAL: apart from the row, not compressed
}

TEST_F(PostgresqlStoreTest, APooledConnectionTheServerDroppedIsReplaced) {
  Save(MakeMember("GM0363", "192.0.2.0/24"));  // leaves a connection in the pool
  // What a server restart does to the pool: every other connection to the database ends.
  Execute(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx) << tx.error().message;
  auto member = (*tx)->Members().Get(Scope::All(), "GM0363");
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->name, "Gemeente GM0363");
}

TEST_F(PostgresqlStoreTest, ConnectionOptionsReachLibpqAndErrorsNameTheServer) {
  // The test server speaks no TLS: a URL that demands it is refused by libpq, which shows that
  // the option got there; the message names the server without the password.
  const std::string url = UrlOf("baken", "?sslmode=require");
  const std::string with_password = "postgresql://baken:geheim@" + url.substr(url.find('@') + 1);
  auto refused = Store::Open(with_password);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("cannot connect to PostgreSQL at"));
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("SSL"));
  EXPECT_THAT(refused.error().message, ::testing::Not(::testing::HasSubstr("geheim")));
}

TEST_F(PostgresqlStoreTest, ADatabaseWhoseTextSortsOtherwiseIsRefused) {
  const std::string name = "baken_locale_" + std::to_string(::getpid());
  Execute("CREATE DATABASE " + name +
          " ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0");
  auto refused = Store::Open(UrlOf(name));
  Execute("DROP DATABASE " + name + " WITH (FORCE)");
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("LOCALE 'C'"));
}

TEST_F(PostgresqlStoreTest, TextWithANulCharacterIsRefusedNotCut) {
  Member member = MakeMember("GM0363", "192.0.2.0/24");
  member.name = std::string("Gemeente\0Amsterdam", 18);
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto refused = (*tx)->Members().Upsert(member, "test", "2026-11-23T10:00:00Z");
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("NUL character"));
}

}  // namespace
}  // namespace baken::store
