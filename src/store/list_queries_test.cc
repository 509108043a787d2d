// The work lists' queries (outbox, members, advisories): true totals under every filter, the
// scope applied in the one query, orders that hold across pages, and an offset past the end.

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "store/store.h"
#include "store/test_database.h"

namespace baken::store {
namespace {

using registry::Scope;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ListQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { store_.reset(); }

  int64_t AddMessage(const std::string& member, const std::string& feed, const std::string& tlp,
                     OutboxState state, const std::string& created_at,
                     std::optional<std::string> next_attempt_at = std::nullopt) {
    OutboxMessage message;
    message.member = member;
    message.feed_name = feed;
    message.tlp = tlp;
    message.language = "nl";
    message.recipients = {"soc@" + member + ".example.nl"};
    message.subject = fmt::format("[Baken] {} voor {}", feed, member);
    message.message_id = fmt::format("m{}.{}.{}@test", member, feed, created_at);
    message.mime = "the whole message";
    message.state = state;
    message.created_at = created_at;
    message.updated_at = created_at;
    message.next_attempt_at = std::move(next_attempt_at);
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    // A message comes from something: here a digest of its own.
    auto digest = (*tx)->Digests().Create({member, feed, tlp, created_at}, created_at, created_at);
    EXPECT_TRUE(digest) << digest.error().message;
    message.digest_id = digest ? *digest : 0;
    auto id = (*tx)->Outbox().Add(message);
    EXPECT_TRUE(id) << id.error().message;
    EXPECT_TRUE((*tx)->Commit());
    return id ? *id : 0;
  }

  // The ids of one page, and the total, as the API reads them (one transaction).
  std::pair<std::vector<int64_t>, int64_t> Outbox(const Scope& scope, const OutboxQuery& query) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    auto messages = (*tx)->Outbox().List(scope, query);
    auto total = (*tx)->Outbox().Count(scope, query);
    EXPECT_TRUE(messages && total);
    std::vector<int64_t> ids;
    for (const auto& message : *messages) {
      EXPECT_EQ(message.mime, "") << "a list carries no message text";
      ids.push_back(message.id);
    }
    return {ids, *total};
  }

  void SaveMember(const std::string& code, const std::string& name, registry::MemberKind kind,
                  const std::string& domain, std::optional<std::string> confirmed_at) {
    registry::Member member;
    member.code = code;
    member.name = name;
    member.kind = kind;
    registry::Claim claim;
    claim.kind = registry::ClaimKind::kDomain;
    claim.value = domain;
    claim.state = registry::ClaimState::kApproved;
    member.claims.push_back(claim);
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->Members().Upsert(member, "test", "2026-11-23T10:00:00Z"));
    if (confirmed_at) {
      ASSERT_TRUE((*tx)->Members().ConfirmData(code, *confirmed_at));
    }
    ASSERT_TRUE((*tx)->Commit());
  }

  std::pair<std::vector<std::string>, int64_t> Members(const Scope& scope,
                                                       const MemberQuery& query) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    auto members = (*tx)->Members().Search(scope, query);
    auto total = (*tx)->Members().Count(scope, query);
    EXPECT_TRUE(members && total);
    std::vector<std::string> codes;
    for (const auto& member : *members) {
      EXPECT_EQ(member.claims.size(), 1u) << "a listed member is complete";
      codes.push_back(member.code);
    }
    return {codes, *total};
  }

  int64_t AddAdvisory(const std::string& id, const std::string& publisher, const std::string& title,
                      const std::string& released, const std::string& document) {
    StoredAdvisory advisory;
    advisory.publisher_namespace = publisher;
    advisory.tracking_id = id;
    advisory.format = "csaf";
    advisory.version = "1";
    advisory.current_release = released;
    advisory.title = title;
    advisory.sha256 = id;
    advisory.document = document;
    advisory.imported_at = released;
    advisory.imported_by = "test";
    auto tx = store_->Begin(Access::kWrite);
    EXPECT_TRUE(tx);
    EXPECT_TRUE((*tx)->Advisories().Add(advisory));
    auto found = (*tx)->Advisories().Find(publisher, id);
    EXPECT_TRUE(found && *found);
    EXPECT_TRUE((*tx)->Commit());
    return found && *found ? (*found)->id : 0;
  }

  std::pair<std::vector<std::string>, int64_t> Advisories(const AdvisoryQuery& query) {
    auto tx = store_->Begin(Access::kRead);
    EXPECT_TRUE(tx);
    auto advisories = (*tx)->Advisories().Search(query);
    auto total = (*tx)->Advisories().Count(query);
    EXPECT_TRUE(advisories && total);
    std::vector<std::string> ids;
    for (const auto& advisory : *advisories) ids.push_back(advisory.tracking_id);
    return {ids, *total};
  }

  testing::TestDatabase database_;
  std::unique_ptr<Store> store_;
};

