#ifndef BAKEN_INCIDENTS_READER_H_
#define BAKEN_INCIDENTS_READER_H_

// Who reads an incident, and what that lets them read (docs/decisions/0018-incidents.md). The
// member scope (which incidents, whose participation) is applied in SQL by the repository; this
// decides, within a member, by role: TLP for journal entries and attachments, and the data-breach
// record, which only trusted and privacy contacts read.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "registry/member.h"
#include "registry/scope.h"
#include "store/store.h"

namespace baken::incidents {

struct Reader {
  bool staff = false;
  std::optional<std::string> member;  // the member a member's user acts for
  std::string actor;                  // "user:…", to recognise what they wrote themselves
  std::vector<registry::ContactRole> roles;
  registry::Scope scope = registry::Scope::All();

  // The principal as a reader: a member's user gets its roles from its member's contacts
  // (auth::ContactRolesOf), read in `tx`.
  static Result<Reader> For(store::Transaction& tx, const auth::Principal& who);

  bool Has(registry::ContactRole role) const;
  // An entry or attachment at `tlp` written by `author`: CLEAR and GREEN for every user of the
  // member, AMBER, AMBER+STRICT and RED for its trusted contacts (as e-mail goes, decision
  // 0005); an author always reads what they wrote; staff read everything.
  bool MayRead(std::string_view tlp, std::string_view author) const;
  // The data-breach record and register: trusted and privacy contacts, and staff.
  bool MayReadBreach() const;
};

}  // namespace baken::incidents

#endif  // BAKEN_INCIDENTS_READER_H_
