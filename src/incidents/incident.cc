#include "incidents/incident.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

namespace baken::incidents {

std::string_view BuiltInRsit();  // taxonomy_table.cc, generated

namespace {

constexpr std::array<std::string_view, 6> kIncidentStates = {kNew,       kInProgress, kContained,
                                                             kRecovered, kEvaluation, kClosed};
constexpr std::array<std::string_view, 5> kParticipationStates = {kNew, kInProgress, kContained,
                                                                  kRecovered, kClosed};
constexpr std::array<std::string_view, 5> kCauses = {"unknown", "criminal", "employee_deliberate",
                                                     "employee_unaware", "third_party"};
constexpr std::array<std::string_view, 3> kImpacts = {"high", "medium", "low"};
constexpr std::array<std::string_view, 4> kPriorities = {"urgent", "high", "normal", "low"};
constexpr std::array<std::string_view, 5> kSources = {"member", "analyst", "partner", "event",
                                                      "warning"};
constexpr std::array<std::string_view, 3> kBreachDecisions = {"undecided", "none", "breach"};
constexpr std::array<std::string_view, 3> kTaskStates = {"open", "done", "dropped"};
constexpr std::array<std::string_view, 4> kLinkKinds = {"event", "advisory", "warning", "incident"};

struct Transition {
  std::string_view from;
  std::string_view to;
};

// The enforced transitions (decision 0018): forward through the response, back from
// containment when it failed, and reopening a closed one.
constexpr std::array<Transition, 9> kTransitions = {{
    {kNew, kInProgress},
    {kInProgress, kContained},
    {kInProgress, kRecovered},
    {kContained, kRecovered},
    {kContained, kInProgress},
    {kRecovered, kEvaluation},
    {kRecovered, kClosed},
    {kEvaluation, kClosed},
    {kClosed, kInProgress},
}};

std::vector<RsitClass> ReadTaxonomy() {
  std::vector<RsitClass> classes;
  // The file is compiled in and checked by the tests; a broken one is a build mistake.
  const auto json = nlohmann::json::parse(BuiltInRsit(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("values")) {
    std::cerr << "baken: the built-in RSIT taxonomy is unreadable\n";
    std::abort();
  }
  for (const auto& value : json["values"]) {
    RsitClass rsit_class;
    rsit_class.name = value.value("predicate", "");
    for (const auto& entry : value["entry"]) rsit_class.types.push_back(entry.value("value", ""));
    classes.push_back(std::move(rsit_class));
  }
  return classes;
}

}  // namespace

std::span<const std::string_view> IncidentStates() { return kIncidentStates; }
std::span<const std::string_view> ParticipationStates() { return kParticipationStates; }
std::span<const std::string_view> Causes() { return kCauses; }
std::span<const std::string_view> Impacts() { return kImpacts; }
std::span<const std::string_view> Priorities() { return kPriorities; }
std::span<const std::string_view> Sources() { return kSources; }
std::span<const std::string_view> BreachDecisions() { return kBreachDecisions; }
std::span<const std::string_view> TaskStates() { return kTaskStates; }
std::span<const std::string_view> LinkKinds() { return kLinkKinds; }

bool IsIncidentState(std::string_view state) { return OneOf(kIncidentStates, state); }
bool IsParticipationState(std::string_view state) { return OneOf(kParticipationStates, state); }

bool MayMove(std::string_view from, std::string_view to, bool participation) {
  if (participation && (from == kEvaluation || to == kEvaluation)) return false;
  for (const Transition& transition : kTransitions) {
    if (transition.from == from && transition.to == to) return true;
  }
  // Without the evaluation, a recovered participation closes directly (that is in the table).
  return false;
}

std::vector<std::string_view> NextStates(std::string_view from, bool participation) {
  std::vector<std::string_view> next;
  for (std::string_view to : participation ? ParticipationStates() : IncidentStates()) {
    if (MayMove(from, to, participation)) next.push_back(to);
  }
  return next;
}

const std::vector<RsitClass>& RsitTaxonomy() {
  static const std::vector<RsitClass> kTaxonomy = ReadTaxonomy();
  return kTaxonomy;
}

bool IsRsitClass(std::string_view classification) {
  const auto& taxonomy = RsitTaxonomy();
  return std::any_of(taxonomy.begin(), taxonomy.end(),
                     [&](const RsitClass& rsit) { return rsit.name == classification; });
}

bool IsRsitType(std::string_view classification, std::string_view type) {
  for (const RsitClass& rsit : RsitTaxonomy()) {
    if (rsit.name != classification) continue;
    return std::find(rsit.types.begin(), rsit.types.end(), type) != rsit.types.end();
  }
  return false;
}

std::optional<std::string> RsitClassOfType(std::string_view type) {
  std::optional<std::string> found;
  for (const RsitClass& rsit : RsitTaxonomy()) {
    if (std::find(rsit.types.begin(), rsit.types.end(), type) == rsit.types.end()) continue;
    if (found) return std::nullopt;
    found = rsit.name;
  }
  return found;
}

}  // namespace baken::incidents
