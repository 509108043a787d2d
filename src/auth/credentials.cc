#include "auth/credentials.h"

#include <fmt/format.h>
#include <sodium.h>

#include "auth/totp.h"
#include "common/hash.h"
#include "common/time.h"
#include "net/quote.h"
#include "registry/validation.h"

namespace baken::auth {

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  if (password.size() < kMinimumPasswordLength) {
    return InvalidArgument(
        fmt::format("the password is shorter than {} characters", kMinimumPasswordLength));
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Internal("out of memory while hashing a password");
  }
  return std::string(hash);
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  const std::string hash(stored_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

namespace {

std::string RandomUrlSafe(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string encoded(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

}  // namespace

std::string GenerateToken() { return "bkn_" + RandomUrlSafe(32); }

std::string GeneratePassword() { return RandomUrlSafe(15); }

std::string HashToken(std::string_view token) { return Sha256Hex(token); }

Result<int64_t> AddUser(store::Transaction& tx, const NewUser& user, std::string_view now) {
  if (!registry::IsValidEmail(user.email)) {
    return InvalidArgument(fmt::format("e-mail address {} is malformed", net::Quote(user.email)));
  }
  if (user.role == store::Role::kMember) {
    if (!user.member) return InvalidArgument("a member user needs --member CODE");
    if (auto member = tx.Members().Get(registry::Scope::All(), *user.member); !member) {
      return tl::unexpected(member.error());
    }
  } else if (user.member) {
    return InvalidArgument(fmt::format("an {} account is not bound to a member; leave out --member",
                                       store::Name(user.role)));
  }
  BAKEN_ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password));
  store::User record;
  record.email = user.email;
  record.role = user.role;
  record.member = user.member;
  record.password_hash = std::move(hash);
  record.created_at = std::string(now);
  return tx.Accounts().AddUser(record);
}

Result<std::string> CreateToken(store::Transaction& tx, std::string_view email,
                                std::string_view now) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user) return NotFound(fmt::format("there is no account for {}", email));
  std::string token = GenerateToken();
  BAKEN_RETURN_IF_ERROR(tx.Accounts().AddToken(user->id, HashToken(token), now));
  return token;
}

Result<std::optional<Principal>> Authenticate(store::Transaction& tx, std::string_view token) {
  if (token.empty() || token.size() > 200) return std::optional<Principal>();
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByTokenHash(HashToken(token)));
  if (!user) return std::optional<Principal>();
  return std::optional<Principal>(PrincipalFor(*user));
}

}  // namespace baken::auth

namespace baken::auth {

namespace {

// A password hash to check against when the address has no account, so that an unknown
// address takes as long to refuse as a wrong password.
const std::string& DecoyHash() {
  static const std::string kHash = HashPassword(RandomUrlSafe(24)).value_or("");
  return kHash;
}

// The step of a code for `user`'s secret that has not been used yet, or nullopt.
std::optional<int64_t> FreshTotpStep(const store::User& user, std::string_view code,
                                     std::chrono::system_clock::time_point now) {
  if (!user.totp_secret) return std::nullopt;
  const auto step = MatchTotp(*user.totp_secret, code, now);
  if (!step || *step <= user.totp_last_step) return std::nullopt;
  return step;
}

// One more failed attempt for `user`; the fifth in a row locks the account. True when this
// one locked it.
Result<bool> CountFailure(store::Transaction& tx, const store::User& user,
                          std::chrono::system_clock::time_point now) {
  const int64_t failures = user.failed_sign_ins + 1;
  if (failures >= kMaxFailedSignIns) {
    BAKEN_RETURN_IF_ERROR(
        tx.Accounts().SetSignInFailures(user.id, 0, FormatUtc(now + kSignInLock)));
    return true;
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetSignInFailures(user.id, failures, std::nullopt));
  return false;
}

Result<store::User> UserOf(store::Transaction& tx, const Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(who.email));
  if (!user || who.user_id == 0) {
    return PermissionDenied("only a signed-in account has a second factor");
  }
  return std::move(*user);
}

}  // namespace

