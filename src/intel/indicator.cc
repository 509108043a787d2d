#include "intel/indicator.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "common/json_text.h"
#include "common/text.h"
#include "net/as_number.h"
#include "net/domain.h"
#include "net/email.h"
#include "net/ip_address.h"
#include "net/url.h"

namespace baken::intel {

namespace {

constexpr std::array<std::string_view, 14> kKinds = {
    "ip",   "cidr",   "domain",   "host", "url", "email", "md5",
    "sha1", "sha256", "filename", "asn",  "cve", "text",  "other"};
constexpr std::array<std::string_view, 3> kSightingKinds = {"seen", "false_positive", "expired"};

// Free text a sender wrote: at most this many bytes.
constexpr size_t kMaxText = 64 * 1024;
constexpr size_t kMaxUrl = 8 * 1024;
constexpr size_t kMaxFilename = 1024;

bool HasControl(std::string_view text, bool line_breaks_allowed) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (line_breaks_allowed && (c == '\n' || c == '\r' || c == '\t')) return false;
    return byte < 0x20 || byte == 0x7f;
  });
}

Result<std::string> Hash(std::string_view value, size_t hex_digits, std::string_view name) {
  if (value.size() != hex_digits || !IsHexDigits(value)) {
    return InvalidArgument(fmt::format("an {} is {} hexadecimal digits", name, hex_digits));
  }
  return AsciiLower(value);
}

Result<std::string> Cve(std::string_view value) {
  const std::string upper = AsciiUpper(value);
  const auto digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
  };
  const std::string_view text = upper;
  if (text.size() < 13 || text.size() > 30 || text.substr(0, 4) != "CVE-" || text[8] != '-' ||
      !digits(text.substr(4, 4)) || !digits(text.substr(9))) {
    return InvalidArgument("a CVE id is CVE-YYYY-NNNN (four or more digits)");
  }
  return upper;
}

Result<std::string> Email(std::string_view value) {
  if (!net::IsValidEmailAddress(value)) return InvalidArgument("not an e-mail address");
  // The domain is case-insensitive; the local part is kept as written.
  const size_t at = value.rfind('@');
  return std::string(value.substr(0, at + 1)) + AsciiLower(value.substr(at + 1));
}

Result<std::string> Url(std::string_view value) {
  if (value.size() > kMaxUrl) return InvalidArgument(fmt::format("longer than {} bytes", kMaxUrl));
  if (auto http = net::ParseHttpUrl(value)) return http->text;
  // Indicators are also ftp:// and other schemes; kept as written when they look like a URL.
  const size_t scheme = value.find("://");
  if (scheme == std::string_view::npos || scheme == 0 || HasControl(value, false) ||
      value.find(' ') != std::string_view::npos || !IsValidUtf8(value)) {
    return InvalidArgument("not a URL");
  }
  return std::string(value);
}

Result<std::string> Plain(std::string_view value, size_t max, bool line_breaks) {
  if (value.empty()) return InvalidArgument("empty");
  if (value.size() > max) return InvalidArgument(fmt::format("longer than {} bytes", max));
  if (HasControl(value, line_breaks)) return InvalidArgument("holds control characters");
  return RepairUtf8(value);
}

}  // namespace

std::span<const std::string_view> IndicatorKinds() { return kKinds; }

bool Detectable(std::string_view kind) { return kind != "text" && kind != "other"; }

std::span<const std::string_view> SightingKinds() { return kSightingKinds; }

Result<std::string> CanonicalValue(std::string_view kind, std::string_view value) {
  if (kind == "ip") {
    const auto address = net::IpAddress::Parse(value);
    if (!address) return InvalidArgument("not an IP address");
    return address->ToString();
  }
  if (kind == "cidr") {
    BAKEN_ASSIGN_OR_RETURN(const net::Prefix prefix, net::ParsePrefix(value));
    return prefix.ToString();
  }
  if (kind == "domain" || kind == "host") return net::NormalizeDomain(value);
  if (kind == "url") return Url(value);
  if (kind == "email") return Email(value);
  if (kind == "md5") return Hash(value, 32, "MD5 hash");
  if (kind == "sha1") return Hash(value, 40, "SHA-1 hash");
  if (kind == "sha256") return Hash(value, 64, "SHA-256 hash");
  if (kind == "asn") {
    BAKEN_ASSIGN_OR_RETURN(const uint32_t number,
                           net::ParseAsNumber(value, net::AsPrefix::kOptional));
    return fmt::format("AS{}", number);
  }
  if (kind == "cve") return Cve(value);
  if (kind == "filename") return Plain(value, kMaxFilename, false);
  if (kind == "text" || kind == "other") return Plain(value, kMaxText, true);
  return InvalidArgument(fmt::format("'{}' is not a kind of indicator", kind));
}

}  // namespace baken::intel
