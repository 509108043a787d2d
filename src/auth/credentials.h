#ifndef BAKEN_AUTH_CREDENTIALS_H_
#define BAKEN_AUTH_CREDENTIALS_H_

// Passwords and API tokens, on libsodium. Passwords are stored as argon2id hashes; tokens are
// random and only their SHA-256 is stored, so the database alone lets no one in.

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

}  // namespace baken::auth

#endif  // BAKEN_AUTH_CREDENTIALS_H_
