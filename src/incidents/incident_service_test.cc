// The incident use cases on both engines, with a clock the test sets: a member's report and what
// each member's users may read of it (their own participation only, coordination entries once
// released and TLP permitting, the breach decision by role), the enforced transitions and the
// closing rules, merging a duplicate, and refusals that name the field.

#include "incidents/incident_service.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "store/store.h"
#include "store/test_database.h"

namespace baken::incidents {
namespace {

using registry::ContactRole;

registry::Contact MakeContact(std::string email, std::vector<ContactRole> roles) {
  registry::Contact contact;
  contact.name = email;
  contact.email = std::move(email);
  contact.roles = std::move(roles);
  return contact;
}

auth::Principal MemberUser(std::string member, std::string email) {
  auth::Principal principal;
  principal.user_id = 1;
  principal.role = store::Role::kMember;
  principal.member = std::move(member);
  principal.email = email;
  principal.actor = "user:" + email;
  return principal;
}

auth::Principal Analyst() {
  auth::Principal principal;
  principal.user_id = 2;
  principal.role = store::Role::kAnalyst;
  principal.email = "soc@cert.example";
  principal.actor = "user:soc@cert.example";
  return principal;
}

// The codes of a refusal and of each of its causes.
std::vector<std::string> Codes(const Error& error) {
  std::vector<std::string> codes = {error.key};
  for (const Error& cause : error.causes) codes.push_back(cause.key);
  return codes;
}

std::string Param(const Error& error, std::string_view name) {
  for (const auto& [key, value] : error.params) {
    if (key == name) return value;
  }
  return {};
}

class IncidentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::Open(database_.location());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    registry::Member a;
    a.code = "GM0001";
    a.name = "Gemeente Aa";
    a.contacts = {MakeContact("general@aa.example", {ContactRole::kGeneral}),
                  MakeContact("Trusted@aa.example", {ContactRole::kTrusted}),
                  MakeContact("privacy@aa.example", {ContactRole::kPrivacy})};
    registry::Member b;
    b.code = "GM0002";
    b.name = "Gemeente Bee";
    b.contacts = {MakeContact("general@bee.example", {ContactRole::kGeneral}),
                  MakeContact("trusted@bee.example", {ContactRole::kTrusted})};
    registry::Member c;
    c.code = "SV0003";
    c.name = "Samenwerking Cee";
    c.kind = registry::MemberKind::kSamenwerkingsverband;
    for (const auto* member : {&a, &b, &c}) {
      ASSERT_TRUE((*tx)->Members().Upsert(*member, "test", "2026-12-01T00:00:00Z"));
    }
    ASSERT_TRUE((*tx)->Commit());
  }

  IncidentService Service() {
    return IncidentService(*store_, [this] { return now_; });
  }

