#ifndef BAKEN_STORE_EVENT_BLOCK_H_
#define BAKEN_STORE_EVENT_BLOCK_H_

// How stored events are laid out on disk: the events of one member, feed, TLP level and digest
// from one ingest batch are kept together as one compressed block (one row), not as one row
// each. Feed events are written once, read in bulk (a digest, a member's list) and removed by
// age, so a block is what every use touches; compressed, a feed event takes a fraction of its
// JSON. docs/decisions/0006-event-blocks.md says why and what it costs.
//
// A block is a zstd frame of records; a record is the per-event fields of EventRecord (those
// not shared by the whole block), each as a LEB128 length and the bytes. Decoding checks
// every length against what is left, so a damaged block gives an error, never a bad read.
//
// An event's data is kept in one of two forms: IntelMQ JSON text as the writer gave it, or the
// field form (WriteEventData), which ingest writes because building and escaping the JSON of
// every event cost a tenth of ingest's work, and most stored events are never read. Readers
// always get JSON: the field form is written as JSON when its record is read, exactly as
// feeds::AppendIntelMqJson writes an event (decision 0024).

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/store.h"

namespace baken::store {

// A block holds at most kMaxEventsPerBlock events and is closed once its records pass
// kBlockTargetBytes, so that reading one never needs much memory; a block that decodes to
// more than kMaxBlockBytes is refused as damaged. Event ids are block id * kEventsPerBlockId
// + the index in the block.
inline constexpr size_t kMaxEventsPerBlock = 4096;
inline constexpr size_t kBlockTargetBytes = 8 << 20;
inline constexpr size_t kMaxBlockBytes = 256 << 20;
inline constexpr int64_t kEventsPerBlockId = 1 << 16;

// The bytes a record takes in a block before compression (for kBlockTargetBytes).
size_t EncodedSize(const EventRecord& event);

// Compresses the per-event fields of `events` (at most kMaxEventsPerBlock).
std::string EncodeEventBlock(std::span<const EventRecord* const> events);

// One field of an event's data: its key, its value, and whether the value is a JSON literal (a
// number, a boolean, JSON) rather than a string.
struct EventDataField {
  std::string_view key;
  std::string_view value;
  bool json_literal = false;
};

// Writes an event's data in the field form into `out`: a marker byte that JSON text cannot
// start with, then per field its key and value (each a LEB128 length and the bytes) and one
// byte for the kind of value. Keys are not empty (an event's never are); an empty literal is
// kept as an empty string.
void WriteEventData(std::span<const EventDataField> fields, std::string* out);

// Reads the records of one block back. The block-level fields (member, feed, TLP, digest)
// are not in the block and are left as they are in the record passed to Next.
class EventBlockReader {
 public:
  // `compressed` is the stored block; `label` names it in errors ("event block 12").
  static Result<EventBlockReader> Open(std::string_view compressed, std::string label);

  // The next record into `record`; false when the block is done.
  Result<bool> Next(EventRecord* record);

 private:
  EventBlockReader(std::string data, std::string label)
      : data_(std::move(data)), label_(std::move(label)) {}
  // The field form of `fields` as JSON into `json`; false when the form is damaged.
  static bool FieldFormToJson(std::string_view fields, std::string* json);

  std::string data_;
  size_t offset_ = 0;
  std::string json_;  // the JSON of the last record in the field form
  std::string label_;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_EVENT_BLOCK_H_
