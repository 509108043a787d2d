#ifndef BAKEN_NET_HTTP_CLIENT_H_
#define BAKEN_NET_HTTP_CLIENT_H_

// HTTP(S) with libcurl: fetching a document (following CSAF providers) and posting one (a
// page's webhook). Only http and https; certificates are verified; redirects are not followed
// (a provider must not send us to another organisation, CSAF requirement 6; a webhook goes
// where the analyst verified it), the caller sees the 3xx and its Location instead; the
// response body is bounded, so a hostile server cannot fill the memory.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "net/ip_address.h"

namespace baken::net {

// True for a URL that starts with http:// or https:// (in any case).
bool IsHttpUrl(std::string_view url);

// True for a plain http:// URL to another host than this machine (127.0.0.1, localhost, ::1).
// What Baken follows (CSAF providers, MISP feeds) comes over TLS; plain http only from a local
// mirror or a test, which also keeps a listing from sending requests into the local network
// unencrypted.
bool PlainHttpElsewhere(std::string_view url);

// curl_global_init, once per process (it is not thread-safe on every platform).
void InitCurlOnce();

struct HttpResponse {
  long status = 0;       // the HTTP status code
  std::string body;      // at most HttpOptions::max_bytes
  std::string location;  // the Location of a redirect, not followed
};

struct HttpOptions {
  long timeout_seconds = 60;
  size_t max_bytes = 16 << 20;
  // For a URL someone outside gave (a host in a researcher's report): connect only to public
  // addresses, checked on the address curl is about to connect to (so a name that resolves to
  // this machine, the LAN or a link-local address cannot be used to reach it), and use no proxy.
  bool public_addresses_only = false;
};

// Whether an address is one on the public internet: not loopback, private (RFC 1918, unique
// local), link-local, carrier-grade NAT, documentation, multicast, reserved or unspecified.
bool IsPublicAddress(const IpAddress& address);

// A response with any status, or kUnavailable when there was none (no connection, a TLS
// failure, a timeout), or kInvalidArgument for a URL that is not http(s) or a body larger than
// max_bytes. The message names the URL.
Result<HttpResponse> HttpGet(const std::string& url, const HttpOptions& options = {});

// One GET whose answer must be 200, for the feeds and documents Baken follows: the body, or the
// problem in one sentence without the URL, which the caller names (no answer, "HTTP 404", or
// a redirect, which is named and not followed). Plain http is refused, except to this machine
// (PlainHttpElsewhere), with `https_reason` saying why ("CSAF documents come over https
// (requirement 3)").
struct Fetched {
  long status = 0;  // 0: no answer, or refused
  std::string body;
  std::string problem;  // empty when the answer was 200
  bool ok() const { return problem.empty(); }
};
Fetched GetOk(const std::string& url, const HttpOptions& options, std::string_view https_reason);

// A POST of `body` with the given headers ("Name: value"), answered as HttpGet is.
Result<HttpResponse> HttpPost(const std::string& url, const std::string& body,
                              const std::vector<std::string>& headers,
                              const HttpOptions& options = {});

}  // namespace baken::net

#endif  // BAKEN_NET_HTTP_CLIENT_H_
