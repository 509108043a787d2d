#include "common/problem.h"

#include <algorithm>

#include "common/problem_codes.h"
#include "common/quote.h"

namespace baken {

std::string FillIn(std::string_view sentence, const ProblemParams& params) {
  std::string out;
  out.reserve(sentence.size());
  size_t i = 0;
  while (i < sentence.size()) {
    const size_t open = sentence.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = sentence.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(sentence.substr(i, open - i));
    const std::string_view name = sentence.substr(open + 1, close - open - 1);
    const auto found = std::find_if(params.begin(), params.end(),
                                    [&](const auto& param) { return param.first == name; });
    if (found != params.end()) {
      out += Printable(found->second);
    } else {
      out.append(sentence.substr(open, close - open + 1));
    }
    i = close + 1;
  }
  out.append(sentence.substr(i));
  return out;
}

Error Coded(ErrorCode kind, const ProblemCode& code, ProblemParams params) {
  std::string message = FillIn(code.english, params);
  return Error(kind, std::move(message), std::string(code.key), std::move(params));
}

Error At(std::string_view where, Error error) {
  if (!where.empty()) error.message = std::string(where) + ": " + error.message;
  return error;
}

std::string_view CodeOf(const Error& error) {
  if (!error.key.empty()) return error.key;
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kTooMany:
      return "request.too_many";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

tl::unexpected<Error> Invalid(const std::vector<Error>& problems) {
  if (problems.size() == 1) return tl::unexpected(problems.front());
  std::string joined;
  for (const auto& problem : problems) {
    if (!joined.empty()) joined += "; ";
    joined += problem.message;
  }
  Error error = Coded(ErrorCode::kInvalidArgument, problems::problems_several,
                      {{"count", std::to_string(problems.size())}});
  error.message = std::move(joined);
  error.causes = problems;
  return tl::unexpected(std::move(error));
}

}  // namespace baken
