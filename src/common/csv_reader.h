#ifndef BAKEN_COMMON_CSV_READER_H_
#define BAKEN_COMMON_CSV_READER_H_

// A streaming reader for comma-separated values (RFC 4180): quoted fields with commas, quotes
// ("") and line breaks, CRLF or LF line ends, a UTF-8 byte order mark at the start, empty lines
// skipped. Written here rather than taken from Debian's libcsv because error reports must name
// the line where a record starts, which libcsv does not track, and because feeds need about a
// million rows a second: the reader scans a block buffer and reuses the field strings of the
// previous record, so a steady stream of records allocates nothing. Memory stays bounded by the
// block size and the longest record, not the file.
//
// Fields are views, valid until the reader's next Next: a record that lies whole in the block
// buffer and follows the rules without exception (the common case) is read in one pass, 16
// bytes at a time, and its fields point into the buffer (quotes doubled inside a field are
// undone in place); any other record (crossing the end of a block that cannot be refilled,
// broken quoting, above the size limit, at the end of the input) is read byte by byte into
// strings the record owns. Both ways give the same fields, lines and problems; the fuzz
// target reads every input both ways and compares.

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_source.h"

namespace baken {

struct CsvRecord {
  CsvRecord() = default;
  // Not copied: a copy's fields would still point into this record or the reader's buffer.
  CsvRecord(const CsvRecord&) = delete;
  CsvRecord& operator=(const CsvRecord&) = delete;
  CsvRecord(CsvRecord&&) = default;
  CsvRecord& operator=(CsvRecord&&) = default;

  size_t line = 0;  // 1-based line on which the record starts
  // Valid until the next Next on the reader that filled the record: a caller that keeps a
  // record (a header) across rows copies its fields.
  std::vector<std::string_view> fields;
  // Set when the record is malformed (an unterminated quote, stray characters after a closing
  // quote, or a field above the size limit); the fields are then incomplete.
  std::optional<std::string> problem;
  // The record ended at the end of the input without a line break: the last line of a file
  // that may have been cut off.
  bool unterminated = false;
  // Set in lenient mode when the record broke the quoting rules and was read by the lenient
  // ones (CsvReader::set_lenient_quotes); `raw` then holds the record as it came, without its
  // line break (at most the size limit), so that nothing the sender wrote is lost.
  bool repaired = false;
  std::string raw;

 private:
  friend class CsvReader;
  std::vector<std::string> owned_;  // the fields of a record read byte by byte
};

class CsvReader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 1 << 20;

  // `delimiter` is ',' for most files; spreadsheets saved with Dutch settings use ';'.
  CsvReader(ByteSource& input, char delimiter = ',',
            size_t max_record_bytes = kDefaultMaxRecordBytes);
  explicit CsvReader(std::istream& input, char delimiter = ',',
                     size_t max_record_bytes = kDefaultMaxRecordBytes);

  // Lenient quotes, for feeds written by tools that do not double the quotes inside a quoted
  // field. A quote inside a quoted field that is neither doubled nor followed by the delimiter
  // or the line end (blanks in between allowed) is taken as a character of the field instead
  // of a problem: `"say "hi" now"` is `say "hi" now`, `""x""` is `"x"`. Once a record needed
  // that, `""` before the delimiter or the line end is a quote that closes the field, and a
  // line break ends the record even inside quotes, so that a broken row never swallows the
  // rows after it. Such records are marked `repaired` and keep their raw text. Well-formed
  // input reads exactly as without this mode. Set before the first Next.
  void set_lenient_quotes(bool lenient) { lenient_ = lenient; }

  // Reads the next record into *record, reusing its memory. Returns false at the end of the
  // input.
  bool Next(CsvRecord* record);

  // For tests: read every record byte by byte, as records that are not plain are read.
  void set_plain_records_in_one_pass(bool enabled) { one_pass_ = enabled; }

 private:
  static constexpr size_t kBlockSize = 1 << 16;
  // The one-pass reader loads 16 bytes at a time and may look up to 15 bytes past the data.
  static constexpr size_t kPadding = 16;
  static constexpr int kEnd = -1;

  enum class OnePass { kRead, kNeedsMoreInput, kNotPlain };
  // Reads the record at pos_ when it lies whole in the buffer and needs none of the byte-by-byte
  // reader's rules; changes nothing but record->fields otherwise.
  OnePass ReadPlainRecord(CsvRecord* record);
  // Moves the unread bytes to the start of the buffer and reads more after them; false when the
  // input has nothing more or the buffer is full.
  bool Refill();
  void ReadByByte(CsvRecord* record);
  bool Fill();  // false at the end of the input
  // In lenient mode: whether a quote just read (and the blanks after it) closes the quoted
  // field; consumes the blanks. Otherwise the quote and the blanks are field characters.
  bool LenientQuoteCloses(CsvRecord* record, std::string* field, size_t* record_bytes);
  bool AtFieldEnd() {
    const int c = Peek();
    return c == delimiter_ || c == '\n' || c == '\r' || c == kEnd;
  }
  // Ends a record read byte by byte: its fields are the first `field_count` owned strings.
  void FinishRaw(CsvRecord* record, size_t field_count);
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
  bool lenient_ = false;
  bool one_pass_ = true;
  std::vector<size_t> doubled_quotes_;  // fields of the record in hand that have ""
  // Lenient mode keeps the text of the record being read: the part in earlier blocks in
  // raw_head_, the rest from record_begin_ in the buffer.
  bool in_record_ = false;
  size_t record_begin_ = 0;
  std::string raw_head_;
};

}  // namespace baken

#endif  // BAKEN_COMMON_CSV_READER_H_
