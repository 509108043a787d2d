// libFuzzer target: IntelMQ JSON lines on any bytes. An event that was accepted must write
// back to JSON that reads again to the same event (the round trip a pipeline relies on).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/byte_source.h"
#include "feeds/intelmq_json.h"

namespace {

struct Sink final : baken::feeds::ParseSink {
  void OnEvent(baken::feeds::Event& event, size_t) override {
    const std::string json = baken::feeds::ToIntelMqJson(event);
    baken::feeds::Event again;
    if (!baken::feeds::ParseIntelMqLine(json, again)) __builtin_trap();
    if (baken::feeds::ToIntelMqJson(again) != json) __builtin_trap();
  }
  void OnReject(size_t, std::string reason) override {
    if (reason.empty()) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  baken::StringSource source(std::string_view(reinterpret_cast<const char*>(data), size));
  Sink sink;
  baken::feeds::ParseIntelMqJsonLines(source, {"2026-11-23T12:00:00+00:00"}, sink);
  return 0;
}
