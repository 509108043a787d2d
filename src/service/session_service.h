#ifndef BAKEN_SERVICE_SESSION_SERVICE_H_
#define BAKEN_SERVICE_SESSION_SERVICE_H_

// Signing in to the portal and out again, with the audit entries for both and for a lock
// (docs/decisions/0009-sign-in.md). The HTTP layer turns a session into a cookie.

#include <optional>
#include <string_view>

#include "auth/credentials.h"
#include "common/error.h"
#include "store/store.h"

namespace baken::service {

class SessionService {
 public:
  explicit SessionService(store::Store& store) : store_(store) {}

  // `signed_in` is nullopt when refused, for whatever reason (unknown address, wrong password
  // or code, locked); `code_needed` when only the second factor's code was missing.
  Result<auth::SignInOutcome> SignIn(std::string_view email, std::string_view password,
                                     std::string_view code);
  Result<std::optional<auth::SessionUser>> Authenticate(std::string_view cookie_token);
  Status SignOut(const auth::Principal& who, std::string_view cookie_token);

  // The caller's own second factor (auth/totp.h), audited as user.totp_on / user.totp_off.
  Result<auth::TotpOffer> OfferTotp(const auth::Principal& who);
  Status ConfirmTotp(const auth::Principal& who, std::string_view code);
  Status DisableTotp(const auth::Principal& who, std::string_view code);
  // `baken user reset-totp`: an analyst turns a user's second factor off (a lost phone).
  Status ResetTotp(const auth::Principal& who, std::string_view email);

 private:
  store::Store& store_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_SESSION_SERVICE_H_
