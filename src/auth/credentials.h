#ifndef BAKEN_AUTH_CREDENTIALS_H_
#define BAKEN_AUTH_CREDENTIALS_H_

// Passwords and API tokens, on libsodium. Passwords are stored as argon2id hashes; tokens are
// random and only their SHA-256 is stored, so the database alone lets no one in.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "common/error.h"
#include "store/store.h"

namespace baken::auth {

// Must be called once before any other function here (it initialises libsodium).
Status InitCrypto();

constexpr size_t kMinimumPasswordLength = 12;

Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

// `bytes` random bytes as URL-safe base64 without padding (secrets, one-time links).
std::string RandomUrlSafe(size_t bytes);
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

// Where a request came from, as the lock-out counts it: an IPv4 address, or the /64 of an IPv6
// address (one subscriber is commonly given a whole /64, so its addresses count as one
// source). Text that is no address is kept, cut to 64 bytes, so that it still counts.
std::string SourceKey(std::string_view remote_address);

// API tokens expire: by default a year after they were made, at most kMaxTokenLifetime.
inline constexpr std::chrono::days kDefaultTokenLifetime{365};
inline constexpr std::chrono::days kMaxTokenLifetime{3 * 365 + 1};
inline constexpr size_t kMaxTokenLabelLength = 100;

struct NewToken {
  std::string token;  // shown once, here; only its hash is stored
  store::ApiToken record;
};
// A new token for the account with this e-mail address, valid until `expires_at`.
// kInvalidArgument for an expiry that is not after `now` or too far away, or a label that is
// too long or has control characters; kNotFound for no such account; kPermissionDenied for a
// disabled one.
Result<NewToken> CreateToken(store::Transaction& tx, std::string_view email, std::string_view label,
                             std::chrono::system_clock::time_point expires_at,
                             std::chrono::system_clock::time_point now);
// The tokens of the account with this e-mail address, or of every account for nullopt
// (kNotFound for an unknown address).
Result<std::vector<store::ApiToken>> ListTokens(store::Transaction& tx,
                                                std::optional<std::string_view> email);
// Revokes token `id`, which must belong to `owner` when given: kNotFound otherwise, the same
// answer as for a token that does not exist. The revoked token's record, for the audit log.
Result<store::ApiToken> RevokeToken(store::Transaction& tx, int64_t id,
                                    std::optional<int64_t> owner);
// The principal for a bearer token used from `source` (SourceKey) at `now`; nullopt when the
// token is unknown. kUnauthenticated, with the reason, for an expired token and for one whose
// account is disabled or locked out from this source (decision 0009).
Result<std::optional<Principal>> Authenticate(store::Transaction& tx, std::string_view token,
                                              std::string_view source,
                                              std::chrono::system_clock::time_point now);

// Signing in to the portal (docs/decisions/0009-sign-in.md). Failures are counted per account
// and source: after kMaxFailedSignIns from one source, that source is locked out of that
// account for kSignInLock, and each further failure from it doubles the lock, up to
// kMaxSignInLock. Other sources are not affected. Failures are forgotten after
// kFailureMemory without one, and at a success from the same source. A session lasts
// kSessionLifetime.
inline constexpr int64_t kMaxFailedSignIns = 5;
inline constexpr std::chrono::minutes kSignInLock{15};
inline constexpr std::chrono::minutes kMaxSignInLock{24 * 60};
inline constexpr std::chrono::hours kFailureMemory{24};
inline constexpr std::chrono::hours kSessionLifetime{8};

// True while `source` is locked out of the account.
Result<bool> LockedOut(store::Transaction& tx, int64_t user_id, std::string_view source,
                       std::chrono::system_clock::time_point now);

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
  // Refused: whether this attempt locked the source out (for the audit log; the caller
  // answers every refusal the same way, so that the answer does not tell which addresses have
  // accounts or which are locked), and for how long.
  bool locked_now = false;
  std::chrono::minutes lock{0};
  std::optional<Principal> refused_user;
};
// In the caller's transaction, which the caller commits also on refusal (failures count).
// `code` is the authenticator app's code, for an account that has turned the second factor on;
// `source` is where the request came from (SourceKey).
Result<SignInOutcome> SignIn(store::Transaction& tx, std::string_view email,
                             std::string_view password, std::string_view code,
                             std::string_view source, std::chrono::system_clock::time_point now);

