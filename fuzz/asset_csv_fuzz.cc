// libFuzzer target: the inventory CSV reader must refuse any input cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "registry/asset_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream input(std::string(reinterpret_cast<const char*>(data), size));
  (void)baken::registry::ParseAssetCsv(input, "fuzz.csv");
  return 0;
}
