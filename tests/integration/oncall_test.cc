// The piket roster over real HTTP to a real `baken serve` (decision 0019), on both engines:
// analysts keep rotations and overrides; who is on duty follows the handover in local time, an
// override takes its span and a cancelled one gives it back; a rotation without people shows
// as a gap; refusals name their field; a member's user gets none of it.

#include <map>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/api_site.h"
#include "support/baken_process.h"

namespace baken::testing {
namespace {

using Json = nlohmann::json;

using Reply = ApiReply;

class OncallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new ApiSite();
    site_->Cli({"member", "import", (SourceDir() / "tests/data/incidents/members.json").string()});
    site_->AddUser("anna", "anna@cert.example.nl", "analyst");
    site_->AddUser("bram", "Bram@cert.example.nl", "admin");
    site_->AddUser("member", "trusted@aa.example.nl", "member", "GM0001");
    ASSERT_TRUE(site_->Serve()) << "baken serve did not start";
  }
  static void TearDownTestSuite() { delete site_; }

  static Reply Call(const std::string& method, const std::string& path, const std::string& who,
                    const Json& body = Json()) {
    return site_->Call(method, path, who, body);
  }

  // The person on duty in the rotation named `name` at `at`, from GET /rosters/duty.
  static Json OnDuty(const std::string& name, const std::string& at) {
    const Reply duty = Call("GET", "/api/v1/rosters/duty?days=1&from=" + at, "anna");
    EXPECT_EQ(duty.status, 200) << duty.body.dump();
    for (const Json& rotation : duty.body["rotations"]) {
      if (rotation["name"] == name) return rotation["now"]["person"];
    }
    ADD_FAILURE() << "no rotation " << name << " in " << duty.body.dump();
    return Json();
  }

  static ApiSite* site_;
};

ApiSite* OncallTest::site_ = nullptr;