  // Reports an incident as member A's general contact; returns its id.
  int64_t ReportAsA() {
    auto created = Service().Create(
        a_general_, Json{{"title", "Ransomware bij Gemeente Aa"},
                         {"description", "Bestanden op de fileserver van Aa zijn versleuteld."}});
    EXPECT_TRUE(created) << created.error().message;
    return created ? (*created)["id"].get<int64_t>() : 0;
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + std::chrono::hours{9};
  auth::Principal analyst_ = Analyst();
  auth::Principal a_general_ = MemberUser("GM0001", "general@aa.example");
  auth::Principal a_trusted_ = MemberUser("GM0001", "trusted@aa.example");
  auth::Principal a_privacy_ = MemberUser("GM0001", "privacy@aa.example");
  auth::Principal a_no_contact_ = MemberUser("GM0001", "intern@aa.example");
  auth::Principal b_general_ = MemberUser("GM0002", "general@bee.example");
  auth::Principal b_trusted_ = MemberUser("GM0002", "trusted@bee.example");
};

TEST_F(IncidentServiceTest, AMemberReportStaysInItsOwnParticipation) {
  const int64_t id = ReportAsA();
  auto as_a = Service().Get(a_general_, id);
  ASSERT_TRUE(as_a) << as_a.error().message;
  EXPECT_EQ((*as_a)["title"], "Ransomware bij Gemeente Aa");
  EXPECT_EQ((*as_a)["state"], "new");
  EXPECT_FALSE(as_a->contains("description"));  // the incident's own text is the CERT's
  ASSERT_EQ((*as_a)["journal"].size(), 1u);     // the report's words, as its first entry
  EXPECT_EQ((*as_a)["journal"][0]["member"], "GM0001");
  EXPECT_EQ((*as_a)["participation"]["member"], "GM0001");

  // Member B does not take part: the incident does not exist for it.
  auto as_b = Service().Get(b_trusted_, id);
  ASSERT_FALSE(as_b);
  EXPECT_EQ(as_b.error().code, ErrorCode::kNotFound);

  // The report's title may name the reporter: adding B needs the title B will see.
  auto without_title = Service().AddParticipations(analyst_, id, Json{{"members", {"GM0002"}}});
  ASSERT_FALSE(without_title);
  EXPECT_EQ(without_title.error().key, "incident.title_needed");
  ASSERT_TRUE(Service().AddParticipations(
      analyst_, id, Json{{"members", {"GM0002"}}, {"title", "Ransomware bij een leverancier"}}));

  as_b = Service().Get(b_trusted_, id);
  ASSERT_TRUE(as_b) << as_b.error().message;
  EXPECT_EQ((*as_b)["title"], "Ransomware bij een leverancier");
  EXPECT_TRUE((*as_b)["journal"].empty());       // A's report is not B's to read
  EXPECT_TRUE((*as_b)["participants"].empty());  // nor that A takes part
  auto b_participations = Service().Participations(b_trusted_, id);
  ASSERT_TRUE(b_participations);
  ASSERT_EQ((*b_participations)["participations"].size(), 1u);
  EXPECT_EQ((*b_participations)["participations"][0]["member"], "GM0002");
  auto a_from_b = Service().GetParticipation(b_trusted_, id, "GM0001");
  ASSERT_FALSE(a_from_b);
  EXPECT_EQ(a_from_b.error().code, ErrorCode::kNotFound);
  auto history = Service().History(b_trusted_, id);
  ASSERT_TRUE(history);
  for (const auto& entry : (*history)["history"]) EXPECT_EQ(entry["member"], "GM0002");

  // Once the coordinator names A to the others, B sees A's name, and nothing more.
  ASSERT_TRUE(Service().UpdateParticipation(analyst_, id, "GM0001", Json{{"named", true}}));
  as_b = Service().Get(b_trusted_, id);
  ASSERT_TRUE(as_b);
  ASSERT_EQ((*as_b)["participants"].size(), 1u);
  EXPECT_EQ((*as_b)["participants"][0]["member_name"], "Gemeente Aa");
  EXPECT_TRUE((*as_b)["journal"].empty());
}

TEST_F(IncidentServiceTest, CoordinationEntriesAreReadOnceReleasedAndWhereTheirTlpAllows) {
  auto created = Service().Create(
      analyst_, Json{{"title", "Leverancier X gehackt"}, {"members", {"GM0001", "GM0002"}}});
  ASSERT_TRUE(created) << created.error().message;
  const int64_t id = (*created)["id"];
  auto amber = Service().AddEntry(analyst_, id, Json{{"text", "IOC's: 198.51.100.7"}});
  auto green = Service().AddEntry(
      analyst_, id, Json{{"text", "Leverancier X werkt aan een oplossing"}, {"tlp", "green"}});
  ASSERT_TRUE(amber && green);
  EXPECT_EQ((*amber)["tlp"], "AMBER");  // the incident's level when none is given
  EXPECT_EQ((*green)["tlp"], "GREEN");

  const auto journal_of = [&](const auth::Principal& who) {
    auto incident = Service().Get(who, id);
    EXPECT_TRUE(incident) << incident.error().message;
    std::vector<std::string> texts;
    if (incident) {
      for (const auto& entry : (*incident)["journal"]) texts.push_back(entry["text"]);
    }
    return texts;
  };
  EXPECT_TRUE(journal_of(b_trusted_).empty());  // not released yet
  EXPECT_EQ(journal_of(analyst_).size(), 2u);

  ASSERT_TRUE(Service().ReleaseEntry(analyst_, id, (*amber)["id"]));
  ASSERT_TRUE(Service().ReleaseEntry(analyst_, id, (*green)["id"]));
  EXPECT_EQ(journal_of(b_trusted_).size(), 2u);
  // A general contact reads GREEN, not AMBER; a user who is no contact is treated the same.
  EXPECT_EQ(journal_of(b_general_),
            std::vector<std::string>{"Leverancier X werkt aan een oplossing"});
  EXPECT_EQ(journal_of(a_no_contact_),
            std::vector<std::string>{"Leverancier X werkt aan een oplossing"});
  // The contact's address is matched without regard to case ("Trusted@aa.example").
  EXPECT_EQ(journal_of(a_trusted_).size(), 2u);

  // A second release, or releasing a participation's entry, is refused.
  auto again = Service().ReleaseEntry(analyst_, id, (*amber)["id"]);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().key, "incident.release_refused");
  auto own = Service().AddEntry(b_general_, id, Json{{"text", "Wij zien niets"}});
  ASSERT_TRUE(own);
  EXPECT_EQ((*own)["member"], "GM0002");
  auto release_own = Service().ReleaseEntry(analyst_, id, (*own)["id"]);
  ASSERT_FALSE(release_own);
  EXPECT_EQ(release_own.error().code, ErrorCode::kConflict);
  // Its author reads it (AMBER), A never does.
  EXPECT_EQ(journal_of(b_general_).size(), 2u);
  EXPECT_EQ(journal_of(a_trusted_).size(), 2u);
  // Members cannot release.
  auto by_member = Service().ReleaseEntry(b_trusted_, id, (*own)["id"]);
  ASSERT_FALSE(by_member);
  EXPECT_EQ(by_member.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(IncidentServiceTest, TheBreachDecisionIsForTrustedAndPrivacyContacts) {
  const int64_t id = ReportAsA();
  auto as_general = Service().GetParticipation(a_general_, id, "GM0001");
  ASSERT_TRUE(as_general);
  EXPECT_TRUE((*as_general)["breach"].is_null());
  auto by_general =
      Service().UpdateParticipation(a_general_, id, "GM0001", Json{{"breach", "breach"}});
  ASSERT_FALSE(by_general);
  EXPECT_EQ(by_general.error().code, ErrorCode::kPermissionDenied);

  auto by_privacy =
      Service().UpdateParticipation(a_privacy_, id, "GM0001", Json{{"breach", "breach"}});
  ASSERT_TRUE(by_privacy) << by_privacy.error().message;
  EXPECT_EQ((*by_privacy)["breach"], "breach");
  // Only the decision: the participation's title and naming are the coordinator's.
  auto title = Service().UpdateParticipation(a_privacy_, id, "GM0001", Json{{"named", true}});
  ASSERT_FALSE(title);
  EXPECT_EQ(title.error().key, "field.unknown");
  auto as_trusted = Service().GetParticipation(a_trusted_, id, "GM0001");
  ASSERT_TRUE(as_trusted);
  EXPECT_EQ((*as_trusted)["breach"], "breach");
}

TEST_F(IncidentServiceTest, TransitionsAreEnforcedAndClosingNamesEveryOpenRule) {
  const int64_t id = ReportAsA();
  auto skipped = Service().Move(analyst_, id, Json{{"state", "closed"}});
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().key, "incident.transition_refused");
  EXPECT_EQ(Param(skipped.error(), "from"), "new");
  EXPECT_EQ(Param(skipped.error(), "next"), "in_progress");
  auto unknown = Service().Move(analyst_, id, Json{{"state", "afgerond"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().key, "field.choice_unknown");
  EXPECT_EQ(Param(unknown.error(), "field"), "state");
  auto by_member = Service().Move(a_trusted_, id, Json{{"state", "in_progress"}});
  ASSERT_FALSE(by_member);
  EXPECT_EQ(by_member.error().code, ErrorCode::kPermissionDenied);

  for (const char* state : {"in_progress", "contained", "recovered"}) {
    ASSERT_TRUE(Service().Move(analyst_, id, Json{{"state", state}}));
  }
  auto task = Service().AddTask(analyst_, id,
                                Json{{"title", "Logbestanden aanleveren"},
                                     {"member", "GM0001"},
                                     {"due_at", "2026-12-08T12:00:00Z"}});
  ASSERT_TRUE(task) << task.error().message;
  auto refused = Service().Move(analyst_, id, Json{{"state", "closed"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(Codes(refused.error()),
            (std::vector<std::string>{"incident.close_refused", "incident.close_needs_field",
                                      "incident.close_needs_field", "incident.close_needs_field",
                                      "incident.close_open_tasks",
                                      "incident.close_open_participations"}));

  // The participation closes only with its breach decision made and its tasks settled.
  ASSERT_TRUE(Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "in_progress"}}));
  ASSERT_TRUE(Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "recovered"}}));
  auto participation =
      Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "closed"}});
  ASSERT_FALSE(participation);
  EXPECT_EQ(Codes(participation.error()),
            (std::vector<std::string>{"incident.close_refused", "incident.close_breach_undecided",
                                      "incident.close_open_tasks"}));
  // The member's user reports its task done; dropping is the CERT's.
  auto dropped = Service().UpdateTask(a_general_, id, (*task)["id"], Json{{"state", "dropped"}});
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().key, "field.choice_unknown");
  auto no_reason = Service().UpdateTask(analyst_, id, (*task)["id"], Json{{"state", "dropped"}});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().key, "incident.task_reason_needed");
  ASSERT_TRUE(Service().UpdateTask(a_general_, id, (*task)["id"], Json{{"state", "done"}}));
  ASSERT_TRUE(Service().UpdateParticipation(a_trusted_, id, "GM0001", Json{{"breach", "none"}}));
  ASSERT_TRUE(Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "closed"}}));

  ASSERT_TRUE(Service().Update(analyst_, id,
                               Json{{"classification", "malicious-code"},
                                    {"type", "infected-system"},
                                    {"cause", "criminal"},
                                    {"impact", "high"}}));
  now_ += std::chrono::hours{30};
  auto closed = Service().Move(analyst_, id, Json{{"state", "closed"}});
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ((*closed)["closed_at"], "2026-12-06T15:00:00Z");
  auto changed = Service().Update(analyst_, id, Json{{"impact", "low"}});
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().key, "incident.closed");
  auto reopened = Service().Move(analyst_, id, Json{{"state", "in_progress"}, {"note", "terug"}});
  ASSERT_TRUE(reopened);
  EXPECT_TRUE((*reopened)["closed_at"].is_null());

  auto history = Service().History(analyst_, id);
  ASSERT_TRUE(history);
  std::vector<std::string> states;
  for (const auto& entry : (*history)["history"]) {
    if (entry["action"] == "incident.state") states.push_back(entry["detail"]["to"]);
  }
  EXPECT_EQ(states, (std::vector<std::string>{"in_progress", "contained", "recovered", "closed",
                                              "in_progress"}));
}