TEST_F(ListQueriesTest, OutboxPagesCountTrulyAndStayWithinTheScope) {
  // Created out of id order: "newest first" goes by when a message was made.
  const int64_t late =
      AddMessage("GM0363", "Accessible-RDP", "AMBER", OutboxState::kSent, "2026-11-23T10:00:00Z");
  const int64_t early =
      AddMessage("GM0363", "Accessible-RDP", "GREEN", OutboxState::kSent, "2026-11-21T10:00:00Z");
  const int64_t red =
      AddMessage("GM0363", "Sinkhole", "RED", OutboxState::kHeld, "2026-11-22T10:00:00Z");
  const int64_t retry = AddMessage("GM0599", "Accessible-RDP", "AMBER", OutboxState::kPending,
                                   "2026-11-22T12:00:00Z", "2026-11-24T08:00:00Z");
  const int64_t soon = AddMessage("GM0599", "Sinkhole", "AMBER", OutboxState::kPending,
                                  "2026-11-22T13:00:00Z", "2026-11-23T08:00:00Z");

  OutboxQuery all;
  all.with_red = true;
  EXPECT_EQ(Outbox(Scope::All(), all),
            std::make_pair(std::vector<int64_t>{late, soon, retry, red, early}, int64_t{5}));

  // A page of two, the second page, and a page past the end: the total stays the whole.
  OutboxQuery page = all;
  page.limit = 2;
  page.offset = 2;
  EXPECT_EQ(Outbox(Scope::All(), page),
            std::make_pair(std::vector<int64_t>{retry, red}, int64_t{5}));
  page.offset = 50;
  EXPECT_EQ(Outbox(Scope::All(), page), std::make_pair(std::vector<int64_t>{}, int64_t{5}));

  // Each filter counts what it selects, not what a page shows.
  OutboxQuery filtered = all;
  filtered.feed_name = "Accessible-RDP";
  filtered.limit = 1;
  EXPECT_EQ(Outbox(Scope::All(), filtered), std::make_pair(std::vector<int64_t>{late}, int64_t{3}));
  filtered = all;
  filtered.state = OutboxState::kPending;
  EXPECT_EQ(Outbox(Scope::All(), filtered).second, 2);
  filtered = all;
  filtered.tlp = "RED";
  EXPECT_EQ(Outbox(Scope::All(), filtered), std::make_pair(std::vector<int64_t>{red}, int64_t{1}));
  filtered = all;
  filtered.created_since = "2026-11-22T00:00:00Z";
  filtered.created_until = "2026-11-23T00:00:00Z";
  EXPECT_EQ(Outbox(Scope::All(), filtered),
            std::make_pair(std::vector<int64_t>{soon, retry, red}, int64_t{3}));
  filtered = all;
  filtered.text = "SINKHOLE VOOR gm0599";  // the subject, case ignored
  EXPECT_EQ(Outbox(Scope::All(), filtered), std::make_pair(std::vector<int64_t>{soon}, int64_t{1}));
  filtered.text = "soc@gm0363";  // a recipient
  EXPECT_EQ(Outbox(Scope::All(), filtered).second, 3);
  filtered = all;
  filtered.member = "GM0599";
  EXPECT_EQ(Outbox(Scope::All(), filtered).second, 2);

  // Orders: oldest first, and the soonest next attempt first with none planned last.
  OutboxQuery oldest = all;
  oldest.order = OutboxQuery::Order::kOldest;
  EXPECT_THAT(Outbox(Scope::All(), oldest).first, ElementsAre(early, red, retry, soon, late));
  OutboxQuery next = all;
  next.order = OutboxQuery::Order::kNextAttempt;
  next.limit = 2;
  EXPECT_THAT(Outbox(Scope::All(), next).first, ElementsAre(soon, retry));
  next.order = OutboxQuery::Order::kNextAttemptLatest;
  EXPECT_THAT(Outbox(Scope::All(), next).first, ElementsAre(retry, soon));

  // A member's scope: its own messages only, whatever the filter asks for, and RED only when
  // the caller may see it.
  OutboxQuery own;
  EXPECT_EQ(Outbox(Scope::OneMember("GM0363"), own),
            std::make_pair(std::vector<int64_t>{late, early}, int64_t{2}));
  own.member = "GM0599";
  EXPECT_EQ(Outbox(Scope::OneMember("GM0363"), own),
            std::make_pair(std::vector<int64_t>{}, int64_t{0}));
  own.member.reset();
  own.text = "gm0599";
  EXPECT_EQ(Outbox(Scope::OneMember("GM0363"), own).second, 0);
}

