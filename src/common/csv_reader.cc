#include "common/csv_reader.h"

#include <cstring>

namespace baken {

CsvReader::CsvReader(ByteSource& input, char delimiter, size_t max_record_bytes)
    : input_(input),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      buffer_(new char[kBlockSize]) {}

CsvReader::CsvReader(std::istream& input, char delimiter, size_t max_record_bytes)
    : owned_source_(std::make_unique<IstreamSource>(input)),
      input_(*owned_source_),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      buffer_(new char[kBlockSize]) {}

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
  auto next_field = [&]() -> std::string& {
    if (count == record->fields.size()) record->fields.emplace_back();
    std::string& field = record->fields[count++];
    field.clear();
    return field;
  };
  std::string* field = &next_field();
  size_t record_bytes = 0;
  auto note_size = [&](size_t bytes) {
    record_bytes += bytes;
    if (record_bytes > max_record_bytes_ && !record->problem) {
      record->problem = "the record is longer than " + std::to_string(max_record_bytes_) + " bytes";
    }
  };
  bool was_quoted = false;  // the current field started with a quote
  for (;;) {
    // Fast path: copy a run of ordinary bytes straight from the buffer.
    if (pos_ < end_) {
      const char* begin = buffer_.get() + pos_;
      const char* stop = begin;
      const char* const limit = buffer_.get() + end_;
      while (stop < limit && *stop != delimiter_ && *stop != '\n' && *stop != '\r' &&
             *stop != '"') {
        ++stop;
      }
      if (stop != begin) {
        const auto run = static_cast<size_t>(stop - begin);
        note_size(run);
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
    note_size(1);
    if (c == delimiter_) {
      field = &next_field();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && Peek() == '\n') ++pos_;
      ++line_;
      break;
    } else if (c == '"' && field->empty() && !was_quoted) {
      was_quoted = true;
      // Inside quotes: everything up to the closing quote belongs to the field.
      for (;;) {
        const int q = Get();
        if (q == kEnd) {
          if (!record->problem) {
            record->problem = "a quoted field is not closed before the end of the file";
          }
          record->unterminated = true;
          record->fields.resize(count);
          return true;
        }
        note_size(1);
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
}

}  // namespace baken
