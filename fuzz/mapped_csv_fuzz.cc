// libFuzzer target: a researcher's CSV list with its mapping file, both from the input (split
// at the first NUL byte), so that hostile mappings are fuzzed as well as hostile lists.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/byte_source.h"
#include "feeds/mapped_csv.h"

namespace {

constexpr std::string_view kDefaultMapping = R"({"feed": {"name": "Fuzz"},
  "columns": {"source.ip": "ip", "source.port": "port", "time.source": "time",
              "classification.identifier": "problem"},
  "constants": {"classification.type": "vulnerable-system"}})";

struct Sink final : baken::feeds::ParseSink {
  void OnEvent(baken::feeds::Event& event, size_t) override {
    if (!event.Has("source.ip") && !event.Has("source.fqdn") && !event.Has("source.url")) {
      __builtin_trap();  // every event names a system
    }
    (void)baken::feeds::ToIntelMqJson(event);
  }
  void OnReject(size_t, std::string reason) override {
    if (reason.empty()) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t split = all.find('\0');
  const std::string_view mapping_text =
      split == std::string_view::npos ? kDefaultMapping : all.substr(0, split);
  const std::string_view list = split == std::string_view::npos ? all : all.substr(split + 1);
  auto mapping = baken::feeds::ParseCsvMapping(mapping_text, "fuzz.json");
  if (!mapping) return 0;
  baken::StringSource source(list);
  Sink sink;
  (void)baken::feeds::ParseMappedCsv(source, *mapping, {"2026-11-23T12:00:00+00:00"}, sink);
  return 0;
}
