#ifndef BAKEN_COMMON_PROBLEM_JSON_H_
#define BAKEN_COMMON_PROBLEM_JSON_H_

// The values of a coded problem (common/problem.h) as the JSON object the API sends and the
// store keeps ({"value": "192.0.2.0/33", "line": "4"}): one shape wherever a problem's params
// leave the program, so the portal reads them the same way from every place.

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace baken {

template <typename JsonType = nlohmann::ordered_json>
JsonType ProblemParamsJson(const ProblemParams& params) {
  JsonType object = JsonType::object();
  for (const auto& [name, value] : params) object[name] = value;
  return object;
}

}  // namespace baken

#endif  // BAKEN_COMMON_PROBLEM_JSON_H_
