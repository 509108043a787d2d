// "Supplier X is hacked", over real HTTP to a real `baken serve` and `baken notify` to a real
// SMTP server (docs/decisions/0018-incidents.md): three members use the supplier (one through
// its inventory, one because it said so, one because an analyst did), a fourth does not. One
// action opens a coordinating incident with the three; each sees its own participation only;
// the supplier's contacts get the analyst's notice and nothing of the members; each
// participation closes on its own.

#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "notify/test_mail.h"
#include "store/test_database.h"
#include "support/baken_process.h"
#include "support/smtp_server.h"

namespace baken::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
};

class PartnerIncidentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(smtp_.running()) << smtp_.error();
    Cli({"member", "import", (SourceDir() / "tests/data/incidents/suppliers.json").string()});
    tokens_["analyst"] = AddUserWithToken("analyst@cert.example.nl", "analyst", "");
    for (const auto& [who, member] : {std::pair{"aa", "GM0001"}, std::pair{"bee", "GM0002"},
                                      std::pair{"cee", "SV0003"}, std::pair{"dee", "GM0004"}}) {
      tokens_[who] = AddUserWithToken(fmt::format("trusted@{}.example.nl", who), "member", member);
    }
    server_ = std::make_unique<BakenServer>(database_.location());
    ASSERT_TRUE(server_->running());
  }

  std::string Cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> full = {"--db", database_.location()};
    full.insert(full.end(), args.begin(), args.end());
    auto result = RunBaken(full, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }
  std::string AddUserWithToken(const std::string& email, const std::string& role,
                               const std::string& member) {
    std::vector<std::string> args = {"user",   "add", "--email",         email,
                                     "--role", role,  "--password-stdin"};
    if (!member.empty()) args.insert(args.end(), {"--member", member});
    Cli(args, "correct horse battery staple\n");
    return Json::parse(Cli({"--json", "token", "create", "--email", email}))["token"];
  }
  Reply Call(const std::string& method, const std::string& path, const std::string& who,
             const Json& body = Json()) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(30, 0);
    httplib::Headers headers{{"Authorization", "Bearer " + tokens_.at(who)}};
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result result = method == "GET" ? client.Get(path, headers)
                             : method == "PUT"
                                 ? client.Put(path, headers, text, "application/json")
                                 : client.Post(path, headers, text, "application/json");
    Reply reply;
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = result->status;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }
  Json Ok(const std::string& method, const std::string& path, const std::string& who,
          const Json& body = Json()) {
    Reply reply = Call(method, path, who, body);
    EXPECT_TRUE(reply.status == 200 || reply.status == 201)
        << method << " " << path << " as " << who << ": " << reply.status << " " << reply.body;
    return reply.body;
  }

  SmtpServer smtp_;
  TempDir dir_;
  store::testing::TestDatabase database_;
  std::unique_ptr<BakenServer> server_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(PartnerIncidentTest, ASupplierIncidentReachesItsUsersEachOnItsOwnAndTheSupplier) {
  const Json partner =
      Ok("POST", "/api/v1/partners", "analyst",
         Json{{"name", "Acme Software"},
              {"kind", "supplier"},
              {"vendor_names", {"ACME Corp", "acme"}},
              {"contacts",
               {{{"name", "Acme PSIRT"}, {"email", "psirt@acme.example"}, {"role", "security"}},
                {{"name", "Acme 24/7"}, {"phone", "020 123 4567"}, {"role", "oncall"}}}}});
  const int64_t id = partner["id"];
  EXPECT_EQ(partner["vendor_names"], (Json{"acme", "acme corp"}));
  EXPECT_EQ(partner["contacts"][1]["phone"], "+31201234567");
  // A member's user sees the directory's names only, and says which suppliers it uses itself.
  const Json seen = Ok("GET", "/api/v1/partners", "bee");
  EXPECT_FALSE(seen["partners"][0].contains("contacts"));
  Ok("PUT", "/api/v1/members/GM0002/partners", "bee", Json{{"partners", {id}}});
  EXPECT_EQ(Call("PUT", "/api/v1/members/GM0001/partners", "bee", Json{{"partners", {id}}}).status,
            404);
  EXPECT_EQ(Call("POST", "/api/v1/partners", "bee", Json{{"name", "Mine"}}).status, 403);
  Ok("PUT", "/api/v1/members/SV0003/partners", "analyst", Json{{"partners", {id}}});
  const Json users = Ok("GET", fmt::format("/api/v1/partners/{}/members", id), "analyst");
  std::map<std::string, std::string> sources;
  for (const auto& user : users["members"]) sources[user["member"]] = user["source"];
  EXPECT_EQ(sources, (std::map<std::string, std::string>{
                         {"GM0001", "inventory"}, {"GM0002", "member"}, {"SV0003", "analyst"}}));

  const Json incident =
      Ok("POST", fmt::format("/api/v1/partners/{}/incident", id), "analyst",
         Json{{"title", "Leverancier Acme gehackt"},
              {"coordinator", "analyst@cert.example.nl"},
              {"notice", "Wij zien misbruik van uw updateserver. Graag uw analyse."}});
  const int64_t incident_id = incident["id"];
  EXPECT_EQ(incident["source"], "partner");
  EXPECT_EQ(incident["cause"], "third_party");
  ASSERT_EQ(incident["participations"].size(), 3u);
  const std::string base = fmt::format("/api/v1/incidents/{}", incident_id);
  const std::map<std::string, std::string> member_of = {
      {"aa", "GM0001"}, {"bee", "GM0002"}, {"cee", "SV0003"}};
  for (const auto& [who, member] : member_of) {
    SCOPED_TRACE(who);
    const Json own = Ok("GET", base + "/participations", who);
    ASSERT_EQ(own["participations"].size(), 1u);
    EXPECT_EQ(own["participations"][0]["member"], member);
    for (const auto& [other_who, other] : member_of) {
      if (other == member) continue;
      EXPECT_EQ(Call("GET", fmt::format("{}/participations/{}", base, other), who).status, 404);
    }
    EXPECT_TRUE(Ok("GET", base, who)["participants"].empty());
  }
  EXPECT_EQ(Call("GET", base, "dee").status, 404);

  // The supplier's contact with an address gets the analyst's words, and no member's name.
  const auto notified = RunBaken({"--db", database_.location(), "notify", "--smtp", smtp_.url(),
                                  "--retry-seconds", "0", "--message-id-domain", "cert.example"});
  ASSERT_EQ(notified.exit_code, 0) << notified.err;
  const auto mails = smtp_.Received();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_tos, std::vector<std::string>{"psirt@acme.example"});
  const auto mail = notify::testing::ParseMail(mails[0].data);
  const std::string body = notify::testing::PlainText(mail);
  EXPECT_THAT(body, HasSubstr("Wij zien misbruik van uw updateserver."));
  EXPECT_THAT(body, HasSubstr(fmt::format("incident {}", incident_id)));
  for (const char* name : {"Gemeente Aa", "Gemeente Bee", "Samenwerking Cee", "GM0001"}) {
    EXPECT_THAT(body, Not(HasSubstr(name)));
  }
  EXPECT_EQ(mail.top.headers.at("x-baken-tlp"), "AMBER");

  // Each participation closes on its own.
  const auto close = [&](const std::string& who, const std::string& member) {
    const std::string path = fmt::format("{}/participations/{}", base, member);
    Ok("PUT", path, who, Json{{"breach", "none"}});
    for (const char* state : {"in_progress", "recovered", "closed"}) {
      Ok("POST", path + "/state", "analyst", Json{{"state", state}});
    }
  };
  const auto states = [&] {
    std::map<std::string, std::string> by_member;
    const Json listed = Ok("GET", base + "/participations", "analyst");
    for (const auto& participation : listed["participations"]) {
      by_member[participation["member"]] = participation["state"];
    }
    return by_member;
  };
  close("aa", "GM0001");
  EXPECT_EQ(states(), (std::map<std::string, std::string>{
                          {"GM0001", "closed"}, {"GM0002", "new"}, {"SV0003", "new"}}));
  close("bee", "GM0002");
  EXPECT_EQ(states()["GM0002"], "closed");
  EXPECT_EQ(states()["SV0003"], "new");
  // The incident cannot close while one participation is open.
  Ok("PUT", base, "analyst",
     Json{{"classification", "intrusions"}, {"type", "system-compromise"}, {"impact", "medium"}});
  for (const char* state : {"in_progress", "recovered"}) {
    Ok("POST", base + "/state", "analyst", Json{{"state", state}});
  }
  const Reply refused = Call("POST", base + "/state", "analyst", Json{{"state", "closed"}});
  EXPECT_EQ(refused.status, 400);
  ASSERT_EQ(refused.body["errors"].size(), 1u) << refused.body;
  EXPECT_EQ(refused.body["errors"][0]["code"], "incident.close_open_participations");
  close("cee", "SV0003");
  Ok("POST", base + "/state", "analyst", Json{{"state", "closed"}});
  EXPECT_EQ(server_->Stop(), 0);
}

