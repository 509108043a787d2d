#include "feeds/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <zlib.h>

namespace baken::feeds {

namespace {

class FileSource final : public ByteSource {
 public:
  explicit FileSource(std::FILE* file) : file_(file) {}
  ~FileSource() override { std::fclose(file_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  size_t Read(char* buffer, size_t size) override {
    const size_t n = std::fread(buffer, 1, size, file_);
    if (n == 0 && std::ferror(file_)) error_ = std::strerror(errno);
    return n;
  }
  std::optional<std::string> error() const override { return error_; }

 private:
  std::FILE* file_;
  std::optional<std::string> error_;
};

class GunzipSource final : public ByteSource {
 public:
  explicit GunzipSource(std::unique_ptr<ByteSource> inner) : inner_(std::move(inner)) {
    std::memset(&stream_, 0, sizeof stream_);
    // 15 + 16: a gzip wrapper; several members one after another are read as one stream.
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) error_ = "cannot start gzip decompression";
  }
  ~GunzipSource() override { inflateEnd(&stream_); }
  GunzipSource(const GunzipSource&) = delete;
  GunzipSource& operator=(const GunzipSource&) = delete;

  // Bytes already read by MaybeGunzip while checking the magic bytes.
  void Prime(const char* bytes, size_t size) { pending_.assign(bytes, size); }

  size_t Read(char* buffer, size_t size) override {
    if (error_ || done_ || size == 0) return 0;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(size);
    while (stream_.avail_out == size) {  // until some output is made
      if (stream_.avail_in == 0) {
        size_t n = 0;
        if (!pending_.empty()) {
          n = pending_.copy(input_, sizeof input_);
          pending_.erase(0, n);
        } else {
          n = inner_->Read(input_, sizeof input_);
        }
        if (n == 0) {
          done_ = true;
          if (!at_member_end_) {
            error_ = inner_->error() ? *inner_->error()
                                     : "the gzip data ends early (the file seems cut off)";
          }
          break;
        }
        stream_.next_in = reinterpret_cast<Bytef*>(input_);
        stream_.avail_in = static_cast<uInt>(n);
      }
      const int result = inflate(&stream_, Z_NO_FLUSH);
      if (result == Z_STREAM_END) {
        // Another gzip member may follow (as `cat a.gz b.gz` makes).
        at_member_end_ = true;
        inflateReset(&stream_);
        continue;
      }
      if (result != Z_OK && result != Z_BUF_ERROR) {
        error_ = fmt::format("the gzip data is corrupt ({})",
                             stream_.msg != nullptr ? stream_.msg : "inflate failed");
        break;
      }
      at_member_end_ = false;
    }
    return size - stream_.avail_out;
  }
  std::optional<std::string> error() const override { return error_; }

 private:
  std::unique_ptr<ByteSource> inner_;
  z_stream stream_;
  char input_[1 << 16];
  std::string pending_;
  bool at_member_end_ = false;
  bool done_ = false;
  std::optional<std::string> error_;
};

// Passes through bytes read ahead, then the rest of the inner source.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  size_t Read(char* buffer, size_t size) override {
    if (!prefix_.empty()) {
      const size_t n = prefix_.copy(buffer, size);
      prefix_.erase(0, n);
      return n;
    }
    return inner_->Read(buffer, size);
  }
  std::optional<std::string> error() const override { return inner_->error(); }

 private:
  std::string prefix_;
  std::unique_ptr<ByteSource> inner_;
};

}  // namespace

std::unique_ptr<ByteSource> MaybeGunzip(std::unique_ptr<ByteSource> inner) {
  char head[2];
  size_t got = 0;
  while (got < 2) {
    const size_t n = inner->Read(head + got, 2 - got);
    if (n == 0) break;
    got += n;
  }
  if (got == 2 && static_cast<unsigned char>(head[0]) == 0x1F &&
      static_cast<unsigned char>(head[1]) == 0x8B) {
    auto gunzip = std::make_unique<GunzipSource>(std::move(inner));
    gunzip->Prime(head, got);
    return gunzip;
  }
  return std::make_unique<PrefixedSource>(std::string(head, got), std::move(inner));
}

std::string Peek(std::unique_ptr<ByteSource>* source, size_t size) {
  std::string head(size, '\0');
  size_t got = 0;
  while (got < size) {
    const size_t n = (*source)->Read(head.data() + got, size - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  *source = std::make_unique<PrefixedSource>(head, std::move(*source));
  return head;
}

Result<std::unique_ptr<ByteSource>> OpenFeedFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return NotFound(fmt::format("{}: cannot open the file ({})", path, std::strerror(errno)));
  }
  return MaybeGunzip(std::make_unique<FileSource>(file));
}

}  // namespace baken::feeds
