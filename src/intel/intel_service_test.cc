// Taking in threat intelligence on both engines (decision 0023): a MISP event, a STIX bundle
// and a list become stored events with their indicators and sightings; an event taken in before
// is skipped; a refused document leaves nothing; only analysts take in; members read only what
// MayReceive gives them.

#include "intel/intel_service.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "auth/principal.h"
#include "intel/misp_reader.h"
#include "net/ip_address.h"
#include "registry/member.h"
#include "routing/constituency.h"
#include "store/incident_repository.h"
#include "store/ripe_repository.h"
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

auth::Principal GeneralUser(std::string member) {
  auth::Principal principal = MemberUser(member);
  principal.user_id = 3;
  principal.email = "desk@" + member + ".example";
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
    for (const char* code : {"GM0001", "GM0002", "GM0003"}) {
      registry::Member member;
      member.code = code;
      member.name = std::string("Gemeente ") + code;
      // MemberUser is a trusted contact; GeneralUser a servicedesk without that role.
      registry::Contact trusted;
      trusted.name = "IT";
      trusted.email = MemberUser(code).email;
      trusted.roles = {registry::ContactRole::kTrusted};
      registry::Contact desk;
      desk.name = "Servicedesk";
      desk.email = GeneralUser(code).email;
      desk.roles = {registry::ContactRole::kGeneral};
      member.contacts = {trusted, desk};
      auto tx = store_->Begin(store::Access::kWrite);
      ASSERT_TRUE(tx);
      ASSERT_TRUE((*tx)->Members().Upsert(member, "test", "2026-12-07T09:00:00Z"));
      ASSERT_TRUE((*tx)->Commit());
    }
  }
  void TearDown() override { store_.reset(); }

  IntelService Service() {
    return IntelService(
        *store_,
        [] {
          return std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + std::chrono::hours{9};
        },
        Register());
  }

  // Member GM0003 (Cee) holds 198.51.100.0/24 and gemeente-cee.example; the others hold nothing.
  static std::shared_ptr<const routing::Constituency> Register() {
    routing::Constituency::Builder builder;
    builder.AddNetblock(*net::ParsePrefix("198.51.100.0/24"), "GM0003");
    builder.AddDomain("gemeente-cee.example", "GM0003");
    auto built = std::move(builder).Build();
    EXPECT_TRUE(built) << built.error().message;
    return built ? *built : nullptr;
  }

  // The findings stored for `member`, as IntelMQ JSON, with their TLP.
  std::vector<std::pair<Json, std::string>> FindingsOf(const std::string& member) {
    std::vector<std::pair<Json, std::string>> found;
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    store::EventQuery query;
    query.member = member;
    EXPECT_TRUE((*tx)->Events().ForEach(
        registry::Scope::All(), query, [&](const store::StoredEvent& event) {
          found.emplace_back(Json::parse(event.record.data), event.record.tlp);
          return true;
        }));
    return found;
  }

  int64_t EventCount(const auth::Principal& who) {
    auto events = Service().Events(who, store::IntelEventQuery{std::nullopt, 100, 0});
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
  // A page of one says how many there are, as the reader may receive them, and how many of
  // each event's indicators.
  auto first_page =
      Service().Events(MemberUser("GM0001"), store::IntelEventQuery{std::nullopt, 1, 0});
  ASSERT_TRUE(first_page) << first_page.error().message;
  EXPECT_EQ((*first_page)["events"].size(), 1u);
  EXPECT_EQ((*first_page)["total"], 2);
  EXPECT_EQ((*first_page)["events"][0]["id"], amber_id);
  EXPECT_EQ((*first_page)["events"][0]["indicator_count"], 2);
  auto strict_page = Service().Events(Analyst(), store::IntelEventQuery{std::nullopt, 1, 0});
  ASSERT_TRUE(strict_page);
  EXPECT_EQ((*strict_page)["total"], 3);
  EXPECT_EQ((*strict_page)["events"][0]["indicator_count"], 1);
  store::IndicatorQuery two;
  two.limit = 2;
  auto everything = Service().Indicators(Analyst(), two);
  auto bee_values = Service().Indicators(MemberUser("GM0002"), two);
  ASSERT_TRUE(everything && bee_values);
  EXPECT_EQ((*everything)["indicators"].size(), 2u);
  // Bee reads the CLEAR event's indicators only: neither the AMBER list nor the STRICT one.
  EXPECT_EQ((*bee_values)["total"].get<int64_t>() + 3, (*everything)["total"].get<int64_t>());
  // Aa: the CLEAR event and the AMBER list it is named in, not the AMBER+STRICT one that came
  // from outside, although Aa is named in it.
  auto aa = Service().Events(MemberUser("GM0001"), store::IntelEventQuery{std::nullopt, 100, 0});
  ASSERT_TRUE(aa);
  std::set<int64_t> aa_ids;
  for (const auto& event : (*aa)["events"]) aa_ids.insert(event["id"].get<int64_t>());
  EXPECT_EQ(aa_ids.size(), 2u);
  EXPECT_TRUE(aa_ids.count(amber_id));
  // Aa is named, but which other members are named is for analysts and the one who shared it.
  for (const auto& event : (*aa)["events"]) EXPECT_TRUE(event["named"].empty()) << event.dump();
  EXPECT_FALSE(aa_ids.count((*strict)["events"][0]["id"].get<int64_t>()));
  // Aa's servicedesk is no trusted contact: the AMBER list is not for it, nor the feed key that
  // would serve it.
  auto desk = Service().Events(GeneralUser("GM0001"), store::IntelEventQuery{std::nullopt, 100, 0});
  ASSERT_TRUE(desk) << desk.error().message;
  EXPECT_EQ((*desk)["total"], 1);
  for (const auto& event : (*desk)["events"]) EXPECT_NE(event["id"], amber_id);
  EXPECT_FALSE(Service().Event(GeneralUser("GM0001"), amber_id));
  auto desk_feed = Service().Feed(GeneralUser("GM0001"), std::nullopt);
  ASSERT_TRUE(desk_feed) << desk_feed.error().message;
  EXPECT_FALSE((*desk_feed)["may_make_key"]);
  auto desk_key = Service().NewFeedKey(GeneralUser("GM0001"), Json::object(), "/feed");
  ASSERT_FALSE(desk_key);
  EXPECT_EQ(desk_key.error().code, ErrorCode::kPermissionDenied);
  auto trusted_feed = Service().Feed(MemberUser("GM0001"), std::nullopt);
  ASSERT_TRUE(trusted_feed);
  EXPECT_TRUE((*trusted_feed)["may_make_key"]);
  auto bee = Service().Events(MemberUser("GM0002"), store::IntelEventQuery{std::nullopt, 100, 0});
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

  // An analyst's sighting on Bee's behalf of what Bee may not receive is refused, and log
  // matches on Bee's behalf do not reach it; on Aa's behalf they do.
  auto amber_event = Service().Event(Analyst(), amber_id);
  ASSERT_TRUE(amber_event);
  const int64_t amber_indicator = (*amber_event)["indicators"][0]["id"];
  auto refused = Service().AddSighting(Analyst(), amber_indicator,
                                       Json{{"kind", "seen"}, {"member", "GM0002"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  auto for_aa = Service().AddSighting(Analyst(), amber_indicator,
                                      Json{{"kind", "seen"}, {"member", "GM0001"}});
  EXPECT_TRUE(for_aa) << for_aa.error().message;
  auto bee_logs =
      Service().ReportSeen(Analyst(), Json{{"values", {"192.0.2.2"}}, {"member", "GM0002"}});
  ASSERT_TRUE(bee_logs) << bee_logs.error().message;
  EXPECT_TRUE((*bee_logs)["matched"].empty()) << bee_logs->dump();
  auto aa_logs =
      Service().ReportSeen(Analyst(), Json{{"values", {"192.0.2.2"}}, {"member", "GM0001"}});
  ASSERT_TRUE(aa_logs) << aa_logs.error().message;
  EXPECT_EQ((*aa_logs)["matched"].size(), 1u) << aa_logs->dump();
}

// A followed feed's newer version of an event (decision 0023, "Following a MISP feed"): the
// source tightens the TLP, corrects a value into Cee's netblock and drops an attribute. The
// event is updated in place; a member outside the new circle no longer reads it; the corrected
// value is Cee's finding; the dropped one ends and stays.
TEST_F(IntelServiceTest, AFollowedEventIsUpdatedInPlaceAndItsNewTlpHolds) {
  auto event_with = [](const std::string& tlp, const std::string& second_value, bool with_third) {
    Json attributes = Json::array({{{"uuid", "a0000000-0000-4000-8000-000000000001"},
                                    {"type", "ip-dst"},
                                    {"value", "192.0.2.10"},
                                    {"to_ids", true}},
                                   {{"uuid", "a0000000-0000-4000-8000-000000000002"},
                                    {"type", "ip-dst"},
                                    {"value", second_value},
                                    {"to_ids", true}}});
    if (with_third) {
      attributes.push_back({{"uuid", "a0000000-0000-4000-8000-000000000003"},
                            {"type", "domain"},
                            {"value", "c2.example.net"},
                            {"to_ids", true}});
    }
    const Json document = {{"Event",
                            {{"uuid", "e0000000-0000-4000-8000-00000000000e"},
                             {"info", "Scanners"},
                             {"distribution", "1"},
                             {"Tag", Json::array({{{"name", "tlp:" + tlp}}})},
                             {"Attribute", attributes}}}};
    auto read = ReadMispEvents(document.dump());
    EXPECT_TRUE(read) << (read ? "" : read.error().reasons.front());
    return read ? read->front() : IntelEvent{};
  };
  ImportOptions circle;
  circle.name = "feed";
  auto first = Service().TakeInFollowed(Analyst(), event_with("green", "192.0.2.11", true), circle,
                                        std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->added, 3);
  EXPECT_EQ(first->findings, 0);
  auto bee_before = Service().Event(MemberUser("GM0002"), first->event_id);
  ASSERT_TRUE(bee_before) << bee_before.error().message;
  EXPECT_EQ((*bee_before)["indicators"].size(), 3u);

  auto second = Service().TakeInFollowed(Analyst(), event_with("amber", "198.51.100.40", false),
                                         circle, first->event_id);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->event_id, first->event_id);
  EXPECT_EQ(second->added, 0);
  EXPECT_EQ(second->changed, 2);  // the first one's TLP, the second one's value and TLP
  EXPECT_EQ(second->ended, 1);
  EXPECT_EQ(second->findings, 1);
  EXPECT_EQ(FindingsOf("GM0003").size(), 1u);
  // AMBER now, and Bee is not named: the event is gone from Bee's reading.
  auto bee_after = Service().Event(MemberUser("GM0002"), first->event_id);
  ASSERT_FALSE(bee_after);
  EXPECT_EQ(bee_after.error().code, ErrorCode::kNotFound);
  auto analyst = Service().Event(Analyst(), first->event_id);
  ASSERT_TRUE(analyst) << analyst.error().message;
  EXPECT_EQ((*analyst)["tlp"], "AMBER");
  ASSERT_EQ((*analyst)["indicators"].size(), 3u);
  for (const auto& indicator : (*analyst)["indicators"]) {
    EXPECT_EQ(indicator["tlp"], "AMBER") << indicator.dump();
    EXPECT_EQ(indicator["valid_until"].is_null(), indicator["value"] != "c2.example.net")
        << indicator.dump();
  }
  EXPECT_EQ(EventCount(Analyst()), 1);
  // Not even the ended one is found by Bee's search.
  auto search = Service().Indicators(MemberUser("GM0002"), store::IndicatorQuery{});
  ASSERT_TRUE(search) << search.error().message;
  EXPECT_TRUE((*search)["indicators"].empty()) << search->dump();

  // The same version again changes nothing.
  auto third = Service().TakeInFollowed(Analyst(), event_with("amber", "198.51.100.40", false),
                                        circle, first->event_id);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->added + third->changed + third->ended + third->findings, 0);
  // Only analysts follow feeds.
  EXPECT_FALSE(Service().TakeInFollowed(
      MemberUser("GM0001"), event_with("clear", "192.0.2.12", false), circle, first->event_id));
  // Another feed naming the same uuid may not rewrite the event, nor loosen its TLP.
  auto other = Service().TakeInFollowed(Analyst(), event_with("clear", "192.0.2.12", false), circle,
                                        std::nullopt);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(other.error().message.find("another source"), std::string::npos);
  auto unchanged = Service().Event(Analyst(), first->event_id);
  ASSERT_TRUE(unchanged);
  EXPECT_EQ((*unchanged)["tlp"], "AMBER");
}

// A name in a member's logs matches an indicator whether its source called it a host name or a
// domain.
TEST_F(IntelServiceTest, LogMatchesFindHostNamesAndDomainsAlike) {
  auto created = Service().CreateEvent(
      Analyst(), Json{{"title", "Phishing"},
                      {"tlp", "GREEN"},
                      {"distribution", "members"},
                      {"indicators",
                       {{{"value", "mail.evil.example.net"}, {"kind", "host"}},
                        {{"value", "evil.example.org"}, {"kind", "domain"}}}}});
  ASSERT_TRUE(created) << created.error().message;
  auto seen = Service().ReportSeen(
      MemberUser("GM0002"),
      Json{{"values", {"MAIL.evil.example.net", "evil.example.org", "quiet.example.com"}}});
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ((*seen)["matched"].size(), 2u) << seen->dump();
  EXPECT_EQ((*seen)["unknown"], Json::array({"quiet.example.com"})) << seen->dump();
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

TEST_F(IntelServiceTest, AnIndicatorInAMembersNetblockOrDomainBecomesAFindingForItAlone) {
  // An AMBER list naming nobody: the address in Cee's range and the URL on Cee's domain become
  // findings for Cee; the other values name no member's system.
  auto list = Service().Import(Analyst(),
                               "198.51.100.7\nevil.example.org\n203.0.113.5\n"
                               "http://www.gemeente-cee.example/login.php\n",
                               ImportOptions{"list", "c2.txt", "AMBER", "members", {}});
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ((*list)["findings"], 2);
  const auto findings = FindingsOf("GM0003");
  ASSERT_EQ(findings.size(), 2u);
  std::set<std::string> systems;
  for (const auto& [finding, tlp] : findings) {
    EXPECT_EQ(tlp, "AMBER");
    EXPECT_EQ(finding["feed.name"], "threat-intel");
    EXPECT_EQ(finding["classification.type"], "blacklist");
    // Only Cee's own system: never the rest of the event.
    EXPECT_EQ(finding.dump().find("evil.example.org"), std::string::npos) << finding.dump();
    EXPECT_EQ(finding.dump().find("203.0.113.5"), std::string::npos) << finding.dump();
    systems.insert(finding.value("source.ip", finding.value("source.url", std::string())));
  }
  EXPECT_EQ(systems,
            (std::set<std::string>{"198.51.100.7", "http://www.gemeente-cee.example/login.php"}));
  EXPECT_TRUE(FindingsOf("GM0001").empty());
  EXPECT_TRUE(FindingsOf("GM0002").empty());
  // Cee is told of its system, not given the event: AMBER reaches the named members only.
  EXPECT_EQ(EventCount(MemberUser("GM0003")), 0);

  // The same address again, in a new document: the finding is known, not stored twice.
  auto again = Service().Import(Analyst(), "198.51.100.7\n",
                                ImportOptions{"list", "again.txt", "AMBER", "members", {}});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)["findings"], 0);
  EXPECT_EQ(FindingsOf("GM0003").size(), 2u);
}

