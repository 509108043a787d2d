// libFuzzer target: the CSAF distribution readers (provider metadata, ROLIE feed, changes.csv,
// index.txt, hash files, timestamps). Their input comes from any server an analyst follows, so
// any bytes must end in a listing or an error; every listed URL is absolute http(s), and every
// time is in the normalized form, whose text order is the time order.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "advisories/distribution.h"

namespace {

void CheckListing(const baken::advisories::Listing& listing) {
  for (const auto& document : listing.documents) {
    if (!document.url.starts_with("http://") && !document.url.starts_with("https://")) {
      __builtin_trap();
    }
    if (!document.updated.empty() && document.updated.size() != 27) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace baken::advisories;
  (void)ReadProviderMetadata(text);
  if (auto feed = ReadRolieFeed(text, "https://provider.example/csaf/feed.json")) {
    CheckListing(*feed);
  }
  CheckListing(ReadChangesCsv(text, "https://provider.example/csaf/white/"));
  CheckListing(ReadIndexTxt(text, "https://provider.example/csaf/white"));
  (void)ReadHashFile(text, 64);
  if (auto time = NormalizeTimestamp(text); time && time->size() != 27) __builtin_trap();
  return 0;
}
