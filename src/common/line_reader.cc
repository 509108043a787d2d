#include "common/line_reader.h"

#include <cstring>

namespace baken {

LineReader::LineReader(ByteSource& input, size_t max_line_bytes)
    : input_(input), max_line_bytes_(max_line_bytes), buffer_(new char[kBlockSize]) {}

bool LineReader::Next(std::string* line, size_t* number, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  for (;;) {
    if (pos_ == end_) {
      if (exhausted_) break;
      pos_ = 0;
      end_ = input_.Read(buffer_.get(), kBlockSize);
      if (end_ == 0) {
        exhausted_ = true;
        break;
      }
    }
    any = true;
    const char* begin = buffer_.get() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
    const size_t run = newline ? static_cast<size_t>(newline - begin) : end_ - pos_;
    const size_t room = max_line_bytes_ > line->size() ? max_line_bytes_ - line->size() : 0;
    if (run > room) *too_long = true;
    line->append(begin, run < room ? run : room);
    pos_ += run;
    if (newline) {
      ++pos_;
      break;
    }
  }
  if (!any) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  *number = ++line_;
  return true;
}

}  // namespace baken
