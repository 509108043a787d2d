#ifndef BAKEN_ONCALL_PAGE_DELIVERY_H_
#define BAKEN_ONCALL_PAGE_DELIVERY_H_

// Delivering a page's notifications (decision 0019). The escalate job plans a notification per
// step, person and channel when the step comes due (PagingService::Escalate), due after the
// person's rule for that channel ("SMS at once, e-mail after 5 minutes"); this delivers the
// due ones: an e-mail into the outbox in the transaction that marks it sent (at most once), a
// webhook posted and retried with backoff until the gateway answers 2xx (at least once; the
// gateway drops repeats by the delivery id). A notification of a page answered before it was
// due is cancelled. Each carries a one-time link to answer the page.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "registry/member_json.h"
#include "store/contact_method_repository.h"
#include "store/store.h"

namespace baken::oncall {

using Json = registry::Json;
using Clock = std::function<std::chrono::system_clock::time_point()>;

// How a page goes out: the escalate job takes this from the configuration.
struct PageMail {
  std::string from = "Baken CERT <cert@baken.invalid>";
  std::string message_id_domain = "baken.invalid";
  std::string portal_url;  // where the one-time links lead; empty: pages carry no link
};

inline constexpr std::chrono::hours kLinkLifetime{24};
inline constexpr int64_t kMaxWebhookAttempts = 8;

// The channels a person's steps go by, with their delays: the person's rules whose method is
// verified and enabled; none: the account's e-mail at once (a page is never sent nowhere).
Result<std::vector<store::NotificationRuleRecord>> ChannelsOf(store::Transaction& tx,
                                                              std::string_view person);

// Adds one to the count `name` of a job's summary.
void Tally(Json& summary, const char* name);

// A webhook retried after `attempts` failures: 30 s, doubling, at most 30 minutes.
std::chrono::seconds WebhookBackoff(int64_t attempts);

class PageDelivery {
 public:
  PageDelivery(store::Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  // Every notification due now. Counts into `summary`: "notified" (e-mail in the outbox, a
  // webhook answered), "retried", "failed" (a webhook out of attempts), "cancelled".
  Status DeliverDue(const PageMail& mail, Json& summary);

 private:
  Status DeliverOne(int64_t id, const PageMail& mail, Json& summary);

  store::Store& store_;
  Clock clock_;
};

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_PAGE_DELIVERY_H_
