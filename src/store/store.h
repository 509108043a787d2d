#ifndef BAKEN_STORE_STORE_H_
#define BAKEN_STORE_STORE_H_

// The store: where Baken keeps its state, behind repositories. All SQL lives in src/store; the
// rest of the program sees these interfaces, so that a PostgreSQL store can be added beside the
// SQLite one without touching callers.
//
// Work happens in transactions: Store::Begin gives a Transaction, its repositories read and
// write inside it, and nothing is visible to others until Commit. A Transaction that is
// destroyed without Commit rolls back, so an error half-way writes nothing.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "registry/member.h"
#include "registry/scope.h"

namespace baken::store {

class MemberRepository {
 public:
  virtual ~MemberRepository() = default;

  // Members in scope, ordered by code, with their contacts, claims (every state) and assets.
  virtual Result<std::vector<registry::Member>> List(const registry::Scope& scope) = 0;
  // kNotFound when the member does not exist or is outside the scope: the caller cannot tell.
  virtual Result<registry::Member> Get(const registry::Scope& scope, std::string_view code) = 0;

  // Creates or updates the member's own fields, contacts and assets from `member`, and makes
  // the member's approved claims exactly those in `member.claims`. Pending and refused claims
  // that the member made itself stay as they are unless listed (then they become approved).
  virtual Status Upsert(const registry::Member& member, std::string_view actor,
                        std::string_view now) = 0;
  // Removes the member's approved claims of `kind` that are not in `values`.
  virtual Status RetainApprovedClaims(std::string_view code, registry::ClaimKind kind,
                                      const std::vector<std::string>& values) = 0;
  virtual Status ReplaceContacts(std::string_view code,
                                 const std::vector<registry::Contact>& contacts) = 0;
  virtual Status ReplaceAssets(std::string_view code,
                               const std::vector<registry::Asset>& assets) = 0;
  // Makes the member's claims of `kind` exactly `values`. Values it already holds keep their
  // state, except that with `approve_all` every listed value ends approved; new values get
  // `state_for_new`; claims not listed are removed.
  virtual Status ReplaceClaims(std::string_view code, registry::ClaimKind kind,
                               const std::vector<std::string>& values,
                               registry::ClaimState state_for_new, bool approve_all,
                               std::string_view actor, std::string_view now) = 0;
  virtual Status ConfirmData(std::string_view code, std::string_view now) = 0;

  // Claims in scope, optionally only those in one state, oldest first.
  virtual Result<std::vector<registry::Claim>> ListClaims(
      const registry::Scope& scope, std::optional<registry::ClaimState> state) = 0;
  virtual Result<registry::Claim> GetClaim(const registry::Scope& scope, int64_t id) = 0;
  virtual Status DecideClaim(int64_t id, registry::ClaimState state,
                             const std::optional<std::string>& reason, std::string_view actor,
                             std::string_view now) = 0;
  // Every approved claim of every member: what routing is built from.
  virtual Result<std::vector<registry::Claim>> ApprovedClaims() = 0;
};

enum class Role { kAdmin, kAnalyst, kMember };
std::string_view Name(Role role);
std::optional<Role> ParseRole(std::string_view text);

struct User {
  int64_t id = 0;
  std::string email;
  Role role = Role::kMember;
  std::optional<std::string> member;  // set exactly when role is kMember
  std::string password_hash;          // argon2id, in libsodium's string form
  std::string created_at;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // kConflict when the e-mail address (case-insensitive) already has an account.
  virtual Result<int64_t> AddUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
  virtual Result<int64_t> CountUsers() = 0;
  // Only a hash of a token is kept, so a copy of the database grants no access.
  virtual Status AddToken(int64_t user_id, std::string_view token_hash, std::string_view now) = 0;
  virtual Result<std::optional<User>> FindUserByTokenHash(std::string_view token_hash) = 0;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;
  std::string actor;   // "user:soc@example.nl", "cli:root"
  std::string action;  // "member.import", "netblocks.replace", "claim.approve", ...
  std::string object;  // what it touched, e.g. "GM0363" or "claim:17"
  std::string detail;  // JSON text
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Status Record(const AuditEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> List(int64_t limit) = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual MemberRepository& Members() = 0;
  virtual AccountRepository& Accounts() = 0;
  virtual AuditLog& Audit() = 0;
  virtual Status Commit() = 0;
};

enum class Access { kRead, kWrite };

class Store {
 public:
  virtual ~Store() = default;
  // Opens the store at `location`: a SQLite file path (created and migrated if needed).
  // PostgreSQL URLs are refused until that store exists.
  static Result<std::unique_ptr<Store>> Open(const std::string& location);

  // A write transaction takes the write lock at the start, so two writers never deadlock.
  // Safe to call from any thread; each Transaction belongs to the thread that began it.
  virtual Result<std::unique_ptr<Transaction>> Begin(Access access) = 0;
  // Succeeds when the store answers a trivial query.
  virtual Status Ping() = 0;
  // The schema version after migrations.
  virtual int SchemaVersion() const = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_STORE_H_
