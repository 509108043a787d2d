#include "common/csv_reader.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace baken {

namespace {

// The next field of the record, reusing a string left from an earlier record when there is one.
inline std::string* NextField(std::vector<std::string>* fields, size_t* count) {
  if (*count == fields->size()) fields->emplace_back();
  std::string* field = &(*fields)[(*count)++];
  field->clear();
  return field;
}

// The first byte in [p, end) that is `a`, `b`, `c` or `d`; `end` when there is none. Looks at
// 16 bytes at a time, so it reads up to 15 bytes past `end`: the buffer has room for that.
inline const char* FindAny(const char* p, const char* end, char a, char b, char c, char d) {
#if defined(__SSE2__)
  const __m128i want_a = _mm_set1_epi8(a);
  const __m128i want_b = _mm_set1_epi8(b);
  const __m128i want_c = _mm_set1_epi8(c);
  const __m128i want_d = _mm_set1_epi8(d);
  for (; p < end; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, want_a), _mm_cmpeq_epi8(bytes, want_b)),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, want_c), _mm_cmpeq_epi8(bytes, want_d)));
    if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0) {
      const char* const hit = p + __builtin_ctz(mask);
      return hit < end ? hit : end;
    }
  }
  return end;
#else
  while (p < end && *p != a && *p != b && *p != c && *p != d) ++p;
  return p;
#endif
}

[[gnu::noinline]] void NoteTooLong(CsvRecord* record, size_t limit) {
  record->problem = "the record is longer than " + std::to_string(limit) + " bytes";
}

}  // namespace

CsvReader::CsvReader(ByteSource& input, char delimiter, size_t max_record_bytes)
    : input_(input),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      buffer_(new char[kBlockSize + kPadding]()) {
  for (char c : {delimiter, '\n', '\r', '"'}) special_[static_cast<unsigned char>(c)] = true;
}

CsvReader::CsvReader(std::istream& input, char delimiter, size_t max_record_bytes)
    : owned_source_(std::make_unique<IstreamSource>(input)),
      input_(*owned_source_),
      delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      buffer_(new char[kBlockSize + kPadding]()) {
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
  if (one_pass_) {
    OnePass read = ReadPlainRecord(record);
    if (read == OnePass::kNeedsMoreInput && Refill()) read = ReadPlainRecord(record);
    if (read == OnePass::kRead) return true;
  }
  ReadByByte(record);
  return true;
}

bool CsvReader::Refill() {
  if (exhausted_ || (pos_ == 0 && end_ == kBlockSize)) return false;
  std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
  end_ -= pos_;
  pos_ = 0;
  const size_t read = input_.Read(buffer_.get() + end_, kBlockSize - end_);
  if (read == 0) {
    exhausted_ = true;
    return false;
  }
  end_ += read;
  return true;
}

CsvReader::OnePass CsvReader::ReadPlainRecord(CsvRecord* record) {
  char* const data = buffer_.get();
  const char* p = data + pos_;
  // The byte-by-byte reader counts a record's bytes up to its line break, that included: a
  // record whose line break comes before `stop` is within the size limit.
  const char* const stop = end_ - pos_ > max_record_bytes_ ? p + max_record_bytes_ : data + end_;
  const OnePass cut_short = stop == data + end_ ? OnePass::kNeedsMoreInput : OnePass::kNotPlain;
  std::vector<std::string_view>& fields = record->fields;
  fields.clear();
  doubled_quotes_.clear();
  size_t quoted_line_breaks = 0;
  for (;;) {
    if (p == stop) return cut_short;
    if (*p == '"') {
      const char* const begin = ++p;
      bool doubled = false;
      for (;;) {
        p = FindAny(p, stop, '"', '\n', '"', '\n');
        if (p == stop || p + 1 == stop) return cut_short;
        if (*p == '\n') {
          ++quoted_line_breaks;
          ++p;
        } else if (p[1] == '"') {
          doubled = true;
          p += 2;
        } else {
          break;
        }
      }
      if (doubled) doubled_quotes_.push_back(fields.size());
      fields.emplace_back(begin, static_cast<size_t>(p - begin));
      ++p;  // the closing quote, which the delimiter or the line end must follow
      if (*p != delimiter_ && *p != '\n' && *p != '\r') return OnePass::kNotPlain;
    } else {
      const char* const begin = p;
      p = FindAny(p, stop, delimiter_, '\n', '\r', '"');
      if (p == stop) return cut_short;
      if (*p == '"') return OnePass::kNotPlain;  // a quote inside an unquoted field
      fields.emplace_back(begin, static_cast<size_t>(p - begin));
    }
    if (*p == delimiter_) {
      ++p;
      continue;
    }
    if (*p == '\r') {
      if (p + 1 == stop) return cut_short;  // whether a \n follows is not known yet
      if (p[1] == '\n') ++p;
    }
    ++p;
    break;
  }
  for (const size_t index : doubled_quotes_) {
    // Undone in place: the field only gets shorter.
    char* const begin = data + (fields[index].data() - data);
    char* out = begin;
    for (const char* in = begin; in != begin + fields[index].size(); ++in) {
      *out++ = *in;
      if (*in == '"') ++in;
    }
    fields[index] = std::string_view(begin, static_cast<size_t>(out - begin));
  }
  line_ += quoted_line_breaks + 1;
  pos_ = static_cast<size_t>(p - data);
  return OnePass::kRead;
}

void CsvReader::ReadByByte(CsvRecord* record) {
  in_record_ = true;
  record_begin_ = pos_;
  raw_head_.clear();
  size_t count = 0;  // fields of this record so far; strings beyond it are left over from before
  std::vector<std::string>& owned = record->owned_;
  std::string* field = NextField(&owned, &count);
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
      field = NextField(&owned, &count);
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
          FinishRaw(record, count);
          return;
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
  FinishRaw(record, count);
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

void CsvReader::FinishRaw(CsvRecord* record, size_t field_count) {
  in_record_ = false;
  record->fields.assign(record->owned_.begin(),
                        record->owned_.begin() + static_cast<std::ptrdiff_t>(field_count));
  if (!record->repaired) return;
  record->raw = raw_head_;
  record->raw.append(buffer_.get() + record_begin_, pos_ - record_begin_);
  while (!record->raw.empty() && (record->raw.back() == '\n' || record->raw.back() == '\r')) {
    record->raw.pop_back();
  }
  if (record->raw.size() > max_record_bytes_) record->raw.resize(max_record_bytes_);
}

}  // namespace baken
