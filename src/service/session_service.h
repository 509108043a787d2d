#ifndef BAKEN_SERVICE_SESSION_SERVICE_H_
#define BAKEN_SERVICE_SESSION_SERVICE_H_

// Signing in to the portal and out again, the second factor, API tokens and the analysts'
// account controls, with their audit entries (docs/decisions/0009-sign-in.md). The HTTP layer
// turns a session into a cookie. `source` is always where the request came from, as
// auth::SourceKey gives it: failed sign-ins are counted per account and source.

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "common/error.h"
#include "store/store.h"

namespace baken::service {

class SessionService {
 public:
  // What time it is; tests set it.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  explicit SessionService(
      store::Store& store, Clock clock = [] { return std::chrono::system_clock::now(); })
      : store_(store), clock_(std::move(clock)) {}

  // `signed_in` is nullopt when refused, for whatever reason (unknown address, wrong password
  // or code, locked out, disabled); `code_needed` when only the second factor's code was
  // missing.
  Result<auth::SignInOutcome> SignIn(std::string_view email, std::string_view password,
                                     std::string_view code, std::string_view source);
  Result<std::optional<auth::SessionUser>> Authenticate(std::string_view cookie_token,
                                                        std::string_view source);
  Status SignOut(const auth::Principal& who, std::string_view cookie_token);

  // The caller's own second factor (auth/totp.h), audited as user.totp_on / user.totp_off.
  // Turning it on or off takes the password again: a wrong one is refused (kInvalidArgument),
  // counted towards the lock and audited as user.password_refused.
  Result<auth::TotpOffer> OfferTotp(const auth::Principal& who);
  Status ConfirmTotp(const auth::Principal& who, std::string_view password, std::string_view code,
                     std::string_view source);
  Status DisableTotp(const auth::Principal& who, std::string_view password, std::string_view code,
                     std::string_view source);
  // The caller's own password, in the portal: the current one again and a new one (the rules
  // of auth::ChangePassword). Every other session of the account ends, the one with
  // `cookie_token` stays. Audited as user.password_change.
  Status ChangePassword(const auth::Principal& who, std::string_view current,
                        std::string_view replacement, std::string_view cookie_token,
                        std::string_view source);
  // The caller's own sessions that have not ended, newest first; and ending one of them
  // (kNotFound for another account's session, the same answer as for none). Audited as
  // session.revoke.
  Result<std::vector<store::Session>> ListOwnSessions(const auth::Principal& who);
  Status RevokeOwnSession(const auth::Principal& who, int64_t id);

  // `baken user reset-totp`: an analyst turns a user's second factor off (a lost phone).
  Status ResetTotp(const auth::Principal& who, std::string_view email);

  // API tokens of any account, for staff and the command line (`baken token`); audited as
  // token.create and token.revoke. `expires_at` nullopt: kDefaultTokenLifetime from now.
  Result<auth::NewToken> CreateToken(
      const auth::Principal& who, std::string_view email, std::string_view label,
      std::optional<std::chrono::system_clock::time_point> expires_at);
  Result<std::vector<store::ApiToken>> ListTokens(const auth::Principal& who,
                                                  std::optional<std::string_view> email);
  Status RevokeToken(const auth::Principal& who, int64_t id);
  // The signed-in user's own tokens (the portal): another account's token does not exist for
  // them (kNotFound), whatever their role.
  Result<auth::NewToken> CreateOwnToken(
      const auth::Principal& who, std::string_view label,
      std::optional<std::chrono::system_clock::time_point> expires_at);
  Result<std::vector<store::ApiToken>> ListOwnTokens(const auth::Principal& who);
  Status RevokeOwnToken(const auth::Principal& who, int64_t id);

  // `baken user unlock|disable|enable`, for staff: audited as user.unlock, user.disable and
  // user.enable.
  Status Unlock(const auth::Principal& who, std::string_view email);
  // User management in the portal, for admins only (kPermissionDenied for anyone else).
  Result<std::vector<store::User>> ListUsers(const auth::Principal& who);
  Result<store::User> FindUser(const auth::Principal& who, int64_t id);
  // A new account with a generated password, which is returned this once; audited as user.add.
  Result<std::pair<store::User, std::string>> AddUser(const auth::Principal& who,
                                                      auth::NewUser user);
  Status Disable(const auth::Principal& who, std::string_view email);
  Status Enable(const auth::Principal& who, std::string_view email);

  std::chrono::system_clock::time_point Now() const { return clock_(); }

 private:
  Status RecordRecheck(store::Transaction& tx, const auth::Principal& who,
                       const auth::Recheck& recheck, std::string_view what,
                       std::string_view source);

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_SESSION_SERVICE_H_
