#include "service/session_service.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "service/audit.h"

namespace baken::service {

Result<std::optional<auth::SignedIn>> SessionService::SignIn(std::string_view email,
                                                             std::string_view password) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auth::SignInOutcome outcome,
                         auth::SignIn(*tx, email, password, std::chrono::system_clock::now()));
  if (outcome.signed_in) {
    BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, outcome.signed_in->principal, "session.start",
                                      outcome.signed_in->principal.email,
                                      {{"expires_at", outcome.signed_in->expires_at}}));
  } else if (outcome.locked_now && outcome.refused_user) {
    BAKEN_RETURN_IF_ERROR(
        RecordAudit(*tx, *outcome.refused_user, "session.locked", outcome.refused_user->email,
                    {{"failures", auth::kMaxFailedSignIns},
                     {"minutes", static_cast<int64_t>(auth::kSignInLock.count())}}));
  }
  // Committed also on refusal: the failure counts.
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return std::move(outcome.signed_in);
}

Result<std::optional<auth::SessionUser>> SessionService::Authenticate(
    std::string_view cookie_token) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
  return auth::AuthenticateSession(*tx, cookie_token, NowUtc());
}

Status SessionService::SignOut(const auth::Principal& who, std::string_view cookie_token) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::SignOut(*tx, cookie_token));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "session.end", who.email, registry::Json::object()));
  return tx->Commit();
}

}  // namespace baken::service
