// libFuzzer target: the CSV tokenizer on any bytes, with a small record limit so that the
// size bound is exercised too.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "common/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream input(std::string(reinterpret_cast<const char*>(data), size));
  baken::CsvReader reader(input, size % 2 == 0 ? ',' : ';', 256);
  baken::CsvRecord record;
  size_t previous_line = 0;
  while (reader.Next(&record)) {
    if (record.line <= previous_line) __builtin_trap();  // lines only move forward
    previous_line = record.line;
  }
  return 0;
}
