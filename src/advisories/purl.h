#ifndef BAKEN_ADVISORIES_PURL_H_
#define BAKEN_ADVISORIES_PURL_H_

// Package URLs (github.com/package-url/purl-spec): `pkg:type/namespace/name@version?qualifiers`.
// Two purls name the same package when type, namespace and name are equal after the type's
// own normalisation (PyPI names are case-insensitive and treat '_' as '-', GitHub's are
// case-insensitive), and an `arch` both give is equal: a fix for x86_64 says nothing of
// aarch64.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "advisories/version.h"
#include "common/error.h"

namespace baken::advisories {

struct Purl {
  std::string type;
  std::string name_space;  // "namespace" is a keyword
  std::string name;
  std::string version;  // empty when none
  std::map<std::string, std::string> qualifiers;
  std::string raw;

  // The version as the type's scheme compares it: rpm and deb put an `epoch` qualifier in
  // front ("1:1.1.1k-7.el8_6").
  std::string ComparableVersion() const;
  // The scheme for comparing versions of this type (rpm, deb, semver for npm, ...).
  std::optional<Scheme> VersionScheme() const;
};

Result<Purl> ParsePurl(std::string_view text);

// Same package (ignoring version): see above.
bool SamePackage(const Purl& a, const Purl& b);

}  // namespace baken::advisories

#endif  // BAKEN_ADVISORIES_PURL_H_
