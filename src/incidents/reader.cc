#include "incidents/reader.h"

#include <algorithm>

#include "common/tlp.h"

namespace baken::incidents {

Result<Reader> Reader::For(store::Transaction& tx, const auth::Principal& who) {
  Reader reader;
  reader.staff = who.IsStaff();
  reader.actor = who.actor;
  reader.scope = auth::ScopeFor(who);
  if (reader.staff) return reader;
  reader.member = who.member;
  if (!who.member) return reader;
  auto member = tx.Members().Get(reader.scope, *who.member);
  if (!member) {
    if (member.error().code == ErrorCode::kNotFound) return reader;  // no roles at all
    return tl::unexpected(member.error());
  }
  reader.roles = auth::ContactRolesOf(who, *member);
  return reader;
}

bool Reader::Has(registry::ContactRole role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Reader::MayRead(std::string_view tlp, std::string_view author) const {
  if (staff || author == actor) return true;
  // An unreadable level counts as the strictest: fail closed.
  const Tlp level = ParseTlp(tlp).value_or(Tlp::kRed);
  if (level <= Tlp::kGreen) return true;
  return Has(registry::ContactRole::kTrusted);
}

bool Reader::MayReadBreach() const {
  return staff || Has(registry::ContactRole::kTrusted) || Has(registry::ContactRole::kPrivacy);
}

}  // namespace baken::incidents