TEST_F(IncidentServiceTest, RefusalsNameTheField) {
  auto refused = Service().Create(analyst_, Json{{"title", ""},
                                                 {"classification", "fraud"},
                                                 {"type", "scanner"},
                                                 {"impact", "enorm"},
                                                 {"tlp", "PURPLE"},
                                                 {"members", {"GM9999"}},
                                                 {"colour", "red"}});
  ASSERT_FALSE(refused);
  std::vector<std::string> fields;
  for (const Error& cause : refused.error().causes) fields.push_back(Param(cause, "field"));
  EXPECT_EQ(fields, (std::vector<std::string>{"colour", "title", "type", "impact", "tlp"}));
  auto unknown_member =
      Service().Create(analyst_, Json{{"title", "Phishing"}, {"members", {"GM0001", "GM9999"}}});
  ASSERT_FALSE(unknown_member);
  EXPECT_EQ(unknown_member.error().key, "incident.member_unknown");
  EXPECT_EQ(Param(unknown_member.error(), "field"), "members[1]");
  auto half = Service().Create(analyst_, Json{{"title", "Phishing"}, {"classification", "fraud"}});
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().key, "incident.classification_incomplete");
  EXPECT_EQ(Param(half.error(), "field"), "type");

  const int64_t id = ReportAsA();
  auto bad_time = Service().AddTask(analyst_, id, Json{{"title", "Bellen"}, {"due_at", "morgen"}});
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().key, "field.time_invalid");
  EXPECT_EQ(Param(bad_time.error(), "field"), "due_at");
  auto not_object = Service().AddEntry(a_general_, id, Json::array());
  ASSERT_FALSE(not_object);
  EXPECT_EQ(Param(not_object.error(), "field"), "body");
  auto long_text = Service().AddEntry(a_general_, id, Json{{"text", std::string(20001, 'x')}});
  ASSERT_FALSE(long_text);
  EXPECT_EQ(long_text.error().key, "field.too_long");
  // Nothing of the refused requests was stored.
  auto list = Service().List(analyst_, store::IncidentQuery{});
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)["total"], 1);
}