TEST_F(ListQueriesTest, MembersAreSearchedSortedAndCountedWithinTheScope) {
  SaveMember("GM0363", "Gemeente Amsterdam", registry::MemberKind::kGemeente, "amsterdam.nl",
             "2026-11-01T10:00:00Z");
  SaveMember("GM0599", "Gemeente Rotterdam", registry::MemberKind::kGemeente, "rotterdam.nl",
             std::nullopt);
  SaveMember("SV0001", "Drechtsteden", registry::MemberKind::kSamenwerkingsverband,
             "drechtsteden.nl", "2025-01-01T10:00:00Z");
  SaveMember("PA0001", "Bureau Inkoop", registry::MemberKind::kPartner, "inkoop.example",
             "2026-06-01T10:00:00Z");

  MemberQuery all;
  EXPECT_EQ(
      Members(Scope::All(), all),
      std::make_pair(std::vector<std::string>{"GM0363", "GM0599", "PA0001", "SV0001"}, int64_t{4}));
  MemberQuery page;
  page.limit = 3;
  page.offset = 3;
  EXPECT_EQ(Members(Scope::All(), page),
            std::make_pair(std::vector<std::string>{"SV0001"}, int64_t{4}));
  page.offset = 10;
  EXPECT_EQ(Members(Scope::All(), page), std::make_pair(std::vector<std::string>{}, int64_t{4}));

  // Search: code, name and domain, case ignored.
  MemberQuery search;
  search.text = "gm05";
  EXPECT_EQ(Members(Scope::All(), search).first, std::vector<std::string>{"GM0599"});
  search.text = "AMSTER";
  EXPECT_EQ(Members(Scope::All(), search).first, std::vector<std::string>{"GM0363"});
  search.text = "inkoop.example";
  EXPECT_EQ(Members(Scope::All(), search).first, std::vector<std::string>{"PA0001"});
  search.text = "gemeente";
  EXPECT_EQ(Members(Scope::All(), search).second, 2);

  MemberQuery kind;
  kind.kind = "gemeente";
  EXPECT_EQ(Members(Scope::All(), kind).second, 2);
  // Needs a check: never confirmed, or before the cut-off.
  MemberQuery stale;
  stale.confirmed_before = "2026-06-01T00:00:00Z";
  EXPECT_EQ(Members(Scope::All(), stale).first, (std::vector<std::string>{"GM0599", "SV0001"}));
  MemberQuery never;
  never.never_confirmed = true;
  EXPECT_EQ(Members(Scope::All(), never),
            std::make_pair(std::vector<std::string>{"GM0599"}, int64_t{1}));

  MemberQuery by_name;
  by_name.order = MemberQuery::Order::kName;
  EXPECT_THAT(Members(Scope::All(), by_name).first,
              ElementsAre("PA0001", "SV0001", "GM0363", "GM0599"));
  by_name.order = MemberQuery::Order::kNameDescending;
  EXPECT_THAT(Members(Scope::All(), by_name).first,
              ElementsAre("GM0599", "GM0363", "SV0001", "PA0001"));
  MemberQuery by_confirmed;
  by_confirmed.order = MemberQuery::Order::kConfirmedOldest;
  EXPECT_THAT(Members(Scope::All(), by_confirmed).first,
              ElementsAre("GM0599", "SV0001", "PA0001", "GM0363"));
  by_confirmed.order = MemberQuery::Order::kConfirmedLatest;
  EXPECT_THAT(Members(Scope::All(), by_confirmed).first,
              ElementsAre("GM0363", "PA0001", "SV0001", "GM0599"));

  // A member's user: its own member at most, whatever it searches for.
  EXPECT_EQ(Members(Scope::OneMember("GM0363"), all),
            std::make_pair(std::vector<std::string>{"GM0363"}, int64_t{1}));
  search.text = "rotterdam";
  EXPECT_EQ(Members(Scope::OneMember("GM0363"), search),
            std::make_pair(std::vector<std::string>{}, int64_t{0}));
}

