#include "registry/member_json.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace baken::registry {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

std::string ReadFixture(const std::string& relative) {
  const char* root = std::getenv("BAKEN_SOURCE_DIR");
  std::ifstream file(std::string(root ? root : ".") + "/" + relative);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// A one-member file with `field` set to the given JSON text.
std::string MemberWith(const std::string& field, const std::string& value) {
  Json member = Json::parse(R"({"code": "GM0363", "name": "Amsterdam", "kind": "gemeente",
      "contacts": [{"name": "SOC", "email": "soc@example.nl", "roles": ["general"]}]})");
  member[field] = Json::parse(value);
  return DumpJson(Json{{"members", Json::array({member})}});
}

std::string AllProblems(const std::string& text) {
  auto result = ParseMemberFile(text);
  if (result) return "";
  std::string joined;
  for (const auto& problem : result.error()) joined += problem.message + "\n";
  return joined;
}

TEST(MemberJsonTest, ReadsTheContractExample) {
  auto members = ParseMemberFile(ReadFixture("tests/data/registry/members.json"));
  ASSERT_TRUE(members) << members.error().front().message;
  ASSERT_EQ(members->size(), 3u);
  const Member& amsterdam = (*members)[0];
  EXPECT_EQ(amsterdam.code, "GM0363");
  EXPECT_EQ(amsterdam.kind, MemberKind::kGemeente);
  ASSERT_EQ(amsterdam.contacts.size(), 2u);
  EXPECT_EQ(amsterdam.contacts[0].roles,
            (std::vector{ContactRole::kGeneral, ContactRole::kTrusted}));
  EXPECT_EQ(amsterdam.contacts[1].language, "en");
  EXPECT_EQ(amsterdam.ClaimValues(ClaimKind::kNetblock, ClaimState::kApproved),
            (std::vector<std::string>{"192.0.2.0/24", "2001:db8:1::/48"}));
  EXPECT_EQ(amsterdam.ClaimValues(ClaimKind::kAsn, ClaimState::kApproved),
            (std::vector<std::string>{"64500"}));
  ASSERT_EQ(amsterdam.assets.size(), 1u);
  EXPECT_EQ(amsterdam.assets[0].criticality, Criticality::kHigh);
  EXPECT_TRUE(amsterdam.assets[0].internet_facing);
  EXPECT_FALSE(amsterdam.assets[0].purl);
}

TEST(MemberJsonTest, ExportThenImportGivesTheSameMembers) {
  auto members = ParseMemberFile(ReadFixture("tests/data/registry/members.json"));
  ASSERT_TRUE(members);
  const std::string exported = FormatMemberFile(*members);
  auto again = ParseMemberFile(exported);
  ASSERT_TRUE(again) << again.error().front().message;
  EXPECT_EQ(FormatMemberFile(*again), exported);
}

TEST(MemberJsonTest, RefusesBadNetblocksWithClearMessages) {
  EXPECT_THAT(AllProblems(MemberWith("netblocks", R"(["192.0.2.1/24"])")),
              HasSubstr("GM0363: netblocks[0]: '192.0.2.1/24' has host bits set"));
  EXPECT_THAT(AllProblems(MemberWith("netblocks", R"(["0.0.0.0/0"])")),
              HasSubstr("covers the whole address space"));
  EXPECT_THAT(AllProblems(MemberWith("netblocks", R"(["::/0"])")),
              HasSubstr("covers the whole address space"));
  EXPECT_THAT(AllProblems(MemberWith("netblocks", R"(["300.1.2.0/24"])")),
              HasSubstr("netblocks[0]"));
  EXPECT_THAT(AllProblems(MemberWith("netblocks", R"([17])")), HasSubstr("is not a netblock"));
}

TEST(MemberJsonTest, RefusesUnknownRolesMalformedEmailAndUnknownFields) {
  EXPECT_THAT(AllProblems(MemberWith(
                  "contacts", R"([{"name": "x", "email": "x@example.nl", "roles": ["boss"]}])")),
              HasSubstr("GM0363: contacts[0]: unknown role 'boss'"));
  EXPECT_THAT(AllProblems(MemberWith(
                  "contacts", R"([{"name": "x", "email": "not-an-address", "roles": ["ciso"]}])")),
              HasSubstr("e-mail address 'not-an-address' is malformed"));
  EXPECT_THAT(AllProblems(MemberWith("netblock", R"(["192.0.2.0/24"])")),
              HasSubstr("GM0363: unknown field 'netblock'"));
}

TEST(MemberJsonTest, AContactChoosesWhetherItTakesWarnings) {
  auto members = ParseMemberFile(MemberWith("contacts", R"([
      {"name": "SOC", "email": "soc@example.nl", "roles": ["trusted"]},
      {"name": "CERT", "email": "cert@example.nl", "roles": ["trusted"], "warnings": false},
      {"name": "CISO", "email": "ciso@example.nl", "roles": ["ciso", "trusted"], "warnings": true},
      {"name": "Desk", "email": "desk@example.nl", "roles": ["general"]}])"));
  ASSERT_TRUE(members) << members.error().front().message;
  const std::vector<Contact>& contacts = (*members)[0].contacts;
  EXPECT_TRUE(TakesWarnings(contacts[0]));   // trusted: yes by default
  EXPECT_FALSE(TakesWarnings(contacts[1]));  // trusted, opted out
  EXPECT_TRUE(TakesWarnings(contacts[2]));
  EXPECT_FALSE(TakesWarnings(contacts[3]));  // not trusted: warnings are TLP:AMBER
  // The choice survives an export, and an unset one stays unset.
  const std::string exported = FormatMemberFile(*members);
  EXPECT_THAT(exported, HasSubstr(R"("warnings": false)"));
  EXPECT_EQ(Json::parse(exported)["members"][0]["contacts"][0].count("warnings"), 0u);
  auto again = ParseMemberFile(exported);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->front().contacts, contacts);

  EXPECT_THAT(AllProblems(MemberWith("contacts", R"([{"name": "x", "email": "x@example.nl",
                                                      "roles": ["general"], "warnings": true}])")),
              HasSubstr("contacts[0]: 'warnings': true needs the trusted role"));
  EXPECT_THAT(AllProblems(MemberWith("contacts", R"([{"name": "x", "email": "x@example.nl",
                                                      "roles": ["trusted"], "warnings": "ja"}])")),
              HasSubstr("warnings must be true or false"));
}

