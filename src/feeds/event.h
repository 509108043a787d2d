#ifndef BAKEN_FEEDS_EVENT_H_
#define BAKEN_FEEDS_EVENT_H_

// One event: what a feed says about one system, as IntelMQ harmonization fields
// (feeds/harmonization.h) in the order they were added. Every value is sanitised and
// validated when it is added, so an Event never holds a value that IntelMQ would refuse.
//
// Events are reused: a parser keeps one Event and calls Clear() per row, which keeps the
// memory of the fields, so a steady stream of rows allocates almost nothing.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "feeds/harmonization.h"

namespace baken::feeds {

struct EventField {
  std::string key;
  std::string value;  // normalised text; a JSON literal for numbers, booleans and kJson
  ValueKind kind = ValueKind::kString;
};

// What Add does when the key is already set. kAppend skips the check, for parsers that know
// their keys are distinct (it is what makes a 30-column row cheap).
enum class OnExisting { kFail, kKeep, kReplace, kAppend };

class Event {
 public:
  // Sanitises and adds a harmonization field or an `extra.*` key (kept as a string). A value
  // IntelMQ treats as empty ("", "-", "N/A") is ignored: nothing is added and the result is
  // success. Fails with kInvalidArgument, naming the key and the quoted value, for an unknown
  // key or an invalid value.
  Status Add(std::string_view key, std::string_view value,
             OnExisting on_existing = OnExisting::kFail);
  // Adds `extra.<name>` with a JSON value (already valid, compact JSON text: from a JSON
  // reader). Fails for a key outside IntelMQ's key syntax.
  Status AddExtraJson(std::string_view key, std::string_view json_text,
                      OnExisting on_existing = OnExisting::kFail);

  // Fast paths for parsers that resolved their keys once per file: `spec` is FindField(key);
  // `key` of AddExtra is a valid extra key (IsExtraKey). Same rules as Add otherwise.
  Status Add(const FieldSpec& spec, std::string_view key, std::string_view value,
             OnExisting on_existing);
  Status AddExtra(std::string_view key, std::string_view value, OnExisting on_existing);
  // Adds a field that was sanitised before (e.g. a constant checked once per file).
  void AddSanitized(const EventField& field, OnExisting on_existing);

  const EventField* Find(std::string_view key) const;
  // The value of a key, or empty when it is not set.
  std::string_view Get(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  bool Remove(std::string_view key);

  void Clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const EventField* begin() const { return fields_.data(); }
  const EventField* end() const { return fields_.data() + size_; }

 private:
  EventField* FindMutable(std::string_view key);
  // A field slot for `key`, according to `on_existing`; nullptr when the key is kept as it is.
  Result<EventField*> Slot(std::string_view key, OnExisting on_existing);

  std::vector<EventField> fields_;  // the first size_ are in use; the rest keep their memory
  size_t size_ = 0;
  std::string scratch_;
};

// The IntelMQ JSON form of an event: one flat object with dotted keys, numbers and booleans
// as JSON literals, `extra.*` values as they were given. Keys in insertion order.
std::string ToIntelMqJson(const Event& event);
void AppendIntelMqJson(const Event& event, std::string* out);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_EVENT_H_