TEST_F(OncallTest, WhoIsOnDutyFollowsTheRosterAndItsOverrides) {
  // A daily piket from Monday 1 March 2027, handover at 09:00 Amsterdam time.
  const Reply created =
      Call("POST", "/api/v1/rosters", "anna",
           Json{{"name", "Piket"},
                {"shift", "daily"},
                {"handover", "09:00"},
                {"start_date", "2027-03-01"},
                {"participants", {"anna@cert.example.nl", "bram@cert.example.nl"}}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const int64_t piket = created.body["id"];
  // The address as the account has it.
  EXPECT_EQ(created.body["participants"][1], "Bram@cert.example.nl");

  // 28 March 2027 is the first day of summer time: the handover is at 07:00 UTC. Day 27 since
  // the start is odd: bram's from then; before it, day 26's anna.
  EXPECT_EQ(OnDuty("Piket", "2027-03-28T06:59:00Z"), "anna@cert.example.nl");
  EXPECT_EQ(OnDuty("Piket", "2027-03-28T07:00:00Z"), "Bram@cert.example.nl");

  // Anna takes over Tuesday night 31 March 2099 (an override ends in the future): whoever's
  // turn it is, the night is hers.
  const Reply override_reply =
      Call("POST", fmt::format("/api/v1/rosters/{}/overrides", piket), "anna",
           Json{{"start_at", "2099-03-31T20:00:00Z"},
                {"end_at", "2099-04-01T06:00:00Z"},
                {"reason", "ik neem woensdagnacht over"}});
  ASSERT_EQ(override_reply.status, 201) << override_reply.body.dump();
  EXPECT_EQ(override_reply.body["person"], "anna@cert.example.nl");  // the caller
  const Json before = OnDuty("Piket", "2099-03-31T19:59:00Z");
  EXPECT_EQ(OnDuty("Piket", "2099-03-31T23:00:00Z"), "anna@cert.example.nl");
  const Reply night = Call("GET", "/api/v1/rosters/duty?days=1&from=2099-03-31T12:00:00Z", "anna");
  ASSERT_EQ(night.status, 200);
  ASSERT_EQ(night.body["overrides"].size(), 1u);
  bool overridden = false;
  for (const Json& shift : night.body["rotations"][0]["shifts"]) {
    if (shift["overridden"] == true) {
      overridden = true;
      EXPECT_EQ(shift["start"], "2099-03-31T20:00:00Z");
      EXPECT_EQ(shift["end"], "2099-04-01T06:00:00Z");
    }
  }
  EXPECT_TRUE(overridden) << night.body.dump();
  // Cancelled, the rotation's own person is back.
  const Reply cancelled = Call("POST",
                               fmt::format("/api/v1/rosters/{}/overrides/{}/cancel", piket,
                                           override_reply.body["id"].get<int64_t>()),
                               "bram", Json::object());
  ASSERT_EQ(cancelled.status, 200) << cancelled.body.dump();
  EXPECT_EQ(cancelled.body["cancelled_by"], "user:Bram@cert.example.nl");
  EXPECT_EQ(OnDuty("Piket", "2099-03-31T23:00:00Z"), before);

  // An office rotation without people: office hours are a gap; the piket covers the rest.
  const Reply office = Call("POST", "/api/v1/rosters", "bram",
                            Json{{"name", "Kantoor"},
                                 {"shift", "weekly"},
                                 {"handover_day", 1},
                                 {"start_date", "2027-03-01"},
                                 {"coverage", "office_hours"},
                                 {"participants", Json::array()}});
  ASSERT_EQ(office.status, 201) << office.body.dump();
  const Reply piket_office_hours = Call("PUT", fmt::format("/api/v1/rosters/{}", piket), "anna",
                                        Json{{"coverage", "outside_office_hours"}});
  ASSERT_EQ(piket_office_hours.status, 200) << piket_office_hours.body.dump();
  const Reply tuesday =
      Call("GET", "/api/v1/rosters/duty?days=1&from=2027-05-04T00:00:00Z", "anna");
  ASSERT_EQ(tuesday.status, 200);
  ASSERT_EQ(tuesday.body["gaps"].size(), 1u) << tuesday.body.dump();
  EXPECT_EQ(tuesday.body["gaps"][0]["start"], "2027-05-04T06:30:00Z");  // 08:30 CEST
  EXPECT_EQ(tuesday.body["gaps"][0]["end"], "2027-05-04T15:00:00Z");    // 17:00 CEST
  const Reply listed = Call("GET", "/api/v1/rosters", "anna");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["rotations"].size(), 2u);
  EXPECT_EQ(listed.body["rotations"][0]["name"], "Kantoor");  // by name
}

TEST_F(OncallTest, RefusalsNameTheFieldAndMembersGetNothing) {
  const Reply refused = Call("POST", "/api/v1/rosters", "anna",
                             Json{{"name", ""},
                                  {"shift", "maandelijks"},
                                  {"handover", "25:00"},
                                  {"start_date", "2027-02-30"},
                                  {"participants", {"trusted@aa.example.nl"}},
                                  {"kleur", "rood"}});
  ASSERT_EQ(refused.status, 400);
  std::map<std::string, std::string> problems;
  for (const Json& error : refused.body["errors"]) {
    problems[error["params"]["field"].get<std::string>()] = error["code"];
  }
  EXPECT_EQ(problems,
            (std::map<std::string, std::string>{{"kleur", "field.unknown"},
                                                {"name", "field.required"},
                                                {"shift", "field.choice_unknown"},
                                                {"handover", "oncall.time_of_day_invalid"},
                                                {"start_date", "oncall.date_invalid"},
                                                {"participants[0]", "oncall.person_unknown"}}))
      << refused.body.dump();
  // A weekly rotation starts on its handover day (1 March 2027 is a Monday, not a Sunday).
  const Reply weekday =
      Call("POST", "/api/v1/rosters", "anna",
           Json{{"name", "Weekend"}, {"handover_day", 7}, {"start_date", "2027-03-01"}});
  EXPECT_EQ(weekday.status, 400);
  EXPECT_EQ(weekday.body["code"], "oncall.start_not_handover_day");
  const Reply same_name = Call("POST", "/api/v1/rosters", "anna",
                               Json{{"name", "reserve"}, {"start_date", "2027-03-01"}});
  ASSERT_EQ(same_name.status, 201);
  EXPECT_EQ(Call("POST", "/api/v1/rosters", "bram",
                 Json{{"name", "Reserve"}, {"start_date", "2027-03-01"}})
                .status,
            409);
  const int64_t reserve = same_name.body["id"];
  const Reply past =
      Call("POST", fmt::format("/api/v1/rosters/{}/overrides", reserve), "anna",
           Json{{"start_at", "2020-01-01T00:00:00Z"}, {"end_at", "2020-01-02T00:00:00Z"}});
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(past.body["code"], "oncall.span_invalid");
  const Reply long_one =
      Call("POST", fmt::format("/api/v1/rosters/{}/overrides", reserve), "anna",
           Json{{"start_at", "2099-01-01T00:00:00Z"}, {"end_at", "2099-03-01T00:00:00Z"}});
  EXPECT_EQ(long_one.status, 400);
  EXPECT_EQ(long_one.body["code"], "oncall.span_too_long");
  EXPECT_EQ(Call("POST", "/api/v1/rosters/999999/overrides", "anna",
                 Json{{"start_at", "2099-01-01T00:00:00Z"}, {"end_at", "2099-01-02T00:00:00Z"}})
                .status,
            404);

  // A member's user: the roster is the CERT's.
  EXPECT_EQ(Call("GET", "/api/v1/rosters/duty", "member").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/rosters", "member").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/rosters", "member",
                 Json{{"name", "Van het lid"}, {"start_date", "2027-03-01"}})
                .status,
            403);
  EXPECT_EQ(Call("POST", fmt::format("/api/v1/rosters/{}/overrides", reserve), "member",
                 Json{{"start_at", "2099-01-01T00:00:00Z"}, {"end_at", "2099-01-02T00:00:00Z"}})
                .status,
            403);
}

}  // namespace
}  // namespace baken::testing
