#include "common/csv_reader.h"

namespace baken {

CsvReader::CsvReader(std::istream& input, char delimiter, size_t max_record_bytes)
    : input_(input), delimiter_(delimiter), max_record_bytes_(max_record_bytes) {}

int CsvReader::Get() {
  if (!pending_.empty()) {
    const auto c = static_cast<unsigned char>(pending_.front());
    pending_.erase(0, 1);
    return c;
  }
  return input_.get();
}

int CsvReader::Peek() {
  if (!pending_.empty()) return static_cast<unsigned char>(pending_.front());
  return input_.peek();
}

bool CsvReader::Next(CsvRecord* record) {
  constexpr int kEnd = std::char_traits<char>::eof();
  if (!started_) {
    started_ = true;
    // A UTF-8 byte order mark is dropped; anything else read while looking for one is kept
    // (the input may be a pipe, so it is put back in pending_ rather than seeked).
    constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
    for (unsigned char expected : kBom) {
      if (input_.peek() != expected) break;
      pending_.push_back(static_cast<char>(input_.get()));
    }
    if (pending_.size() == 3) pending_.clear();
  }
  // Skip empty lines between records.
  for (;;) {
    const int c = Peek();
    if (c == '\r') {
      Get();
    } else if (c == '\n') {
      Get();
      ++line_;
    } else {
      break;
    }
  }
  if (Peek() == kEnd) return false;

  record->line = line_;
  record->fields.clear();
  record->problem.reset();
  std::string field;
  size_t record_bytes = 0;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field started with a quote
  for (;;) {
    const int c = Get();
    if (c == kEnd) {
      if (quoted) record->problem = "a quoted field is not closed before the end of the file";
      record->fields.push_back(std::move(field));
      return true;
    }
    if (++record_bytes > max_record_bytes_ && !record->problem) {
      record->problem = "the record is longer than " + std::to_string(max_record_bytes_) + " bytes";
    }
    if (quoted) {
      if (c == '"') {
        if (Peek() == '"') {
          Get();
          field.push_back('"');
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line_;
        if (!record->problem) field.push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == delimiter_) {
      record->fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || (c == '\r' && Peek() == '\n') || c == '\r') {
      if (c == '\r' && Peek() == '\n') Get();
      ++line_;
      record->fields.push_back(std::move(field));
      return true;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else {
      if (was_quoted && !record->problem) {
        record->problem = "characters follow a closing quote";
      }
      if (!record->problem) field.push_back(static_cast<char>(c));
    }
  }
}

}  // namespace baken
