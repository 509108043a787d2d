// libFuzzer target: the Shadowserver parser on any bytes. The first byte picks the report type
// (or header recognition; with its top bit set, as for a file named after the retired type
// dns_openresolver), so that many schema mappings and conversions are reached; the rest is the
// CSV file, optionally gzip-compressed, read with lenient quotes as feeds are. Every event
// delivered must serialise to a JSON object whose values passed the harmonization; every
// rejected row and every note says something.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/byte_source.h"
#include "feeds/input.h"
#include "feeds/shadowserver.h"

namespace {

constexpr const char* kReports[] = {"",
                                    "scan_rdp",
                                    "scan_http",
                                    "scan_exchange",
                                    "event4_sinkhole_http",
                                    "event4_honeypot_brute_force",
                                    "compromised_website",
                                    "blocklist",
                                    "event4_ddos_participant",
                                    "scan_ssl",
                                    "spam_url",
                                    "event4_honeypot_http_scan",
                                    "scan_dns",
                                    "event4_sinkhole"};

struct Sink final : baken::feeds::ParseSink {
  void OnEvent(baken::feeds::Event& event, size_t) override {
    const std::string json = baken::feeds::ToIntelMqJson(event);
    if (json.empty() || json.front() != '{' || json.back() != '}') __builtin_trap();
  }
  void OnReject(size_t, std::string reason) override {
    if (reason.empty()) __builtin_trap();  // a rejected row always says why
  }
  void OnNote(std::string note) override {
    if (note.empty()) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* report = kReports[(data[0] & 0x7F) % (sizeof kReports / sizeof kReports[0])];
  const char* type_from_file_name = (data[0] & 0x80) != 0 ? "dns_openresolver" : "";
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto input = baken::feeds::MaybeGunzip(std::make_unique<baken::StringSource>(text));
  Sink sink;
  (void)baken::feeds::ParseShadowserver(*input, baken::feeds::ShadowserverSchema::BuiltIn(), report,
                                        {"2026-11-23T12:00:00+00:00"}, sink,
                                        *report == '\0' ? type_from_file_name : "");
  return 0;
}
