#include "store/event_block.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>
#include <sodium.h>
#include <zstd.h>

#include "common/json_text.h"

namespace baken::store {

namespace {

// zstd's fastest regular level: feed events repeat their field names and most values, so it
// already reaches a high ratio, and ingest speed is what the level costs.
constexpr int kCompressionLevel = 1;

// The most bytes a LEB128 length of a size_t takes.
constexpr size_t kMaxLengthBytes = 10;

// The bytes the LEB128 form of `length` takes.
size_t LengthBytes(size_t length) {
  size_t bytes = 1;
  while (length >= 0x80) {
    length >>= 7;
    ++bytes;
  }
  return bytes;
}

// Copies `size` bytes; those of up to 32 (most keys and values of an event) without a call:
// an event has some seventy of them, and memcpy's call cost more than its copying.
inline void CopyBytes(char* to, const char* from, size_t size) {
  const auto copy8 = [](char* t, const char* f) {
    uint64_t word;
    std::memcpy(&word, f, 8);
    std::memcpy(t, &word, 8);
  };
  if (size > 32) {
    std::memcpy(to, from, size);
  } else if (size > 16) {
    copy8(to, from);
    copy8(to + 8, from + 8);
    copy8(to + size - 16, from + size - 16);
    copy8(to + size - 8, from + size - 8);
  } else if (size >= 8) {
    copy8(to, from);
    copy8(to + size - 8, from + size - 8);
  } else if (size >= 4) {
    uint32_t first;
    uint32_t last;
    std::memcpy(&first, from, 4);
    std::memcpy(&last, from + size - 4, 4);
    std::memcpy(to, &first, 4);
    std::memcpy(to + size - 4, &last, 4);
  } else if (size > 0) {
    to[0] = from[0];
    to[size / 2] = from[size / 2];
    to[size - 1] = from[size - 1];
  }
}

// Writes `value` with its length at `at`, which has room for kMaxLengthBytes more than the
// value; returns the end. Records are written through a pointer into a buffer sized for them
// beforehand: a million events have forty million fields, and growing a string byte by byte
// cost more than the copying.
char* PutField(char* at, std::string_view value) {
  size_t length = value.size();
  do {
    const auto low = static_cast<unsigned char>(length & 0x7F);
    length >>= 7;
    *at++ = static_cast<char>(length ? (low | 0x80) : low);
  } while (length);
  CopyBytes(at, value.data(), value.size());
  return at + value.size();
}

// Reads one length-prefixed field of `data` at `*offset` into `*value`; the problem, or
// nullptr.
const char* ReadField(std::string_view data, size_t* offset, std::string_view* value) {
  size_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (*offset == data.size()) return "truncated length";
    if (shift > 28) return "length too long";
    const auto byte = static_cast<unsigned char>(data[(*offset)++]);
    length |= static_cast<size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (length > data.size() - *offset) return "field runs past the end";
  *value = data.substr(*offset, length);
  *offset += length;
  return nullptr;
}

// The first byte of an event's data in the field form: JSON text starts with '{' or with
// whitespace, never with 0x01.
constexpr char kFieldFormMarker = '\x01';
constexpr char kStringValue = 's';
constexpr char kLiteralValue = 'l';

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

// The port as text in `digits`, empty for none: std::to_string zero-filled a new string for
// every event.
std::string_view PortText(const EventRecord& event, std::array<char, 24>& digits) {
  if (!event.source_port) return {};
  const std::to_chars_result written =
      std::to_chars(digits.data(), digits.data() + digits.size(), *event.source_port);
  return {digits.data(), static_cast<size_t>(written.ptr - digits.data())};
}

}  // namespace

size_t EncodedSize(const EventRecord& event) {
  size_t size = 0;
  const std::string no_port;  // the port's text is at most 20 digits, counted in the slack
  ForEachField(event, no_port,
               [&](const std::string& value) { size += value.size() + kMaxLengthBytes; });
  return size + 20;
}

std::string EncodeEventBlock(std::span<const EventRecord* const> events) {
  // Buffers kept per thread: a block's records run to megabytes, and fresh memory of that size
  // costs page faults on every block.
  thread_local std::string records;
  thread_local std::string compressed;
  thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(),
                                                                            &ZSTD_freeCCtx);
  size_t most = 0;
  for (const EventRecord* event : events) most += EncodedSize(*event);
  // The buffers only grow: a string resized up again after being cut to what was used fills
  // the difference with zeros, megabytes a block.
  if (records.size() < most) records.resize(most);
  char* end = records.data();
  std::array<char, 24> digits;
  for (const EventRecord* event : events) {
    const std::string_view port = PortText(*event, digits);
    ForEachField(*event, port, [&](std::string_view value) { end = PutField(end, value); });
  }
  const auto used = static_cast<size_t>(end - records.data());
  if (const size_t bound = ZSTD_compressBound(used); compressed.size() < bound) {
    compressed.resize(bound);
  }
  const size_t size = ZSTD_compressCCtx(context.get(), compressed.data(), compressed.size(),
                                        records.data(), used, kCompressionLevel);
  // Compressing into a buffer of ZSTD_compressBound cannot fail but for lack of memory.
  if (ZSTD_isError(size)) throw std::bad_alloc();
  return compressed.substr(0, size);
}