TEST_F(ListQueriesTest, AdvisoriesAreSearchedFilteredAndNewestFirst) {
  const int64_t citrix = AddAdvisory("CTX-0001", "https://www.citrix.com", "NetScaler token leak",
                                     "2026-11-20T00:00:00Z", R"({"cve": "CVE-2026-0001"})");
  AddAdvisory("NCSC-2026-0002", "https://www.ncsc.nl", "Fortinet SSL-VPN", "2026-11-22T00:00:00Z",
              R"({"cve": "CVE-2026-0002"})");
  AddAdvisory("CVE-2026-0003", "https://www.cve.org", "A CVE record", "2026-10-01T00:00:00Z", "{}");

  EXPECT_EQ(Advisories({}),
            std::make_pair(std::vector<std::string>{"NCSC-2026-0002", "CTX-0001", "CVE-2026-0003"},
                           int64_t{3}));
  AdvisoryQuery page;
  page.limit = 2;
  page.offset = 2;
  EXPECT_EQ(Advisories(page),
            std::make_pair(std::vector<std::string>{"CVE-2026-0003"}, int64_t{3}));
  page.offset = 9;
  EXPECT_EQ(Advisories(page), std::make_pair(std::vector<std::string>{}, int64_t{3}));

  AdvisoryQuery search;
  search.text = "netscaler";
  EXPECT_EQ(Advisories(search).first, std::vector<std::string>{"CTX-0001"});
  search.text = "ncsc-2026";
  EXPECT_EQ(Advisories(search).first, std::vector<std::string>{"NCSC-2026-0002"});
  // A CVE id finds the advisories whose documents name it, in any case.
  search.text = "cve-2026-0001";
  EXPECT_EQ(Advisories(search), std::make_pair(std::vector<std::string>{"CTX-0001"}, int64_t{1}));

  AdvisoryQuery publisher;
  publisher.publisher = "https://www.ncsc.nl";
  EXPECT_EQ(Advisories(publisher).second, 1);
  AdvisoryQuery period;
  period.released_since = "2026-11-01T00:00:00Z";
  period.released_until = "2026-11-21T00:00:00Z";
  EXPECT_EQ(Advisories(period).first, std::vector<std::string>{"CTX-0001"});
  AdvisoryQuery oldest;
  oldest.order = AdvisoryQuery::Order::kOldest;
  EXPECT_THAT(Advisories(oldest).first, ElementsAre("CVE-2026-0003", "CTX-0001", "NCSC-2026-0002"));

  // With warnings: only the one a member was warned of, with its count.
  AdvisoryQuery warned;
  warned.with_warnings = true;
  EXPECT_THAT(Advisories(warned).first, IsEmpty());
  {
    auto tx = store_->Begin(Access::kWrite);
    ASSERT_TRUE(tx);
    WarningRecord warning;
    warning.member = "GM0363";
    warning.advisory_id = citrix;
    warning.tracking_id = "CTX-0001";
    warning.version = "1";
    warning.title = "NetScaler token leak";
    warning.tlp = "AMBER";
    warning.risk = "Hoog";
    warning.issued_at = "2026-11-21T00:00:00Z";
    ASSERT_TRUE((*tx)->Advisories().AddWarning(warning));
    ASSERT_TRUE((*tx)->Commit());
  }
  EXPECT_EQ(Advisories(warned), std::make_pair(std::vector<std::string>{"CTX-0001"}, int64_t{1}));
  auto tx = store_->Begin(Access::kRead);
  ASSERT_TRUE(tx);
  auto listed = (*tx)->Advisories().Search(warned);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].warnings, 1);
}

}  // namespace
}  // namespace baken::store
