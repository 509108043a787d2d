#include "net/email.h"

#include <algorithm>
#include <string>

#include "net/domain.h"

namespace baken::net {

namespace {

// RFC 5322 atext: what a dot-atom's atoms are made of.
bool IsAtext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || IsAtext(c); });
}

}  // namespace

bool IsValidEmailAddress(std::string_view address) {
  if (address.size() > kMaxEmailAddressLength) return false;
  const size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.size() > kMaxEmailLocalPartLength || !IsDotAtom(local)) return false;
  if (domain.empty() || domain.back() == '.' || domain.find('.') == std::string_view::npos ||
      domain.find('_') != std::string_view::npos) {
    return false;
  }
  std::string lower(domain);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return IsNormalizedDomain(lower);
}

}  // namespace baken::net
