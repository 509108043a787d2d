#ifndef BAKEN_FEEDS_EVENT_H_
#define BAKEN_FEEDS_EVENT_H_

// One event: what a feed says about one system, as IntelMQ harmonization fields
// (feeds/harmonization.h) in the order they were added. Every value is sanitised and
// validated when it is added, so an Event never holds a value that IntelMQ would refuse.
//
// Events are built a million times a second, so they are cheap to refill: a parser keeps one
// Event and calls Clear() per row, which keeps all memory. Values the event changed (sanitised
// fields) live in its own storage; values a parser hands over unchanged (an `extra.*` column,
// a constant) may be borrowed with AddBorrowed instead of copied, for as long as the parser
// keeps them, which is until the event is cleared. Copying an Event copies everything, so a
// copy never borrows.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "feeds/harmonization.h"

namespace baken::feeds {

struct EventField {
  std::string_view key;
  std::string_view value;  // normalised text; a JSON literal for numbers, booleans and kJson
  ValueKind kind = ValueKind::kString;
  const FieldSpec* spec = nullptr;  // the harmonization field; nullptr for `extra.*`
};

// What Add does when the key is already set. kAppend skips the check, for parsers that know
// their keys are distinct (it is what makes a 30-column row cheap).
enum class OnExisting { kFail, kKeep, kReplace, kAppend };

class Event {
 public:
  Event() = default;
  Event(const Event& other) { CopyFrom(other); }
  Event& operator=(const Event& other) {
    if (this != &other) {
      Clear();
      CopyFrom(other);
    }
    return *this;
  }
  // Moving keeps the storage's elements where they are, so views stay valid; the event moved
  // from is left empty.
  Event(Event&& other) noexcept
      : fields_(std::move(other.fields_)),
        size_(std::exchange(other.size_, 0)),
        storage_(std::move(other.storage_)),
        storage_used_(std::exchange(other.storage_used_, 0)),
        position_(std::exchange(other.position_, {})) {}
  Event& operator=(Event&& other) noexcept {
    if (this == &other) return *this;
    fields_ = std::move(other.fields_);
    size_ = std::exchange(other.size_, 0);
    storage_ = std::move(other.storage_);
    storage_used_ = std::exchange(other.storage_used_, 0);
    position_ = std::exchange(other.position_, {});
    return *this;
  }

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
  Status Add(const FieldSpec& spec, std::string_view value, OnExisting on_existing);
  Status AddExtra(std::string_view key, std::string_view value, OnExisting on_existing);
  // Adds a field that needs no checking (an `extra.*` value kept as it came, or a constant
  // sanitised once per file) without copying: `key` and `value` must stay valid and unchanged
  // until the event is cleared. An ignored value ("", "-", "N/A") adds nothing for kString.
  void AddBorrowed(std::string_view key, std::string_view value, ValueKind kind,
                   OnExisting on_existing);
  // The same for a field of another event (a parser's constant fields), kept as it is there,
  // or one a parser put together (`spec` is SpecOf(key)). Inline: a parser calls it for most
  // columns of every row.
  void AddBorrowed(const EventField& field, OnExisting on_existing) {
    if (field.kind == ValueKind::kString && IsIgnoredValue(field.value)) return;
    EventField* slot = nullptr;
    if (on_existing == OnExisting::kAppend) {
      slot = AppendSlot(field.key, field.spec);
    } else if (auto found = Slot(field.key, field.spec, on_existing); found && *found != nullptr) {
      slot = *found;
    } else {
      return;
    }
    slot->value = field.value;
    slot->kind = field.kind;
  }

