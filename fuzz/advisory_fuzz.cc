// libFuzzer target: reading an advisory (CSAF 2.0 document or CVE JSON 5 record). Advisories
// come from providers and uploads, so any bytes must end in an advisory or in reasons to
// refuse it; a refusal always has at least one reason, and every product has an id.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "advisories/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto advisory = baken::advisories::ReadAdvisory(text);
  if (!advisory) {
    if (advisory.error().reasons.empty()) __builtin_trap();
    return 0;
  }
  for (const auto& product : advisory->products) {
    if (product.range) (void)baken::advisories::Contains(*product.range, "1.0");
  }
  return 0;
}
