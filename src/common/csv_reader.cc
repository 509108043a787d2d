#include "common/csv_reader.h"

#include <algorithm>
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
  if (lenient_ && in_record_) {
    // The block is about to be overwritten: keep the record's part of it, up to the limit.
    if (raw_head_.size() <= max_record_bytes_) {
      raw_head_.append(buffer_.get() + record_begin_, end_ - record_begin_);
    }
    record_begin_ = 0;
  }
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
  record->repaired = false;
  record->raw.clear();
  in_record_ = true;
  record_begin_ = pos_;
  raw_head_.clear();
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
          if (record->repaired) [[unlikely]] {
            // A repaired record ends at its line end, quoted or not.
            stop = std::find_if(begin, stop, [](char b) { return b == '\n' || b == '\r'; });
          }
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
        if (record->repaired && (Peek() == '\n' || Peek() == '\r')) [[unlikely]] {
          break;  // the outer loop ends the record at this line break
        }
        const int q = Get();
        if (q == kEnd) {
          if (!record->problem) {
            record->problem = "a quoted field is not closed before the end of the file";
          }
          record->unterminated = true;
          record->fields.resize(count);
          FinishRaw(record);
          return true;
        }
        BAKEN_CSV_NOTE_SIZE(1);
        if (q == '"') {
          if (Peek() == '"') {
            ++pos_;
            BAKEN_CSV_NOTE_SIZE(1);
            // In a repaired record the writer evidently did not double quotes: `""` before
            // the end of the field is a quote of the field and the closing one.
            if (record->repaired && AtFieldEnd()) {
              if (!record->problem) field->push_back('"');
              break;
            }
          } else if (!lenient_ || AtFieldEnd() ||
                     LenientQuoteCloses(record, field, &record_bytes)) {
            break;
          } else {
            continue;  // LenientQuoteCloses kept the quote as a character
          }
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
  FinishRaw(record);
  return true;
#undef BAKEN_CSV_NOTE_SIZE
}

bool CsvReader::LenientQuoteCloses(CsvRecord* record, std::string* field, size_t* record_bytes) {
  // The quote did not close the field unless only blanks stand between it and the delimiter
  // or the line end; either way the record broke the rules.
  record->repaired = true;
  const size_t quote_at = field->size();
  if (!record->problem) field->push_back('"');
  for (int c = Peek(); c == ' ' || c == '\t'; c = Peek()) {
    ++pos_;
    if (++*record_bytes > max_record_bytes_ && !record->problem) {
      NoteTooLong(record, max_record_bytes_);
    }
    if (!record->problem) field->push_back(static_cast<char>(c));
  }
  if (!AtFieldEnd()) return false;
  if (!record->problem) field->resize(quote_at);  // neither the quote nor the blanks count
  return true;
}

void CsvReader::FinishRaw(CsvRecord* record) {
  in_record_ = false;
  if (!record->repaired) return;
  record->raw = raw_head_;
  record->raw.append(buffer_.get() + record_begin_, pos_ - record_begin_);
  while (!record->raw.empty() && (record->raw.back() == '\n' || record->raw.back() == '\r')) {
    record->raw.pop_back();
  }
  if (record->raw.size() > max_record_bytes_) record->raw.resize(max_record_bytes_);
}

}  // namespace baken
