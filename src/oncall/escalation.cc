#include "oncall/escalation.h"

#include <algorithm>

namespace baken::oncall {

namespace {

// The page's people for one step, each once, in the order the targets name them.
std::vector<std::string> PeopleOf(const Step& step, Time at, const Resolver& resolve) {
  std::vector<std::string> people;
  for (const Target& target : step.targets) {
    for (std::string& person : resolve(target, at)) {
      if (std::find(people.begin(), people.end(), person) == people.end()) {
        people.push_back(std::move(person));
      }
    }
  }
  return people;
}

}  // namespace

std::string_view Name(TargetKind kind) {
  switch (kind) {
    case TargetKind::kOnDuty:
      return "on_duty";
    case TargetKind::kPerson:
      return "person";
    case TargetKind::kEveryone:
      return "everyone";
  }
  return "on_duty";
}

std::optional<TargetKind> ParseTargetKind(std::string_view text) {
  for (TargetKind kind : {TargetKind::kOnDuty, TargetKind::kPerson, TargetKind::kEveryone}) {
    if (Name(kind) == text) return kind;
  }
  return std::nullopt;
}

std::string_view Name(PageState state) {
  switch (state) {
    case PageState::kTriggered:
      return "triggered";
    case PageState::kAcknowledged:
      return "acknowledged";
    case PageState::kResolved:
      return "resolved";
  }
  return "triggered";
}

std::optional<PageState> ParsePageState(std::string_view text) {
  for (PageState state : {PageState::kTriggered, PageState::kAcknowledged, PageState::kResolved}) {
    if (Name(state) == text) return state;
  }
  return std::nullopt;
}

std::string_view Name(Happening happening) {
  switch (happening) {
    case Happening::kNotified:
      return "notified";
    case Happening::kSkipped:
      return "skipped";
    case Happening::kRepeated:
      return "repeated";
    case Happening::kExhausted:
      return "exhausted";
    case Happening::kRetriggered:
      return "retriggered";
  }
  return "notified";
}

Progress Start(const Policy& policy, Time at) {
  Progress progress;
  progress.repeats_left = policy.repeat;
  progress.exhausted = policy.steps.empty();
  progress.next_at = policy.steps.empty() ? at : at + policy.steps.front().delay;
  return progress;
}

Advance AdvanceTo(const Policy& policy, const Progress& from, Time now, const Resolver& resolve) {
  Advance advance{from, {}, {}};
  Progress& page = advance.progress;
  const int steps = static_cast<int>(policy.steps.size());
  for (;;) {
    if (page.state == PageState::kResolved) break;
    if (page.state == PageState::kAcknowledged) {
      if (policy.ack_timeout.count() <= 0 || page.next_at > now || steps == 0) break;
      // Nobody resolved it in time: from the first step again, in a round of its own.
      const Time at = page.next_at;
      page.state = PageState::kTriggered;
      ++page.round;
      page.repeats_left = policy.repeat;
      page.step = 0;
      page.exhausted = false;
      page.next_at = at + policy.steps.front().delay;
      advance.happened.push_back({Happening::kRetriggered, page.round, 0, at});
      continue;
    }
    if (page.exhausted || page.next_at > now || page.step >= steps) break;
    const Time at = page.next_at;
    const std::vector<std::string> people =
        PeopleOf(policy.steps[static_cast<size_t>(page.step)], at, resolve);
    for (const std::string& person : people) {
      advance.notices.push_back({page.round, page.step, person, at});
    }
    advance.happened.push_back(
        {people.empty() ? Happening::kSkipped : Happening::kNotified, page.round, page.step, at});
    ++page.step;
    if (page.step < steps) {
      // An empty step is skipped at once: there is nobody whose answer to wait for.
      page.next_at = people.empty() ? at : at + policy.steps[static_cast<size_t>(page.step)].delay;
      continue;
    }
    if (page.repeats_left > 0) {
      --page.repeats_left;
      ++page.round;
      page.step = 0;
      page.next_at = at + policy.steps.front().delay;
      advance.happened.push_back({Happening::kRepeated, page.round, 0, at});
      continue;
    }
    page.exhausted = true;
    advance.happened.push_back({Happening::kExhausted, page.round, page.step - 1, at});
  }
  return advance;
}

Progress Acknowledge(const Policy& policy, Progress progress, Time at) {
  if (progress.state == PageState::kResolved) return progress;
  progress.state = PageState::kAcknowledged;
  progress.next_at = at + policy.ack_timeout;
  return progress;
}

std::vector<std::string> ResolveFromRoster(const Target& target, Time at,
                                           std::span<const Rotation> rotations,
                                           std::span<const Override> overrides) {
  if (target.kind == TargetKind::kPerson) {
    return target.person.empty() ? std::vector<std::string>{}
                                 : std::vector<std::string>{target.person};
  }
  const auto rotation = std::find_if(rotations.begin(), rotations.end(),
                                     [&](const Rotation& r) { return r.id == target.rotation; });
  if (rotation == rotations.end()) return {};
  if (target.kind == TargetKind::kEveryone) return rotation->participants;
  std::vector<Override> own;
  for (const Override& override_entry : overrides) {
    if (override_entry.rotation_id == rotation->id) own.push_back(override_entry);
  }
  const Duty duty = DutyAt(*rotation, own, at);
  if (!duty.covered || !duty.person) return {};
  return {*duty.person};
}

}  // namespace baken::oncall
