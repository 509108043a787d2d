// Pages and escalation policies in the store, on both engines: one open page per dedup key (the
// same problem pages once, and again once the first is resolved); a notification is planned
// once per page, round, step, person and channel, comes due at its time and is cancelled when
// the page is answered; a page's progress and history are kept; only due open pages come back
// for the engine; a page's e-mail goes through the outbox; a page's link is used once; one
// policy is the default; an analyst's contact methods and rules are kept.

#include <gtest/gtest.h>

#include "store/contact_method_repository.h"
#include "store/oncall_repository.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

class PagingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    PolicyRecord policy;
    policy.name = "Piket";
    policy.steps = R"([{"delay_minutes": 0, "targets": [{"kind": "on_duty", "rotation": 1}]}])";
    policy.repeat_count = 2;
    policy.ack_timeout_minutes = 30;
    policy.created_by = policy.created_at = policy.updated_at = "2026-12-06T09:00:00Z";
    auto id = (*tx)->Oncall().AddPolicy(policy);
    ASSERT_TRUE(id) << id.error().message;
    policy_ = *id;
    policy.name = "PIKET";
    EXPECT_EQ((*tx)->Oncall().AddPolicy(policy).error().code, ErrorCode::kConflict);
    ASSERT_TRUE((*tx)->Commit());
  }

  PageRecord Page(const std::string& key, const std::string& next_at) const {
    PageRecord page;
    page.source = "heartbeat";
    page.severity = "high";
    page.dedup_key = key;
    page.subject = "feed:scan_rdp";
    page.policy_id = policy_;
    page.next_at = next_at;
    page.created_by = "baken";
    page.created_at = "2026-12-06T09:00:00Z";
    return page;
  }
  std::pair<int64_t, bool> Add(const PageRecord& page) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    auto added = (*tx)->Oncall().AddPage(page);
    EXPECT_TRUE(added) << added.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return added.value_or(std::make_pair(int64_t{0}, false));
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
  int64_t policy_ = 0;
};

TEST_F(PagingStoreTest, TheSameProblemPagesOnceUntilItIsResolved) {
  const auto [first, added] = Add(Page("heartbeat:scan_rdp", "2026-12-06T09:00:00Z"));
  EXPECT_TRUE(added);
  const auto [again, added_again] = Add(Page("heartbeat:scan_rdp", "2026-12-06T10:00:00Z"));
  EXPECT_FALSE(added_again);
  EXPECT_EQ(again, first);
  const auto [other, other_added] = Add(Page("heartbeat:scan_vnc", "2026-12-06T09:00:00Z"));
  EXPECT_TRUE(other_added);
  EXPECT_NE(other, first);
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    auto page = (*tx)->Oncall().FindPage(first);
    ASSERT_TRUE(page && *page);
    (*page)->state = "resolved";
    (*page)->resolved_by = "anna@cert.example.nl";
    (*page)->resolved_at = "2026-12-06T09:30:00Z";
    ASSERT_TRUE((*tx)->Oncall().SavePage(**page));
    ASSERT_TRUE((*tx)->Commit());
  }
  // Resolved, the problem may page again: a new page.
  const auto [next, next_added] = Add(Page("heartbeat:scan_rdp", "2026-12-07T09:00:00Z"));
  EXPECT_TRUE(next_added);
  EXPECT_NE(next, first);
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  EXPECT_EQ((*tx)->Oncall().Pages(/*open_only=*/true, 10)->size(), 2u);
  const auto all = (*tx)->Oncall().Pages(/*open_only=*/false, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, next);  // newest first
  EXPECT_EQ((*all)[2].resolved_by, "anna@cert.example.nl");
}

