#include "auth/credentials.h"

#include <algorithm>

#include <fmt/format.h>
#include <sodium.h>

#include "auth/totp.h"
#include "common/hash.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/time.h"
#include "net/ip_address.h"
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

std::string GenerateToken() { return "bkn_" + RandomUrlSafe(32); }

std::string GeneratePassword() { return RandomUrlSafe(15); }

std::string HashToken(std::string_view token) { return Sha256Hex(token); }

Result<int64_t> AddUser(store::Transaction& tx, const NewUser& user, std::string_view now) {
  if (!registry::IsValidEmail(user.email)) {
    return InvalidArgument(fmt::format("e-mail address {} is malformed", Quote(user.email)));
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

std::string SourceKey(std::string_view remote_address) {
  const auto address = net::IpAddress::Parse(remote_address);
  if (!address) return std::string(remote_address.substr(0, 64));
  if (address->is_v4()) return address->ToString();
  return net::Prefix{net::IpAddress::V6(address->v6_high(), 0), 64}.ToString();
}

namespace {

Result<store::User> FindAccount(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user) return NotFound(fmt::format("there is no account for {}", Quote(email)));
  return std::move(*user);
}

}  // namespace

Result<NewToken> CreateToken(store::Transaction& tx, std::string_view email, std::string_view label,
                             std::chrono::system_clock::time_point expires_at,
                             std::chrono::system_clock::time_point now) {
  if (label.size() > kMaxTokenLabelLength) {
    return InvalidArgument(
        fmt::format("the token's label is longer than {} characters", kMaxTokenLabelLength));
  }
  for (const char c : label) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgument(
          fmt::format("the token's label {} has a control character", Quote(label)));
    }
  }
  if (expires_at <= now) {
    return InvalidArgument(
        fmt::format("the token's expiry {} is not in the future", FormatUtc(expires_at)));
  }
  if (expires_at > now + kMaxTokenLifetime) {
    return InvalidArgument(fmt::format("the token's expiry {} is more than {} days away",
                                       FormatUtc(expires_at), kMaxTokenLifetime.count()));
  }
  BAKEN_ASSIGN_OR_RETURN(store::User user, FindAccount(tx, email));
  if (user.disabled_at) {
    return PermissionDenied(
        fmt::format("the account {} is disabled; enable it first", Quote(email)));
  }
  NewToken created;
  created.token = GenerateToken();
  created.record.user_id = user.id;
  created.record.email = user.email;
  created.record.label = std::string(label);
  created.record.created_at = FormatUtc(now);
  created.record.expires_at = FormatUtc(expires_at);
  BAKEN_ASSIGN_OR_RETURN(created.record.id,
                         tx.Accounts().AddToken(created.record, HashToken(created.token)));
  return created;
}

Result<std::vector<store::ApiToken>> ListTokens(store::Transaction& tx,
                                                std::optional<std::string_view> email) {
  if (!email) return tx.Accounts().ListTokens(std::nullopt);
  BAKEN_ASSIGN_OR_RETURN(store::User user, FindAccount(tx, *email));
  return tx.Accounts().ListTokens(user.id);
}

Result<store::ApiToken> RevokeToken(store::Transaction& tx, int64_t id,
                                    std::optional<int64_t> owner) {
  BAKEN_ASSIGN_OR_RETURN(auto tokens, tx.Accounts().ListTokens(owner));
  for (const store::ApiToken& token : tokens) {
    if (token.id != id) continue;
    BAKEN_RETURN_IF_ERROR(tx.Accounts().DeleteToken(id, owner));
    return token;
  }
  return NotFound(fmt::format("there is no API token {}", id));
}

