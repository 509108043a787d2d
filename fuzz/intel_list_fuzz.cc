// libFuzzer target: plain indicator lists and a MISP feed's manifest and hash list (decision
// 0023). They come from block-list publishers, feeds and uploads: any bytes must end in values
// or in reasons, and every value kept must be canonical for its kind.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "intel/list_reader.h"
#include "intel/misp_feed.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto list = baken::intel::ReadIndicatorList(text, "fuzz", "GREEN")) {
    for (const auto& indicator : list->indicators) {
      auto again = baken::intel::CanonicalValue(indicator.kind, indicator.value);
      if (!again || *again != indicator.value) __builtin_trap();
    }
  } else if (list.error().message.empty()) {
    __builtin_trap();
  }
  for (const auto& hash : baken::intel::ReadMispHashes(text).hashes) {
    if (hash.md5.size() != 32 || !baken::intel::IsUuid(hash.event_uuid)) __builtin_trap();
  }
  if (auto manifest = baken::intel::ReadMispManifest(text)) {
    for (const auto& entry : manifest->entries) {
      if (!baken::intel::IsUuid(entry.uuid) || entry.timestamp <= 0) __builtin_trap();
    }
  }
  return 0;
}
