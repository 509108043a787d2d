#include "advisories/risk.h"

#include <fmt/format.h>

#include "common/text.h"

namespace baken::advisories {

std::string_view Name(RiskLevel level) {
  switch (level) {
    case RiskLevel::kLaag:
      return "Laag";
    case RiskLevel::kNormaal:
      return "Normaal";
    case RiskLevel::kHoog:
      return "Hoog";
    case RiskLevel::kUrgent:
      return "Urgent";
  }
  return "Normaal";
}

Risk AssessRisk(const RiskInput& input) {
  Risk risk;
  int severity = 2;
  if (input.cvss && *input.cvss > 0) {
    const double score = *input.cvss;
    severity = score >= 9.0 ? 4 : score >= 7.0 ? 3 : score >= 4.0 ? 2 : 1;
    risk.reasons.push_back(fmt::format("CVSS {:.1f} → {}", score, severity));
  } else {
    const std::string word = AsciiLower(input.publisher_severity);
    if (word == "critical") {
      severity = 4;
    } else if (word == "important" || word == "high") {
      severity = 3;
    } else if (word == "moderate" || word == "medium") {
      severity = 2;
    } else if (word == "low") {
      severity = 1;
    }
    risk.reasons.push_back(word.empty() || (severity == 2 && word != "moderate" && word != "medium")
                               ? std::string("geen CVSS of ernst bekend: aangenomen gemiddeld → 2")
                               : fmt::format("geen CVSS; ernst volgens de uitgever {} → {}",
                                             input.publisher_severity, severity));
  }
  int exploitation = 0;
  switch (input.exploitation) {
    case Exploitation::kActive:
      exploitation = 3;
      risk.reasons.push_back(fmt::format("actief misbruikt ({}) → +3", input.exploitation_source));
      break;
    case Exploitation::kProofOfConcept:
      exploitation = 1;
      risk.reasons.push_back(
          fmt::format("uitbuitingscode bekend ({}) → +1", input.exploitation_source));
      break;
    case Exploitation::kNone:
      risk.reasons.push_back("geen misbruik bekend → 0");
      break;
  }
  const std::string vector = input.cvss_vector;
  const size_t av = vector.find("AV:");
  const char attack = av != std::string::npos && av + 3 < vector.size() ? vector[av + 3] : '?';
  int exposure = 0;
  if (!input.internet_facing) {
    risk.reasons.push_back("niet aan internet → 0");
  } else if (attack == 'N' || attack == '?') {
    exposure = 1;
    risk.reasons.push_back("aan internet, aanval via het netwerk → +1");
  } else {
    risk.reasons.push_back(
        fmt::format("aan internet, maar aanval niet via het netwerk (AV:{}) → 0", attack));
  }
  int criticality = 0;
  std::string_view criticality_name;
  switch (input.criticality) {
    case registry::Criticality::kCritical:
      criticality = 2;
      criticality_name = "kritiek";
      break;
    case registry::Criticality::kHigh:
      criticality = 1;
      criticality_name = "hoog";
      break;
    case registry::Criticality::kMedium:
      criticality_name = "gemiddeld";
      break;
    case registry::Criticality::kLow:
      criticality = -1;
      criticality_name = "laag";
      break;
  }
  risk.reasons.push_back(fmt::format("kritikaliteit {} → {:+d}", criticality_name, criticality));
  risk.points = severity + exploitation + exposure + criticality;
  risk.level = risk.points >= 7   ? RiskLevel::kUrgent
               : risk.points >= 5 ? RiskLevel::kHoog
               : risk.points >= 3 ? RiskLevel::kNormaal
                                  : RiskLevel::kLaag;
  std::string total = fmt::format("totaal {} → {}", risk.points, Name(risk.level));
  if (input.exploitation == Exploitation::kActive && risk.level < RiskLevel::kHoog) {
    risk.level = RiskLevel::kHoog;
    total += "; actief misbruikt, dus minstens Hoog";
  }
  risk.reasons.push_back(std::move(total));
  return risk;
}

}  // namespace baken::advisories
