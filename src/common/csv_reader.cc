#include "common/csv_reader.h"

#include <cstring>

namespace baken {

namespace {

// The next field of the record, reusing a string left from an earlier record when there is one.
inline std::string* NextField(CsvRecord* record, size_t* count) {
  if (*count == record->fields.size()) record->fields.emplace_back();
  std::string* field = &record->fields[(*count)++];
  field->clear();
  return field;
}

[[gnu::noinline]] void NoteTooLong(CsvRecord* record, size_t limit) {
  record->problem = "the record is longer than " + std::to_string(limit) + " bytes";
}

}  // namespace

CsvReader::CsvReader(ByteSource& input, char delimiter, size_t max_record_bytes)
    : input_(input),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      buffer_(new char[kBlockSize]) {
  for (char c : {delimiter, '\n', '\r', '"'}) special_[static_cast<unsigned char>(c)] = true;
}

CsvReader::CsvReader(std::istream& input, char delimiter, size_t max_record_bytes)
    : owned_source_(std::make_unique<IstreamSource>(input)),
      input_(*owned_source_),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      buffer_(new char[kBlockSize]) {
  for (char c : {delimiter, '\n', '\r', '"'}) special_[static_cast<unsigned char>(c)] = true;
}

bool CsvReader::Fill() {
  if (exhausted_) return false;
  pos_ = 0;
  end_ = input_.Read(buffer_.get(), kBlockSize);
  if (end_ == 0) exhausted_ = true;
  return end_ > 0;
}

bool CsvReader::Next(CsvRecord* record) {
  if (!started_) {
    started_ = true;
    // A UTF-8 byte order mark is dropped. The first block holds at least three bytes unless the
    // whole input is shorter, so the mark is never split across reads.
    while (end_ < 3 && !exhausted_) {
      const size_t n = input_.Read(buffer_.get() + end_, kBlockSize - end_);
      if (n == 0) exhausted_ = true;
      end_ += n;
    }
    if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  // Skip empty lines between records.
  for (;;) {
    const int c = Peek();
    if (c == '\r') {
      ++pos_;
    } else if (c == '\n') {
      ++pos_;
      ++line_;
    } else {
      break;
    }
  }
  if (Peek() == kEnd) return false;

  record->line = line_;
  record->problem.reset();
  record->unterminated = false;
  size_t count = 0;  // fields of this record so far; strings beyond it are left over from before
  std::string* field = NextField(record, &count);
  size_t record_bytes = 0;
#define BAKEN_CSV_NOTE_SIZE(bytes)                                           \
  do {                                                                       \
    record_bytes += (bytes);                                                 \
    if (record_bytes > max_record_bytes_ && !record->problem) [[unlikely]] { \
      NoteTooLong(record, max_record_bytes_);                                \
    }                                                                        \
  } while (false)
  bool was_quoted = false;  // the current field started with a quote
  for (;;) {
    // Fast path: copy a run of ordinary bytes straight from the buffer.
    if (pos_ < end_) {
      const char* begin = buffer_.get() + pos_;
      const char* stop = begin;
      const char* const limit = buffer_.get() + end_;
      while (stop < limit && !special_[static_cast<unsigned char>(*stop)]) ++stop;
      if (stop != begin) {
        const auto run = static_cast<size_t>(stop - begin);
        BAKEN_CSV_NOTE_SIZE(run);
        if (was_quoted && !record->problem) record->problem = "characters follow a closing quote";
        if (!record->problem) field->append(begin, run);
        pos_ += run;
        continue;
      }
    }
    const int c = Get();
    if (c == kEnd) {
      record->unterminated = true;
      break;
    }
    BAKEN_CSV_NOTE_SIZE(1);
    if (c == delimiter_) {
      field = NextField(record, &count);
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && Peek() == '\n') ++pos_;
      ++line_;
      break;
    } else if (c == '"' && field->empty() && !was_quoted) {
      was_quoted = true;
      // Inside quotes: everything up to the closing quote belongs to the field. Runs without
      // a quote or line break are copied from the buffer in one go.
      for (;;) {
        if (pos_ < end_) {
          const char* begin = buffer_.get() + pos_;
          const auto* quote = static_cast<const char*>(std::memchr(begin, '"', end_ - pos_));
          const char* stop = quote != nullptr ? quote : buffer_.get() + end_;
          if (stop != begin) {
            const auto run = static_cast<size_t>(stop - begin);
            BAKEN_CSV_NOTE_SIZE(run);
            // Line breaks inside quotes still count for the line numbers of later records.
            for (const char* at = begin;
                 (at = static_cast<const char*>(
                      std::memchr(at, '\n', static_cast<size_t>(stop - at)))) != nullptr;
                 ++at) {
              ++line_;
            }
            if (!record->problem) field->append(begin, run);
            pos_ += run;
            continue;
          }
        }
        const int q = Get();
        if (q == kEnd) {
          if (!record->problem) {
            record->problem = "a quoted field is not closed before the end of the file";
          }
          record->unterminated = true;
          record->fields.resize(count);
          return true;
        }
        BAKEN_CSV_NOTE_SIZE(1);
        if (q == '"') {
          if (Peek() != '"') break;
          ++pos_;
        } else if (q == '\n') {
          ++line_;
        }
        if (!record->problem) field->push_back(static_cast<char>(q));
      }
    } else {
      // A quote inside an unquoted field, or anything after a closing quote.
      if (was_quoted && !record->problem) record->problem = "characters follow a closing quote";
      if (!record->problem) field->push_back(static_cast<char>(c));
    }
  }
  record->fields.resize(count);
  return true;
#undef BAKEN_CSV_NOTE_SIZE
}

}  // namespace baken
