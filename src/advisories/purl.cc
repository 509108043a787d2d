#include "advisories/purl.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/text.h"

namespace baken::advisories {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// Types whose names do not depend on case (purl-spec PURL-TYPES).
bool CaseInsensitive(std::string_view type) {
  return type == "github" || type == "bitbucket" || type == "pypi" || type == "npm" ||
         type == "composer" || type == "hex";
}

std::string Normalised(std::string_view type, std::string_view text) {
  std::string out = CaseInsensitive(type) ? AsciiLower(text) : std::string(text);
  if (type == "pypi") std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

}  // namespace

std::string Purl::ComparableVersion() const {
  const auto epoch = qualifiers.find("epoch");
  if ((type == "rpm" || type == "deb") && epoch != qualifiers.end() && !epoch->second.empty() &&
      version.find(':') == std::string::npos) {
    return epoch->second + ":" + version;
  }
  return version;
}

std::optional<Scheme> Purl::VersionScheme() const { return SchemeOf(type); }

Result<Purl> ParsePurl(std::string_view text) {
  const auto invalid = [&](std::string_view problem) {
    return InvalidArgument(fmt::format("package URL '{}': {}", text, problem));
  };
  std::string_view rest = TrimBlanks(text);
  if (AsciiLower(rest.substr(0, 4)) != "pkg:") return invalid("does not start with pkg:");
  rest.remove_prefix(4);
  while (rest.starts_with('/')) rest.remove_prefix(1);
  Purl purl;
  purl.raw = std::string(TrimBlanks(text));
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos)
    rest = rest.substr(0, hash);
  if (const size_t question = rest.find('?'); question != std::string_view::npos) {
    std::string_view query = rest.substr(question + 1);
    rest = rest.substr(0, question);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const size_t equals = pair.find('=');
      if (equals == std::string_view::npos || equals == 0) return invalid("qualifier without '='");
      auto value = PercentDecode(pair.substr(equals + 1));
      if (!value) return invalid("bad %-escape in a qualifier");
      purl.qualifiers[AsciiLower(pair.substr(0, equals))] = *value;
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return invalid("has no type and name");
  purl.type = AsciiLower(rest.substr(0, slash));
  rest.remove_prefix(slash + 1);
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    auto version = PercentDecode(rest.substr(at + 1));
    if (!version) return invalid("bad %-escape in the version");
    purl.version = *version;
    rest = rest.substr(0, at);
  }
  while (rest.ends_with('/')) rest.remove_suffix(1);
  const size_t last = rest.rfind('/');
  auto name = PercentDecode(last == std::string_view::npos ? rest : rest.substr(last + 1));
  auto name_space = PercentDecode(last == std::string_view::npos ? "" : rest.substr(0, last));
  if (!name || !name_space) return invalid("bad %-escape in the name");
  if (name->empty()) return invalid("has no name");
  purl.name = Normalised(purl.type, *name);
  purl.name_space = Normalised(purl.type, *name_space);
  return purl;
}

bool SamePackage(const Purl& a, const Purl& b) {
  if (a.type != b.type || a.name_space != b.name_space || a.name != b.name) return false;
  const auto arch_a = a.qualifiers.find("arch");
  const auto arch_b = b.qualifiers.find("arch");
  return arch_a == a.qualifiers.end() || arch_b == b.qualifiers.end() ||
         arch_a->second == arch_b->second;
}

}  // namespace baken::advisories
