#include "auth/principal.h"

#include <cstdlib>

#include <unistd.h>

#include "common/text.h"

namespace baken::auth {

Principal PrincipalFor(const store::User& user) {
  Principal principal;
  principal.user_id = user.id;
  principal.email = user.email;
  principal.role = user.role;
  principal.member = user.role == store::Role::kMember ? user.member : std::nullopt;
  principal.actor = "user:" + user.email;
  principal.totp = user.totp_secret.has_value();
  return principal;
}

Principal CommandLineOperator() {
  Principal principal;
  principal.role = store::Role::kAdmin;
  const char* name = std::getenv("USER");
  principal.actor =
      std::string("cli:") + (name != nullptr && *name ? name : "uid" + std::to_string(getuid()));
  return principal;
}

registry::Scope ScopeFor(const Principal& principal) {
  if (principal.IsStaff()) return registry::Scope::All();
  // A member user without a member sees nothing: an impossible code matches no row.
  return registry::Scope::OneMember(principal.member.value_or("-"));
}

std::vector<registry::ContactRole> ContactRolesOf(const Principal& principal,
                                                  const registry::Member& member) {
  if (principal.IsStaff() || principal.member != member.code) return {};
  const std::string email = AsciiLower(principal.email);
  for (const registry::Contact& contact : member.contacts) {
    if (AsciiLower(contact.email) == email) return contact.roles;
  }
  return {};
}

}  // namespace baken::auth
