#ifndef BAKEN_AUTH_PRINCIPAL_H_
#define BAKEN_AUTH_PRINCIPAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "registry/member.h"
#include "registry/scope.h"
#include "store/store.h"

namespace baken::auth {

// Who is acting: a signed-in user, or the operator at the command line.
struct Principal {
  int64_t user_id = 0;  // 0 for the command-line operator
  std::string email;
  store::Role role = store::Role::kMember;
  std::optional<std::string> member;  // the one member a member user acts for
  std::string actor;                  // how the audit log names it: "user:E" or "cli:NAME"
  bool totp = false;                  // signs in with a second factor (auth/totp.h)

  // Analysts and admins: they see every member and decide claims.
  bool IsStaff() const { return role != store::Role::kMember; }
};

Principal PrincipalFor(const store::User& user);
// The person running `baken` on the server: full rights, as the system's administrator.
Principal CommandLineOperator();

// The one place that turns a principal into the member data it may see.
registry::Scope ScopeFor(const Principal& principal);

// The one place that decides a member's user's roles (general, trusted, privacy, ...), where a
// role decides what a user may read: the roles of `member`'s contact with the user's e-mail
// address (ASCII case ignored). A user who is no contact of the member has none, and so has a
// user of another member. Staff have none either: they read everything on their own right.
std::vector<registry::ContactRole> ContactRolesOf(const Principal& principal,
                                                  const registry::Member& member);

}  // namespace baken::auth

#endif  // BAKEN_AUTH_PRINCIPAL_H_