// Analysts see the network and abuse contact the RIPE database gives for an address, and the
// incidents that name it; members do not get the analysts' enrichment.
TEST_F(IntelServiceTest, AnAddressShowsItsRegistryNetworkAndIncidentsToAnalysts) {
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    store::RipeRange range;
    range.first = *net::IpAddress::Parse("203.0.113.0");
    range.last = *net::IpAddress::Parse("203.0.113.255");
    range.object = "inetnum 203.0.113.0 - 203.0.113.255";
    range.abuse_c = "AR1-TEST";
    ASSERT_TRUE((*tx)->Ripe().AddRange(range, std::nullopt));
    ASSERT_TRUE((*tx)->Ripe().PutRole("AR1-TEST", "abuse@isp.example"));
    store::IncidentRecord incident;
    incident.title = "Scans vanaf 203.0.113.9";
    incident.reporter = "user:soc@cert.example";
    incident.created_at = incident.updated_at = "2026-12-07T08:00:00Z";
    ASSERT_TRUE((*tx)->Incidents().Add(incident));
    ASSERT_TRUE((*tx)->Commit());
  }
  ImportOptions list;
  list.name = "c2.txt";
  list.tlp = "GREEN";
  list.distribution = "members";
  auto taken = Service().Import(Analyst(), "203.0.113.9\n192.0.2.9\n", list);
  ASSERT_TRUE(taken) << taken.error().message;
  auto event = Service().Event(Analyst(), (*taken)["events"][0]["id"].get<int64_t>());
  ASSERT_TRUE(event);
  for (const auto& listed : (*event)["indicators"]) {
    auto indicator = Service().Indicator(Analyst(), listed["id"].get<int64_t>());
    ASSERT_TRUE(indicator) << indicator.error().message;
    if (listed["value"] == "203.0.113.9") {
      EXPECT_EQ((*indicator)["registry"], Json({{"object", "inetnum 203.0.113.0 - 203.0.113.255"},
                                                {"abuse", "abuse@isp.example"}}));
      ASSERT_EQ((*indicator)["incidents"].size(), 1u) << indicator->dump();
      EXPECT_EQ((*indicator)["incidents"][0]["title"], "Scans vanaf 203.0.113.9");
    } else {
      EXPECT_TRUE((*indicator)["registry"].is_null()) << indicator->dump();
      EXPECT_TRUE((*indicator)["incidents"].empty()) << indicator->dump();
    }
    auto as_member = Service().Indicator(MemberUser("GM0001"), listed["id"].get<int64_t>());
    ASSERT_TRUE(as_member);
    EXPECT_FALSE(as_member->contains("registry"));
    EXPECT_FALSE(as_member->contains("incidents"));
  }
}

