#include "service/session_service.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "service/audit.h"

namespace baken::service {

Result<auth::SignInOutcome> SessionService::SignIn(std::string_view email,
                                                   std::string_view password,
                                                   std::string_view code) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(
      auth::SignInOutcome outcome,
      auth::SignIn(*tx, email, password, code, std::chrono::system_clock::now()));
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
  return outcome;
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

Result<auth::TotpOffer> SessionService::OfferTotp(const auth::Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auth::TotpOffer offer, auth::OfferTotp(*tx, who));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return offer;
}

Status SessionService::ConfirmTotp(const auth::Principal& who, std::string_view code) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::ConfirmTotp(*tx, who, code, std::chrono::system_clock::now()));
  BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "user.totp_on", who.email, registry::Json::object()));
  return tx->Commit();
}

Status SessionService::DisableTotp(const auth::Principal& who, std::string_view code) {
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(const bool off,
                         auth::DisableTotp(*tx, who, code, std::chrono::system_clock::now()));
  if (!off) {
    BAKEN_RETURN_IF_ERROR(tx->Commit());  // the failure counts
    return InvalidArgument(
        "code: this is not a current code from the app, or it was used (or the account is "
        "locked for a while after repeated failures)");
  }
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.totp_off", who.email, registry::Json::object()));
  return tx->Commit();
}

Status SessionService::ResetTotp(const auth::Principal& who, std::string_view email) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may reset a second factor");
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_RETURN_IF_ERROR(auth::ResetTotp(*tx, email));
  BAKEN_RETURN_IF_ERROR(
      RecordAudit(*tx, who, "user.totp_reset", std::string(email), registry::Json::object()));
  return tx->Commit();
}

}  // namespace baken::service
