// libFuzzer target: X-ARF's two report forms (disclosure/xarf.h), the "Key: value" lines of
// 0.1/0.2's report.txt and the JSON of v3/v4's xarf.json. Whatever the bytes: a report whose
// texts are valid UTF-8 on one line each, or a refusal that says why; never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "disclosure/xarf.h"

namespace {

void Check(const baken::Result<baken::disclosure::XarfReport>& report) {
  if (!report) {
    if (report.error().code != baken::ErrorCode::kInvalidArgument) __builtin_trap();
    return;
  }
  if (report->sources.empty()) __builtin_trap();
  for (const auto& text : report->sources) {
    if (!baken::IsValidUtf8(text) || text.find('\n') != std::string_view::npos) __builtin_trap();
  }
  for (const auto& text : report->facts) {
    if (!baken::IsValidUtf8(text) || text.find('\n') != std::string_view::npos) __builtin_trap();
  }
  if (!baken::IsValidUtf8(report->description)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Check(baken::disclosure::ReadXarfLines(text));
  Check(baken::disclosure::ReadXarfJson(text));
  return 0;
}
