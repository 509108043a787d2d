// libFuzzer target: reading MISP events (decision 0023). They come from partners' exports and
// feeds, so any bytes must end in events or in reasons to refuse them; a refusal always has a
// reason, and every indicator kept has a known kind, a canonical value and a TLP.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/tlp.h"
#include "intel/misp_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto groups = baken::intel::ReadMispSharingGroups(text)) {
    for (const auto& group : *groups) {
      if (group.name.empty()) __builtin_trap();
    }
  }
  auto events = baken::intel::ReadMispEvents(text);
  if (!events) {
    if (events.error().reasons.empty()) __builtin_trap();
    return 0;
  }
  const auto kinds = baken::intel::IndicatorKinds();
  for (const auto& event : *events) {
    if (event.title.empty() || !baken::ParseTlp(event.tlp)) __builtin_trap();
    for (const auto& indicator : event.indicators) {
      if (std::find(kinds.begin(), kinds.end(), indicator.kind) == kinds.end()) __builtin_trap();
      auto again = baken::intel::CanonicalValue(indicator.kind, indicator.value);
      if (!again || *again != indicator.value) __builtin_trap();
      const auto own = baken::ParseTlp(indicator.tlp);
      if (!own || *own < *baken::ParseTlp(event.tlp)) __builtin_trap();
    }
  }
  return 0;
}