// Escalation (decision 0018): an analyst opens an incident from events or a warning. Their
// owners take part, the incident links back to each, is as strict as the strictest of them and
// takes the events' RSIT classification; the link finds the incident again from the event.
TEST_F(IncidentServiceTest, EscalatingEventsOrAWarningBringsTheirOwnersAndLinksBack) {
  std::vector<int64_t> events;  // A's RED infected system, B's, an unrouted one
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    std::vector<store::EventRecord> records(3);
    const std::optional<std::string> owners[] = {"GM0001", "GM0002", std::nullopt};
    for (size_t i = 0; i < records.size(); ++i) {
      records[i].dedup_key = "escalate-" + std::to_string(i);
      records[i].member = owners[i];
      records[i].feed_name = "Sinkhole HTTP";
      records[i].classification_type = "infected-system";
      records[i].source_ip = "192.0.2." + std::to_string(10 + i);
      records[i].time_source = "2026-12-05T08:00:00+00:00";
      records[i].time_observation = "2026-12-05T08:30:00+00:00";
      records[i].tlp = i == 0 ? "RED" : "AMBER";
      records[i].data = "{}";
    }
    std::vector<const store::EventRecord*> pointers;
    for (const auto& record : records) pointers.push_back(&record);
    auto added = (*tx)->Events().AddNew(pointers);
    ASSERT_TRUE(added) << added.error().message;
    ASSERT_TRUE((*tx)->Events().ForEach(registry::Scope::All(), {}, [&](const auto& event) {
      events.push_back(event.id);
      return true;
    }));
    ASSERT_EQ(events.size(), 3u);
    ASSERT_TRUE((*tx)->Commit());
  }

  // A member's user cannot escalate: the short form has no such field.
  auto by_member = Service().Create(a_trusted_, Json{{"title", "Besmet"}, {"events", {events[0]}}});
  ASSERT_FALSE(by_member);
  EXPECT_EQ(Param(by_member.error(), "field"), "events");

  auto created = Service().Create(
      analyst_, Json{{"title", "Besmette werkplekken"}, {"events", {events[0], events[2]}}});
  ASSERT_TRUE(created) << created.error().message;
  const int64_t id = (*created)["id"];
  EXPECT_EQ((*created)["source"], "event");
  EXPECT_EQ((*created)["source_ref"], std::to_string(events[0]));
  EXPECT_EQ((*created)["tlp"], "RED") << "as strict as the RED event";
  EXPECT_EQ((*created)["classification"], "malicious-code");
  EXPECT_EQ((*created)["type"], "infected-system");
  ASSERT_EQ((*created)["participations"].size(), 1u) << "the unrouted event brings no one";
  EXPECT_EQ((*created)["participations"][0]["member"], "GM0001");
  std::vector<std::string> links;
  for (const Json& link : (*created)["links"]) {
    links.push_back(link["kind"].get<std::string>() + ":" + link["target"].get<std::string>());
  }
  EXPECT_EQ(links, (std::vector<std::string>{fmt::format("event:{}", events[0]),
                                             fmt::format("event:{}", events[2])}));
  // A's users see their participation; B does not see the incident at all.
  EXPECT_TRUE(Service().Get(a_trusted_, id));
  auto foreign = Service().Get(b_trusted_, id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);

  // From the event's page: the incidents it went to. Only analysts look up by link.
  store::IncidentQuery linked;
  linked.linked = std::make_pair(std::string("event"), std::to_string(events[2]));
  auto found = Service().List(analyst_, linked);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ((*found)["total"], 1);
  EXPECT_EQ((*found)["incidents"][0]["id"], id);
  linked.linked->second = std::to_string(events[1]);
  EXPECT_EQ((*Service().List(analyst_, linked))["total"], 0);
  auto by_a = Service().List(a_trusted_, linked);
  ASSERT_FALSE(by_a);
  EXPECT_EQ(by_a.error().code, ErrorCode::kPermissionDenied);

  // Adding by event: B's event brings B; A's again only links; an unrouted event and one that
  // does not exist are refused by their place, and then nothing is added.
  auto refused = Service().AddParticipations(
      analyst_, id, Json{{"events", {events[1], events[2], events[2] + 1000}}});
  ASSERT_FALSE(refused);
  std::vector<std::string> problems;
  for (const Error& cause : refused.error().causes) {
    problems.push_back(cause.key + " " + Param(cause, "field"));
  }
  EXPECT_EQ(problems, (std::vector<std::string>{"incident.source_unknown events[2]",
                                                "incident.event_unrouted events[1]"}));
  EXPECT_EQ((*Service().Participations(analyst_, id))["participations"].size(), 1u);
  auto added = Service().AddParticipations(analyst_, id, Json{{"events", {events[1], events[0]}}});
  ASSERT_TRUE(added) << added.error().message;
  ASSERT_EQ((*added)["participations"].size(), 2u);
  EXPECT_EQ((*added)["participations"][1]["member"], "GM0002");
  linked.linked->second = std::to_string(events[1]);
  EXPECT_EQ((*Service().List(analyst_, linked))["total"], 1);

  // A warning: its member takes part, its TLP counts, the source is the warning.
  int64_t warning_id = 0;
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    store::StoredAdvisory advisory;
    advisory.publisher_namespace = "https://www.ncsc.nl";
    advisory.tracking_id = "NCSC-2026-0001";
    advisory.format = "csaf";
    advisory.version = "1";
    advisory.current_release = "2026-12-04T00:00:00Z";
    advisory.title = "Kwetsbaarheid in een VPN";
    advisory.sha256 = "0";
    advisory.imported_at = "2026-12-04T00:00:00Z";
    advisory.imported_by = "test";
    ASSERT_TRUE((*tx)->Advisories().Add(advisory));
    auto stored = (*tx)->Advisories().Find(advisory.publisher_namespace, advisory.tracking_id);
    ASSERT_TRUE(stored && *stored);
    store::WarningRecord warning;
    warning.member = "GM0002";
    warning.advisory_id = (*stored)->id;
    warning.tracking_id = advisory.tracking_id;
    warning.version = "1";
    warning.title = advisory.title;
    warning.tlp = "AMBER+STRICT";
    warning.risk = "Hoog";
    warning.issued_at = "2026-12-04T01:00:00Z";
    auto added_warning = (*tx)->Advisories().AddWarning(warning);
    ASSERT_TRUE(added_warning) << added_warning.error().message;
    warning_id = *added_warning;
    ASSERT_TRUE((*tx)->Commit());
  }
  auto from_warning = Service().Create(
      analyst_, Json{{"title", "VPN van Bee misbruikt"}, {"warnings", {warning_id}}});
  ASSERT_TRUE(from_warning) << from_warning.error().message;
  EXPECT_EQ((*from_warning)["source"], "warning");
  EXPECT_EQ((*from_warning)["tlp"], "AMBER+STRICT");
  EXPECT_TRUE((*from_warning)["classification"].is_null()) << "a warning names no RSIT type";
  ASSERT_EQ((*from_warning)["participations"].size(), 1u);
  EXPECT_EQ((*from_warning)["participations"][0]["member"], "GM0002");
  auto no_warning =
      Service().Create(analyst_, Json{{"title", "Niets"}, {"warnings", {warning_id + 1}}});
  ASSERT_FALSE(no_warning);
  EXPECT_EQ(Param(no_warning.error(), "field"), "warnings[0]");
}

