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

  // nullopt when refused, for whatever reason (unknown address, wrong password, locked).
  Result<std::optional<auth::SignedIn>> SignIn(std::string_view email, std::string_view password);
  Result<std::optional<auth::SessionUser>> Authenticate(std::string_view cookie_token);
  Status SignOut(const auth::Principal& who, std::string_view cookie_token);

 private:
  store::Store& store_;
};

}  // namespace baken::service

#endif  // BAKEN_SERVICE_SESSION_SERVICE_H_
