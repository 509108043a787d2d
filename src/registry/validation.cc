#include "registry/validation.h"

#include <fmt/format.h>

#include "common/problem_codes.h"
#include "net/as_number.h"
#include "net/domain.h"
#include "net/email.h"
#include "net/ip_address.h"

namespace baken::registry {

bool IsValidMemberCode(std::string_view code) {
  if (code.size() != 6) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool ok = i < 2 ? (c >= 'A' && c <= 'Z') : (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidEmail(std::string_view email) { return net::IsValidEmailAddress(email); }

bool IsSupportedLanguage(std::string_view language) { return language == "nl" || language == "en"; }

std::optional<std::string> NormalizePhone(std::string_view text) {
  if (text.size() > 40) return std::nullopt;
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (!plus && digits.starts_with("00")) {
    plus = true;
    digits.erase(0, 2);
  }
  if (plus) {
    if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') return std::nullopt;
    return "+" + digits;
  }
  if (digits.size() == 10 && digits.front() == '0' && digits[1] != '0') {
    return "+31" + digits.substr(1);
  }
  return std::nullopt;
}

namespace {

Result<std::string> CanonicalAsn(std::string_view value) {
  BAKEN_ASSIGN_OR_RETURN(const uint32_t asn, net::ParseAsNumber(value, net::AsPrefix::kOptional));
  if (asn == 0 || asn == UINT32_MAX) {
    return InvalidInput(problems::asn_out_of_range, {{"value", std::string(value)}});
  }
  if (asn == 23456 || asn == 65535) {
    return InvalidInput(problems::asn_reserved, {{"value", std::string(value)}});
  }
  return std::to_string(asn);
}

}  // namespace

Result<std::string> CanonicalClaimValue(ClaimKind kind, std::string_view value) {
  switch (kind) {
    case ClaimKind::kNetblock: {
      auto prefix = net::ParsePrefix(value);
      if (!prefix) return tl::unexpected(prefix.error());
      if (prefix->length == 0) {
        return InvalidInput(problems::ip_prefix_whole_space, {{"value", std::string(value)}});
      }
      return prefix->ToString();
    }
    case ClaimKind::kAsn:
      return CanonicalAsn(value);
    case ClaimKind::kDomain: {
      auto domain = net::NormalizeDomain(value);
      if (!domain) return tl::unexpected(domain.error());
      if (domain->find('.') == std::string::npos) {
        return InvalidInput(problems::domain_top_level, {{"value", std::string(value)}});
      }
      return domain;
    }
  }
  return Internal("unknown claim kind");
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xe0) == 0xc0) {
      length = 2;
      code_point = lead & 0x1fu;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      code_point = lead & 0x0fu;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4;
      code_point = lead & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t j = 1; j < length; ++j) {
      const auto next = static_cast<unsigned char>(text[i + j]);
      if ((next & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3fu);
    }
    const uint32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (code_point < minimum || code_point > 0x10ffff ||
        (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace baken::registry
