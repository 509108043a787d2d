#ifndef BAKEN_COMMON_LINE_READER_H_
#define BAKEN_COMMON_LINE_READER_H_

// Reads lines (LF or CRLF) from a ByteSource through a block buffer, for JSON-lines input.
// A line longer than the limit is reported as such and skipped, so one huge line cannot
// exhaust memory.

#include <memory>
#include <string>

#include "common/byte_source.h"

namespace baken {

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLineBytes = 1 << 20;
  explicit LineReader(ByteSource& input, size_t max_line_bytes = kDefaultMaxLineBytes);

  // Reads the next line (without its line break) into *line; *too_long is set when the line
  // was longer than the limit (then *line holds only its start). *number is the 1-based line
  // number. Returns false at the end of the input.
  bool Next(std::string* line, size_t* number, bool* too_long);

 private:
  static constexpr size_t kBlockSize = 1 << 16;
  ByteSource& input_;
  size_t max_line_bytes_;
  std::unique_ptr<char[]> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  size_t line_ = 0;
  bool exhausted_ = false;
};

}  // namespace baken

#endif  // BAKEN_COMMON_LINE_READER_H_
