#include "net/domain.h"

#include "common/problem_codes.h"

namespace baken::net {
namespace {

bool IsLetterOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// What is wrong with a lower-case name without trailing dot, or nullptr when it is a valid host
// name. A constant, so that IsNormalizedDomain stays free of allocation.
const ProblemCode* HostNameProblem(std::string_view name) {
  if (name.empty()) return &problems::domain_no_labels;
  if (name.size() > kMaxDomainLength) return &problems::domain_too_long;
  size_t label_start = 0;
  bool all_digits = true;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const size_t length = i - label_start;
      if (length == 0) return &problems::domain_empty_label;
      if (length > kMaxLabelLength) return &problems::domain_label_too_long;
      if (name[label_start] == '-' || name[i - 1] == '-') {
        return &problems::domain_hyphen_edge;
      }
      if (name[label_start] == '_' && length == 1) return &problems::domain_lone_underscore;
      if (i == name.size() && all_digits) return &problems::domain_numeric_tld;
      label_start = i + 1;
      all_digits = true;
      continue;
    }
    const char c = name[i];
    if (c < '0' || c > '9') all_digits = false;
    if (IsLetterOrDigit(c) || c == '-') continue;
    if (c == '_') {
      if (i == label_start) continue;
      return &problems::domain_inner_underscore;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      return &problems::domain_not_ascii;
    }
    if (c >= 'A' && c <= 'Z') return &problems::domain_upper_case;
    return &problems::domain_bad_character;
  }
  return nullptr;
}

}  // namespace

Result<std::string> NormalizeDomain(std::string_view text) {
  std::string name;
  if (NormalizeDomainInto(text, &name)) return name;
  if (text.empty()) return InvalidInput(problems::domain_empty);
  return InvalidInput(*HostNameProblem(name), {{"value", std::string(text)}});
}

bool NormalizeDomainInto(std::string_view text, std::string* out) {
  out->assign(text);
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!out->empty() && out->back() == '.') out->pop_back();
  return HostNameProblem(*out) == nullptr;
}

bool IsNormalizedDomain(std::string_view name) { return HostNameProblem(name) == nullptr; }

bool IsDomainOrSubdomain(std::string_view name, std::string_view suffix) {
  if (name.size() == suffix.size()) return name == suffix;
  return name.size() > suffix.size() && name.ends_with(suffix) &&
         name[name.size() - suffix.size() - 1] == '.';
}

}  // namespace baken::net
