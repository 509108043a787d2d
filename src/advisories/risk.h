#ifndef BAKEN_ADVISORIES_RISK_H_
#define BAKEN_ADVISORIES_RISK_H_

// The risk of one vulnerability for one member's asset: Urgent, Hoog, Normaal or Laag, from
// four numbers anyone can recompute by hand (docs/risk-model.md):
//   S  severity: CVSS base 9.0-10 -> 4, 7.0-8.9 -> 3, 4.0-6.9 -> 2, 0.1-3.9 -> 1; without CVSS
//      the publisher's word (critical 4, important/high 3, moderate/medium 2, low 1), else 2;
//   E  exploitation: active +3, proof of concept +1, nothing known 0;
//   X  exposure: the asset faces the internet and the attack comes over the network (or the
//      vector does not say) +1, else 0;
//   C  criticality of the asset: critical +2, high +1, medium 0, low -1.
// T = S + E + X + C: Urgent at 7 or more, Hoog 5-6, Normaal 3-4, Laag 2 or less; an actively
// exploited vulnerability is at least Hoog. The reasons say each step in Dutch.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/member.h"

namespace baken::advisories {

enum class RiskLevel { kLaag, kNormaal, kHoog, kUrgent };
std::string_view Name(RiskLevel level);  // "Laag", "Normaal", "Hoog", "Urgent"

enum class Exploitation { kNone, kProofOfConcept, kActive };

struct RiskInput {
  std::optional<double> cvss;      // the base score, when there is one
  std::string cvss_vector;         // for the attack vector (AV:N, ...); may be empty
  std::string publisher_severity;  // a word, used when there is no CVSS
  Exploitation exploitation = Exploitation::kNone;
  std::string exploitation_source;  // what said so ("SSVC", "CVSS E:P", "exploit_status")
  bool internet_facing = false;
  registry::Criticality criticality = registry::Criticality::kMedium;
};

struct Risk {
  RiskLevel level = RiskLevel::kNormaal;
  int points = 0;
  std::vector<std::string> reasons;
};

Risk AssessRisk(const RiskInput& input);
// T alone, without the reasons (to pick the highest of several vulnerabilities cheaply).
int RiskPoints(const RiskInput& input);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_RISK_H_