Result<std::optional<Principal>> Authenticate(store::Transaction& tx, std::string_view token,
                                              std::string_view source,
                                              std::chrono::system_clock::time_point now) {
  if (token.empty() || token.size() > 200) return std::optional<Principal>();
  BAKEN_ASSIGN_OR_RETURN(auto found, tx.Accounts().FindToken(HashToken(token)));
  if (!found) return std::optional<Principal>();
  const auto& [user, record] = *found;
  if (record.expires_at <= FormatUtc(now)) {
    return MakeError(ErrorCode::kUnauthenticated,
                     fmt::format("the API token expired at {}; ask for a new one",
                                 record.expires_at.empty() ? "its creation" : record.expires_at));
  }
  if (user.disabled_at) {
    return MakeError(ErrorCode::kUnauthenticated, "the API token's account is disabled");
  }
  BAKEN_ASSIGN_OR_RETURN(const bool locked, LockedOut(tx, user.id, source, now));
  if (locked) {
    return MakeError(ErrorCode::kUnauthenticated,
                     "the API token's account is locked for a while for this address, after "
                     "repeated failed sign-ins from it");
  }
  return std::optional<Principal>(PrincipalFor(user));
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

// One more failed attempt on `user` from `source`; the kMaxFailedSignIns-th and each one after
// it locks the source out, for a time that doubles with each. The lock set now, if any.
Result<std::optional<std::chrono::minutes>> CountFailure(
    store::Transaction& tx, const store::User& user, std::string_view source,
    std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(auto earlier, tx.Accounts().FindSignInFailures(user.id, source));
  store::SignInFailures failures;
  // Failures long ago are forgotten, so that a few mistakes a month never add up to a lock;
  // a lock that still holds keeps its count.
  if (earlier && (earlier->last_failure_at > FormatUtc(now - kFailureMemory) ||
                  (earlier->locked_until && *earlier->locked_until > FormatUtc(now)))) {
    failures.failures = earlier->failures;
  }
  failures.failures += 1;
  failures.last_failure_at = FormatUtc(now);
  std::optional<std::chrono::minutes> lock;
  if (failures.failures >= kMaxFailedSignIns) {
    lock = kSignInLock;
    for (int64_t beyond = failures.failures - kMaxFailedSignIns;
         beyond > 0 && *lock < kMaxSignInLock; --beyond) {
      *lock *= 2;
    }
    lock = std::min(*lock, kMaxSignInLock);
    failures.locked_until = FormatUtc(now + *lock);
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetSignInFailures(user.id, source, failures));
  return lock;
}

Result<store::User> UserOf(store::Transaction& tx, const Principal& who) {
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(who.email));
  if (!user || who.user_id == 0) {
    return PermissionDenied("only a signed-in account has a second factor");
  }
  return std::move(*user);
}

}  // namespace

Result<bool> LockedOut(store::Transaction& tx, int64_t user_id, std::string_view source,
                       std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(auto failures, tx.Accounts().FindSignInFailures(user_id, source));
  return failures && failures->locked_until && *failures->locked_until > FormatUtc(now);
}

Result<SignInOutcome> SignIn(store::Transaction& tx, std::string_view email,
                             std::string_view password, std::string_view code,
                             std::string_view source, std::chrono::system_clock::time_point now) {
  SignInOutcome outcome;
  if (email.size() > 320 || password.size() > 1024 || code.size() > 16) return outcome;
  BAKEN_ASSIGN_OR_RETURN(auto user, tx.Accounts().FindUserByEmail(email));
  if (!user) {
    (void)VerifyPassword(DecoyHash(), password);
    return outcome;
  }
  outcome.refused_user = PrincipalFor(*user);
  const std::string now_text = FormatUtc(now);
  BAKEN_ASSIGN_OR_RETURN(const bool locked, LockedOut(tx, user->id, source, now));
  const bool right = VerifyPassword(user->password_hash, password);
  // Not counted: the lock already holds, or an analyst stopped the account.
  if (locked || user->disabled_at) return outcome;
  if (right && user->totp_secret && code.empty()) {
    outcome.code_needed = true;  // not counted: the password was right
    return outcome;
  }
  const std::optional<int64_t> step = FreshTotpStep(*user, code, now);  // nullopt without TOTP
  if (!right || (user->totp_secret && !step)) {
    BAKEN_ASSIGN_OR_RETURN(auto lock, CountFailure(tx, *user, source, now));
    outcome.locked_now = lock.has_value();
    outcome.lock = lock.value_or(std::chrono::minutes(0));
    return outcome;
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().ClearSignInFailures(user->id, source));
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
                                now_text, signed_in.expires_at, std::string(source), now_text, 0}));
  outcome.refused_user.reset();
  outcome.signed_in = std::move(signed_in);
  return outcome;
}

Result<std::optional<SessionUser>> AuthenticateSession(store::Transaction& tx,
                                                       std::string_view cookie_token,
                                                       std::string_view source,
                                                       std::chrono::system_clock::time_point now) {
  if (cookie_token.empty() || cookie_token.size() > 200) return std::optional<SessionUser>();
  BAKEN_ASSIGN_OR_RETURN(auto found,
                         tx.Accounts().FindSession(HashToken(cookie_token), FormatUtc(now)));
  if (!found || found->first.disabled_at) return std::optional<SessionUser>();
  BAKEN_ASSIGN_OR_RETURN(const bool locked, LockedOut(tx, found->first.id, source, now));
  if (locked) return std::optional<SessionUser>();
  return std::optional<SessionUser>(SessionUser{PrincipalFor(found->first),
                                                found->second.csrf_token, found->second.expires_at,
                                                found->second.id, found->second.last_used_at});
}

Status SignOut(store::Transaction& tx, std::string_view cookie_token) {
  return tx.Accounts().DeleteSession(HashToken(cookie_token));
}

Status Unlock(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, FindAccount(tx, email));
  return tx.Accounts().ClearSignInFailures(user.id, std::nullopt);
}

