#include "net/http_client.h"

#include <memory>
#include <optional>
#include <vector>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/text.h"

namespace baken::net {

namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

struct Body {
  std::string* out = nullptr;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t Append(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const size_t bytes = size * count;
  if (body->out->size() + bytes > body->max_bytes) {
    body->too_large = true;
    return 0;  // curl stops the transfer with CURLE_WRITE_ERROR
  }
  body->out->append(data, bytes);
  return bytes;
}

std::string Size(size_t bytes) {
  return bytes >= (1 << 20) ? fmt::format("{} MiB", bytes >> 20) : fmt::format("{} bytes", bytes);
}

}  // namespace

bool IsHttpUrl(std::string_view url) {
  const std::string lower = AsciiLower(url.substr(0, 8));
  return lower.starts_with("http://") || lower.starts_with("https://");
}

void InitCurlOnce() {
  static const CURLcode kInit = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)kInit;  // a failure shows up as an error of the first transfer
}

namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// CURLOPT_OPENSOCKETFUNCTION for HttpOptions::public_addresses_only: refuses to open a socket to
// anything but a public address.
curl_socket_t OpenPublicSocket(void* /*clientp*/, curlsocktype purpose, curl_sockaddr* address) {
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  std::optional<IpAddress> ip;
  if (address->family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
    ip = IpAddress::V4(ntohl(in->sin_addr.s_addr));
  } else if (address->family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    uint64_t high = 0;
    uint64_t low = 0;
    for (int i = 0; i < 8; ++i) high = high << 8 | in6->sin6_addr.s6_addr[i];
    for (int i = 8; i < 16; ++i) low = low << 8 | in6->sin6_addr.s6_addr[i];
    ip = IpAddress::V6(high, low);
  }
  if (!ip || !IsPublicAddress(*ip)) return CURL_SOCKET_BAD;
  return ::socket(address->family, address->socktype, address->protocol);
}

// One request: a GET, or a POST of `post_body` when it is given.
Result<HttpResponse> Transfer(const std::string& url, const HttpOptions& options,
                              const std::string* post_body,
                              const std::vector<std::string>& headers) {
  if (!IsHttpUrl(url)) return InvalidArgument(fmt::format("{}: not an http(s) URL", url));
  InitCurlOnce();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return Internal("curl_easy_init failed");
  CURL* handle = curl.get();
  HttpResponse response;
  Body body{&response.body, options.max_bytes, false};
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, options.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, options.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "baken/0.1");
  if (options.public_addresses_only) {
    curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, OpenPublicSocket);
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  }
  curl_slist* list = nullptr;
  for (const std::string& header : headers) {
    curl_slist* appended = curl_slist_append(list, header.c_str());
    if (appended == nullptr) {
      curl_slist_free_all(list);
      return Internal("curl_slist_append failed");
    }
    list = appended;
  }
  const std::unique_ptr<curl_slist, SlistDeleter> header_list(list);
  if (header_list) curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
  if (post_body != nullptr) {
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(post_body->size()));
  }
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
  curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  const CURLcode result = curl_easy_perform(handle);
  if (body.too_large || result == CURLE_FILESIZE_EXCEEDED) {
    return InvalidArgument(
        fmt::format("{}: the response is larger than {}", url, Size(options.max_bytes)));
  }
  if (result != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
    return Unavailable(fmt::format("{}: {}", url, detail));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  char* location = nullptr;
  curl_easy_getinfo(handle, CURLINFO_REDIRECT_URL, &location);
  if (location != nullptr) response.location = location;
  return response;
}

}  // namespace

bool PlainHttpElsewhere(std::string_view url) {
  if (AsciiLower(url.substr(0, 7)) != "http://") return false;
  std::string_view authority = url.substr(7);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  const std::string_view host = authority.starts_with('[')
                                    ? authority.substr(0, authority.find(']') + 1)
                                    : authority.substr(0, authority.find(':'));
  const std::string lower = AsciiLower(host);
  return lower != "127.0.0.1" && lower != "localhost" && lower != "[::1]";
}

Fetched GetOk(const std::string& url, const HttpOptions& options, std::string_view https_reason) {
  if (PlainHttpElsewhere(url)) {
    return {0, {}, fmt::format("plain http is refused: {}", https_reason)};
  }
  auto response = HttpGet(url, options);
  if (!response) {
    // HttpGet's message names the URL; the caller names it here, once.
    std::string problem = response.error().message;
    if (const std::string named = url + ": "; problem.starts_with(named)) {
      problem.erase(0, named.size());
    }
    return {0, {}, std::move(problem)};
  }
  if (response->status == 200) return {200, std::move(response->body), {}};
  if (response->status >= 300 && response->status < 400) {
    return {response->status,
            {},
            fmt::format("HTTP {}, redirected to {}; redirects are not followed", response->status,
                        response->location)};
  }
  return {response->status, {}, fmt::format("HTTP {}", response->status)};
}

Result<HttpResponse> HttpGet(const std::string& url, const HttpOptions& options) {
  return Transfer(url, options, nullptr, {});
}

Result<HttpResponse> HttpPost(const std::string& url, const std::string& body,
                              const std::vector<std::string>& headers, const HttpOptions& options) {
  return Transfer(url, options, &body, headers);
}

bool IsPublicAddress(const IpAddress& address) {
  static const std::vector<Prefix> kNotPublic = [] {
    std::vector<Prefix> prefixes;
    for (const char* text :
         {// IPv4: this network, private, shared (CGNAT), loopback, link-local, protocol
          // assignments, documentation, benchmarking, multicast, reserved.
          "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
          "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
          // IPv6: unspecified and IPv4-compatible, loopback, NAT64 (which can reach IPv4
          // anywhere), discard, documentation, 6to4, unique local, link-local, site-local,
          // multicast. (IPv4-mapped addresses are IPv4 here: net::IpAddress.)
          "::/96", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32",
          "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"}) {
      prefixes.push_back(*ParsePrefix(text));
    }
    return prefixes;
  }();
  for (const Prefix& prefix : kNotPublic) {
    if (prefix.Contains(address)) return false;
  }
  return true;
}

}  // namespace baken::net
