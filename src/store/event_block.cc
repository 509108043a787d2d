#include "store/event_block.h"

#include <fmt/format.h>
#include <sodium.h>
#include <zstd.h>

namespace baken::store {

namespace {

// zstd's fastest regular level: feed events repeat their field names and most values, so it
// already reaches a high ratio, and ingest speed is what the level costs.
constexpr int kCompressionLevel = 1;

void AppendField(std::string* out, std::string_view value) {
  size_t length = value.size();
  do {
    const auto low = static_cast<unsigned char>(length & 0x7F);
    length >>= 7;
    out->push_back(static_cast<char>(length ? (low | 0x80) : low));
  } while (length);
  out->append(value);
}

// The per-event fields, in the order they are written and read (one definition for both, so
// `Record` is EventRecord or const EventRecord). The port is passed as text; none is empty.
template <typename Record, typename Port, typename Visit>
void ForEachField(Record& event, Port& port, Visit visit) {
  visit(event.dedup_key);
  visit(event.route_reason);
  visit(event.route_match);
  visit(event.classification_type);
  visit(event.classification_identifier);
  visit(event.source_ip);
  visit(port);
  visit(event.time_source);
  visit(event.time_observation);
  visit(event.data);
}

std::string PortText(const EventRecord& event) {
  return event.source_port ? std::to_string(*event.source_port) : std::string();
}

}  // namespace

size_t EncodedSize(const EventRecord& event) {
  size_t size = 0;
  const std::string no_port;  // the port's text is at most 20 digits, counted in the slack
  ForEachField(event, no_port, [&](const std::string& value) { size += value.size() + 5; });
  return size + 20;
}

std::string EncodeEventBlock(std::span<const EventRecord* const> events) {
  // Buffers kept per thread: a block's records run to megabytes, and fresh memory of that size
  // costs page faults on every block.
  thread_local std::string records;
  thread_local std::string compressed;
  thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(),
                                                                            &ZSTD_freeCCtx);
  records.clear();
  for (const EventRecord* event : events) {
    const std::string port = PortText(*event);
    ForEachField(*event, port, [&](const std::string& value) { AppendField(&records, value); });
  }
  compressed.resize(ZSTD_compressBound(records.size()));
  const size_t size = ZSTD_compressCCtx(context.get(), compressed.data(), compressed.size(),
                                        records.data(), records.size(), kCompressionLevel);
  // Compressing into a buffer of ZSTD_compressBound cannot fail but for lack of memory.
  if (ZSTD_isError(size)) throw std::bad_alloc();
  return compressed.substr(0, size);
}

Result<EventBlockReader> EventBlockReader::Open(std::string_view compressed, std::string label) {
  const unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return MakeError(ErrorCode::kInternal, fmt::format("{}: not a compressed event block", label));
  }
  if (size > kMaxBlockBytes) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("{}: claims {} bytes, more than a block may hold", label, size));
  }
  std::string data(static_cast<size_t>(size), '\0');
  const size_t got =
      ZSTD_decompress(data.data(), data.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(got) || got != data.size()) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("{}: damaged ({})", label,
                                 ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short"));
  }
  return EventBlockReader(std::move(data), std::move(label));
}

Result<bool> EventBlockReader::Next(EventRecord* record) {
  if (offset_ == data_.size()) return false;
  const size_t start = offset_;
  const auto damaged = [&](std::string_view what) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("{}: damaged record at byte {}: {}", label_, start, what));
  };
  const auto read = [&](std::string* out) -> Status {
    size_t length = 0;
    for (int shift = 0;; shift += 7) {
      if (offset_ == data_.size()) return damaged("truncated length");
      if (shift > 28) return damaged("length too long");
      const auto byte = static_cast<unsigned char>(data_[offset_++]);
      length |= static_cast<size_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) break;
    }
    if (length > data_.size() - offset_) return damaged("field runs past the end");
    out->assign(data_, offset_, length);
    offset_ += length;
    return {};
  };
  std::string port;
  Status status;
  ForEachField(*record, port, [&](std::string& field) {
    if (status) status = read(&field);
  });
  BAKEN_RETURN_IF_ERROR(status);
  record->source_port.reset();
  if (!port.empty()) {
    int64_t value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || value > 999999) return damaged("port is not a number");
      value = value * 10 + (c - '0');
    }
    record->source_port = value;
  }
  return true;
}

DedupHash HashDedupKey(std::string_view dedup_key) {
  DedupHash hash;
  crypto_generichash(hash.data(), hash.size(),
                     reinterpret_cast<const unsigned char*>(dedup_key.data()), dedup_key.size(),
                     nullptr, 0);
  return hash;
}

}  // namespace baken::store
