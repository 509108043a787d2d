// libFuzzer target: the member file reader must refuse any input cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "registry/member_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto members = baken::registry::ParseMemberFile(text);
  if (members) {
    // What was accepted must export and read back the same.
    const std::string exported = baken::registry::FormatMemberFile(*members);
    auto again = baken::registry::ParseMemberFile(exported);
    if (!again || baken::registry::FormatMemberFile(*again) != exported) __builtin_trap();
  }
  return 0;
}
