#ifndef BAKEN_NET_HTTP_CLIENT_H_
#define BAKEN_NET_HTTP_CLIENT_H_

// Fetching a document over HTTP(S) with libcurl, for following CSAF providers. Only http and
// https; certificates are verified; redirects are not followed (a provider must not send us to
// another organisation, CSAF requirement 6), the caller sees the 3xx and its Location instead;
// the body is bounded, so a hostile server cannot fill the memory.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/error.h"

namespace baken::net {

// True for a URL that starts with http:// or https:// (in any case).
bool IsHttpUrl(std::string_view url);

// curl_global_init, once per process (it is not thread-safe on every platform).
void InitCurlOnce();

struct HttpResponse {
  long status = 0;       // the HTTP status code
  std::string body;      // at most HttpGetOptions::max_bytes
  std::string location;  // the Location of a redirect, not followed
};

struct HttpGetOptions {
  long timeout_seconds = 60;
  size_t max_bytes = 16 << 20;
};

// A response with any status, or kUnavailable when there was none (no connection, a TLS
// failure, a timeout), or kInvalidArgument for a URL that is not http(s) or a body larger than
// max_bytes. The message names the URL.
Result<HttpResponse> HttpGet(const std::string& url, const HttpGetOptions& options = {});

}  // namespace baken::net

#endif  // BAKEN_NET_HTTP_CLIENT_H_