// Turning the second factor on: a new secret is offered (and replaces one offered before)
// until a first code from it confirms it. kConflict when it is already on.
struct TotpOffer {
  std::string secret;  // base32, for typing into an app
  std::string uri;     // otpauth://, what the QR code holds
  std::string qr_svg;
};
Result<TotpOffer> OfferTotp(store::Transaction& tx, const Principal& who);

// What came of a change that asks for the password again (turning the second factor on or
// off), so that a stolen session cookie alone cannot make it. When not `done`, the attempt may
// have been counted as a failure: the caller commits, and audits a wrong password.
struct Recheck {
  bool done = false;
  bool password_wrong = false;
  bool locked = false;      // refused: this source is locked out of the account
  bool locked_now = false;  // this attempt locked it out, for `lock`
  std::chrono::minutes lock{0};
};
// Turns the offered secret on. A wrong password counts as a failed sign-in; a wrong code with
// the right password is kInvalidArgument (a mis-scanned secret, not an attack).
Result<Recheck> ConfirmTotp(store::Transaction& tx, const Principal& who, std::string_view password,
                            std::string_view code, std::string_view source,
                            std::chrono::system_clock::time_point now);
// Turning it off takes the password and a current, unused code; a wrong one of either counts
// as a failed sign-in.
Result<Recheck> DisableTotp(store::Transaction& tx, const Principal& who, std::string_view password,
                            std::string_view code, std::string_view source,
                            std::chrono::system_clock::time_point now);
// The signed-in user changes the password: the current one again (a wrong one counts as a
// failed sign-in), and a new one of kMinimumPasswordLength to kMaximumPasswordLength bytes
// that differs from it (coded refusals: password.too_short, password.too_long,
// password.unchanged). Every other session of the account ends; the one with
// `keep_token_hash` (where the change was made) stays.
inline constexpr size_t kMaximumPasswordLength = 1024;
Result<Recheck> ChangePassword(store::Transaction& tx, const Principal& who,
                               std::string_view current, std::string_view replacement,
                               std::string_view keep_token_hash, std::string_view source,
                               std::chrono::system_clock::time_point now);
// An analyst's decision when a user lost the phone: the second factor is off; kNotFound for
// no such account.
Status ResetTotp(store::Transaction& tx, std::string_view email);

struct SessionUser {
  Principal principal;
  std::string csrf_token;
  std::string expires_at;
  int64_t session_id = 0;
  std::optional<std::string> last_used_at;
};
// The session's user, or nullopt when the cookie names no live session, or its account is
// disabled or locked out from `source`.
Result<std::optional<SessionUser>> AuthenticateSession(store::Transaction& tx,
                                                       std::string_view cookie_token,
                                                       std::string_view source,
                                                       std::chrono::system_clock::time_point now);
Status SignOut(store::Transaction& tx, std::string_view cookie_token);
// An analyst's decision to lift the locks of every source and forget the failures; kNotFound
// for no such account.
Status Unlock(store::Transaction& tx, std::string_view email);
// An analyst's account-wide stop: a disabled account cannot sign in, its sessions end and its
// tokens are refused until it is enabled again. kNotFound for no such account.
Status Disable(store::Transaction& tx, std::string_view email,
               std::chrono::system_clock::time_point now);
Status Enable(store::Transaction& tx, std::string_view email);

// Compares two secrets in time that does not depend on where they differ.
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace baken::auth

#endif  // BAKEN_AUTH_CREDENTIALS_H_