TEST_F(IncidentServiceTest, ADuplicateIsMergedWithItsParticipations) {
  const int64_t first = ReportAsA();
  auto second = Service().Create(b_trusted_, Json{{"title", "Versleutelde bestanden"}});
  ASSERT_TRUE(second);
  const int64_t duplicate = (*second)["id"];
  auto merged = Service().Merge(analyst_, duplicate, Json{{"into", first}});
  ASSERT_TRUE(merged) << merged.error().message;
  ASSERT_EQ((*merged)["participations"].size(), 2u);
  // B now follows the incident that stays, under its own title; the duplicate is closed.
  auto as_b = Service().Get(b_trusted_, first);
  ASSERT_TRUE(as_b) << as_b.error().message;
  EXPECT_EQ((*as_b)["title"], "Versleutelde bestanden");
  auto old = Service().Get(analyst_, duplicate);
  ASSERT_TRUE(old);
  EXPECT_EQ((*old)["state"], "closed");
  EXPECT_EQ((*old)["merged_into"], first);
  auto again = Service().Merge(analyst_, duplicate, Json{{"into", first}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().key, "incident.merge_refused");
  // The analysts' list leaves merged ones out of the open queue.
  store::IncidentQuery open;
  open.open_only = true;
  auto list = Service().List(analyst_, open);
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)["total"], 1);
}

