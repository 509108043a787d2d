#ifndef BAKEN_SERVICE_AUDIT_H_
#define BAKEN_SERVICE_AUDIT_H_

#include <string_view>

#include "auth/principal.h"
#include "registry/member_json.h"
#include "store/store.h"

namespace baken::service {

// Writes one audit entry (who, what, when) in the caller's transaction, so the entry exists
// exactly when the change it describes does.
Status RecordAudit(store::Transaction& tx, const auth::Principal& who, std::string_view action,
                   std::string_view object, const registry::Json& detail);

}  // namespace baken::service

#endif  // BAKEN_SERVICE_AUDIT_H_