void WriteEventData(std::span<const EventDataField> fields, std::string* out) {
  // Sized once for the whole event, exactly. `out` is usually a string reused from event to
  // event (ingest's batch records), which keeps its memory; a string that grows doubles it, so
  // over many batches each record came to hold twice what it needs. One that must grow gets an
  // eighth to spare instead.
  size_t size = 1;
  for (const EventDataField& field : fields) {
    size += LengthBytes(field.key.size()) + field.key.size() + LengthBytes(field.value.size()) +
            field.value.size() + 1;
  }
  if (out->capacity() < size) {
    std::string grown;
    grown.reserve(size + size / 8);
    *out = std::move(grown);
  }
  out->resize(size);
  char* at = out->data();
  *at++ = kFieldFormMarker;
  for (const EventDataField& field : fields) {
    at = PutField(at, field.key);
    at = PutField(at, field.value);
    // An empty literal would not be JSON, and the reader refuses it: it is kept as a string.
    *at++ = field.json_literal && !field.value.empty() ? kLiteralValue : kStringValue;
  }
}

bool EventBlockReader::FieldFormToJson(std::string_view fields, std::string* json) {
  json->clear();
  json->push_back('{');
  size_t offset = 1;  // past the marker
  while (offset < fields.size()) {
    std::string_view key;
    std::string_view value;
    if (ReadField(fields, &offset, &key) != nullptr || key.empty()) return false;
    if (ReadField(fields, &offset, &value) != nullptr || offset == fields.size()) return false;
    const char kind = fields[offset++];
    if (kind != kStringValue && (kind != kLiteralValue || value.empty())) return false;
    AppendJsonMember(json, json->size() == 1, key, value, kind == kLiteralValue);
  }
  json->push_back('}');
  return true;
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
  std::string port;
  const char* problem = nullptr;
  ForEachField(*record, port, [&](std::string& field) {
    std::string_view value;
    if (problem == nullptr) problem = ReadField(data_, &offset_, &value);
    if (problem == nullptr) field.assign(value);
  });
  if (problem != nullptr) return damaged(problem);
  record->source_port.reset();
  if (!port.empty()) {
    int64_t value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || value > 999999) return damaged("port is not a number");
      value = value * 10 + (c - '0');
    }
    record->source_port = value;
  }
  if (!record->data.empty() && record->data.front() == kFieldFormMarker) {
    if (!FieldFormToJson(record->data, &json_)) return damaged("event fields are not readable");
    std::swap(record->data, json_);
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
