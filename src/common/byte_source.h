#ifndef BAKEN_COMMON_BYTE_SOURCE_H_
#define BAKEN_COMMON_BYTE_SOURCE_H_

// Where streaming readers (CSV, JSON lines) get their bytes: a file, a gzip file, a request
// body, a std::istream. Readers pull blocks, so memory stays bounded by the block size and the
// longest record, never by the size of the input.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace baken {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `buffer`; 0 means the end of the input (or a read error,
  // which error() then describes).
  virtual size_t Read(char* buffer, size_t size) = 0;
  // Set when reading stopped because of an error rather than at the end of the input, e.g. a
  // truncated or corrupt gzip stream: what was read before it is still good.
  virtual std::optional<std::string> error() const { return std::nullopt; }
};

class IstreamSource final : public ByteSource {
 public:
  explicit IstreamSource(std::istream& input) : input_(input) {}
  size_t Read(char* buffer, size_t size) override {
    input_.read(buffer, static_cast<std::streamsize>(size));
    return static_cast<size_t>(input_.gcount());
  }

 private:
  std::istream& input_;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string_view text) : text_(text) {}
  size_t Read(char* buffer, size_t size) override {
    const size_t n = text_.copy(buffer, size);
    text_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view text_;
};

}  // namespace baken

#endif  // BAKEN_COMMON_BYTE_SOURCE_H_
