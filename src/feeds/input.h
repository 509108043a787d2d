#ifndef BAKEN_FEEDS_INPUT_H_
#define BAKEN_FEEDS_INPUT_H_

// Feed input as a byte stream: a file or an uploaded body, gzip-compressed or not (recognised
// by the gzip magic bytes, not the name). Decompression streams, so a large .csv.gz never sits
// in memory whole; a truncated or corrupt gzip stream ends the input with an error, and what
// was decompressed before it is still delivered.

#include <memory>
#include <string>

#include "common/byte_source.h"
#include "common/error.h"

namespace baken::feeds {

// Opens `path`; kNotFound when it cannot be opened.
Result<std::unique_ptr<ByteSource>> OpenFeedFile(const std::string& path);

// Wraps `inner`, decompressing when it starts with the gzip magic bytes.
std::unique_ptr<ByteSource> MaybeGunzip(std::unique_ptr<ByteSource> inner);

// Reads up to `size` bytes from the start of *source and returns them, replacing *source with
// one that still delivers them: for recognising a format by its first bytes.
std::string Peek(std::unique_ptr<ByteSource>* source, size_t size);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_INPUT_H_
