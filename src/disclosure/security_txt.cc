#include "disclosure/security_txt.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/json_text.h"
#include "common/quote.h"
#include "net/http_client.h"
#include "net/ip_address.h"
#include "net/url.h"

namespace baken::disclosure {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

Result<SecurityTxt> ParseSecurityTxt(std::string_view text) {
  if (text.size() > kMaxSecurityTxtBytes) {
    return InvalidArgument(
        fmt::format("security.txt is larger than {} bytes", kMaxSecurityTxtBytes));
  }
  // Not text, or not UTF-8: nothing of it is kept (what is kept is JSON, which must be UTF-8).
  if (text.find('\0') != std::string_view::npos || !IsValidUtf8(text)) {
    return InvalidArgument("security.txt is not UTF-8 text");
  }
  SecurityTxt file;
  constexpr std::string_view kSignedStart = "-----BEGIN PGP SIGNED MESSAGE-----";
  constexpr std::string_view kSignatureStart = "-----BEGIN PGP SIGNATURE-----";
  bool in_signed_header = false;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (++line_number > 1000) break;
    if (line == kSignedStart) {
      file.signed_cleartext = true;
      in_signed_header = true;  // "Hash: SHA256" lines until an empty one
      continue;
    }
    if (in_signed_header) {
      if (line.empty()) in_signed_header = false;
      continue;
    }
    if (line == kSignatureStart) break;
    if (line.starts_with("- ")) line.remove_prefix(2);  // dash-escaped (RFC 4880 7.1)
    if (line.empty() || line.front() == '#') continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string field = Lower(Trim(line.substr(0, colon)));
    const std::string value(Trim(line.substr(colon + 1)));
    if (value.empty() || value.size() > 2000) continue;
    if (field == "contact") {
      file.contacts.push_back(value);
    } else if (field == "expires") {
      file.expires = value;
    } else if (field == "encryption") {
      file.encryption.push_back(value);
    } else if (field == "policy") {
      file.policy.push_back(value);
    } else if (field == "preferred-languages") {
      file.preferred_languages = value;
    } else if (field == "canonical") {
      file.canonical.push_back(value);
    }
  }
  if (file.contacts.empty()) return InvalidArgument("security.txt names no Contact");
  if (file.contacts.size() > 20) file.contacts.resize(20);
  return file;
}

std::string SecurityTxtUrl(std::string_view kind, std::string_view value) {
  if (kind == "url") {
    if (auto url = net::ParseHttpUrl(value)) {
      const size_t path = url->text.find('/', url->scheme.size() + 3);
      return url->text.substr(0, path) + "/.well-known/security.txt";
    }
    return {};
  }
  std::string host(value);
  if (const auto address = net::IpAddress::Parse(host); address && !address->is_v4()) {
    host = "[" + host + "]";
  }
  return fmt::format("https://{}/.well-known/security.txt", host);
}

Result<SecurityTxt> FetchSecurityTxt(const std::string& url, bool private_hosts_allowed) {
  net::HttpOptions options;
  options.timeout_seconds = 10;
  options.max_bytes = kMaxSecurityTxtBytes;
  options.public_addresses_only = !private_hosts_allowed;
  BAKEN_ASSIGN_OR_RETURN(const net::HttpResponse response, net::HttpGet(url, options));
  if (response.status != 200) {
    return NotFound(fmt::format(
        "{}: HTTP {}{}", url, response.status,
        response.location.empty()
            ? ""
            : " (a redirect to " + Quote(response.location.substr(0, 200)) + ", not followed)"));
  }
  return ParseSecurityTxt(response.body);
}

}  // namespace baken::disclosure