Result<SignInOutcome> SignIn(store::Transaction& tx, std::string_view email,
                             std::string_view password, std::string_view code,
                             std::chrono::system_clock::time_point now) {
  SignInOutcome outcome;
  if (email.size() > 320 || password.size() > 1024 || code.size() > 16) return outcome;
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user) {
    (void)VerifyPassword(DecoyHash(), password);
    return outcome;
  }
  outcome.refused_user = PrincipalFor(*user);
  const std::string now_text = FormatUtc(now);
  const bool locked = user->locked_until && *user->locked_until > now_text;
  const bool right = VerifyPassword(user->password_hash, password);
  if (locked) return outcome;  // not counted: the lock already holds
  if (right && user->totp_secret && code.empty()) {
    outcome.code_needed = true;  // not counted: the password was right
    return outcome;
  }
  const std::optional<int64_t> step = FreshTotpStep(*user, code, now);  // nullopt without TOTP
  if (!right || (user->totp_secret && !step)) {
    BAKEN_ASSIGN_OR_RETURN(outcome.locked_now, CountFailure(tx, *user, now));
    return outcome;
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetSignInFailures(user->id, 0, std::nullopt));
  if (step) BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotpLastStep(user->id, *step));
  // Ended sessions are forgotten here, where new ones begin: the table stays as small as the
  // number of people signed in.
  BAKEN_RETURN_IF_ERROR(tx.Accounts().DeleteExpiredSessions(now_text));
  SignedIn signed_in;
  signed_in.cookie_token = "bks_" + RandomUrlSafe(32);
  signed_in.csrf_token = RandomUrlSafe(32);
  signed_in.expires_at = FormatUtc(now + kSessionLifetime);
  signed_in.principal = PrincipalFor(*user);
  BAKEN_RETURN_IF_ERROR(
      tx.Accounts().AddSession({user->id, HashToken(signed_in.cookie_token), signed_in.csrf_token,
                                now_text, signed_in.expires_at}));
  outcome.refused_user.reset();
  outcome.signed_in = std::move(signed_in);
  return outcome;
}

Result<std::optional<SessionUser>> AuthenticateSession(store::Transaction& tx,
                                                       std::string_view cookie_token,
                                                       std::string_view now) {
  if (cookie_token.empty() || cookie_token.size() > 200) return std::optional<SessionUser>();
  BAKEN_ASSIGN_OR_RETURN(auto found, tx.Accounts().FindSession(HashToken(cookie_token), now));
  if (!found) return std::optional<SessionUser>();
  return std::optional<SessionUser>(
      SessionUser{PrincipalFor(found->first), found->second.csrf_token, found->second.expires_at});
}

Status SignOut(store::Transaction& tx, std::string_view cookie_token) {
  return tx.Accounts().DeleteSession(HashToken(cookie_token));
}

Status Unlock(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user) return NotFound(fmt::format("there is no account for {}", net::Quote(email)));
  return tx.Accounts().SetSignInFailures(user->id, 0, std::nullopt);
}

Result<TotpOffer> OfferTotp(store::Transaction& tx, const Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, UserOf(tx, who));
  if (user.totp_secret) return Conflict("the second factor is on already; turn it off first");
  TotpOffer offer;
  offer.secret = GenerateTotpSecret();
  if (offer.secret.empty()) return Internal("no TOTP secret could be made");
  offer.uri = TotpUri(offer.secret, user.email);
  BAKEN_ASSIGN_OR_RETURN(offer.qr_svg, QrCodeSvg(offer.uri));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotp(user.id, std::nullopt, offer.secret));
  return offer;
}

Status ConfirmTotp(store::Transaction& tx, const Principal& who, std::string_view code,
                   std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, UserOf(tx, who));
  if (user.totp_secret) return Conflict("the second factor is on already");
  if (!user.totp_pending) return Conflict("no second factor was offered; ask for a new one");
  const auto step = MatchTotp(*user.totp_pending, code, now);
  if (!step) {
    return InvalidArgument(
        "code: this is not the code the app shows now (6 digits; check the phone's clock)");
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotp(user.id, user.totp_pending, std::nullopt));
  return tx.Accounts().SetTotpLastStep(user.id, *step);
}

Result<bool> DisableTotp(store::Transaction& tx, const Principal& who, std::string_view code,
                         std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, UserOf(tx, who));
  if (!user.totp_secret) return Conflict("the second factor is not on");
  const bool locked = user.locked_until && *user.locked_until > FormatUtc(now);
  if (locked) return false;
  if (!FreshTotpStep(user, code, now)) {
    // Guessing codes with a stolen session counts towards the same lock as signing in.
    BAKEN_RETURN_IF_ERROR(CountFailure(tx, user, now));
    return false;
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetSignInFailures(user.id, 0, std::nullopt));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotp(user.id, std::nullopt, std::nullopt));
  return true;
}

Status ResetTotp(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user) return NotFound(fmt::format("there is no account for {}", net::Quote(email)));
  return tx.Accounts().SetTotp(user->id, std::nullopt, std::nullopt);
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace baken::auth
