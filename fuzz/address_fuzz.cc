// libFuzzer target: prefixes, domain names and lookup queries from any bytes. What parses must
// print back to something that parses to the same value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/domain.h"
#include "net/ip_address.h"
#include "routing/constituency.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto prefix = baken::net::ParsePrefix(text)) {
    auto again = baken::net::ParsePrefix(prefix->ToString());
    if (!again || *again != *prefix) __builtin_trap();
  }
  if (auto domain = baken::net::NormalizeDomain(text)) {
    auto again = baken::net::NormalizeDomain(*domain);
    if (!again || *again != *domain) __builtin_trap();
  }
  (void)baken::routing::ParseLookupQuery(text);
  return 0;
}
