// How a page escalates: step after step while nobody answers, empty steps skipped at once, the
// policy repeated, an acknowledgement that stops it and, with a timeout, pages again; and who a
// step's targets reach on the roster.

#include "oncall/escalation.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace baken::oncall {
namespace {

using namespace std::chrono;  // NOLINT: dates read best as 2027y / March / 28

const Time kT0 = Time{sys_days{2027y / March / 5}.time_since_epoch() + hours{22}};

// Targets by name: "rotation 1" is whoever `on_duty` says, "rotation 2" is empty.
Resolver FixedRoster(std::string on_duty) {
  return [on_duty](const Target& target, Time) -> std::vector<std::string> {
    if (target.kind == TargetKind::kPerson) return {target.person};
    if (target.rotation == 1) return {on_duty};
    return {};
  };
}

Target OnDuty(int64_t rotation) { return Target{TargetKind::kOnDuty, rotation, ""}; }
Target Person(std::string person) { return Target{TargetKind::kPerson, 0, std::move(person)}; }

// "round.step person" for each notice, in order.
std::vector<std::string> Notices(const Advance& advance) {
  std::vector<std::string> lines;
  for (const Notice& notice : advance.notices) {
    lines.push_back(std::to_string(notice.round) + "." + std::to_string(notice.step) + " " +
                    notice.person);
  }
  return lines;
}

Policy TwoSteps() {
  Policy policy;
  policy.steps = {Step{minutes{0}, {OnDuty(1)}}, Step{minutes{10}, {Person("teamlead")}}};
  policy.repeat = 1;
  return policy;
}

TEST(EscalationTest, AnUnansweredPageMovesStepByStepAndRepeatsThePolicy) {
  const Policy policy = TwoSteps();
  const Resolver roster = FixedRoster("anna");
  Progress page = Start(policy, kT0);

  Advance now = AdvanceTo(policy, page, kT0, roster);
  EXPECT_EQ(Notices(now), (std::vector<std::string>{"0.0 anna"}));
  page = now.progress;
  // Nothing more before the second step's delay.
  EXPECT_TRUE(AdvanceTo(policy, page, kT0 + minutes{9}, roster).notices.empty());
  // Asking twice for the same time plans nothing twice.
  EXPECT_TRUE(AdvanceTo(policy, page, kT0, roster).notices.empty());

  now = AdvanceTo(policy, page, kT0 + minutes{10}, roster);
  // The team lead, then the policy again from the top (its first step has no delay).
  EXPECT_EQ(Notices(now), (std::vector<std::string>{"0.1 teamlead", "1.0 anna"}));
  page = now.progress;
  EXPECT_EQ(page.round, 1);

  now = AdvanceTo(policy, page, kT0 + hours{5}, roster);
  EXPECT_EQ(Notices(now), (std::vector<std::string>{"1.1 teamlead"}));
  EXPECT_EQ(now.notices[0].at, kT0 + minutes{20});  // when it came due, not when asked
  ASSERT_FALSE(now.happened.empty());
  EXPECT_EQ(now.happened.back().what, Happening::kExhausted);
  EXPECT_TRUE(now.progress.exhausted);
  EXPECT_TRUE(AdvanceTo(policy, now.progress, kT0 + hours{50}, roster).notices.empty());
}

TEST(EscalationTest, AStepThatReachesNobodyIsSkippedAtOnce) {
  Policy policy;
  policy.steps = {Step{minutes{0}, {OnDuty(2)}}, Step{minutes{15}, {OnDuty(1)}},
                  Step{minutes{15}, {OnDuty(2)}}, Step{minutes{5}, {Person("teamlead")}}};
  const Advance now = AdvanceTo(policy, Start(policy, kT0), kT0, FixedRoster("bram"));
  // The empty first step does not hold up the second.
  EXPECT_EQ(Notices(now), (std::vector<std::string>{"0.1 bram"}));
  ASSERT_EQ(now.happened.size(), 2u);
  EXPECT_EQ(now.happened[0].what, Happening::kSkipped);
  EXPECT_EQ(now.happened[1].what, Happening::kNotified);
  // The third is empty too: the team lead comes right after it, 15 minutes on, not 20.
  const Advance later = AdvanceTo(policy, now.progress, kT0 + minutes{15}, FixedRoster("bram"));
  EXPECT_EQ(Notices(later), (std::vector<std::string>{"0.3 teamlead"}));
}

TEST(EscalationTest, AnAcknowledgementStopsThePageAndItsTimeoutPagesAgain) {
  Policy policy = TwoSteps();
  policy.ack_timeout = minutes{30};
  const Resolver roster = FixedRoster("anna");
  Progress page = AdvanceTo(policy, Start(policy, kT0), kT0, roster).progress;
  page = Acknowledge(policy, page, kT0 + minutes{5});
  EXPECT_EQ(page.state, PageState::kAcknowledged);
  // No team lead at +10: it was answered.
  EXPECT_TRUE(AdvanceTo(policy, page, kT0 + minutes{34}, roster).notices.empty());
  // Not resolved 30 minutes after the acknowledgement: paged again, in a round of its own.
  const Advance again = AdvanceTo(policy, page, kT0 + minutes{35}, roster);
  EXPECT_EQ(Notices(again), (std::vector<std::string>{"1.0 anna"}));
  EXPECT_EQ(again.happened.front().what, Happening::kRetriggered);
  EXPECT_EQ(again.progress.state, PageState::kTriggered);
  EXPECT_EQ(again.progress.repeats_left, 1);  // the repeats count again from the new trigger

  // Without a timeout an acknowledgement holds.
  policy.ack_timeout = minutes{0};
  page = Acknowledge(policy, page, kT0 + minutes{5});
  EXPECT_TRUE(AdvanceTo(policy, page, kT0 + hours{24}, roster).notices.empty());
  // A resolved page never pages again.
  page.state = PageState::kResolved;
  policy.ack_timeout = minutes{1};
  EXPECT_TRUE(AdvanceTo(policy, page, kT0 + hours{24}, roster).notices.empty());
  EXPECT_EQ(Acknowledge(policy, page, kT0).state, PageState::kResolved);
}

TEST(EscalationTest, ARotationReachesWhoeverIsOnDutyOrEveryoneInIt) {
  Rotation piket;
  piket.id = 1;
  piket.shift = ShiftLength::kDaily;
  piket.handover = hours{9};
  piket.start = 2027y / March / 1;
  piket.participants = {"anna", "bram", "cees"};
  Rotation office = piket;
  office.id = 2;
  office.coverage = Coverage::kOfficeHours;
  const std::vector<Rotation> rotations = {piket, office};
  // 5 March 22:00 UTC is day 4 of the daily rotation after 09:00 local: 4 % 3 = 1, bram.
  EXPECT_EQ(ResolveFromRoster(OnDuty(1), kT0, rotations, {}), (std::vector<std::string>{"bram"}));
  // The office rotation is off duty on a Friday night.
  EXPECT_TRUE(ResolveFromRoster(OnDuty(2), kT0, rotations, {}).empty());
  // An override of the piket (and one of the office rotation, which does not count here).
  const std::vector<Override> overrides = {Override{1, 1, "dirk", kT0 - hours{1}, kT0 + hours{1}},
                                           Override{2, 2, "erik", kT0 - hours{1}, kT0 + hours{1}}};
  EXPECT_EQ(ResolveFromRoster(OnDuty(1), kT0, rotations, overrides),
            (std::vector<std::string>{"dirk"}));
  EXPECT_EQ(ResolveFromRoster(Target{TargetKind::kEveryone, 1, ""}, kT0, rotations, overrides),
            (std::vector<std::string>{"anna", "bram", "cees"}));
  EXPECT_TRUE(ResolveFromRoster(OnDuty(9), kT0, rotations, {}).empty());
  EXPECT_EQ(ResolveFromRoster(Person("teamlead"), kT0, rotations, {}),
            (std::vector<std::string>{"teamlead"}));
}

}  // namespace
}  // namespace baken::oncall
