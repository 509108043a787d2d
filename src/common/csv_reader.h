#ifndef BAKEN_COMMON_CSV_READER_H_
#define BAKEN_COMMON_CSV_READER_H_

// A streaming reader for comma-separated values (RFC 4180): quoted fields with commas, quotes
// ("") and line breaks, CRLF or LF line ends, a UTF-8 byte order mark at the start, empty lines
// skipped. Written here rather than taken from Debian's libcsv because error reports must name
// the line where a record starts, which libcsv does not track; memory stays bounded by the
// longest record, not the file.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace baken {

struct CsvRecord {
  size_t line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
  // Set when the record is malformed (an unterminated quote, stray characters after a closing
  // quote, or a field above the size limit); the fields are then incomplete.
  std::optional<std::string> problem;
};

class CsvReader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 1 << 20;

  // `delimiter` is ',' for most files; spreadsheets saved with Dutch settings use ';'.
  explicit CsvReader(std::istream& input, char delimiter = ',',
                     size_t max_record_bytes = kDefaultMaxRecordBytes);

  // Reads the next record into *record. Returns false at the end of the input.
  bool Next(CsvRecord* record);

 private:
  int Get();
  int Peek();

  std::istream& input_;
  char delimiter_;
  size_t max_record_bytes_;
  std::string pending_;  // bytes read ahead at the start that were not a byte order mark
  size_t line_ = 1;
  bool started_ = false;
};

}  // namespace baken

#endif  // BAKEN_COMMON_CSV_READER_H_
