#ifndef BAKEN_COMMON_CSV_READER_H_
#define BAKEN_COMMON_CSV_READER_H_

// A streaming reader for comma-separated values (RFC 4180): quoted fields with commas, quotes
// ("") and line breaks, CRLF or LF line ends, a UTF-8 byte order mark at the start, empty lines
// skipped. Written here rather than taken from Debian's libcsv because error reports must name
// the line where a record starts, which libcsv does not track, and because feeds need about a
// million rows a second: the reader scans a block buffer and reuses the field strings of the
// previous record, so a steady stream of records allocates nothing. Memory stays bounded by the
// block size and the longest record, not the file.

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/byte_source.h"

namespace baken {

struct CsvRecord {
  size_t line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
  // Set when the record is malformed (an unterminated quote, stray characters after a closing
  // quote, or a field above the size limit); the fields are then incomplete.
  std::optional<std::string> problem;
  // The record ended at the end of the input without a line break: the last line of a file
  // that may have been cut off.
  bool unterminated = false;
};

class CsvReader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 1 << 20;

  // `delimiter` is ',' for most files; spreadsheets saved with Dutch settings use ';'.
  CsvReader(ByteSource& input, char delimiter = ',',
            size_t max_record_bytes = kDefaultMaxRecordBytes);
  explicit CsvReader(std::istream& input, char delimiter = ',',
                     size_t max_record_bytes = kDefaultMaxRecordBytes);

  // Reads the next record into *record, reusing its strings. Returns false at the end of the
  // input.
  bool Next(CsvRecord* record);

 private:
  static constexpr size_t kBlockSize = 1 << 16;
  static constexpr int kEnd = -1;

  bool Fill();  // false at the end of the input
  int Get() { return (pos_ < end_ || Fill()) ? static_cast<unsigned char>(buffer_[pos_++]) : kEnd; }
  int Peek() { return (pos_ < end_ || Fill()) ? static_cast<unsigned char>(buffer_[pos_]) : kEnd; }

  std::unique_ptr<IstreamSource> owned_source_;  // when constructed from a std::istream
  ByteSource& input_;
  char delimiter_;
  size_t max_record_bytes_;
  std::unique_ptr<char[]> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  size_t line_ = 1;
  bool started_ = false;
  bool exhausted_ = false;
  bool special_[256] = {};  // bytes that end a run of plain field bytes
};

}  // namespace baken

#endif  // BAKEN_COMMON_CSV_READER_H_
