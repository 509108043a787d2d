#include "net/domain.h"

#include "net/quote.h"

namespace baken::net {
namespace {

bool IsLetterOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// What is wrong with a lower-case name without trailing dot, or nullptr when it is a valid host
// name. A static phrase, so that IsNormalizedDomain stays free of allocation.
const char* HostNameProblem(std::string_view name) {
  if (name.empty()) return "has no labels";
  if (name.size() > kMaxDomainLength) return "is longer than 253 characters";
  size_t label_start = 0;
  bool all_digits = true;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const size_t length = i - label_start;
      if (length == 0) return "has an empty label";
      if (length > kMaxLabelLength) return "has a label longer than 63 characters";
      if (name[label_start] == '-' || name[i - 1] == '-') {
        return "has a label that starts or ends with a hyphen";
      }
      if (name[label_start] == '_' && length == 1) return "has a label that is only '_'";
      if (i == name.size() && all_digits) return "ends in an all-numeric label";
      label_start = i + 1;
      all_digits = true;
      continue;
    }
    const char c = name[i];
    if (c < '0' || c > '9') all_digits = false;
    if (IsLetterOrDigit(c) || c == '-') continue;
    if (c == '_') {
      if (i == label_start) continue;
      return "has an underscore that is not at the start of a label";
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      return "contains non-ASCII characters; give the name in its xn-- (punycode) form";
    }
    if (c >= 'A' && c <= 'Z') return "contains upper-case letters";
    return "contains a character that is not allowed in a host name";
  }
  return nullptr;
}

}  // namespace

Result<std::string> NormalizeDomain(std::string_view text) {
  std::string name(text);
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (const char* problem = HostNameProblem(name)) {
    if (text.empty()) return InvalidArgument("the domain name is empty");
    return InvalidArgument(Quote(text) + " " + problem);
  }
  return name;
}

bool IsNormalizedDomain(std::string_view name) { return HostNameProblem(name) == nullptr; }

bool IsDomainOrSubdomain(std::string_view name, std::string_view suffix) {
  if (name.size() == suffix.size()) return name == suffix;
  return name.size() > suffix.size() && name.ends_with(suffix) &&
         name[name.size() - suffix.size() - 1] == '.';
}

}  // namespace baken::net