TEST_F(PagingStoreTest, ANotificationIsPlannedOncePerStepPersonAndChannel) {
  const int64_t page = Add(Page("incident:7", "2026-12-06T09:00:00Z")).first;
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& oncall = (*tx)->Oncall();
  const auto plan = [&](int64_t round, int64_t step, const char* person, const char* channel,
                        const char* due) {
    NotificationRecord record;
    record.page_id = page;
    record.round = round;
    record.step = step;
    record.person = person;
    record.channel = channel;
    record.planned_at = "2026-12-06T09:00:00Z";
    record.due_at = due;
    auto planned = oncall.PlanNotification(record);
    EXPECT_TRUE(planned) << planned.error().message;
    return planned ? planned->has_value() : false;
  };
  EXPECT_TRUE(plan(0, 0, "anna", "email", "2026-12-06T09:00:00Z"));
  EXPECT_FALSE(plan(0, 0, "anna", "email", "2026-12-06T09:00:05Z"));
  EXPECT_TRUE(plan(0, 0, "anna", "webhook:3", "2026-12-06T09:05:00Z"));
  EXPECT_TRUE(plan(0, 1, "anna", "email", "2026-12-06T09:10:00Z"));
  EXPECT_TRUE(plan(1, 0, "anna", "email", "2026-12-06T09:20:00Z"));
  EXPECT_TRUE(plan(0, 0, "bram", "email", "2026-12-06T09:00:00Z"));

  // Due in the order they go; the e-mail after five minutes not yet at 09:04.
  auto due = oncall.DueNotifications("2026-12-06T09:04:00Z", 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].person, "anna");
  EXPECT_EQ((*due)[1].person, "bram");
  EXPECT_EQ((*due)[0].state, "planned");

  // A webhook retried later is due again only then; a sent one never again.
  NotificationRecord sent = (*due)[0];
  sent.state = "sent";
  sent.attempts = 1;
  sent.done_at = "2026-12-06T09:04:00Z";
  ASSERT_TRUE(oncall.SaveNotification(sent));
  NotificationRecord retried = (*due)[1];
  retried.attempts = 1;
  retried.due_at = "2026-12-06T09:30:00Z";
  retried.last_error = "HTTP 503";
  ASSERT_TRUE(oncall.SaveNotification(retried));
  due = oncall.DueNotifications("2026-12-06T09:10:00Z", 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);  // the webhook at 09:05 and step 1 at 09:10
  EXPECT_EQ((*due)[0].channel, "webhook:3");

  // Answering the page cancels what was still to go.
  EXPECT_EQ(*oncall.CancelNotifications(page, "2026-12-06T09:11:00Z"), 4);
  EXPECT_TRUE(oncall.DueNotifications("2026-12-06T10:00:00Z", 10)->empty());
  const auto found = oncall.FindNotification(retried.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->state, "cancelled");
  EXPECT_EQ((*found)->last_error, "HTTP 503");
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(PagingStoreTest, APageLinkIsUsedOnce) {
  const int64_t page = Add(Page("incident:8", "2026-12-06T09:00:00Z")).first;
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& oncall = (*tx)->Oncall();
  PageLinkRecord link;
  link.token_sha256 = "abc123";
  link.page_id = page;
  link.person = "anna@cert.example.nl";
  link.expires_at = "2026-12-07T09:00:00Z";
  link.created_at = "2026-12-06T09:00:00Z";
  ASSERT_TRUE(oncall.AddPageLink(link));
  auto found = oncall.FindPageLink("abc123");
  ASSERT_TRUE(found && *found);
  EXPECT_FALSE((*found)->used_at);
  EXPECT_TRUE(*oncall.UsePageLink((*found)->id, "acknowledge", "2026-12-06T09:05:00Z"));
  EXPECT_FALSE(*oncall.UsePageLink((*found)->id, "resolve", "2026-12-06T09:06:00Z"));
  found = oncall.FindPageLink("abc123");
  EXPECT_EQ((*found)->used_for, "acknowledge");
  EXPECT_FALSE(*oncall.FindPageLink("abc124"));
  // A key Baken raised a page for once stays used, also when that page is resolved.
  EXPECT_TRUE(*oncall.PageKeyUsed("incident:8"));
  EXPECT_FALSE(*oncall.PageKeyUsed("incident:9"));
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(PagingStoreTest, OnePolicyIsTheDefault) {
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& oncall = (*tx)->Oncall();
  PolicyRecord first;
  first.name = "Nacht";
  first.is_default = true;
  first.created_by = first.created_at = first.updated_at = "2026-12-06T09:00:00Z";
  auto added = oncall.AddPolicy(first);
  ASSERT_TRUE(added) << added.error().message;
  first.id = *added;
  PolicyRecord second = first;
  second.name = "Kantoor";
  added = oncall.AddPolicy(second);
  ASSERT_TRUE(added) << added.error().message;
  second.id = *added;
  auto fallback = oncall.DefaultPolicy();
  ASSERT_TRUE(fallback && *fallback);
  EXPECT_EQ((*fallback)->id, second.id);  // the newest default took the mark
  first.is_default = true;
  ASSERT_TRUE(oncall.UpdatePolicy(first));
  EXPECT_EQ((*oncall.DefaultPolicy())->id, first.id);
  EXPECT_FALSE((*oncall.FindPolicy(second.id))->is_default);
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(PagingStoreTest, AnAnalystsContactMethodsAndRulesAreKept) {
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& contacts = (*tx)->ContactMethods();
  ContactMethodRecord method;
  method.person = "anna@cert.example.nl";
  method.label = "SMS";
  method.url = "https://sms.example/hook";
  method.secret = "s3cret";
  method.created_at = "2026-12-06T09:00:00Z";
  method.id = *contacts.AddMethod(method);
  method.verified_at = "2026-12-06T09:01:00Z";
  ASSERT_TRUE(contacts.SaveMethod(method));
  ContactMethodRecord other = method;
  other.person = "bram@cert.example.nl";
  contacts.AddMethod(other);
  const auto mine = contacts.Methods("anna@cert.example.nl");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].verified_at, "2026-12-06T09:01:00Z");
  EXPECT_EQ((*mine)[0].secret, "s3cret");
  const std::vector<NotificationRuleRecord> rules = {{"email", 5},
                                                     {"webhook:" + std::to_string(method.id), 0}};
  ASSERT_TRUE(contacts.ReplaceRules("anna@cert.example.nl", rules));
  auto kept = contacts.Rules("anna@cert.example.nl");
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].delay_minutes, 0);  // by delay
  EXPECT_EQ((*kept)[1].channel, "email");
  ASSERT_TRUE(contacts.ReplaceRules("anna@cert.example.nl", {}));
  EXPECT_TRUE(contacts.Rules("anna@cert.example.nl")->empty());
  EXPECT_TRUE(contacts.Rules("bram@cert.example.nl")->empty());
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(PagingStoreTest, OnlyDueOpenPagesComeBackAndTheirProgressAndHistoryAreKept) {
  const int64_t due = Add(Page("incident:1", "2026-12-06T09:00:00Z")).first;
  Add(Page("incident:2", "2026-12-06T09:30:00Z"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& oncall = (*tx)->Oncall();
  auto pages = oncall.DuePages("2026-12-06T09:10:00Z", 10);
  ASSERT_TRUE(pages);
  ASSERT_EQ(pages->size(), 1u);
  PageRecord page = (*pages)[0];
  EXPECT_EQ(page.id, due);
  page.state = "acknowledged";
  page.round = 1;
  page.repeats_left = 1;
  page.step = 2;
  page.exhausted = true;
  page.next_at = "2026-12-06T09:40:00Z";
  page.acknowledged_by = "bram@cert.example.nl";
  page.acknowledged_at = "2026-12-06T09:10:00Z";
  ASSERT_TRUE(oncall.SavePage(page));
  ASSERT_TRUE(oncall.AddPageEvent(
      {0, due, "2026-12-06T09:00:00Z", "notified", 0, 0, "anna", "email", std::nullopt}));
  ASSERT_TRUE(oncall.AddPageEvent({0, due, "2026-12-06T09:10:00Z", "acknowledged", std::nullopt,
                                   std::nullopt, "bram", "link", std::nullopt}));
  EXPECT_TRUE(oncall.DuePages("2026-12-06T09:10:00Z", 10)->empty());
  EXPECT_EQ(oncall.DuePages("2026-12-06T09:40:00Z", 10)->size(), 2u);
  const auto kept = oncall.FindPage(due);
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->state, "acknowledged");
  EXPECT_EQ((*kept)->round, 1);
  EXPECT_EQ((*kept)->repeats_left, 1);
  EXPECT_EQ((*kept)->step, 2);
  EXPECT_TRUE((*kept)->exhausted);
  EXPECT_EQ((*kept)->acknowledged_by, "bram@cert.example.nl");
  const auto history = oncall.PageEvents(due);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].kind, "notified");
  EXPECT_EQ((*history)[0].round, 0);
  EXPECT_EQ((*history)[1].kind, "acknowledged");
  EXPECT_FALSE((*history)[1].round);
  ASSERT_TRUE((*tx)->Commit());
  const auto policies = [&] {
    auto read = store_->Begin(Access::kRead);
    return (*read)->Oncall().Policies();
  }();
  ASSERT_TRUE(policies);
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ((*policies)[0].repeat_count, 2);
  EXPECT_EQ((*policies)[0].ack_timeout_minutes, 30);
}

TEST_F(PagingStoreTest, APagesEmailGoesThroughTheOutboxAndBelongsToThePage) {
  const int64_t page = Add(Page("incident:9", "2026-12-06T09:00:00Z")).first;
  OutboxMessage message;
  message.page_id = page;
  message.feed_name = "page-9";
  message.tlp = "AMBER";
  message.language = "nl";
  message.recipients = {"anna@cert.example.nl"};
  message.subject = "Piket: pagina 9";
  message.message_id = "baken.page-9-0-0-0@cert.example";
  message.mime = "Subject: Piket: pagina 9\r\n\r\n";
  message.created_at = message.updated_at = "2026-12-06T09:00:00Z";
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto id = (*tx)->Outbox().Add(message);
  ASSERT_TRUE(id) << id.error().message;
  const auto stored = (*tx)->Outbox().Get(*id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->page_id, page);
  EXPECT_FALSE((*stored)->incident_id);
  EXPECT_EQ((*stored)->member, "");
  // A message belongs to exactly one thing: a page's and an incident's at once is refused.
  message.message_id = "baken.page-9-0-0-1@cert.example";
  message.incident_id = 1;
  EXPECT_FALSE((*tx)->Outbox().Add(message));
}

}  // namespace
}  // namespace baken::store
