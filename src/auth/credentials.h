#ifndef BAKEN_AUTH_CREDENTIALS_H_
#define BAKEN_AUTH_CREDENTIALS_H_

// Passwords and API tokens, on libsodium. Passwords are stored as argon2id hashes; tokens are
// random and only their SHA-256 is stored, so the database alone lets no one in.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "common/error.h"
#include "store/store.h"

namespace baken::auth {

// Must be called once before any other function here (it initialises libsodium).
Status InitCrypto();

constexpr size_t kMinimumPasswordLength = 12;

Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

// "bkn_" followed by 43 URL-safe characters (256 random bits).
std::string GenerateToken();
std::string HashToken(std::string_view token);
// 20 random characters for a first password.
std::string GeneratePassword();

// Account operations, in the caller's transaction. The caller records them in the audit log.
struct NewUser {
  std::string email;
  store::Role role = store::Role::kMember;
  std::optional<std::string> member;
  std::string password;
};
Result<int64_t> AddUser(store::Transaction& tx, const NewUser& user, std::string_view now);
// A new token for the user with this e-mail address; the token itself is returned only here.
Result<std::string> CreateToken(store::Transaction& tx, std::string_view email,
                                std::string_view now);
// The principal for a bearer token, or nullopt when the token is unknown.
Result<std::optional<Principal>> Authenticate(store::Transaction& tx, std::string_view token);

// Signing in to the portal (docs/decisions/0009-sign-in.md). After kMaxFailedSignIns wrong
// passwords in a row an account is locked for kSignInLock; a session lasts kSessionLifetime.
inline constexpr int64_t kMaxFailedSignIns = 5;
inline constexpr std::chrono::minutes kSignInLock{15};
inline constexpr std::chrono::hours kSessionLifetime{8};

struct SignedIn {
  std::string cookie_token;  // for the session cookie; only its hash is stored
  std::string csrf_token;    // changing requests echo it in X-CSRF-Token
  std::string expires_at;
  Principal principal;
};
struct SignInOutcome {
  std::optional<SignedIn> signed_in;  // nullopt: refused
  // Refused because the password was right but the account's second factor was not given:
  // the portal then asks for the code. A wrong code counts as a failure, as a wrong password.
  bool code_needed = false;
  // Refused: whether this attempt locked the account (for the audit log; the caller answers
  // every refusal the same way, so that the answer does not tell which addresses have
  // accounts or which are locked).
  bool locked_now = false;
  std::optional<Principal> refused_user;
};
// In the caller's transaction, which the caller commits also on refusal (failures count).
// `code` is the authenticator app's code, for an account that has turned the second factor on.
Result<SignInOutcome> SignIn(store::Transaction& tx, std::string_view email,
                             std::string_view password, std::string_view code,
                             std::chrono::system_clock::time_point now);

// Turning the second factor on: a new secret is offered (and replaces one offered before)
// until a first code from it confirms it. kConflict when it is already on.
struct TotpOffer {
  std::string secret;  // base32, for typing into an app
  std::string uri;     // otpauth://, what the QR code holds
  std::string qr_svg;
};
Result<TotpOffer> OfferTotp(store::Transaction& tx, const Principal& who);
// kInvalidArgument when the code is not the offered secret's code now.
Status ConfirmTotp(store::Transaction& tx, const Principal& who, std::string_view code,
                   std::chrono::system_clock::time_point now);
// Turning it off takes a current, unused code: true when it is off now, false for a wrong or
// used code (counted as a failed attempt towards the lock, so the caller commits) or while the
// account is locked.
Result<bool> DisableTotp(store::Transaction& tx, const Principal& who, std::string_view code,
                         std::chrono::system_clock::time_point now);
// An analyst's decision when a user lost the phone: the second factor is off; kNotFound for
// no such account.
Status ResetTotp(store::Transaction& tx, std::string_view email);

struct SessionUser {
  Principal principal;
  std::string csrf_token;
  std::string expires_at;
};
// The session's user, or nullopt when the cookie names no live session.
Result<std::optional<SessionUser>> AuthenticateSession(store::Transaction& tx,
                                                       std::string_view cookie_token,
                                                       std::string_view now);
Status SignOut(store::Transaction& tx, std::string_view cookie_token);
// An analyst's decision to lift a lock and forget the failures; kNotFound for no such account.
Status Unlock(store::Transaction& tx, std::string_view email);

// Compares two secrets in time that does not depend on where they differ.
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace baken::auth

#endif  // BAKEN_AUTH_CREDENTIALS_H_
