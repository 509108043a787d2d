// libFuzzer target: the CSV tokenizer on any bytes, with a small record limit so that the
// size bound is exercised too; inputs whose size is a multiple of three are read with lenient
// quotes, whose repaired records must keep their text within the limit. Every input is read
// twice, plain records in one pass and every record byte by byte: both must read the same.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "common/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const char delimiter = size % 2 == 0 ? ',' : ';';
  const bool lenient = size % 3 == 0;
  std::istringstream input(text);
  baken::CsvReader reader(input, delimiter, 256);
  reader.set_lenient_quotes(lenient);
  std::istringstream by_byte_input(text);
  baken::CsvReader by_byte(by_byte_input, delimiter, 256);
  by_byte.set_lenient_quotes(lenient);
  by_byte.set_plain_records_in_one_pass(false);
  baken::CsvRecord record;
  baken::CsvRecord expected;
  size_t previous_line = 0;
  while (reader.Next(&record)) {
    if (record.line <= previous_line) __builtin_trap();  // lines only move forward
    previous_line = record.line;
    if (record.repaired && (!lenient || record.raw.size() > 256)) __builtin_trap();
    if (!record.repaired && !record.raw.empty()) __builtin_trap();
    if (!by_byte.Next(&expected)) __builtin_trap();
    // The fields of a record with a problem are incomplete, cut where a block ended.
    if ((!record.problem && record.fields != expected.fields) || record.line != expected.line ||
        record.problem != expected.problem || record.unterminated != expected.unterminated ||
        record.repaired != expected.repaired || record.raw != expected.raw) {
      __builtin_trap();
    }
  }
  if (by_byte.Next(&expected)) __builtin_trap();
  return 0;
}
