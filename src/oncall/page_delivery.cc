#include "oncall/page_delivery.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "auth/credentials.h"
#include "common/text.h"
#include "common/time.h"
#include "notify/mime.h"
#include "notify/page_notice.h"
#include "oncall/roster_records.h"
#include "oncall/webhook.h"
#include "store/oncall_repository.h"

namespace baken::oncall {

namespace {

constexpr int64_t kMaxDeliveriesPerTick = 200;
constexpr long kWebhookTimeoutSeconds = 10;
constexpr std::string_view kWebhookPrefix = "webhook:";

std::optional<int64_t> WebhookMethodId(std::string_view channel) {
  if (!channel.starts_with(kWebhookPrefix)) return std::nullopt;
  return ParseInt64(channel.substr(kWebhookPrefix.size()));
}

// A one-time link for `person` to answer the page (only its hash is kept); empty without a
// portal to lead to.
Result<std::string> NewLink(store::Transaction& tx, const PageMail& mail, int64_t page_id,
                            const std::string& person, std::chrono::system_clock::time_point now) {
  if (mail.portal_url.empty()) return std::string();
  const std::string token = auth::RandomUrlSafe(32);
  store::PageLinkRecord link;
  link.token_sha256 = auth::HashToken(token);
  link.page_id = page_id;
  link.person = person;
  link.expires_at = FormatUtc(now + kLinkLifetime);
  link.created_at = FormatUtc(now);
  BAKEN_RETURN_IF_ERROR(tx.Oncall().AddPageLink(link));
  // After '#': the token is not sent to the server when the page is opened, so it stays out of
  // access logs and Referer headers; the portal reads it and posts it.
  return fmt::format("{}/page-link#{}", mail.portal_url, token);
}

// The e-mail of one notification: the page's number, severity and kind of source, never its
// subject. A message that cannot be built is kept held with the reason, never dropped.
store::OutboxMessage PageMessage(const store::PageRecord& page,
                                 const store::NotificationRecord& notification,
                                 const std::string& link, const PageMail& mail,
                                 std::chrono::system_clock::time_point now) {
  notify::PageNotice content;
  content.message_id =
      fmt::format("baken.page-{}-n{}@{}", page.id, notification.id, mail.message_id_domain);
  content.page_id = page.id;
  content.severity = page.severity;
  content.source = page.source;
  content.round = notification.round;
  content.step = notification.step;
  content.link = link;
  content.sender = mail.from;
  content.to = {{"", notification.person}};
  content.date = notify::RfcDate(now);
  store::OutboxMessage message;
  message.page_id = page.id;
  message.feed_name = fmt::format("page-{}", page.id);
  message.tlp = "AMBER";
  message.language = "nl";
  message.recipients = {notification.person};
  message.message_id = content.message_id;
  message.created_at = FormatUtc(now);
  message.updated_at = message.created_at;
  auto rendered = notify::RenderPageNotice(content);
  if (rendered) {
    message.subject = rendered->subject;
    message.mime = rendered->mime;
  } else {
    message.state = store::OutboxState::kHeld;
    message.subject = fmt::format("page {}", page.id);
    message.reason = rendered.error().message;
  }
  return message;
}

// What a webhook says: as little as the e-mail. "delivery" stays the same on every retry.
std::string WebhookBody(const store::PageRecord& page,
                        const store::NotificationRecord& notification, const std::string& link) {
  Json body{{"type", "page"},
            {"delivery", fmt::format("page-{}-n{}", page.id, notification.id)},
            {"page", page.id},
            {"severity", page.severity},
            {"source", page.source},
            {"round", notification.round + 1},
            {"step", notification.step + 1}};
  if (!link.empty()) body["link"] = link;
  return body.dump();
}

store::PageEventRecord DeliveryEvent(const store::NotificationRecord& notification,
                                     std::string_view kind, std::string_view at,
                                     std::string detail) {
  store::PageEventRecord event;
  event.page_id = notification.page_id;
  event.at = std::string(at);
  event.kind = std::string(kind);
  event.round = notification.round;
  event.step = notification.step;
  event.person = notification.person;
  event.channel = notification.channel;
  event.detail = std::move(detail);
  return event;
}

}  // namespace

void Tally(Json& summary, const char* name) { summary[name] = summary.value(name, 0) + 1; }

Result<std::vector<store::NotificationRuleRecord>> ChannelsOf(store::Transaction& tx,
                                                              std::string_view person) {
  BAKEN_ASSIGN_OR_RETURN(auto rules, tx.ContactMethods().Rules(person));
  std::vector<store::NotificationRuleRecord> usable;
  for (const auto& rule : rules) {
    if (rule.channel == "email") {
      usable.push_back(rule);
      continue;
    }
    const auto method_id = WebhookMethodId(rule.channel);
    if (!method_id) continue;
    BAKEN_ASSIGN_OR_RETURN(auto method, tx.ContactMethods().FindMethod(*method_id));
    if (method && method->person == person && method->verified_at && !method->disabled_at) {
      usable.push_back(rule);
    }
  }
  if (usable.empty()) usable.push_back({"email", 0});
  return usable;
}

std::chrono::seconds WebhookBackoff(int64_t attempts) {
  const int64_t doublings = std::clamp<int64_t>(attempts - 1, 0, 10);
  return std::min(std::chrono::seconds{30 << doublings}, std::chrono::seconds{30 * 60});
}

Status PageDelivery::DeliverDue(const PageMail& mail, Json& summary) {
  std::vector<store::NotificationRecord> due;
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(
        due, tx->Oncall().DueNotifications(FormatUtc(clock_()), kMaxDeliveriesPerTick));
  }
  for (const auto& notification : due) {
    BAKEN_RETURN_IF_ERROR(DeliverOne(notification.id, mail, summary));
  }
  return {};
}

