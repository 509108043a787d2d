#ifndef BAKEN_COMMON_PROBLEM_H_
#define BAKEN_COMMON_PROBLEM_H_

// Problems people read (in the portal, in an e-mail) are coded: a stable key from the one
// translation table of what the server says, i18n/problems.json, plus the values its sentence
// needs. The portal and the mail builder show the sentence in the reader's language; the
// command line and the logs show the English one, which is also the error's `message`.
// The table is turned into constants at build time (problem_codes.h: problems::ip_prefix_invalid
// for "ip_prefix.invalid"), so a code that is not in the table does not compile, and the
// build refuses a table entry without Dutch or English, or whose two sentences ask for
// different values.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken {

struct ProblemCode {
  std::string_view key;      // "ip_prefix.invalid"
  std::string_view english;  // "'{value}' is not an IP prefix"
  std::string_view dutch;
};

// Every code in the table, in its order.
std::span<const ProblemCode> AllProblemCodes();

// `sentence` with each `{name}` replaced by the value of that name, made printable (common/
// quote.h); a name without a value stays as it is.
std::string FillIn(std::string_view sentence, const ProblemParams& params);

// An error of `kind` with the code's English sentence filled in as its message.
Error Coded(ErrorCode kind, const ProblemCode& code, ProblemParams params = {});
inline tl::unexpected<Error> InvalidInput(const ProblemCode& code, ProblemParams params = {}) {
  return tl::unexpected<Error>(Coded(ErrorCode::kInvalidArgument, code, std::move(params)));
}

// A refused request or list: one problem as itself, several as "N problems" with each as a
// cause, so that the reader sees every problem at once.
tl::unexpected<Error> Invalid(const std::vector<Error>& problems);

// `error` with `where` ("GM0363: netblocks[4]") in front of its message; the key and values
// stay, so the reader still gets the sentence in their own language.
Error At(std::string_view where, Error error);

// The stable code of an error for an API client: its key, or else the name of its kind
// ("invalid_argument", "not_found", ...), which the table also holds.
std::string_view CodeOf(const Error& error);

}  // namespace baken

#endif  // BAKEN_COMMON_PROBLEM_H_
