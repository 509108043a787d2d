#include "auth/credentials.h"

#include <fmt/format.h>
#include <sodium.h>

#include "common/hash.h"
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
