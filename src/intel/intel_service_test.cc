// Taking in threat intelligence on both engines (decision 0023): a MISP event, a STIX bundle
// and a list become stored events with their indicators and sightings; an event taken in before
// is skipped; a refused document leaves nothing; only analysts take in; members read only what
// MayReceive gives them.

#include "intel/intel_service.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "auth/principal.h"
#include "registry/member.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::intel {
namespace {

auth::Principal Analyst() {
  auth::Principal principal;
  principal.user_id = 2;
  principal.role = store::Role::kAnalyst;
  principal.email = "soc@cert.example";
  principal.actor = "user:soc@cert.example";
  return principal;
}

auth::Principal MemberUser(std::string member) {
  auth::Principal principal;
  principal.user_id = 1;
  principal.role = store::Role::kMember;
  principal.member = member;
  principal.email = "it@" + member + ".example";
  principal.actor = "user:" + principal.email;
  return principal;
}

std::string Fixture(const std::string& relative) {
  const char* source = std::getenv("BAKEN_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(source ? source : ".") / "tests/data/cti" / relative,
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class IntelServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    for (const char* code : {"GM0001", "GM0002"}) {
      registry::Member member;
      member.code = code;
      member.name = std::string("Gemeente ") + code;
      auto tx = store_->Begin(store::Access::kWrite);
      ASSERT_TRUE(tx);
      ASSERT_TRUE((*tx)->Members().Upsert(member, "test", "2026-12-07T09:00:00Z"));
      ASSERT_TRUE((*tx)->Commit());
    }
  }
  void TearDown() override { store_.reset(); }

  IntelService Service() {
    return IntelService(*store_, [] {
      return std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + std::chrono::hours{9};
    });
  }

  int64_t EventCount(const auth::Principal& who) {
    auto events = Service().Events(who, 100, 0);
    EXPECT_TRUE(events) << events.error().message;
    return events ? static_cast<int64_t>((*events)["events"].size()) : -1;
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IntelServiceTest, AMispEventIsTakenInOnceWithItsIndicatorsAndSightings) {
  ImportOptions options;
  options.name = "pymisp_sighting_1.json";
  auto taken = Service().Import(Analyst(), Fixture("misp/pymisp_sighting_1.json"), options);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ((*taken)["format"], "misp");
  ASSERT_EQ((*taken)["events"].size(), 1u);
  EXPECT_EQ((*taken)["indicators"], 5);
  const int64_t id = (*taken)["events"][0]["id"];
  auto event = Service().Event(Analyst(), id);
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ((*event)["title"], "Ursnif, MALWAREMESSIAGH");
  int64_t sightings = 0;
  for (const auto& indicator : (*event)["indicators"])
    sightings += indicator["sightings"].get<int64_t>();
  EXPECT_EQ(sightings, 6);

  auto again = Service().Import(Analyst(), Fixture("misp/pymisp_sighting_1.json"), options);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE((*again)["events"].empty());
  ASSERT_EQ((*again)["skipped"].size(), 1u);
  EXPECT_EQ((*again)["skipped"][0]["id"], id);
  EXPECT_EQ(EventCount(Analyst()), 1);
}

TEST_F(IntelServiceTest, MembersReadOnlyWhatTheirTlpAndCircleGiveThem) {
  // CLEAR, for all members.
  ImportOptions open;
  open.name = "circl";
  ASSERT_TRUE(Service().Import(
      Analyst(), Fixture("misp/circl-osint_57c4445b-c548-4654-af0b-4be3950d210f.json"), open));
  // A list shared under AMBER with Aa named as concerned.
  ImportOptions amber;
  amber.name = "scanners";
  amber.tlp = "AMBER";
  amber.named = {"GM0001"};
  auto list = Service().Import(Analyst(), "192.0.2.1\n192.0.2.2\n", amber);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ((*list)["format"], "list");
  const int64_t amber_id = (*list)["events"][0]["id"];
  // A STIX indicator marked AMBER+STRICT from outside: nobody outside the CERT.
  auto strict =
      Service().Import(Analyst(),
                       R"({"type": "bundle", "id": "bundle--s", "objects": [{"type": "indicator",
          "id": "indicator--s", "pattern": "[ipv4-addr:value = '192.0.2.9']", "pattern_type": "stix",
          "object_marking_refs": ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]}]})",
                       ImportOptions{"", "strict.json", "", "named", {"GM0001", "GM0002"}});
  ASSERT_TRUE(strict) << strict.error().message;
  EXPECT_EQ((*strict)["format"], "stix");

  EXPECT_EQ(EventCount(Analyst()), 3);
  // Aa: the CLEAR event and the AMBER list it is named in, not the AMBER+STRICT one that came
  // from outside, although Aa is named in it.
  auto aa = Service().Events(MemberUser("GM0001"), 100, 0);
  ASSERT_TRUE(aa);
  std::set<int64_t> aa_ids;
  for (const auto& event : (*aa)["events"]) aa_ids.insert(event["id"].get<int64_t>());
  EXPECT_EQ(aa_ids.size(), 2u);
  EXPECT_TRUE(aa_ids.count(amber_id));
  EXPECT_FALSE(aa_ids.count((*strict)["events"][0]["id"].get<int64_t>()));
  auto bee = Service().Events(MemberUser("GM0002"), 100, 0);
  ASSERT_TRUE(bee);
  for (const auto& event : (*bee)["events"]) {
    EXPECT_NE(event["id"].get<int64_t>(), amber_id);
    auto read = Service().Event(MemberUser("GM0002"), event["id"].get<int64_t>());
    ASSERT_TRUE(read);
    for (const auto& indicator : (*read)["indicators"]) {
      EXPECT_NE(indicator["tlp"], "AMBER+STRICT") << read->dump();
      EXPECT_NE(indicator["value"], "192.0.2.9");
    }
    EXPECT_FALSE(read->contains("problems"));  // the analysts'
  }
  auto hidden = Service().Event(MemberUser("GM0002"), amber_id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
}

TEST_F(IntelServiceTest, RefusalsLeaveNothingAndOnlyAnalystsTakeIn) {
  ImportOptions options;
  options.name = "broken.json";
  auto broken = Service().Import(Analyst(), R"({"response": [{"Event": {"info": "fine"}},
                                   {"Event": {"Attribute": []}}]})",
                                 options);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().key, "intel.document_refused");
  EXPECT_EQ(EventCount(Analyst()), 0);

  auto member = Service().Import(MemberUser("GM0001"), "192.0.2.1\n",
                                 ImportOptions{"", "x", "GREEN", "", {}});
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);

  auto no_tlp = Service().Import(Analyst(), "192.0.2.1\n", ImportOptions{"", "x", "", "", {}});
  ASSERT_FALSE(no_tlp);
  EXPECT_EQ(no_tlp.error().key, "intel.list_tlp_missing");

  auto unknown_member =
      Service().Import(Analyst(), "192.0.2.1\n", ImportOptions{"", "x", "GREEN", "", {"GM9999"}});
  ASSERT_FALSE(unknown_member);
  EXPECT_EQ(EventCount(Analyst()), 0);
}

}  // namespace
}  // namespace baken::intel
