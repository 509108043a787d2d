#ifndef BAKEN_NET_URL_H_
#define BAKEN_NET_URL_H_

// A web address named in a report (or fetched, as a host's security.txt), taken apart by
// libcurl's URL parser, the one that fetches it: what is checked is what would be fetched.

#include <string>
#include <string_view>

#include "common/error.h"

namespace baken::net {

struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 address without its brackets
  bool host_is_ip = false;
  std::string text;  // the whole URL as libcurl writes it back (normalised)
};

// An absolute http:// or https:// URL with a host; at most 2,000 characters, no user
// name or password in it. Errors (kInvalidArgument) quote the input.
Result<HttpUrl> ParseHttpUrl(std::string_view text);

}  // namespace baken::net

#endif  // BAKEN_NET_URL_H_