TEST_F(IncidentServiceTest, TheBreachClockRunsFromAwarenessAndTheRegisterKeepsEveryBreach) {
  const int64_t id = ReportAsA();
  // Nothing recorded yet; for a general contact there is no breach at all.
  auto none = Service().GetBreach(a_privacy_, id, "GM0001");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  auto needs_awareness = Service().SaveBreach(a_privacy_, id, "GM0001", Json::object());
  ASSERT_FALSE(needs_awareness);
  EXPECT_EQ(needs_awareness.error().key, "incident.breach_needs_awareness");
  auto future =
      Service().SaveBreach(a_privacy_, id, "GM0001", Json{{"aware_at", "2026-12-05T10:00:00Z"}});
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().key, "incident.time_in_future");
  auto bad_details = Service().SaveBreach(
      a_privacy_, id, "GM0001",
      Json{{"aware_at", "2026-12-04T15:30:00Z"},
           {"details", {{"records", -3}, {"risk", "enorm"}, {"nature", "alles"}, {"kleur", 1}}}});
  ASSERT_FALSE(bad_details);
  std::vector<std::string> fields;
  for (const Error& cause : bad_details.error().causes) fields.push_back(Param(cause, "field"));
  EXPECT_EQ(fields, (std::vector<std::string>{"details.records", "details.risk", "details.nature",
                                              "details.kleur"}));

  // Aware yesterday 15:30: the AP's deadline is 72 hours later, whenever it was recorded.
  auto saved = Service().SaveBreach(
      a_privacy_, id, "GM0001",
      Json{{"aware_at", "2026-12-04T15:30:00Z"},
           {"details", {{"description", "Brief met BSN naar verkeerd adres"}, {"records", 1}}}});
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ((*saved)["deadline_at"], "2026-12-07T15:30:00Z");
  EXPECT_EQ((*saved)["state"], "open");
  EXPECT_EQ((*saved)["seconds_left"], (2 * 24 + 6) * 3600 + 30 * 60);
  auto participation = Service().GetParticipation(a_trusted_, id, "GM0001");
  ASSERT_TRUE(participation);
  EXPECT_EQ((*participation)["breach"], "breach");
  auto as_general = Service().GetBreach(a_general_, id, "GM0001");
  ASSERT_FALSE(as_general);
  EXPECT_EQ(as_general.error().code, ErrorCode::kNotFound);
  auto as_b = Service().GetBreach(b_trusted_, id, "GM0001");
  ASSERT_FALSE(as_b);
  EXPECT_EQ(as_b.error().code, ErrorCode::kNotFound);

  // Past the deadline without a decision: overdue. A late notification says why.
  now_ = std::chrono::sys_days{std::chrono::year{2026} / 12 / 8} + std::chrono::hours{9};
  auto overdue = Service().GetBreach(a_trusted_, id, "GM0001");
  ASSERT_TRUE(overdue);
  EXPECT_EQ((*overdue)["state"], "overdue");
  EXPECT_LT((*overdue)["seconds_left"].get<int64_t>(), 0);
  auto late = Service().SaveBreach(a_privacy_, id, "GM0001",
                                   Json{{"ap_decision", "notify"},
                                        {"ap_notified_at", "2026-12-08T08:00:00Z"},
                                        {"ap_reference", "M-2026-0042"}});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().key, "incident.delay_reason_needed");
  auto no_reason =
      Service().SaveBreach(a_privacy_, id, "GM0001", Json{{"subjects_decision", "no_inform"}});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(Param(no_reason.error(), "field"), "subjects_reason");
  auto notified =
      Service().SaveBreach(a_privacy_, id, "GM0001",
                           Json{{"ap_decision", "notify"},
                                {"ap_notified_at", "2026-12-08T08:00:00Z"},
                                {"ap_reference", "M-2026-0042"},
                                {"delay_reason", "FG was ziek; vervanger pas maandag"}});
  ASSERT_TRUE(notified) << notified.error().message;
  EXPECT_EQ((*notified)["state"], "notified");
  EXPECT_EQ((*notified)["aware_at"], "2026-12-04T15:30:00Z");  // unchanged when not given

  // The participation closes only once the people concerned are decided on as well.
  ASSERT_TRUE(Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "in_progress"}}));
  ASSERT_TRUE(Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "recovered"}}));
  auto open = Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "closed"}});
  ASSERT_FALSE(open);
  EXPECT_EQ(Codes(open.error()),
            (std::vector<std::string>{"incident.close_refused", "incident.close_breach_open"}));
  ASSERT_TRUE(Service().SaveBreach(
      a_privacy_, id, "GM0001",
      Json{{"subjects_decision", "no_inform"}, {"subjects_reason", "geen hoog risico (34.3.a)"}}));
  ASSERT_TRUE(Service().MoveParticipation(analyst_, id, "GM0001", Json{{"state", "closed"}}));

  // The register: this member's breaches for its trusted and privacy contacts, no one else's.
  auto reg = Service().Register(a_trusted_, "GM0001");
  ASSERT_TRUE(reg) << reg.error().message;
  ASSERT_EQ((*reg)["breaches"].size(), 1u);
  EXPECT_EQ((*reg)["breaches"][0]["ap_reference"], "M-2026-0042");
  EXPECT_EQ(Service().Register(a_general_, "GM0001").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Service().Register(b_trusted_, "GM0001").error().code, ErrorCode::kNotFound);
  auto csv = Service().RegisterCsv(analyst_, "GM0001");
  ASSERT_TRUE(csv);
  EXPECT_NE(csv->find("M-2026-0042"), std::string::npos);
  EXPECT_NE(csv->find("Brief met BSN naar verkeerd adres"), std::string::npos);
  EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), 2);
}

