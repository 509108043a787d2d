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

namespace {

// The four numbers, computed once for both the points and the reasons.
struct Parts {
  int severity = 2;
  bool severity_from_word = false;
  int exploitation = 0;
  int exposure = 0;
  char attack = '?';
  int criticality = 0;
  int Total() const { return severity + exploitation + exposure + criticality; }
};

Parts PartsOf(const RiskInput& input) {
  Parts parts;
  if (input.cvss && *input.cvss > 0) {
    const double score = *input.cvss;
    parts.severity = score >= 9.0 ? 4 : score >= 7.0 ? 3 : score >= 4.0 ? 2 : 1;
  } else {
    const std::string word = AsciiLower(input.publisher_severity);
    parts.severity_from_word = true;
    if (word == "critical") {
      parts.severity = 4;
    } else if (word == "important" || word == "high") {
      parts.severity = 3;
    } else if (word == "moderate" || word == "medium") {
      parts.severity = 2;
    } else if (word == "low") {
      parts.severity = 1;
    } else {
      parts.severity_from_word = false;  // assumed
    }
  }
  parts.exploitation = input.exploitation == Exploitation::kActive           ? 3
                       : input.exploitation == Exploitation::kProofOfConcept ? 1
                                                                             : 0;
  const size_t av = input.cvss_vector.find("AV:");
  if (av != std::string::npos && av + 3 < input.cvss_vector.size()) {
    parts.attack = input.cvss_vector[av + 3];
  }
  parts.exposure = input.internet_facing && (parts.attack == 'N' || parts.attack == '?') ? 1 : 0;
  switch (input.criticality) {
    case registry::Criticality::kCritical:
      parts.criticality = 2;
      break;
    case registry::Criticality::kHigh:
      parts.criticality = 1;
      break;
    case registry::Criticality::kMedium:
      parts.criticality = 0;
      break;
    case registry::Criticality::kLow:
      parts.criticality = -1;
      break;
  }
  return parts;
}

std::string_view CriticalityName(registry::Criticality criticality) {
  switch (criticality) {
    case registry::Criticality::kCritical:
      return "kritiek";
    case registry::Criticality::kHigh:
      return "hoog";
    case registry::Criticality::kMedium:
      return "gemiddeld";
    case registry::Criticality::kLow:
      return "laag";
  }
  return "gemiddeld";
}

}  // namespace

int RiskPoints(const RiskInput& input) { return PartsOf(input).Total(); }

Risk AssessRisk(const RiskInput& input) {
  const Parts parts = PartsOf(input);
  Risk risk;
  if (input.cvss && *input.cvss > 0) {
    risk.reasons.push_back(fmt::format("CVSS {:.1f} → {}", *input.cvss, parts.severity));
  } else if (parts.severity_from_word) {
    risk.reasons.push_back(fmt::format("geen CVSS; ernst volgens de uitgever {} → {}",
                                       input.publisher_severity, parts.severity));
  } else {
    risk.reasons.push_back("geen CVSS of ernst bekend: aangenomen gemiddeld → 2");
  }
  switch (input.exploitation) {
    case Exploitation::kActive:
      risk.reasons.push_back(fmt::format("actief misbruikt ({}) → +3", input.exploitation_source));
      break;
    case Exploitation::kProofOfConcept:
      risk.reasons.push_back(
          fmt::format("uitbuitingscode bekend ({}) → +1", input.exploitation_source));
      break;
    case Exploitation::kNone:
      risk.reasons.push_back("geen misbruik bekend → 0");
      break;
  }
  if (!input.internet_facing) {
    risk.reasons.push_back("niet aan internet → 0");
  } else if (parts.exposure == 1) {
    risk.reasons.push_back("aan internet, aanval via het netwerk → +1");
  } else {
    risk.reasons.push_back(
        fmt::format("aan internet, maar aanval niet via het netwerk (AV:{}) → 0", parts.attack));
  }
  risk.reasons.push_back(fmt::format("kritikaliteit {} → {:+d}", CriticalityName(input.criticality),
                                     parts.criticality));
  risk.points = parts.Total();
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
