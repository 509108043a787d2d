// libFuzzer target: reading a stored event block. Blocks come from our own writer, but a
// database file can be damaged or tampered with, so reading one must end in records or an
// error, never in a bad read. Odd first byte: the input is the block as stored (the zstd frame
// header and decompression are fuzzed). Even: the input is the block's content, wrapped in a
// valid frame here, so that the record decoder is reached with arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <zstd.h>

#include "store/event_block.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string block;
  if (data[0] % 2 == 1) {
    block.assign(input);
  } else {
    block.resize(ZSTD_compressBound(input.size()));
    block.resize(ZSTD_compress(block.data(), block.size(), input.data(), input.size(), 1));
  }
  auto reader = baken::store::EventBlockReader::Open(block, "fuzz block");
  if (!reader) {
    if (reader.error().message.empty()) __builtin_trap();
    return 0;
  }
  baken::store::EventRecord record;
  for (;;) {
    auto next = reader->Next(&record);
    if (!next) {
      if (next.error().message.find("fuzz block") == std::string::npos) __builtin_trap();
      break;
    }
    if (!*next) break;
  }
  return 0;
}