// GDPR Art. 33(4): a notification may be completed in phases. Each later message to the AP is
// kept with when it was sent and what it said; a withdrawal ends the course, and a notification
// with a course cannot be turned back into "not notified". The register shows it all.
TEST_F(IncidentServiceTest, ANotificationInPhasesKeepsEachUpdateUntilItIsWithdrawn) {
  const int64_t id = ReportAsA();
  ASSERT_TRUE(Service().SaveBreach(
      a_privacy_, id, "GM0001",
      Json{{"aware_at", "2026-12-04T15:30:00Z"},
           {"details", {{"nature", {"confidentiality"}}, {"data_categories", {"BSN", "adres"}}}}}));
  const Json supplement{
      {"kind", "supplement"}, {"sent_at", "2026-12-05T08:00:00Z"}, {"note", "Aantal: 212"}};
  auto before_notified = Service().AddBreachUpdate(a_privacy_, id, "GM0001", supplement);
  ASSERT_FALSE(before_notified);
  EXPECT_EQ(before_notified.error().key, "incident.breach_not_notified");
  ASSERT_TRUE(Service().SaveBreach(a_privacy_, id, "GM0001",
                                   Json{{"ap_decision", "notify"},
                                        {"ap_notified_at", "2026-12-05T07:00:00Z"},
                                        {"ap_reference", "M-2026-0099"}}));

  // Who may not read the breach finds nothing to add to; bad fields are named.
  EXPECT_EQ(Service().AddBreachUpdate(a_general_, id, "GM0001", supplement).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Service().AddBreachUpdate(b_trusted_, id, "GM0001", supplement).error().code,
            ErrorCode::kNotFound);
  auto bad = Service().AddBreachUpdate(a_privacy_, id, "GM0001",
                                       Json{{"kind", "aanvulling"}, {"note", ""}});
  ASSERT_FALSE(bad);
  std::vector<std::string> fields;
  for (const Error& cause : bad.error().causes) fields.push_back(Param(cause, "field"));
  EXPECT_EQ(fields, (std::vector<std::string>{"kind", "sent_at", "note"}));
  auto too_early = Service().AddBreachUpdate(
      a_privacy_, id, "GM0001",
      Json{{"kind", "supplement"}, {"sent_at", "2026-12-05T06:00:00Z"}, {"note", "x"}});
  ASSERT_FALSE(too_early);
  EXPECT_EQ(too_early.error().key, "incident.update_before_notification");
  auto future = Service().AddBreachUpdate(
      a_privacy_, id, "GM0001",
      Json{{"kind", "supplement"}, {"sent_at", "2026-12-05T10:00:00Z"}, {"note", "x"}});
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().key, "incident.time_in_future");

  auto first = Service().AddBreachUpdate(a_privacy_, id, "GM0001", supplement);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ((*first)["state"], "notified");
  ASSERT_EQ((*first)["ap_updates"].size(), 1u);
  EXPECT_EQ((*first)["ap_updates"][0]["note"], "Aantal: 212");
  EXPECT_EQ((*first)["ap_updates"][0]["added_by"], "user:privacy@aa.example");
  auto back = Service().SaveBreach(a_privacy_, id, "GM0001",
                                   Json{{"ap_decision", "no_notify"}, {"ap_reason", "toch niet"}});
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().key, "incident.breach_updated");
  auto withdrawn = Service().AddBreachUpdate(analyst_, id, "GM0001",
                                             Json{{"kind", "withdrawal"},
                                                  {"sent_at", "2026-12-05T08:30:00Z"},
                                                  {"note", "De brief is ongeopend teruggekomen."}});
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_EQ((*withdrawn)["state"], "withdrawn");
  auto after = Service().AddBreachUpdate(a_privacy_, id, "GM0001", supplement);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().key, "incident.breach_withdrawn");

  auto breach = Service().GetBreach(a_trusted_, id, "GM0001");
  ASSERT_TRUE(breach);
  ASSERT_EQ((*breach)["ap_updates"].size(), 2u);
  EXPECT_EQ((*breach)["ap_updates"][1]["kind"], "withdrawal");
  auto csv = Service().RegisterCsv(a_trusted_, "GM0001");
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_NE(csv->find(",withdrawn,notify,"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("confidentiality,\"BSN; adres\","), std::string::npos) << *csv;
  EXPECT_NE(csv->find("\"2026-12-05T08:00:00Z supplement: Aantal: 212\n2026-12-05T08:30:00Z "
                      "withdrawal: De brief is ongeopend teruggekomen.\""),
            std::string::npos)
      << *csv;
  auto history = Service().History(analyst_, id);
  ASSERT_TRUE(history);
  int updates = 0;
  for (const Json& entry : (*history)["history"]) updates += entry["action"] == "breach.update";
  EXPECT_EQ(updates, 2);
}

