// libFuzzer target: the CSV tokenizer on any bytes, with a small record limit so that the
// size bound is exercised too; inputs whose size is a multiple of three are read with lenient
// quotes, whose repaired records must keep their text within the limit.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "common/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream input(std::string(reinterpret_cast<const char*>(data), size));
  baken::CsvReader reader(input, size % 2 == 0 ? ',' : ';', 256);
  const bool lenient = size % 3 == 0;
  reader.set_lenient_quotes(lenient);
  baken::CsvRecord record;
  size_t previous_line = 0;
  while (reader.Next(&record)) {
    if (record.line <= previous_line) __builtin_trap();  // lines only move forward
    previous_line = record.line;
    if (record.repaired && (!lenient || record.raw.size() > 256)) __builtin_trap();
    if (!record.repaired && !record.raw.empty()) __builtin_trap();
  }
  return 0;
}
