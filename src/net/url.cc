#include "net/url.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include <curl/curl.h>

#include "common/quote.h"
#include "net/ip_address.h"

namespace baken::net {

namespace {

constexpr size_t kMaxUrlLength = 2000;

struct UrlFree {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct TextFree {
  void operator()(char* text) const { curl_free(text); }
};

// A part of the URL, or empty when it has none.
std::string Part(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK || raw == nullptr) return {};
  const std::unique_ptr<char, TextFree> owned(raw);
  return std::string(raw);
}

Error Refused(std::string_view text, std::string_view why) {
  return Error(ErrorCode::kInvalidArgument, "URL " + Quote(text) + ": " + std::string(why));
}

}  // namespace

Result<HttpUrl> ParseHttpUrl(std::string_view text) {
  if (text.size() > kMaxUrlLength) return tl::unexpected(Refused(text.substr(0, 80), "too long"));
  if (std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f;
      })) {
    return tl::unexpected(Refused(text, "contains spaces or control characters"));
  }
  const std::unique_ptr<CURLU, UrlFree> url(curl_url());
  if (!url) return tl::unexpected(Error(ErrorCode::kInternal, "out of memory"));
  const std::string owned(text);
  // No guessing of a scheme: "example.nl/x" is not a URL here.
  if (curl_url_set(url.get(), CURLUPART_URL, owned.c_str(), 0) != CURLUE_OK) {
    return tl::unexpected(Refused(text, "not an absolute http or https URL"));
  }
  HttpUrl parsed;
  parsed.scheme = Part(url.get(), CURLUPART_SCHEME);
  std::transform(parsed.scheme.begin(), parsed.scheme.end(), parsed.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return tl::unexpected(Refused(text, "only http and https URLs are taken"));
  }
  if (!Part(url.get(), CURLUPART_USER).empty() || !Part(url.get(), CURLUPART_PASSWORD).empty()) {
    return tl::unexpected(Refused(text, "a user name or password in a URL is not taken"));
  }
  std::string host = Part(url.get(), CURLUPART_HOST);
  if (host.empty()) return tl::unexpected(Refused(text, "has no host"));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  parsed.host_is_ip = IpAddress::Parse(host).has_value();
  parsed.host = std::move(host);
  parsed.text = Part(url.get(), CURLUPART_URL);
  return parsed;
}

}  // namespace baken::net