  // Adds a value that Sanitize(spec, ...) produced earlier, without copying: a parser that
  // remembers a column's last value sanitises it once for all the rows that repeat it. Unlike
  // AddBorrowed it does not skip ignored values: the caller checked the value before it was
  // sanitised, as Add does. `sanitized` must stay valid until the event is cleared.
  Status AddSanitized(const FieldSpec& spec, std::string_view sanitized, OnExisting on_existing) {
    EventField* slot = nullptr;
    if (on_existing == OnExisting::kAppend) {
      slot = AppendSlot(spec.name, &spec);
    } else {
      auto found = Slot(spec.name, &spec, on_existing);
      if (!found) return tl::unexpected(found.error());
      if (*found == nullptr) return {};
      slot = *found;
    }
    slot->value = sanitized;
    slot->kind = KindOf(spec.type);
    return {};
  }
  const EventField* Find(std::string_view key) const;
  // The value of a key, or empty when it is not set.
  std::string_view Get(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // The same by spec (one of the table's: FindField, KnownField), with no look-up of the name.
  const EventField* Find(const FieldSpec& spec) const {
    const uint32_t position = position_[FieldIndex(spec)];
    return position != 0 ? &fields_[position - 1] : nullptr;
  }
  std::string_view Get(const FieldSpec& spec) const {
    const EventField* field = Find(spec);
    return field ? field->value : std::string_view();
  }
  bool Has(const FieldSpec& spec) const { return Find(spec) != nullptr; }
  bool Remove(std::string_view key);

  void Clear() {
    for (size_t i = 0; i < size_; ++i) {
      Place(fields_[i].spec, 0);
    }
    size_ = 0;
    storage_used_ = 0;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const EventField* begin() const { return fields_.data(); }
  const EventField* end() const { return fields_.data() + size_; }

 private:
  void CopyFrom(const Event& other);
  EventField* FindMutable(std::string_view key);
  EventField* FindMutable(const FieldSpec& spec) {
    return const_cast<EventField*>(std::as_const(*this).Find(spec));
  }
  // A new field at the end, for a key the event does not have yet; sets the key and the spec.
  EventField* AppendSlot(std::string_view key, const FieldSpec* spec) {
    if (size_ == fields_.size()) fields_.emplace_back();
    EventField* field = &fields_[size_++];
    field->key = key;
    field->spec = spec;
    Place(spec, size_);
    return field;
  }
  // A field slot for `key` (whose spec is `spec`, nullptr for `extra.*`), according to
  // `on_existing`; nullptr when the key is kept as it is. Sets the key and the spec.
  Result<EventField*> Slot(std::string_view key, const FieldSpec* spec, OnExisting on_existing);
  // Records that the field of `spec` is at `place` in fields_ + 1 (0: the event no longer has
  // it); nothing for `extra.*` (nullptr).
  void Place(const FieldSpec* spec, size_t place) {
    if (spec != nullptr) position_[FieldIndex(*spec)] = static_cast<uint32_t>(place);
  }
  // The spec of a key that is not `extra.*`; nullptr for `extra.*` and unknown keys.
  static const FieldSpec* SpecOf(std::string_view key);
  // A string of the event's own storage, to write a value into; stable until Clear().
  std::string& NewStorage();
  void DropLastStorage() { --storage_used_; }
  std::string_view Own(std::string_view text) {
    std::string& stored = NewStorage();
    stored.assign(text);
    return stored;
  }

  std::vector<EventField> fields_;  // the first size_ are in use
  size_t size_ = 0;
  // Each string on its own, so that adding storage never moves the strings that views point
  // into (a vector of pointers: a deque's indexing cost more than the rest of NewStorage).
  std::vector<std::unique_ptr<std::string>> storage_;
  size_t storage_used_ = 0;
  // Where each harmonization field is, by FieldIndex: its place in fields_ + 1, 0 when the
  // event does not have it. Ingest asks a dozen fields of every event; a search through
  // thirty-odd fields each time was a tenth of its work.
  std::array<uint32_t, kFieldCount> position_{};
};

// The IntelMQ JSON form of an event: one flat object with dotted keys, numbers and booleans
// as JSON literals, `extra.*` values as they were given (invalid UTF-8 replaced). Keys in
// insertion order.
std::string ToIntelMqJson(const Event& event);
void AppendIntelMqJson(const Event& event, std::string* out);

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_EVENT_H_
