#ifndef BAKEN_INCIDENTS_INCIDENT_H_
#define BAKEN_INCIDENTS_INCIDENT_H_

// The incident's vocabularies and rules (docs/decisions/0018-incidents.md): states and the
// transitions between them, causes ("door wie"), impacts, priorities, how an incident came in,
// and the RSIT taxonomy (ENISA's machine file, compiled in from data/taxonomy/rsit.json). Codes
// are English; the words people read are in i18n/incidents.json.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/fields.h"

namespace baken::incidents {

// Incident states, in their usual order.
inline constexpr std::string_view kNew = "new";
inline constexpr std::string_view kInProgress = "in_progress";
inline constexpr std::string_view kContained = "contained";
inline constexpr std::string_view kRecovered = "recovered";
inline constexpr std::string_view kEvaluation = "evaluation";
inline constexpr std::string_view kClosed = "closed";

std::span<const std::string_view> IncidentStates();
// A participation goes the same way without the evaluation.
std::span<const std::string_view> ParticipationStates();

bool IsIncidentState(std::string_view state);
bool IsParticipationState(std::string_view state);
// Whether an incident (or, `participation`, a member's participation) may go from `from` to
// `to`. Staying in the same state is no transition.
bool MayMove(std::string_view from, std::string_view to, bool participation = false);
// The states `from` may go to, for a message that names them.
std::vector<std::string_view> NextStates(std::string_view from, bool participation = false);

std::span<const std::string_view> Causes();      // unknown, criminal, employee_deliberate, ...
std::span<const std::string_view> Impacts();     // high, medium, low
std::span<const std::string_view> Priorities();  // urgent, high, normal, low
std::span<const std::string_view> Sources();     // member, analyst, partner, event, warning
// The data-breach decision of a participation: not made yet, no breach, a breach.
std::span<const std::string_view> BreachDecisions();  // undecided, none, breach
// A task's states: open, done, dropped (with a reason).
std::span<const std::string_view> TaskStates();
// What a link points at: event, advisory, warning, incident.
std::span<const std::string_view> LinkKinds();

// The RSIT taxonomy: its classifications (predicates) and the types of each.
struct RsitClass {
  std::string name;  // "fraud"
  std::vector<std::string> types;
};
const std::vector<RsitClass>& RsitTaxonomy();
bool IsRsitClass(std::string_view classification);
bool IsRsitType(std::string_view classification, std::string_view type);
// The classification of an RSIT type that only one classification has ("infected-system":
// "malicious-code"); none for a type that several share ("other", "test") or none has.
std::optional<std::string> RsitClassOfType(std::string_view type);

}  // namespace baken::incidents

#endif  // BAKEN_INCIDENTS_INCIDENT_H_
