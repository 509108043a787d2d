// Researchers' reports in the store (decision 0020), on both engines: reports are listed newest
// first and filtered by state and by whether they reach a member; the reports and challenges
// from one source are counted for the rate limits; a report and a notification are saved only
// from the state (and reminder count) they were read in; a member has one notification per
// report and reads only its own; only notifications waiting for an answer come due; messages
// are released; evidence keeps its bytes; a status link leads to its report until it expires; a
// challenge is used once and not after it expired; a notice is planned once; a report's e-mail
// goes through the outbox.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/member.h"
#include "registry/scope.h"
#include "store/disclosure_repository.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

using registry::Scope;
using ::testing::ElementsAre;

constexpr const char* kMorning = "2026-12-07T09:00:00Z";

class DisclosureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    for (const char* code : {"GM0001", "GM0002"}) {
      registry::Member member;
      member.code = code;
      member.name = std::string("Gemeente ") + code;
      registry::Claim claim;
      claim.kind = registry::ClaimKind::kDomain;
      claim.value = std::string(code) == "GM0001" ? "een.example" : "twee.example";
      claim.state = registry::ClaimState::kApproved;
      member.claims.push_back(claim);
      auto tx = store_->Begin(Access::kWrite);
      ASSERT_TRUE(tx);
      ASSERT_TRUE((*tx)->Members().Upsert(member, "test", "2026-11-23T10:00:00Z"));
      ASSERT_TRUE((*tx)->Commit());
    }
  }
  void TearDown() override { store_.reset(); }

  static VulnerabilityReport Report(const std::string& title, const std::string& state = "received",
                                    const std::string& source = "source-a",
                                    const std::string& at = kMorning) {
    VulnerabilityReport report;
    report.title = title;
    report.description = "About " + title;
    report.state = state;
    report.source_key = source;
    report.created_at = report.updated_at = at;
    return report;
  }

  static VulnerabilityNotification Notification(int64_t report, const std::string& member,
                                                const std::string& state = "notified") {
    VulnerabilityNotification notification;
    notification.report_id = report;
    notification.member = member;
    notification.state = state;
    notification.routed_by = "domain";
    notification.created_at = notification.updated_at = kMorning;
    return notification;
  }

  // Adds the report in a transaction of its own.
  int64_t Add(const VulnerabilityReport& report) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    if (!tx) return 0;
    auto id = (*tx)->Disclosure().AddReport(report);
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return id.value_or(0);
  }

  // Adds the notification in a transaction of its own; its id.
  int64_t Notify(const VulnerabilityNotification& notification) {
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    if (!tx) return 0;
    auto id = (*tx)->Disclosure().AddNotification(notification);
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE(id && *id);
    EXPECT_TRUE((*tx)->Commit());
    return id && *id ? **id : 0;
  }

  std::vector<int64_t> ReportIds(const ReportQuery& query) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    if (!tx) return {};
    auto reports = (*tx)->Disclosure().Reports(query);
    EXPECT_TRUE(reports) << reports.error().message;
    std::vector<int64_t> ids;
    for (const VulnerabilityReport& report : reports.value_or(std::vector<VulnerabilityReport>{})) {
      ids.push_back(report.id);
    }
    return ids;
  }

  int64_t Count(const ReportQuery& query) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    if (!tx) return -1;
    auto count = (*tx)->Disclosure().CountReports(query);
    EXPECT_TRUE(count) << count.error().message;
    return count.value_or(-1);
  }

  testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(DisclosureStoreTest, AReportIsStoredWithAllItsFields) {
  VulnerabilityReport report = Report("Open RDP");
  report.channel = "api";
  report.severity = "high";
  report.reporter_name = "Ada";
  report.reporter_email = "ada@researcher.example";
  report.reporter_organisation = "Lab";
  report.reporter_language = "en";
  report.share_details = true;
  report.credit = true;
  report.credit_as = "Ada L.";
  report.wants_updates = true;
  report.tlp = "GREEN";
  report.submitted_by = "user:soc@cert.example";
  const int64_t id = Add(report);
  ASSERT_GT(id, 0);
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto found = (*tx)->Disclosure().FindReport(id);
  ASSERT_TRUE(found && *found);
  const VulnerabilityReport& stored = **found;
  EXPECT_EQ(stored.id, id);
  EXPECT_EQ(stored.channel, "api");
  EXPECT_EQ(stored.title, "Open RDP");
  EXPECT_EQ(stored.description, "About Open RDP");
  EXPECT_EQ(stored.severity, "high");
  EXPECT_EQ(stored.reporter_name, "Ada");
  EXPECT_EQ(stored.reporter_email, "ada@researcher.example");
  EXPECT_EQ(stored.reporter_organisation, "Lab");
  EXPECT_EQ(stored.reporter_language, "en");
  EXPECT_TRUE(stored.share_details);
  EXPECT_TRUE(stored.credit);
  EXPECT_EQ(stored.credit_as, "Ada L.");
  EXPECT_TRUE(stored.wants_updates);
  EXPECT_EQ(stored.tlp, "GREEN");
  EXPECT_FALSE(stored.member_summary);
  EXPECT_EQ(stored.state, "received");
  EXPECT_FALSE(stored.merged_into);
  EXPECT_EQ(stored.source_key, "source-a");
  EXPECT_EQ(stored.submitted_by, "user:soc@cert.example");
  EXPECT_EQ(stored.created_at, kMorning);
  EXPECT_FALSE(stored.closed_at);
  auto missing = (*tx)->Disclosure().FindReport(id + 1000);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_F(DisclosureStoreTest, ReportsAreListedNewestFirstAndFilteredByStateAndRouting) {
  const int64_t unrouted = Add(Report("nobody's"));
  const int64_t routed = Add(Report("routed", "valid"));
  const int64_t withdrawn = Add(Report("withdrawn only"));
  Notify(Notification(routed, "GM0001"));
  Notify(Notification(withdrawn, "GM0002", "withdrawn"));

  EXPECT_THAT(ReportIds({}), ElementsAre(withdrawn, routed, unrouted));
  EXPECT_EQ(Count({}), 3);
  ReportQuery received;
  received.state = "received";
  EXPECT_THAT(ReportIds(received), ElementsAre(withdrawn, unrouted));
  EXPECT_EQ(Count(received), 2);
  // A report whose only notification was withdrawn reaches no member.
  ReportQuery nobody;
  nobody.unrouted_only = true;
  EXPECT_THAT(ReportIds(nobody), ElementsAre(withdrawn, unrouted));
  EXPECT_EQ(Count(nobody), 2);
  nobody.state = "valid";
  EXPECT_TRUE(ReportIds(nobody).empty());
  EXPECT_EQ(Count(nobody), 0);
  // Nor does one with candidates only, until an analyst confirms one.
  const int64_t candidates = Add(Report("candidates only"));
  Notify(Notification(candidates, "GM0001", "proposed"));
  nobody.state.reset();
  EXPECT_THAT(ReportIds(nobody), ElementsAre(candidates, withdrawn, unrouted));
  // The period a report came in.
  ReportQuery before;
  before.to = kMorning;
  EXPECT_TRUE(ReportIds(before).empty());
  ReportQuery since;
  since.from = kMorning;
  EXPECT_EQ(Count(since), 4);
  // A page of the list; the count is the whole list's.
  ReportQuery page;
  page.limit = 1;
  page.offset = 2;
  EXPECT_THAT(ReportIds(page), ElementsAre(routed));
  EXPECT_EQ(Count(page), 4);
}

TEST_F(DisclosureStoreTest, ReportsFromOneSourceAreCountedSinceATime) {
  Add(Report("one", "received", "source-a", "2026-12-07T08:00:00Z"));
  Add(Report("two", "received", "source-a", "2026-12-07T08:30:00Z"));
  Add(Report("three", "received", "source-a", "2026-12-07T09:00:00Z"));
  Add(Report("other", "received", "source-b", "2026-12-07T09:00:00Z"));
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  EXPECT_EQ(*disclosure.CountReportsFrom("source-a", "2026-12-07T07:00:00Z"), 3);
  EXPECT_EQ(*disclosure.CountReportsFrom("source-a", "2026-12-07T08:30:00Z"), 2);
  EXPECT_EQ(*disclosure.CountReportsFrom("source-a", "2026-12-07T09:00:01Z"), 0);
  EXPECT_EQ(*disclosure.CountReportsFrom("source-b", "2026-12-07T07:00:00Z"), 1);
  EXPECT_EQ(*disclosure.CountReportsFrom("source-c", "2026-12-07T07:00:00Z"), 0);
}

TEST_F(DisclosureStoreTest, AReportIsSavedOnlyFromTheStateItWasReadIn) {
  const int64_t id = Add(Report("to judge"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  VulnerabilityReport report = **disclosure.FindReport(id);
  report.state = "valid";
  report.tlp = "GREEN";
  report.member_summary = "A server of yours answers on RDP.";
  report.state_reason = "checked";
  report.updated_at = "2026-12-07T10:00:00Z";
  auto saved = disclosure.SaveReport(report, "received");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_TRUE(*saved);
  // A second analyst who read it as received too: refused, nothing changes.
  VulnerabilityReport stale = report;
  stale.state = "invalid";
  stale.tlp = "RED";
  stale.updated_at = "2026-12-07T10:05:00Z";
  saved = disclosure.SaveReport(stale, "received");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_FALSE(*saved);
  const VulnerabilityReport stored = **disclosure.FindReport(id);
  EXPECT_EQ(stored.state, "valid");
  EXPECT_EQ(stored.tlp, "GREEN");
  EXPECT_EQ(stored.member_summary, "A server of yours answers on RDP.");
  EXPECT_EQ(stored.state_reason, "checked");
  EXPECT_EQ(stored.updated_at, "2026-12-07T10:00:00Z");
  // The reporter's own fields are not the analyst's to change.
  report.title = "changed";
  report.state = "closed";
  report.closed_at = "2026-12-07T11:00:00Z";
  EXPECT_TRUE(*disclosure.SaveReport(report, "valid"));
  const VulnerabilityReport closed = **disclosure.FindReport(id);
  EXPECT_EQ(closed.title, "to judge");
  EXPECT_EQ(closed.state, "closed");
  EXPECT_EQ(closed.closed_at, "2026-12-07T11:00:00Z");
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(DisclosureStoreTest, ItemsKeepWhereEachWasRoutedAndAreKeptOnce) {
  const int64_t report = Add(Report("items"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ReportItem host{0, report, "host", "www.een.example", "GM0001", "domain", "een.example"};
  ReportItem product{
      0, report, "product", "fortinet|fortios|7.2", std::nullopt, std::nullopt, std::nullopt};
  ASSERT_TRUE(disclosure.AddItem(host));
  ASSERT_TRUE(disclosure.AddItem(product));
  const auto items = disclosure.Items(report);
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].kind, "host");
  EXPECT_EQ((*items)[0].value, "www.een.example");
  EXPECT_EQ((*items)[0].member, "GM0001");
  EXPECT_EQ((*items)[0].route_reason, "domain");
  EXPECT_EQ((*items)[0].route_match, "een.example");
  EXPECT_EQ((*items)[1].kind, "product");
  EXPECT_FALSE((*items)[1].member);
  EXPECT_FALSE((*items)[1].route_reason);
  EXPECT_TRUE(disclosure.Items(report + 1000)->empty());
  // The same item of one report twice is refused (last: PostgreSQL ends the transaction).
  EXPECT_FALSE(disclosure.AddItem(host));
}

TEST_F(DisclosureStoreTest, AMemberGetsOneNotificationPerReport) {
  const int64_t report = Add(Report("twice"));
  const int64_t first = Notify(Notification(report, "GM0002"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  auto again = disclosure.AddNotification(Notification(report, "GM0002", "proposed"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  auto other = disclosure.AddNotification(Notification(report, "GM0001"));
  ASSERT_TRUE(other && *other);
  EXPECT_NE(**other, first);
  const auto notifications = disclosure.Notifications(report);
  ASSERT_TRUE(notifications);
  ASSERT_EQ(notifications->size(), 2u);  // by member
  EXPECT_EQ((*notifications)[0].member, "GM0001");
  EXPECT_EQ((*notifications)[0].member_name, "Gemeente GM0001");
  EXPECT_EQ((*notifications)[1].id, first);
  EXPECT_EQ((*notifications)[1].state, "notified");  // the second add changed nothing
}

TEST_F(DisclosureStoreTest, AMovedNotificationTakesOnlyItsMembersThreadAlong) {
  const int64_t original = Add(Report("original"));
  const int64_t duplicate = Add(Report("duplicate"));
  const int64_t moving = Notify(Notification(duplicate, "GM0002"));
  const int64_t staying = Notify(Notification(duplicate, "GM0001"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  for (const std::optional<std::string>& member :
       {std::optional<std::string>("GM0002"), std::optional<std::string>("GM0001"),
        std::optional<std::string>()}) {
    ReportMessage message;
    message.report_id = duplicate;
    message.member = member;
    message.author = member ? "user:desk@" + *member : "reporter";
    message.text = "from " + message.author;
    message.at = kMorning;
    ASSERT_TRUE(disclosure.AddMessage(message));
  }
  auto found = disclosure.FindNotification(Scope::All(), moving);
  ASSERT_TRUE(found && *found);
  ASSERT_TRUE(disclosure.MoveNotification(**found, original));
  // The merge also marks the duplicate; the original lists it.
  auto report = disclosure.FindReport(duplicate);
  ASSERT_TRUE(report && *report);
  (*report)->merged_into = original;
  (*report)->state = "closed";
  ASSERT_TRUE(disclosure.SaveReport(**report, "received").value_or(false));

  auto on_original = disclosure.Notifications(original);
  ASSERT_TRUE(on_original);
  ASSERT_EQ(on_original->size(), 1u);
  EXPECT_EQ((*on_original)[0].id, moving);
  EXPECT_EQ((*on_original)[0].member, "GM0002");
  auto left = disclosure.Notifications(duplicate);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, staying);
  auto moved_thread = disclosure.Messages(original);
  ASSERT_TRUE(moved_thread);
  ASSERT_EQ(moved_thread->size(), 1u);
  EXPECT_EQ((*moved_thread)[0].member, "GM0002");
  auto kept_thread = disclosure.Messages(duplicate);
  ASSERT_TRUE(kept_thread);
  ASSERT_EQ(kept_thread->size(), 2u);  // the other member's and the reporter's stay
  auto duplicates = disclosure.Duplicates(original);
  ASSERT_TRUE(duplicates) << duplicates.error().message;
  ASSERT_EQ(duplicates->size(), 1u);
  EXPECT_EQ((*duplicates)[0].id, duplicate);
  EXPECT_TRUE(disclosure.Duplicates(duplicate)->empty());
}

TEST_F(DisclosureStoreTest, AMemberFindsOnlyItsOwnNotification) {
  const int64_t report = Add(Report("scoped"));
  const int64_t id = Notify(Notification(report, "GM0001"));
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  auto own = disclosure.FindNotification(Scope::OneMember("GM0001"), id);
  ASSERT_TRUE(own && *own);
  EXPECT_EQ((*own)->member, "GM0001");
  EXPECT_EQ((*own)->report_id, report);
  auto others = disclosure.FindNotification(Scope::OneMember("GM0002"), id);
  ASSERT_TRUE(others) << others.error().message;
  EXPECT_FALSE(*others);
  auto staff = disclosure.FindNotification(Scope::All(), id);
  ASSERT_TRUE(staff && *staff);
  EXPECT_EQ((*staff)->id, id);
  EXPECT_FALSE(*disclosure.FindNotification(Scope::All(), id + 1000));
}

TEST_F(DisclosureStoreTest, ListsHideProposedAndWithdrawnNotificationsUnlessAsked) {
  const int64_t a = Add(Report("a"));
  const int64_t b = Add(Report("b"));
  const int64_t c = Add(Report("c"));
  const int64_t notified = Notify(Notification(a, "GM0001"));
  const int64_t proposed = Notify(Notification(b, "GM0001", "proposed"));
  const int64_t withdrawn = Notify(Notification(c, "GM0001", "withdrawn"));
  const int64_t others = Notify(Notification(a, "GM0002", "seen"));
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  const auto ids = [](const Result<std::vector<VulnerabilityNotification>>& list) {
    EXPECT_TRUE(list) << list.error().message;
    std::vector<int64_t> found;
    for (const auto& notification : list.value_or(std::vector<VulnerabilityNotification>{})) {
      found.push_back(notification.id);
    }
    return found;
  };
  const Scope own = Scope::OneMember("GM0001");
  EXPECT_THAT(ids(disclosure.ListNotifications(own, false, 10, 0)), ElementsAre(notified));
  EXPECT_THAT(ids(disclosure.ListNotifications(own, true, 10, 0)),
              ElementsAre(withdrawn, proposed, notified));
  EXPECT_THAT(ids(disclosure.ListNotifications(Scope::All(), false, 10, 0)),
              ElementsAre(others, notified));
  EXPECT_THAT(ids(disclosure.ListNotifications(own, true, 1, 1)), ElementsAre(proposed));
}

TEST_F(DisclosureStoreTest, ANotificationIsSavedOnlyWhileItsStateAndRemindersMatch) {
  const int64_t report = Add(Report("answer"));
  const int64_t id = Notify(Notification(report, "GM0001"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  VulnerabilityNotification notification = **disclosure.FindNotification(Scope::All(), id);
  // The reminder job sends a reminder...
  VulnerabilityNotification reminded = notification;
  reminded.reminders = 1;
  reminded.due_at = "2026-12-21T09:00:00Z";
  reminded.updated_at = "2026-12-14T09:00:00Z";
  EXPECT_TRUE(*disclosure.SaveNotification(reminded, "notified", 0));
  // ...while the member, who read it before the reminder, answers: stale, refused.
  VulnerabilityNotification answered = notification;
  answered.state = "acknowledged";
  answered.acknowledged_at = "2026-12-14T09:00:01Z";
  answered.acknowledged_by = "user:it@een.example";
  answered.updated_at = "2026-12-14T09:00:01Z";
  EXPECT_FALSE(*disclosure.SaveNotification(answered, "notified", 0));
  VulnerabilityNotification stored = **disclosure.FindNotification(Scope::All(), id);
  EXPECT_EQ(stored.state, "notified");
  EXPECT_EQ(stored.reminders, 1);
  EXPECT_EQ(stored.due_at, "2026-12-21T09:00:00Z");
  EXPECT_FALSE(stored.acknowledged_at);
  // Read again, the answer is saved with every field it sets.
  answered.reminders = 1;
  answered.named = true;
  answered.member_reference = "INC-42";
  answered.note = "We patch tonight.";
  answered.due_at = std::nullopt;
  EXPECT_TRUE(*disclosure.SaveNotification(answered, "notified", 1));
  stored = **disclosure.FindNotification(Scope::All(), id);
  EXPECT_EQ(stored.state, "acknowledged");
  EXPECT_EQ(stored.acknowledged_by, "user:it@een.example");
  EXPECT_EQ(stored.acknowledged_at, "2026-12-14T09:00:01Z");
  EXPECT_TRUE(stored.named);
  EXPECT_EQ(stored.member_reference, "INC-42");
  EXPECT_EQ(stored.note, "We patch tonight.");
  EXPECT_FALSE(stored.due_at);
  EXPECT_EQ(stored.updated_at, "2026-12-14T09:00:01Z");
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(DisclosureStoreTest, OnlyNotificationsWaitingForAnAnswerComeDue) {
  std::vector<int64_t> reports;
  for (int i = 0; i < 4; ++i) reports.push_back(Add(Report("due " + std::to_string(i))));
  const auto with_due = [&](int64_t report, const std::string& member, const std::string& state,
                            const std::string& due) {
    VulnerabilityNotification notification = Notification(report, member, state);
    notification.due_at = due;
    return Notify(notification);
  };
  const int64_t late = with_due(reports[0], "GM0001", "notified", "2026-12-14T09:00:00Z");
  const int64_t seen = with_due(reports[1], "GM0001", "seen", "2026-12-13T09:00:00Z");
  const int64_t now_due = with_due(reports[2], "GM0001", "notified", "2026-12-14T10:00:00Z");
  with_due(reports[3], "GM0001", "notified", "2026-12-14T10:00:01Z");  // not yet
  with_due(reports[0], "GM0002", "acknowledged", "2026-12-01T09:00:00Z");
  with_due(reports[1], "GM0002", "proposed", "2026-12-01T09:00:00Z");
  with_due(reports[2], "GM0002", "no_response", "2026-12-01T09:00:00Z");
  Notify(Notification(reports[3], "GM0002"));  // notified without a due time
  // A closed or invalid report reminds no one.
  for (const char* state : {"closed", "invalid"}) {
    const int64_t ended = Add(Report(std::string("ended ") + state, state));
    with_due(ended, "GM0001", "notified", "2026-12-01T09:00:00Z");
  }
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto due = (*tx)->Disclosure().DueNotifications("2026-12-14T10:00:00Z", 10);
  ASSERT_TRUE(due) << due.error().message;
  std::vector<int64_t> ids;
  for (const auto& notification : *due) ids.push_back(notification.id);
  EXPECT_THAT(ids, ElementsAre(seen, late, now_due));  // oldest due first
  auto first = (*tx)->Disclosure().DueNotifications("2026-12-14T10:00:00Z", 1);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, seen);
}

TEST_F(DisclosureStoreTest, MessagesAreKeptInOrderAndReleased) {
  const int64_t report = Add(Report("threads"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ReportMessage from_reporter;
  from_reporter.report_id = report;
  from_reporter.author = "reporter";
  from_reporter.text = "Any news?";
  from_reporter.at = "2026-12-08T09:00:00Z";
  ReportMessage from_member;
  from_member.report_id = report;
  from_member.member = "GM0001";
  from_member.author = "user:it@een.example";
  from_member.text = "Fixed, thank you.";
  from_member.for_reporter = true;
  from_member.at = "2026-12-09T09:00:00Z";
  ASSERT_TRUE(disclosure.AddMessage(from_reporter));
  auto member_id = disclosure.AddMessage(from_member);
  ASSERT_TRUE(member_id) << member_id.error().message;
  auto messages = disclosure.Messages(report);
  ASSERT_TRUE(messages);
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].author, "reporter");
  EXPECT_FALSE((*messages)[0].member);
  EXPECT_EQ((*messages)[1].id, *member_id);
  EXPECT_EQ((*messages)[1].member, "GM0001");
  EXPECT_TRUE((*messages)[1].for_reporter);
  EXPECT_FALSE((*messages)[1].released_at);
  ReportMessage release = (*messages)[1];
  release.released_at = "2026-12-09T10:00:00Z";
  release.released_by = "user:soc@cert.example";
  release.text = "not saved";
  ASSERT_TRUE(disclosure.SaveMessage(release));
  messages = disclosure.Messages(report);
  ASSERT_TRUE(messages);
  EXPECT_EQ((*messages)[1].released_at, "2026-12-09T10:00:00Z");
  EXPECT_EQ((*messages)[1].released_by, "user:soc@cert.example");
  EXPECT_EQ((*messages)[1].text, "Fixed, thank you.");
  EXPECT_FALSE((*messages)[0].released_at);
}

TEST_F(DisclosureStoreTest, AttachmentsAreListedWithoutContentAndKeepTheirBytes) {
  const int64_t report = Add(Report("evidence"));
  const int64_t other_report = Add(Report("other"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ReportAttachment attachment;
  attachment.report_id = report;
  attachment.name = "poc.bin";
  attachment.media_type = "application/x-binary";
  attachment.content = std::string("\x00\x01\x02\xff\xfe\\x'\"\r\n\x00end", 14);
  attachment.size = static_cast<int64_t>(attachment.content.size());
  attachment.sha256 = "feedface";
  attachment.added_by = "reporter";
  attachment.added_at = kMorning;
  auto id = disclosure.AddAttachment(attachment);
  ASSERT_TRUE(id) << id.error().message;
  auto listed = disclosure.Attachments(report);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, *id);
  EXPECT_EQ((*listed)[0].name, "poc.bin");
  EXPECT_EQ((*listed)[0].size, 14);
  EXPECT_EQ((*listed)[0].sha256, "feedface");
  EXPECT_TRUE((*listed)[0].content.empty());
  auto one = disclosure.Attachment(report, *id);
  ASSERT_TRUE(one && *one) << (one ? "" : one.error().message);
  EXPECT_EQ((*one)->content, attachment.content);
  EXPECT_EQ((*one)->content.size(), 14u);
  EXPECT_EQ((*one)->media_type, "application/x-binary");
  EXPECT_EQ((*one)->added_by, "reporter");
  // Another report's attachment is not found through this report.
  auto elsewhere = disclosure.Attachment(other_report, *id);
  ASSERT_TRUE(elsewhere);
  EXPECT_FALSE(*elsewhere);
  EXPECT_TRUE(disclosure.Attachments(other_report)->empty());
}

TEST_F(DisclosureStoreTest, AStatusLinkLeadsToItsReportUntilItExpires) {
  const int64_t report = Add(Report("linked"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ASSERT_TRUE(disclosure.AddLink("hash-1", report, "2027-06-05T09:00:00Z", kMorning));
  auto found = disclosure.ReportOfLink("hash-1", "2027-06-05T08:59:59Z");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, report);
  EXPECT_FALSE(*disclosure.ReportOfLink("hash-1", "2027-06-05T09:00:00Z"));
  EXPECT_FALSE(*disclosure.ReportOfLink("hash-2", kMorning));
  // One hash is one link.
  EXPECT_FALSE(disclosure.AddLink("hash-1", report, "2027-07-05T09:00:00Z", kMorning));
}

TEST_F(DisclosureStoreTest, AChallengeIsUsedOnceAndNotAfterItExpired) {
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ASSERT_TRUE(disclosure.AddChallenge("c1", 20, "source-a", "2026-12-07T09:10:00Z", kMorning));
  ASSERT_TRUE(disclosure.AddChallenge("c2", 18, "source-a", "2026-12-07T09:15:00Z",
                                      "2026-12-07T09:05:00Z"));
  ASSERT_TRUE(disclosure.AddChallenge("c3", 20, "source-b", "2026-12-07T09:10:00Z", kMorning));
  auto used = disclosure.UseChallenge("c1", "2026-12-07T09:09:59Z");
  ASSERT_TRUE(used) << used.error().message;
  EXPECT_EQ(*used, 20);
  EXPECT_FALSE(*disclosure.UseChallenge("c1", "2026-12-07T09:09:59Z"));  // used already
  EXPECT_FALSE(*disclosure.UseChallenge("c3", "2026-12-07T09:10:00Z"));  // expired
  EXPECT_FALSE(*disclosure.UseChallenge("unknown", kMorning));
  EXPECT_EQ(*disclosure.UseChallenge("c2", "2026-12-07T09:10:00Z"), 18);

  EXPECT_EQ(*disclosure.CountChallengesFrom("source-a", kMorning), 2);
  EXPECT_EQ(*disclosure.CountChallengesFrom("source-a", "2026-12-07T09:00:01Z"), 1);
  EXPECT_EQ(*disclosure.CountChallengesFrom("source-b", kMorning), 1);
  // Purging removes what expired before the time; c2 (until 09:15) stays.
  ASSERT_TRUE(disclosure.PurgeChallenges("2026-12-07T09:12:00Z"));
  EXPECT_EQ(*disclosure.CountChallengesFrom("source-a", kMorning), 1);
  EXPECT_EQ(*disclosure.CountChallengesFrom("source-b", kMorning), 0);
  ASSERT_TRUE((*tx)->Commit());
}

TEST_F(DisclosureStoreTest, AnUnexpiredChallengeIsNotPurged) {
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ASSERT_TRUE(disclosure.AddChallenge("c1", 20, "source-a", "2026-12-07T09:10:00Z", kMorning));
  ASSERT_TRUE(disclosure.PurgeChallenges("2026-12-07T09:10:00Z"));  // not before its expiry
  EXPECT_EQ(*disclosure.CountChallengesFrom("source-a", kMorning), 1);
  EXPECT_EQ(*disclosure.UseChallenge("c1", "2026-12-07T09:09:00Z"), 20);
}

TEST_F(DisclosureStoreTest, ANoticeIsPlannedOnce) {
  const int64_t report = Add(Report("notices"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ASSERT_TRUE(disclosure.AddNotice({0, report, "GM0001", "notice", kMorning}));
  ASSERT_TRUE(disclosure.AddNotice({0, report, std::nullopt, "received", kMorning}));
  auto unplanned = disclosure.UnplannedNotices(10);
  ASSERT_TRUE(unplanned) << unplanned.error().message;
  ASSERT_EQ(unplanned->size(), 2u);
  EXPECT_EQ((*unplanned)[0].kind, "notice");
  EXPECT_EQ((*unplanned)[0].member, "GM0001");
  EXPECT_EQ((*unplanned)[1].kind, "received");
  EXPECT_FALSE((*unplanned)[1].member);
  const int64_t first = (*unplanned)[0].id;
  EXPECT_TRUE(*disclosure.MarkNoticePlanned(first, "2026-12-07T09:01:00Z"));
  EXPECT_FALSE(*disclosure.MarkNoticePlanned(first, "2026-12-07T09:02:00Z"));
  unplanned = disclosure.UnplannedNotices(10);
  ASSERT_TRUE(unplanned);
  ASSERT_EQ(unplanned->size(), 1u);
  EXPECT_EQ((*unplanned)[0].kind, "received");
  EXPECT_EQ(disclosure.UnplannedNotices(0)->size(), 1u);  // 0: no limit, as elsewhere
  // A kind the schema does not know is refused.
  EXPECT_FALSE(disclosure.AddNotice({0, report, std::nullopt, "gossip", kMorning}));
}

TEST_F(DisclosureStoreTest, HistoryIsKeptInOrder) {
  const int64_t report = Add(Report("history"));
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto& disclosure = (*tx)->Disclosure();
  ASSERT_TRUE(disclosure.AddHistory(
      {0, report, std::nullopt, kMorning, "public", "received", std::nullopt, "received", {}}));
  ASSERT_TRUE(
      disclosure.AddHistory({0, report, "GM0001", "2026-12-07T09:05:00Z", "user:soc@cert.example",
                             "withdrawn", "notified", "withdrawn", "wrong route"}));
  auto history = disclosure.History(report);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "received");
  EXPECT_FALSE((*history)[0].member);
  EXPECT_FALSE((*history)[0].from_state);
  EXPECT_EQ((*history)[1].member, "GM0001");
  EXPECT_EQ((*history)[1].from_state, "notified");
  EXPECT_EQ((*history)[1].detail, "wrong route");
}

TEST_F(DisclosureStoreTest, AReportsEmailGoesThroughTheOutboxAndBelongsToTheReport) {
  const int64_t report = Add(Report("mail"));
  OutboxMessage message;
  message.report_id = report;
  message.member = "GM0001";
  message.feed_name = "report-" + std::to_string(report);
  message.tlp = "AMBER";
  message.language = "nl";
  message.recipients = {"soc@een.example"};
  message.subject = "Nieuwe melding";
  message.message_id = "baken.report-notice@cert.example";
  message.mime = "Subject: Nieuwe melding\r\n\r\n";
  message.created_at = message.updated_at = kMorning;
  auto tx = store_->Begin(Access::kWrite);
  ASSERT_TRUE(tx);
  auto id = (*tx)->Outbox().Add(message);
  ASSERT_TRUE(id) << id.error().message;
  const auto stored = (*tx)->Outbox().Get(*id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->report_id, report);
  EXPECT_FALSE((*stored)->page_id);
  EXPECT_FALSE((*stored)->incident_id);
  EXPECT_EQ((*stored)->member, "GM0001");
  // A message belongs to exactly one thing: a report's and an incident's at once is refused.
  message.message_id = "baken.report-notice-2@cert.example";
  message.incident_id = 1;
  EXPECT_FALSE((*tx)->Outbox().Add(message));
}

}  // namespace
}  // namespace baken::store
