#ifndef BAKEN_ONCALL_CONTACT_SERVICE_H_
#define BAKEN_ONCALL_CONTACT_SERVICE_H_

// How an analyst wants to be paged (decision 0019): their own contact methods besides the
// account's e-mail — a webhook to an SMS or voice gateway, usable only once a code sent through
// it has been typed back — and their rules ("SMS at once, e-mail after 5 minutes"). Each
// analyst keeps their own; staff only; changes are audited.

#include <cstdint>
#include <utility>

#include "auth/principal.h"
#include "common/error.h"
#include "common/time.h"
#include "oncall/page_delivery.h"
#include "store/store.h"

namespace baken::oncall {

inline constexpr std::chrono::minutes kCodeLifetime{15};
inline constexpr int64_t kMaxCodeAttempts = 5;

class ContactService {
 public:
  explicit ContactService(
      store::Store& store, Clock clock = [] { return baken::Now(); })
      : store_(store), clock_(std::move(clock)) {}

  // {"methods": [...], "rules": [...]}: the caller's own; "rules" as they apply (none kept:
  // the e-mail at once).
  Result<Json> Mine(const auth::Principal& who);
  // `label`, `url` (http or https): a webhook, with its secret in the answer (shown once) and a
  // verification code sent through it ("code_sent", "detail").
  Result<Json> AddWebhook(const auth::Principal& who, const Json& body);
  // A new code through the method (the old one is void).
  Result<Json> SendCode(const auth::Principal& who, int64_t id);
  // `code`: the one sent; the method is verified. Five wrong tries void the code.
  Result<Json> Verify(const auth::Principal& who, int64_t id, const Json& body);
  // The method is no longer used; its rules go with it.
  Result<Json> Disable(const auth::Principal& who, int64_t id);
  // `rules`: [{"channel": "email" | "webhook:<id>", "delay_minutes"}], one per channel, each
  // channel the account's e-mail or a verified method of the caller's own.
  Result<Json> SetRules(const auth::Principal& who, const Json& body);

 private:
  Result<store::ContactMethodRecord> OwnMethod(store::Transaction& tx, const auth::Principal& who,
                                               int64_t id);
  Result<Json> SendCodeTo(store::ContactMethodRecord method);

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_CONTACT_SERVICE_H_