TEST_F(IncidentServiceTest, AttachmentsAreKeptWithTheirHashAndReadAsJournalEntriesAre) {
  const int64_t id = ReportAsA();
  // "Hallo" in base64; the member's own attachment, at AMBER by default.
  auto added = Service().AddAttachment(a_general_, id,
                                       Json{{"name", "mail.eml"}, {"content_base64", "SGFsbG8="}});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ((*added)["size"], 5);
  EXPECT_EQ((*added)["sha256"], "753692ec36adb4c794c973945eb2a99c1649703ea6f76bf259abb4fb838e013e");
  EXPECT_EQ((*added)["member"], "GM0001");
  const int64_t attachment = (*added)["id"];
  auto bytes = Service().Attachment(a_general_, id, attachment);  // its author
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(bytes->content, "Hallo");
  EXPECT_TRUE(Service().Attachment(a_trusted_, id, attachment));  // AMBER: trusted
  EXPECT_EQ(Service().Attachment(a_privacy_, id, attachment).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Service().Attachment(b_trusted_, id, attachment).error().code, ErrorCode::kNotFound);
  // The coordination's attachments stay with the CERT.
  auto internal = Service().AddAttachment(
      analyst_, id,
      Json{{"name", "analyse.txt"}, {"content_base64", "SGFsbG8="}, {"tlp", "GREEN"}});
  ASSERT_TRUE(internal);
  auto listed = Service().Attachments(a_trusted_, id);
  ASSERT_TRUE(listed);
  ASSERT_EQ((*listed)["attachments"].size(), 1u);
  EXPECT_EQ((*listed)["attachments"][0]["name"], "mail.eml");

  // Too large, or not base64: refused naming the field, nothing stored.
  const std::string too_large((kMaxAttachmentBytes + 3) / 3 * 4 + 4, 'A');
  auto refused = Service().AddAttachment(a_general_, id,
                                         Json{{"name", "image.dd"}, {"content_base64", too_large}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().key, "incident.attachment_too_large");
  EXPECT_EQ(Param(refused.error(), "field"), "content_base64");
  auto garbled =
      Service().AddAttachment(a_general_, id, Json{{"name", "x"}, {"content_base64", "!!!"}});
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error().key, "incident.attachment_not_base64");
  EXPECT_EQ((*Service().Attachments(analyst_, id))["attachments"].size(), 2u);
}

TEST_F(IncidentServiceTest, StatisticsCountPerMemberKindAndNameNoOtherMember) {
  ASSERT_TRUE(Service().Create(analyst_, Json{{"title", "Eén"},
                                              {"classification", "fraud"},
                                              {"type", "phishing"},
                                              {"members", {"GM0001", "GM0002", "SV0003"}}}));
  ASSERT_TRUE(Service().Create(analyst_, Json{{"title", "Twee"}, {"members", {"GM0002"}}}));
  auto all = Service().Stats(analyst_, "2026-12-01", "2026-12-06");
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ((*all)["total"], 2);
  EXPECT_EQ((*all)["by_member_kind"][0],
            (Json{{"member_kind", "gemeente"}, {"count", 2}, {"share", 100.0}}));
  EXPECT_EQ((*all)["by_member_kind"][1]["member_kind"], "samenwerkingsverband");
  auto own = Service().Stats(a_general_, "", "");
  ASSERT_TRUE(own);
  EXPECT_EQ((*own)["total"], 1);
  EXPECT_EQ((*own)["member"], "GM0001");
  ASSERT_EQ((*own)["by_member_kind"].size(), 1u);  // not that a joint body took part too
  auto outside = Service().Stats(analyst_, "2026-12-06", "");
  ASSERT_TRUE(outside);
  EXPECT_EQ((*outside)["total"], 0);
  auto bad = Service().Stats(analyst_, "gisteren", "");
  ASSERT_FALSE(bad);
  EXPECT_EQ(Param(bad.error(), "field"), "from");
}

}  // namespace
}  // namespace baken::incidents