Status Disable(store::Transaction& tx, std::string_view email,
               std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, FindAccount(tx, email));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetDisabled(user.id, FormatUtc(now)));
  return tx.Accounts().DeleteSessionsOf(user.id);
}

Status Enable(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, FindAccount(tx, email));
  return tx.Accounts().SetDisabled(user.id, std::nullopt);
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

namespace {

// The first checks of a change that asks for the password again: refused while the source is
// locked out, and a wrong password counts as a failed sign-in. `done` is left false; the
// caller goes on when neither `locked` nor `password_wrong` is set.
Result<Recheck> CheckPasswordAgain(store::Transaction& tx, const store::User& user,
                                   std::string_view password, std::string_view source,
                                   std::chrono::system_clock::time_point now) {
  Recheck recheck;
  BAKEN_ASSIGN_OR_RETURN(recheck.locked, LockedOut(tx, user.id, source, now));
  if (recheck.locked) return recheck;
  if (password.size() > 1024 || !VerifyPassword(user.password_hash, password)) {
    recheck.password_wrong = true;
    BAKEN_ASSIGN_OR_RETURN(auto lock, CountFailure(tx, user, source, now));
    recheck.locked = recheck.locked_now = lock.has_value();
    recheck.lock = lock.value_or(std::chrono::minutes(0));
  }
  return recheck;
}

}  // namespace

Result<Recheck> ConfirmTotp(store::Transaction& tx, const Principal& who, std::string_view password,
                            std::string_view code, std::string_view source,
                            std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, UserOf(tx, who));
  if (user.totp_secret) return Conflict("the second factor is on already");
  if (!user.totp_pending) return Conflict("no second factor was offered; ask for a new one");
  BAKEN_ASSIGN_OR_RETURN(Recheck recheck, CheckPasswordAgain(tx, user, password, source, now));
  if (recheck.locked || recheck.password_wrong) return recheck;
  const auto step = MatchTotp(*user.totp_pending, code, now);
  if (!step) {
    return InvalidArgument(
        "code: this is not the code the app shows now (6 digits; check the phone's clock)");
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotp(user.id, user.totp_pending, std::nullopt));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotpLastStep(user.id, *step));
  recheck.done = true;
  return recheck;
}

Result<Recheck> ChangePassword(store::Transaction& tx, const Principal& who,
                               std::string_view current, std::string_view replacement,
                               std::string_view keep_token_hash, std::string_view source,
                               std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, UserOf(tx, who));
  BAKEN_ASSIGN_OR_RETURN(Recheck recheck, CheckPasswordAgain(tx, user, current, source, now));
  if (recheck.locked || recheck.password_wrong) return recheck;
  if (replacement.size() < kMinimumPasswordLength) {
    return InvalidInput(problems::password_too_short,
                        {{"min", std::to_string(kMinimumPasswordLength)}});
  }
  if (replacement.size() > kMaximumPasswordLength) {
    return InvalidInput(problems::password_too_long,
                        {{"max", std::to_string(kMaximumPasswordLength)}});
  }
  if (replacement == current) return InvalidInput(problems::password_unchanged);
  BAKEN_ASSIGN_OR_RETURN(const std::string hash, HashPassword(replacement));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetPasswordHash(user.id, hash));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().DeleteSessionsOf(user.id, keep_token_hash));
  recheck.done = true;
  return recheck;
}

Result<Recheck> DisableTotp(store::Transaction& tx, const Principal& who, std::string_view password,
                            std::string_view code, std::string_view source,
                            std::chrono::system_clock::time_point now) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, UserOf(tx, who));
  if (!user.totp_secret) return Conflict("the second factor is not on");
  BAKEN_ASSIGN_OR_RETURN(Recheck recheck, CheckPasswordAgain(tx, user, password, source, now));
  if (recheck.locked || recheck.password_wrong) return recheck;
  if (!FreshTotpStep(user, code, now)) {
    // Guessing codes with a stolen session counts towards the same lock as signing in.
    BAKEN_ASSIGN_OR_RETURN(auto lock, CountFailure(tx, user, source, now));
    recheck.locked = recheck.locked_now = lock.has_value();
    recheck.lock = lock.value_or(std::chrono::minutes(0));
    return recheck;
  }
  BAKEN_RETURN_IF_ERROR(tx.Accounts().ClearSignInFailures(user.id, source));
  BAKEN_RETURN_IF_ERROR(tx.Accounts().SetTotp(user.id, std::nullopt, std::nullopt));
  recheck.done = true;
  return recheck;
}

Status ResetTotp(store::Transaction& tx, std::string_view email) {
  BAKEN_ASSIGN_OR_RETURN(store::User user, FindAccount(tx, email));
  return tx.Accounts().SetTotp(user.id, std::nullopt, std::nullopt);
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace baken::auth