TEST_F(IntelServiceTest, AFindingThatMayNotLeaveTheCertIsStoredAsRedAndSoHeld) {
  // AMBER+STRICT from outside, without the source's permission: Cee may not receive it, so its
  // finding is RED (its digest is held until an analyst releases it).
  auto strict =
      Service().Import(Analyst(),
                       R"({"type": "bundle", "id": "bundle--c", "objects": [{"type": "indicator",
          "id": "indicator--c", "pattern": "[ipv4-addr:value = '198.51.100.9']",
          "pattern_type": "stix", "valid_from": "2026-12-01T00:00:00Z",
          "object_marking_refs": ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]}]})",
                       ImportOptions{"", "strict.json", "", "members", {}});
  ASSERT_TRUE(strict) << strict.error().message;
  EXPECT_EQ((*strict)["findings"], 1);
  const auto findings = FindingsOf("GM0003");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].second, "RED");
  EXPECT_EQ(findings[0].first["tlp"], "RED");
  EXPECT_EQ(findings[0].first["source.ip"], "198.51.100.9");

  // The same value first RED, then GREEN for all members (both undated): the held finding does
  // not swallow the one Cee may have; a second GREEN one is the same finding again.
  ImportOptions red;
  red.name = "red.txt";
  red.tlp = "RED";
  red.distribution = "members";
  auto held = Service().Import(Analyst(), "198.51.100.10\n", red);
  ASSERT_TRUE(held) << held.error().message;
  EXPECT_EQ((*held)["findings"], 1);
  ImportOptions green = red;
  green.name = "green.txt";
  green.tlp = "GREEN";
  auto open = Service().Import(Analyst(), "198.51.100.10\n", green);
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ((*open)["findings"], 1);
  green.name = "green-again.txt";
  auto again = Service().Import(Analyst(), "198.51.100.10\n", green);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)["findings"], 0);
  std::vector<std::string> levels;
  for (const auto& [finding, tlp] : FindingsOf("GM0003")) {
    if (finding["source.ip"] == "198.51.100.10") levels.push_back(tlp);
  }
  std::sort(levels.begin(), levels.end());
  EXPECT_EQ(levels, (std::vector<std::string>{"GREEN", "RED"}));
}