// A contact's phone number, for a call: written as people write it, kept as E.164, exported
// and read back the same; a bad one refused with its code, naming the contact.
TEST(MemberJsonTest, AContactsPhoneIsKeptInItsInternationalForm) {
  auto members = ParseMemberFile(MemberWith("contacts", R"([
      {"name": "SOC", "email": "soc@example.nl", "roles": ["oncall"], "phone": "020-123 45 67"},
      {"name": "Desk", "email": "desk@example.nl", "roles": ["general"]}])"));
  ASSERT_TRUE(members) << members.error().front().message;
  EXPECT_EQ((*members)[0].contacts[0].phone, "+31201234567");
  EXPECT_FALSE((*members)[0].contacts[1].phone);
  const std::string exported = FormatMemberFile(*members);
  EXPECT_THAT(exported, HasSubstr(R"("phone": "+31201234567")"));
  EXPECT_EQ(Json::parse(exported)["members"][0]["contacts"][1].count("phone"), 0u);
  auto again = ParseMemberFile(exported);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->front().contacts, (*members)[0].contacts);

  auto refused = ParseMemberFile(MemberWith("contacts", R"([{"name": "x", "email": "x@example.nl",
                                                   "roles": ["general"], "phone": "bel mij"}])"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().front().key, "contact.phone_invalid");
  EXPECT_THAT(refused.error().front().message, HasSubstr("contacts[0]"));
  EXPECT_THAT(refused.error().front().message, HasSubstr("'bel mij' is not a phone number"));
  EXPECT_THAT(AllProblems(MemberWith("contacts", R"([{"name": "x", "email": "x@example.nl",
                                                      "roles": ["general"], "phone": 201234567}])")),
              HasSubstr("is not a phone number"));
}

TEST(MemberJsonTest, EscapesControlCharactersInMessages) {
  // A terminal escape sequence in a field name must not reach an analyst's terminal as is.
  const std::string problems = AllProblems(MemberWith("\x1b[2Jx", "1"));
  EXPECT_THAT(problems, HasSubstr("unknown field '\\x1b[2Jx'"));
  EXPECT_EQ(problems.find('\x1b'), std::string::npos);
}

TEST(MemberJsonTest, RefusesDuplicateCodesAndClaimsOfTwoMembers) {
  const std::string text = R"({"members": [
    {"code": "GM0363", "name": "A", "kind": "gemeente", "netblocks": ["192.0.2.0/24"]},
    {"code": "GM0363", "name": "B", "kind": "gemeente"},
    {"code": "GM0599", "name": "C", "kind": "gemeente", "netblocks": ["192.0.2.0/24"]}]})";
  const std::string problems = AllProblems(text);
  EXPECT_THAT(problems, HasSubstr("GM0363: member code is listed twice"));
  EXPECT_THAT(problems, HasSubstr("GM0599: netblock '192.0.2.0/24' is also listed for GM0363"));
}

TEST(MemberJsonTest, NamesEveryProblemInOneGo) {
  const std::string text = R"({"members": [
    {"code": "gm1", "name": "A", "kind": "gemeente"},
    {"code": "GM0001", "name": "", "kind": "stad", "asns": ["ASX"], "domains": ["nl"]}]})";
  auto result = ParseMemberFile(text);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().size(), 5u) << AllProblems(text);
  EXPECT_THAT(AllProblems(text), HasSubstr("code 'gm1' is not a member code"));
  EXPECT_THAT(AllProblems(text), HasSubstr("GM0001: kind 'stad' is unknown"));
  EXPECT_THAT(AllProblems(text), HasSubstr("GM0001: asns[0]: 'ASX' is not an AS number"));
  EXPECT_THAT(AllProblems(text), HasSubstr("GM0001: domains[0]: 'nl' is a top-level domain"));
}

TEST(MemberJsonTest, RefusesMalformedJsonAndWrongShapes) {
  EXPECT_THAT(AllProblems("{\"members\": [}"), HasSubstr("member file: not valid JSON"));
  EXPECT_THAT(AllProblems(R"({"members": [{"code": 1e99999}]})"), HasSubstr("not valid JSON"));
  EXPECT_THAT(AllProblems("[]"), HasSubstr("expected an object with a \"members\" array"));
  EXPECT_THAT(AllProblems(R"({"members": [42]})"), HasSubstr("a member must be an object"));
  EXPECT_THAT(AllProblems(MemberWith("assets", R"([{"name": "x"}])")),
              HasSubstr("'vendor' is missing"));
  EXPECT_THAT(AllProblems(MemberWith("assets",
                                     R"([{"name": "x", "vendor": "v", "product": "p",
                                          "cpe": "cpe:/a:v:p"}])")),
              HasSubstr("is not a CPE 2.3 name"));
}

}  // namespace
}  // namespace baken::registry
