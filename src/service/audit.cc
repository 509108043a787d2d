#include "service/audit.h"

#include <nlohmann/json.hpp>

#include "common/time.h"

namespace baken::service {

Status RecordAudit(store::Transaction& tx, const auth::Principal& who, std::string_view action,
                   std::string_view object, const registry::Json& detail) {
  return tx.Audit().Record(store::AuditEntry{0, NowUtc(), who.actor, std::string(action),
                                             std::string(object), registry::DumpJson(detail)});
}

}  // namespace baken::service
