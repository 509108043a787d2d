#ifndef BAKEN_COMMON_ERROR_H_
#define BAKEN_COMMON_ERROR_H_

// Expected failures (bad input, missing object, refused access) travel as values: a function
// that can fail returns Result<T>, which holds either the value or an Error. Exceptions are
// kept for start-up and for libraries that throw, and are caught at the module edge.

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace baken {

enum class ErrorCode {
  kInvalidArgument,   // the input is malformed or breaks a rule; the message says which
  kNotFound,          // the object does not exist, or the caller may not know it exists
  kConflict,          // the input is valid but clashes with what is stored
  kPermissionDenied,  // the caller is known but may not do this
  kUnauthenticated,   // the caller did not prove who it is
  kUnavailable,       // a resource (store, network) could not be reached
  kTooMany,           // the caller asked too often; it may try again later (HTTP 429)
  kInternal,          // a bug or an unexpected state
};

// The values a coded problem's sentence is filled in with ({"value", "192.0.2.0/33"}).
using ProblemParams = std::vector<std::pair<std::string, std::string>>;

struct Error {
  Error() = default;
  Error(ErrorCode kind, std::string text, std::string problem_key = {},
        ProblemParams problem_params = {})
      : code(kind),
        message(std::move(text)),
        key(std::move(problem_key)),
        params(std::move(problem_params)) {}

  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // one sentence for a person: names the input and what is wrong
  // A problem people read in the portal or an e-mail also carries a stable key from the
  // translation table (i18n/problems.json) and the values its sentence needs, so that it is
  // shown in the reader's language; `message` is then that sentence in English. Empty for
  // problems only operators see (common/problem.h).
  std::string key;
  ProblemParams params;
  // The separate problems behind this one (each field of a refused list), in order.
  std::vector<Error> causes;
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = Result<void>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}
inline tl::unexpected<Error> InvalidArgument(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}
inline tl::unexpected<Error> NotFound(std::string message) {
  return MakeError(ErrorCode::kNotFound, std::move(message));
}
inline tl::unexpected<Error> Conflict(std::string message) {
  return MakeError(ErrorCode::kConflict, std::move(message));
}
inline tl::unexpected<Error> PermissionDenied(std::string message) {
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}
inline tl::unexpected<Error> Internal(std::string message) {
  return MakeError(ErrorCode::kInternal, std::move(message));
}
inline tl::unexpected<Error> Unavailable(std::string message) {
  return MakeError(ErrorCode::kUnavailable, std::move(message));
}

}  // namespace baken

// Returns the error of a Status or Result expression from the enclosing function.
#define BAKEN_RETURN_IF_ERROR(expr)                                              \
  do {                                                                           \
    if (auto baken_status_ = (expr); !baken_status_) {                           \
      return ::tl::unexpected<::baken::Error>(std::move(baken_status_.error())); \
    }                                                                            \
  } while (false)

#define BAKEN_CONCAT_INNER_(a, b) a##b
#define BAKEN_CONCAT_(a, b) BAKEN_CONCAT_INNER_(a, b)
// `BAKEN_ASSIGN_OR_RETURN(auto x, Compute());` declares x from the value, or returns the error.
#define BAKEN_ASSIGN_OR_RETURN(declaration, expr)                   \
  auto BAKEN_CONCAT_(baken_result_, __LINE__) = (expr);             \
  if (!BAKEN_CONCAT_(baken_result_, __LINE__)) {                    \
    return ::tl::unexpected<::baken::Error>(                        \
        std::move(BAKEN_CONCAT_(baken_result_, __LINE__).error())); \
  }                                                                 \
  declaration = std::move(*BAKEN_CONCAT_(baken_result_, __LINE__))

#endif  // BAKEN_COMMON_ERROR_H_