Status PageDelivery::DeliverOne(int64_t id, const PageMail& mail, Json& summary) {
  const auto now = clock_();
  const std::string stamp = FormatUtc(now);
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  BAKEN_ASSIGN_OR_RETURN(auto notification, tx->Oncall().FindNotification(id));
  if (!notification || notification->state != "planned" || notification->due_at > stamp) {
    return {};  // taken by another run since it was listed
  }
  BAKEN_ASSIGN_OR_RETURN(auto page, tx->Oncall().FindPage(notification->page_id));
  if (!page) return Internal(fmt::format("notification {} has no page", id));
  if (page->state != "triggered") {
    // Answered before this was due ("e-mail after 5 minutes" when nobody answered at once).
    notification->state = "cancelled";
    notification->done_at = stamp;
    BAKEN_RETURN_IF_ERROR(tx->Oncall().SaveNotification(*notification));
    Tally(summary, "cancelled");
    return tx->Commit();
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string link,
                         NewLink(*tx, mail, page->id, notification->person, now));
  if (notification->channel == "email") {
    BAKEN_ASSIGN_OR_RETURN(const int64_t outbox_id,
                           tx->Outbox().Add(PageMessage(*page, *notification, link, mail, now)));
    notification->state = "sent";
    notification->attempts = 1;
    notification->done_at = stamp;
    BAKEN_RETURN_IF_ERROR(tx->Oncall().SaveNotification(*notification));
    BAKEN_RETURN_IF_ERROR(tx->Oncall().AddPageEvent(
        DeliveryEvent(*notification, "notified", stamp, fmt::format("outbox:{}", outbox_id))));
    Tally(summary, "notified");
    return tx->Commit();
  }
  const auto method_id = WebhookMethodId(notification->channel);
  std::optional<store::ContactMethodRecord> method;
  if (method_id) {
    BAKEN_ASSIGN_OR_RETURN(method, tx->ContactMethods().FindMethod(*method_id));
  }
  if (!method || method->disabled_at || !method->verified_at) {
    notification->state = "failed";
    notification->done_at = stamp;
    notification->last_error = "the contact method is no longer in use";
    BAKEN_RETURN_IF_ERROR(tx->Oncall().SaveNotification(*notification));
    BAKEN_RETURN_IF_ERROR(tx->Oncall().AddPageEvent(
        DeliveryEvent(*notification, "delivery_failed", stamp, *notification->last_error)));
    Tally(summary, "failed");
    return tx->Commit();
  }
  // Taken for the time the post can last: a run killed while posting leaves it due again
  // after that, for the next run (at least once).
  notification->attempts += 1;
  notification->due_at = FormatUtc(now + std::chrono::seconds{kWebhookTimeoutSeconds + 60});
  BAKEN_RETURN_IF_ERROR(tx->Oncall().SaveNotification(*notification));
  BAKEN_RETURN_IF_ERROR(tx->Commit());

  const WebhookAnswer answer =
      PostWebhook(method->url, method->secret, WebhookBody(*page, *notification, link),
                  std::chrono::floor<std::chrono::seconds>(now), kWebhookTimeoutSeconds);

  const auto after = clock_();
  const std::string done = FormatUtc(after);
  BAKEN_ASSIGN_OR_RETURN(auto record, store_.Begin(store::Access::kWrite));
  if (answer.delivered) {
    notification->state = "delivered";
    notification->done_at = done;
    notification->last_error.reset();
    BAKEN_RETURN_IF_ERROR(record->Oncall().SaveNotification(*notification));
    BAKEN_RETURN_IF_ERROR(record->Oncall().AddPageEvent(
        DeliveryEvent(*notification, "notified", done, answer.detail)));
    Tally(summary, "notified");
  } else if (notification->attempts >= kMaxWebhookAttempts) {
    notification->state = "failed";
    notification->done_at = done;
    notification->last_error = answer.detail;
    BAKEN_RETURN_IF_ERROR(record->Oncall().SaveNotification(*notification));
    BAKEN_RETURN_IF_ERROR(record->Oncall().AddPageEvent(
        DeliveryEvent(*notification, "delivery_failed", done, answer.detail)));
    Tally(summary, "failed");
  } else {
    notification->due_at = FormatUtc(after + WebhookBackoff(notification->attempts));
    notification->last_error = answer.detail;
    BAKEN_RETURN_IF_ERROR(record->Oncall().SaveNotification(*notification));
    Tally(summary, "retried");
  }
  return record->Commit();
}

}  // namespace baken::oncall
