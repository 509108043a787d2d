#ifndef BAKEN_ONCALL_ESCALATION_H_
#define BAKEN_ONCALL_ESCALATION_H_

// How a page escalates (decision 0019): pure computation on a clock given as an argument, like
// roster.h; the store keeps pages and their progress, the `escalate` job asks these functions
// and plans what they decide.
//
// A policy is ordered steps. Each step waits its delay after the step before it (the first
// after the page was triggered), then notifies its targets: whoever is on duty in a rotation, a
// named person, or everyone in a rotation. A step whose targets reach nobody is skipped at once:
// the next step does not wait for it (there is nobody whose answer to wait for). After the last
// step the policy starts again, `repeat` times. An acknowledged page stops escalating; with an
// acknowledgement timeout it is triggered again that long after the acknowledgement, unless it
// was resolved. Every pass through the steps has its own round number, so that a notification
// is planned once per (page, round, step, person) and never twice.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oncall/roster.h"

namespace baken::oncall {

enum class TargetKind {
  kOnDuty,    // whoever is on duty in a rotation at the step's time
  kPerson,    // a named analyst
  kEveryone,  // every participant of a rotation
};
std::string_view Name(TargetKind kind);
std::optional<TargetKind> ParseTargetKind(std::string_view text);

struct Target {
  TargetKind kind = TargetKind::kOnDuty;
  int64_t rotation = 0;  // kOnDuty, kEveryone
  std::string person;    // kPerson
};

struct Step {
  std::chrono::minutes delay{0};  // after the step before it (the first: after the trigger)
  std::vector<Target> targets;
};

struct Policy {
  int64_t id = 0;
  std::string name;
  std::vector<Step> steps;              // at least one
  int repeat = 0;                       // passes through the steps after the first
  std::chrono::minutes ack_timeout{0};  // 0: an acknowledgement holds until the page is resolved
};

enum class PageState { kTriggered, kAcknowledged, kResolved };
std::string_view Name(PageState state);
std::optional<PageState> ParsePageState(std::string_view text);

// What the engine keeps per page between ticks.
struct Progress {
  PageState state = PageState::kTriggered;
  int round = 0;           // passes through the steps so far, over the page's life
  int repeats_left = 0;    // passes still to come after this one, since the last trigger
  int step = 0;            // the next step to notify
  bool exhausted = false;  // every step of every pass was notified; waiting for an answer
  Time next_at;            // when the next step is due, or (acknowledged) when it times out
};

struct Notice {
  int round = 0;
  int step = 0;
  std::string person;
  Time at;  // when the step came due
};

enum class Happening {
  kNotified,     // a step reached its people
  kSkipped,      // a step reached nobody
  kRepeated,     // the steps start again
  kExhausted,    // the last step of the last pass is done
  kRetriggered,  // an acknowledgement timed out
};
std::string_view Name(Happening happening);

struct Happened {
  Happening what;
  int round = 0;
  int step = 0;
  Time at;
};

struct Advance {
  Progress progress;
  std::vector<Notice> notices;
  std::vector<Happened> happened;
};

// Who a target reaches at `at` (the store's rotations and overrides behind it).
using Resolver = std::function<std::vector<std::string>(const Target& target, Time at)>;

// A page triggered at `at`: its first step due after that step's delay.
Progress Start(const Policy& policy, Time at);
// Everything due up to `now`, in order: the steps that came due (each notified or skipped),
// passes that start again, an acknowledgement that timed out.
Advance AdvanceTo(const Policy& policy, const Progress& progress, Time now,
                  const Resolver& resolve);
// Acknowledged at `at`: no more steps; with a timeout, triggered again after it.
Progress Acknowledge(const Policy& policy, Progress progress, Time at);

// The targets' people at `at` from a roster: on duty per DutyAt, everyone in turn; a person
// as named. Unknown rotations reach nobody.
std::vector<std::string> ResolveFromRoster(const Target& target, Time at,
                                           std::span<const Rotation> rotations,
                                           std::span<const Override> overrides);

}  // namespace baken::oncall

#endif  // BAKEN_ONCALL_ESCALATION_H_