// What participants are told by e-mail: a released coordination entry and a task, to the
// contacts the TLP allows; at RED only that there is news.
TEST_F(PartnerIncidentTest, ParticipantsHearOfNewsAsItsTlpAllows) {
  const Json incident = Ok("POST", "/api/v1/incidents", "analyst",
                           Json{{"title", "Phishingcampagne"}, {"members", {"GM0001", "GM0002"}}});
  const std::string base = fmt::format("/api/v1/incidents/{}", incident["id"].get<int64_t>());
  for (const auto& [text, tlp] : {std::pair{"Let op: phishing met een valse factuur", "GREEN"},
                                  std::pair{"Bron: een melding van de politie", "RED"}}) {
    const int64_t entry =
        Ok("POST", base + "/journal", "analyst", Json{{"text", text}, {"tlp", tlp}})["id"];
    Ok("POST", fmt::format("{}/journal/{}/release", base, entry), "analyst", Json::object());
  }
  Ok("POST", base + "/tasks", "analyst",
     Json{{"title", "Blokkeer het domein factuur-gemeente.example"}, {"member", "GM0002"}});
  const auto notified = RunBaken(
      {"--db", database_.location(), "notify", "--smtp", smtp_.url(), "--retry-seconds", "0"});
  ASSERT_EQ(notified.exit_code, 0) << notified.err;
  struct Mail {
    std::set<std::string> to;
    std::string tlp;
    std::string body;
  };
  std::vector<Mail> mails;
  for (const auto& received : smtp_.Received()) {
    const auto parsed = notify::testing::ParseMail(received.data);
    Mail mail{{received.rcpt_tos.begin(), received.rcpt_tos.end()},
              parsed.top.headers.at("x-baken-tlp"),
              notify::testing::PlainText(parsed)};
    mails.push_back(std::move(mail));
  }
  ASSERT_EQ(mails.size(), 5u);
  const auto find = [&](const std::string& address, const std::string& tlp) -> const Mail* {
    for (const Mail& mail : mails) {
      if (mail.to.contains(address) && mail.tlp == tlp) return &mail;
    }
    return nullptr;
  };
  // GREEN: the member's general and trusted contacts, with the text.
  const Mail* green = find("general@bee.example.nl", "GREEN");
  ASSERT_NE(green, nullptr);
  EXPECT_EQ(green->to, (std::set<std::string>{"general@bee.example.nl", "trusted@bee.example.nl"}));
  EXPECT_THAT(green->body, HasSubstr("Let op: phishing met een valse factuur"));
  // RED: the trusted contact only, and not the text.
  const Mail* red = find("trusted@bee.example.nl", "RED");
  ASSERT_NE(red, nullptr);
  EXPECT_EQ(red->to, std::set<std::string>{"trusted@bee.example.nl"});
  EXPECT_THAT(red->body, Not(HasSubstr("politie")));
  EXPECT_THAT(red->body, HasSubstr("Er is nieuws bij incident"));
  ASSERT_NE(find("trusted@aa.example.nl", "RED"), nullptr);
  ASSERT_NE(find("trusted@aa.example.nl", "GREEN"), nullptr);
  // The task: the incident's AMBER, so the trusted contact of the member it is for.
  const Mail* task = find("trusted@bee.example.nl", "AMBER");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->to, std::set<std::string>{"trusted@bee.example.nl"});
  EXPECT_THAT(task->body, HasSubstr("Blokkeer het domein factuur-gemeente.example"));
  for (const Mail& mail : mails) {
    // Nobody hears of another member, and nobody outside the two members hears at all.
    for (const std::string& address : mail.to) {
      EXPECT_TRUE(address.ends_with("@aa.example.nl") || address.ends_with("@bee.example.nl"))
          << address;
    }
    if (mail.to.contains("trusted@aa.example.nl")) {
      EXPECT_THAT(mail.body, Not(HasSubstr("Blokkeer")));
    }
  }
  EXPECT_EQ(server_->Stop(), 0);
}

}  // namespace
}  // namespace baken::testing
