#ifndef BAKEN_ADVISORIES_VERSION_H_
#define BAKEN_ADVISORIES_VERSION_H_

// Versions and version ranges as advisories write them, and the question every warning hangs
// on: is this asset's version in that range? The answer has three values, because advisories
// are written by people: "affected", "not affected", and "unknown" when the range or the
// version cannot be read with confidence; unknown is never turned into either of the others.
//
// Ranges are read from vers (`vers:generic/>=2.9|<=4.1`), from scheme-less constraint lists
// (`<= 4.8.488.0`, `>= 1.7.0, < 1.18.4`) and from a few phrases (`all versions`, `prior to
// 4.2`, `8.1.5 and later`); anything else is kept verbatim and answers unknown. Comparison
// follows the scheme: semver, rpm (rpmvercmp), deb (dpkg), intdot, pypi and "generic" for
// vendor versions (`13.1-49.13`, `15.2(4)E5`, `1.1.1k`). docs/decisions/0007-advisories.md
// gives the rules.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baken::advisories {

enum class Outcome { kAffected, kNotAffected, kUnknown };
std::string_view Name(Outcome outcome);  // "affected", "not_affected", "unknown"

enum class Scheme { kGeneric, kSemver, kIntdot, kRpm, kDeb, kPypi };
std::string_view Name(Scheme scheme);
// The scheme of a vers type or a CVE versionType ("npm" -> semver, "rpm" -> rpm); nullopt when
// the type has no comparison of its own (then generic is used and the scheme is a guess).
std::optional<Scheme> SchemeOf(std::string_view type);

struct Comparison {
  int order = 0;         // <0, 0, >0 as a is older, equal, newer than b
  bool numeric = false;  // the deciding step compared numbers (not words or lengths)
};
// nullopt when either version cannot be read in the scheme.
std::optional<Comparison> CompareVersions(Scheme scheme, std::string_view a, std::string_view b);

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
struct Constraint {
  Op op = Op::kEq;
  std::string version;
};

struct VersionRange {
  enum class Form {
    kAll,          // every version (`vers:all/*`, "all versions")
    kNone,         // no version (`vers:none/*`)
    kUnstated,     // the publisher says it does not know (`vers:unknown/*`)
    kConstraints,  // a list of constraints, evaluated as vers does
    kUnparsed,     // not understood: always unknown, quoted in the reason
  };
  Form form = Form::kUnparsed;
  std::string raw;  // the text as the advisory gave it
  Scheme scheme = Scheme::kGeneric;
  bool scheme_guessed = true;  // no scheme was given, or one without its own comparison
  std::vector<Constraint> constraints;
  std::vector<std::string> problems;  // what was odd about the text (kept with the advisory)
};

// Never fails: text that is not understood gives Form::kUnparsed.
VersionRange ParseRange(std::string_view text);

struct Decision {
  Outcome outcome = Outcome::kUnknown;
  std::string reason;  // "version 3.0 within >=2.9|<=4.1"
};
// Whether `version` (an asset's) lies in `range`. With a guessed scheme, "outside" stands only
// when numbers decided it; a word deciding it ("8.0.0" against ">=8.0.0-M1") gives unknown.
Decision Contains(const VersionRange& range, std::string_view version);
// The outcome of Contains without the reason (for deciding millions of pairs).
Outcome Evaluate(const VersionRange& range, std::string_view version);

// Whether two versions are the same version in `scheme` ("2.0" and "v2.0"); nullopt when
// either cannot be read.
std::optional<bool> SameVersion(Scheme scheme, std::string_view a, std::string_view b);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_VERSION_H_
