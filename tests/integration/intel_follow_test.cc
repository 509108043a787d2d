// Following a MISP feed by URL (decision 0023, "Following a MISP feed"): `baken intel follow`
// and `baken intel sync` against a real HTTP server on loopback (support/file_server.h) that
// serves the crowdsec-alerts feed (tests/data/cti/misp-feed) as its publisher does. The server
// logs every request, so the tests see that a run fetches only the event files whose manifest
// timestamp grew; what a run changed is read back from the store.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/intel_repository.h"
#include "store/store.h"
#include "support/baken_process.h"
#include "support/cli_test.h"
#include "support/file_server.h"

namespace baken::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;

constexpr char kSmall[] = "6a10e5d8-f1cd-42b0-8240-a4650efd83d6";  // 25 indicators
constexpr char kMiddle[] = "8f09de10-6867-45c6-814d-3d91a33d3af7";
constexpr char kLarge[] = "d177856e-6e46-44ee-8eb5-83ef1c7452c7";

std::string ReadFeedFile(const std::string& name) {
  std::ifstream in(SourceDir() / "tests/data/cti/misp-feed/crowdsec-alerts-feed" / name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class IntelFollowTest : public CliTest {
 protected:
  void SetUp() override {
    // Bee (GM0002) holds 198.51.100.0/24 and bee.example.nl.
    ASSERT_EQ(Baken({"member", "import", (SourceDir() / "tests/data/intel/members.json").string()})
                  .exit_code,
              0);
    manifest_ = Json::parse(ReadFeedFile("manifest.json"));
    for (const char* uuid : {kSmall, kMiddle, kLarge}) {
      events_[uuid] = Json::parse(ReadFeedFile(std::string(uuid) + ".json"));
    }
    Publish();
  }

  // The feed as it stands: the manifest and every event in it.
  void Publish() {
    server_.Serve("/feed/manifest.json", manifest_.dump(2));
    for (const auto& [uuid, event] : events_) server_.Serve(File(uuid), event.dump(2));
  }
  static std::string File(const std::string& uuid) { return "/feed/" + uuid + ".json"; }

  // The event's indicators as the store holds them, by their source's attribute uuid.
  std::map<std::string, store::IndicatorRecord> Stored(const std::string& uuid) {
    std::map<std::string, store::IndicatorRecord> stored;
    auto store = store::Store::Open(database_.location());
    EXPECT_TRUE(store) << store.error().message;
    if (!store) return stored;
    auto tx = (*store)->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    auto id = (*tx)->Intel().EventBySource("misp", uuid);
    EXPECT_TRUE(id && *id) << uuid;
    if (!id || !*id) return stored;
    auto indicators = (*tx)->Intel().Indicators({true, std::nullopt, false}, **id);
    EXPECT_TRUE(indicators);
    for (auto& indicator : *indicators) stored[indicator.source_ref] = indicator;
    return stored;
  }
  Json& Attributes(const std::string& uuid) { return events_[uuid]["Event"]["Attribute"]; }

  FileServer server_;
  Json manifest_;
  std::map<std::string, Json> events_;
};

TEST_F(IntelFollowTest, FollowingTakesInTheFeedAndThenOnlyWhatChanged) {
  const Json first = BakenJson({"intel", "follow", server_.Url("/feed")});
  EXPECT_EQ(first["url"], server_.Url("/feed/"));
  EXPECT_EQ(first["listed"], 3);
  EXPECT_EQ(first["created"], 3);
  EXPECT_EQ(first["failures"].size(), 0u) << first.dump(2);
  EXPECT_THAT(server_.TakeRequests(), UnorderedElementsAre("/feed/manifest.json", File(kSmall),
                                                           File(kMiddle), File(kLarge)));
  const auto before = Stored(kSmall);
  ASSERT_EQ(before.size(), 25u);
  // The feed says "your community" (MISP distribution 1): all members.
  const Json followed = BakenJson({"intel", "followed"});
  ASSERT_EQ(followed.size(), 1u);
  EXPECT_EQ(followed[0]["events"], 3);
  EXPECT_TRUE(followed[0]["last_error"].is_null());

  // Nothing changed: the manifest alone is read.
  const Json idle = BakenJson({"intel", "sync"});
  EXPECT_EQ(idle["feeds"][0]["unchanged"], 3);
  EXPECT_EQ(idle["feeds"][0]["created"], 0);
  EXPECT_THAT(server_.TakeRequests(), ElementsAre("/feed/manifest.json"));

  // The publisher changes one event: one attribute is gone, one is no longer for detection,
  // and a new one names an address in Bee's netblock.
  Json& attributes = Attributes(kSmall);
  const std::string gone = attributes[0]["uuid"];
  const std::string changed = attributes[1]["uuid"];
  attributes.erase(attributes.begin());
  attributes[0]["to_ids"] = false;
  Json added = attributes[0];
  added["uuid"] = "5f1e2d3c-4b5a-4697-8877-665544332211";
  added["value"] = "198.51.100.77";
  added["type"] = "ip-dst";
  added["to_ids"] = true;
  attributes.push_back(added);
  manifest_[kSmall]["timestamp"] =
      std::to_string(std::stoll(manifest_[kSmall]["timestamp"].get<std::string>()) + 60);
  Publish();

  // The job is what runs this every hour.
  const CommandResult job = Baken({"--json", "job", "run", "intel_sync"});
  ASSERT_EQ(job.exit_code, 0) << job.err;
  const Json run = Json::parse(job.out)["feeds"][0];
  EXPECT_EQ(run["updated"], 1);
  EXPECT_EQ(run["unchanged"], 2);
  EXPECT_EQ(run["indicators_added"], 1);
  EXPECT_EQ(run["indicators_changed"], 1);
  EXPECT_EQ(run["indicators_ended"], 1);
  EXPECT_EQ(run["findings"], 1);
  EXPECT_THAT(server_.TakeRequests(), ElementsAre("/feed/manifest.json", File(kSmall)));

  const auto after = Stored(kSmall);
  ASSERT_EQ(after.size(), 26u);  // the gone one stays, ended
  // Updated in place: the same indicators, not a second copy of the event.
  EXPECT_EQ(after.at(changed).id, before.at(changed).id);
  EXPECT_TRUE(before.at(changed).for_detection);
  EXPECT_FALSE(after.at(changed).for_detection);
  EXPECT_FALSE(before.at(gone).valid_until);
  ASSERT_TRUE(after.at(gone).valid_until);
  EXPECT_EQ(after.at(gone).id, before.at(gone).id);
  EXPECT_EQ(after.at("5f1e2d3c-4b5a-4697-8877-665544332211").value, "198.51.100.77");
  // The new address is a finding for Bee.
  const Json findings =
      BakenJson({"events", "list", "--member", "GM0002", "--feed", "threat-intel"})["events"];
  ASSERT_EQ(findings.size(), 1u) << findings.dump(2);
  EXPECT_EQ(findings[0]["source.ip"], "198.51.100.77");

  // The publisher drops an event: its indicators end; the others are not touched.
  manifest_.erase(kLarge);
  Publish();
  const Json dropped = BakenJson({"intel", "sync"});
  EXPECT_EQ(dropped["feeds"][0]["withdrawn"], 1);
  EXPECT_THAT(server_.TakeRequests(), ElementsAre("/feed/manifest.json"));
  for (const auto& [uuid, indicator] : Stored(kLarge)) {
    EXPECT_TRUE(indicator.valid_until) << uuid;
  }
  EXPECT_EQ(BakenJson({"intel", "followed"})[0]["events"], 2);
  // An empty manifest (a publisher's broken run) withdraws nothing.
  manifest_ = Json::object();
  Publish();
  const Json empty = BakenJson({"intel", "sync"});
  EXPECT_EQ(empty["feeds"][0]["withdrawn"], 0);
  EXPECT_THAT(empty["feeds"][0]["problems"][0].get<std::string>(), HasSubstr("lists no events"));
  for (const auto& [uuid, indicator] : Stored(kMiddle)) {
    EXPECT_FALSE(indicator.valid_until) << uuid;
  }
}

TEST_F(IntelFollowTest, WhatAFeedMustNotDoIsRefusedAndFailedFilesAreTriedAgain) {
  // Plain http to another machine, and a redirect: refused before anything is taken in.
  const CommandResult plain = Baken({"intel", "follow", "http://feeds.example.org/misp/"});
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_THAT(plain.err, HasSubstr("uses plain http"));
  server_.Serve("/moved/manifest.json", "", 302,
                {{"Location", "https://elsewhere.example.org/manifest.json"}});
  const CommandResult moved = Baken({"intel", "follow", server_.Url("/moved/manifest.json")});
  EXPECT_NE(moved.exit_code, 0);
  EXPECT_THAT(moved.err, HasSubstr("redirects are not followed"));
  const Json listed = BakenJson({"intel", "followed"});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_THAT(listed[0]["last_error"].get<std::string>(), HasSubstr("redirects are not followed"));
  EXPECT_EQ(Baken({"intel", "unfollow", server_.Url("/moved/")}).exit_code, 0);
  EXPECT_EQ(BakenJson({"intel", "followed"}).size(), 0u);

  // One file fails, one holds another event than the manifest says: the third is taken in.
  server_.Serve(File(kMiddle), "", 500);
  server_.Serve(File(kLarge), events_[kSmall].dump());
  const Json first = BakenJson(
      {"intel", "follow", server_.Url("/feed/"), "--distribution", "named", "--named", "GM0001"});
  EXPECT_EQ(first["created"], 1);
  ASSERT_EQ(first["failures"].size(), 2u) << first.dump(2);
  std::vector<std::string> reasons;
  for (const Json& failure : first["failures"]) reasons.push_back(failure["reason"]);
  EXPECT_THAT(reasons, ::testing::Contains(HasSubstr("HTTP 500")));
  EXPECT_THAT(reasons, ::testing::Contains(HasSubstr("not the one event")));
  EXPECT_EQ(BakenJson({"intel", "followed"})[0]["failing"], 2);

  // Mended: the next run takes in just the two, in the circle the feed was given.
  Publish();
  server_.TakeRequests();
  const Json second = BakenJson({"intel", "sync"});
  EXPECT_EQ(second["feeds"][0]["created"], 2);
  EXPECT_EQ(second["feeds"][0]["unchanged"], 1);
  EXPECT_THAT(server_.TakeRequests(),
              UnorderedElementsAre("/feed/manifest.json", File(kMiddle), File(kLarge)));
  EXPECT_EQ(BakenJson({"intel", "followed"})[0]["failing"], 0);

  // A second feed that serves the same events (a mirror, or one that copies another's uuids)
  // may not rewrite them: each of its files is refused.
  manifest_[kSmall]["timestamp"] = "1999999999";
  server_.Serve("/copy/manifest.json", Json{{kSmall, manifest_[kSmall]}}.dump());
  Json loosened = events_[kSmall];
  loosened["Event"]["Tag"] = Json::array({{{"name", "tlp:clear"}}});
  server_.Serve("/copy/" + std::string(kSmall) + ".json", loosened.dump());
  const Json copy = BakenJson({"intel", "follow", server_.Url("/copy/")});
  EXPECT_EQ(copy["created"], 0);
  EXPECT_EQ(copy["updated"], 0);
  ASSERT_EQ(copy["failures"].size(), 1u) << copy.dump(2);
  EXPECT_THAT(copy["failures"][0]["reason"].get<std::string>(), HasSubstr("another source"));
  EXPECT_EQ(Stored(kSmall).begin()->second.tlp, "AMBER");
  const Json events = BakenJson({"intel", "followed"});
  EXPECT_EQ(events[0]["distribution"], "named");
  EXPECT_THAT(events[0]["named"], ElementsAre("GM0001"));
}

}  // namespace
}  // namespace baken::testing