TEST_F(IntelServiceTest, MembersShareEventsOfTheirOwnAndAddToThemOnly) {
  auto created = Service().CreateEvent(
      MemberUser("GM0001"),
      Json::parse(R"({"title": "Phishing aimed at municipalities", "tlp": "GREEN",
                      "distribution": "members", "indicators": [
                        {"value": "login-gemeente.example.net", "comment": "sender's link"},
                        {"value": "mail.gemeente-cee.example"},
                        {"value": "44d88612fea8a8f36de82e1278abb02f"}]})"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ((*created)["indicators"], 3);
  // The finding is Cee's; whether a value made one says it lies in some member's range, which
  // is for analysts, not for the member that added it.
  EXPECT_FALSE(created->contains("findings"));
  EXPECT_EQ(FindingsOf("GM0003").size(), 1u);
  const int64_t id = (*created)["id"];
  // GREEN for all members: Bee reads it, kinds told by the values.
  auto read = Service().Event(MemberUser("GM0002"), id);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ((*read)["indicators"].size(), 3u);
  EXPECT_EQ((*read)["indicators"][0]["kind"], "domain");
  EXPECT_EQ((*read)["indicators"][2]["kind"], "md5");
  EXPECT_EQ((*read)["indicators"][0]["for_detection"], true);
  EXPECT_EQ((*read)["may_add"], false);
  auto own = Service().Event(MemberUser("GM0001"), id);
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ((*own)["may_add"], true);
  // Bee may read it, not add to it; Aa adds, and what it adds is never looser than the event.
  auto bee = Service().AddIndicators(MemberUser("GM0002"), id,
                                     Json::parse(R"({"indicators": [{"value": "192.0.2.66"}]})"));
  ASSERT_FALSE(bee);
  EXPECT_EQ(bee.error().code, ErrorCode::kPermissionDenied);
  auto added = Service().AddIndicators(
      MemberUser("GM0001"), id,
      Json::parse(R"({"indicators": [{"value": "192.0.2.66", "tlp": "CLEAR"}]})"));
  ASSERT_TRUE(added) << added.error().message;
  auto indicator = Service().Indicator(MemberUser("GM0002"), (*added)["added"][0].get<int64_t>());
  ASSERT_TRUE(indicator) << indicator.error().message;
  EXPECT_EQ((*indicator)["tlp"], "GREEN");
  EXPECT_EQ((*indicator)["event_title"], "Phishing aimed at municipalities");
  EXPECT_FALSE(indicator->contains("sightings"));  // who saw it is for analysts
  // A sighting counts at most a million times: the weight is a sum that must not overflow.
  auto huge =
      Service().AddSighting(MemberUser("GM0002"), (*added)["added"][0].get<int64_t>(),
                            Json::parse(R"({"kind": "seen", "count": 4611686018427387904})"));
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("count"), std::string::npos) << huge.error().message;

  // Every bad value is named by its place; nothing is stored.
  auto bad = Service().AddIndicators(
      MemberUser("GM0001"), id,
      Json::parse(R"({"indicators": [{"value": "192.0.2.67"}, {"value": "not a value"},
                                     {"value": "abc", "kind": "sha256"}, {"valie": "x"}]})"));
  ASSERT_FALSE(bad);
  const std::string said = bad.error().message;
  EXPECT_NE(said.find("indicators[1].value"), std::string::npos) << said;
  EXPECT_NE(said.find("indicators[2].value"), std::string::npos) << said;
  EXPECT_NE(said.find("indicators[3].valie"), std::string::npos) << said;
  auto listed =
      Service().Indicators(Analyst(), store::IndicatorQuery{"192.0.2.6", {}, false, {}, 50, 0});
  ASSERT_TRUE(listed);
  ASSERT_EQ((*listed)["indicators"].size(), 1u);
  EXPECT_EQ((*listed)["indicators"][0]["value"], "192.0.2.66");
}

}  // namespace
}  // namespace baken::intel
