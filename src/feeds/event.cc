#include "feeds/event.h"

#include <utility>

#include <fmt/format.h>

#include "common/json_text.h"
#include "common/quote.h"

namespace baken::feeds {

void Event::CopyFrom(const Event& other) {
  for (const EventField& field : other) {
    if (size_ == fields_.size()) fields_.emplace_back();
    EventField& copy = fields_[size_++];
    copy.key = field.spec != nullptr ? field.spec->name : Own(field.key);  // known names are static
    copy.value = Own(field.value);
    copy.kind = field.kind;
    copy.spec = field.spec;
    Place(copy.spec, size_);
  }
}

const FieldSpec* Event::SpecOf(std::string_view key) {
  return key.starts_with("extra.") ? nullptr : FindField(key);
}

std::string& Event::NewStorage() {
  if (storage_used_ == storage_.size()) storage_.push_back(std::make_unique<std::string>());
  return *storage_[storage_used_++];
}

EventField* Event::FindMutable(std::string_view key) {
  return const_cast<EventField*>(std::as_const(*this).Find(key));
}

const EventField* Event::Find(std::string_view key) const {
  if (key.empty()) return nullptr;  // no field has an empty key
  if (const FieldSpec* spec = SpecOf(key)) return Find(*spec);
  // Keys share long beginnings ("extra."): their length and last byte tell nearly all of them
  // apart without a call to compare the whole key.
  for (size_t i = 0; i < size_; ++i) {
    const std::string_view candidate = fields_[i].key;
    if (candidate.size() == key.size() && candidate.back() == key.back() && candidate == key) {
      return &fields_[i];
    }
  }
  return nullptr;
}

std::string_view Event::Get(std::string_view key) const {
  const EventField* field = Find(key);
  return field ? field->value : std::string_view();
}

bool Event::Remove(std::string_view key) {
  for (size_t i = 0; i < size_; ++i) {
    if (fields_[i].key != key) continue;
    Place(fields_[i].spec, 0);
    for (size_t k = i + 1; k < size_; ++k) {
      std::swap(fields_[k - 1], fields_[k]);
      Place(fields_[k - 1].spec, k);
    }
    --size_;
    return true;
  }
  return false;
}

Result<EventField*> Event::Slot(std::string_view key, const FieldSpec* spec,
                                OnExisting on_existing) {
  if (on_existing == OnExisting::kAppend) {
    // no check: the caller knows the key is not set
  } else if (EventField* existing = spec != nullptr ? FindMutable(*spec) : FindMutable(key)) {
    switch (on_existing) {
      case OnExisting::kKeep:
        return nullptr;
      case OnExisting::kReplace:
        return existing;
      case OnExisting::kFail:
      case OnExisting::kAppend:
        return InvalidArgument(fmt::format("the field {} is given twice", key));
    }
  }
  return AppendSlot(key, spec);
}

Status Event::Add(std::string_view key, std::string_view value, OnExisting on_existing) {
  if (const FieldSpec* spec = FindField(key)) return Add(*spec, value, on_existing);
  if (IsExtraKey(key)) return AddExtra(key, value, on_existing);
  if (IsIgnoredValue(value)) return {};
  return InvalidArgument(fmt::format("{} is not an IntelMQ field", Quote(key)));
}

Status Event::Add(const FieldSpec& spec, std::string_view value, OnExisting on_existing) {
  if (IsIgnoredValue(value)) return {};
  std::string& stored = NewStorage();
  if (const auto problem = Sanitize(spec, value, &stored)) {
    DropLastStorage();
    return tl::unexpected(ValueProblem(spec, value, *problem));
  }
  auto field = Slot(spec.name, &spec, on_existing);  // the spec's name is static: no copy
  if (!field || *field == nullptr) {
    DropLastStorage();
    if (!field) return tl::unexpected(field.error());
    return {};
  }
  (*field)->value = stored;
  (*field)->kind = KindOf(spec.type);
  return {};
}

Status Event::AddExtra(std::string_view key, std::string_view value, OnExisting on_existing) {
  if (IsIgnoredValue(value)) return {};
  BAKEN_ASSIGN_OR_RETURN(EventField * field, Slot(key, nullptr, on_existing));
  if (field == nullptr) return {};
  field->key = Own(key);
  // Extra values are kept as they came, only made valid UTF-8.
  field->value = IsValidUtf8(value) ? Own(value) : Own(RepairUtf8(value));
  field->kind = ValueKind::kString;
  return {};
}

void Event::AddBorrowed(std::string_view key, std::string_view value, ValueKind kind,
                        OnExisting on_existing) {
  AddBorrowed(EventField{key, value, kind, SpecOf(key)}, on_existing);
}

Status Event::AddExtraJson(std::string_view key, std::string_view json_text,
                           OnExisting on_existing) {
  if (!IsExtraKey(key)) {
    return InvalidArgument(fmt::format("{} is not an IntelMQ extra field", Quote(key)));
  }
  BAKEN_ASSIGN_OR_RETURN(EventField * field, Slot(key, nullptr, on_existing));
  if (field == nullptr) return {};
  field->key = Own(key);
  field->value = Own(json_text);
  field->kind = ValueKind::kJson;
  return {};
}

void AppendIntelMqJson(const Event& event, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const EventField& field : event) {
    AppendJsonMember(out, first, field.key, field.value, field.kind != ValueKind::kString);
    first = false;
  }
  out->push_back('}');
}

std::string ToIntelMqJson(const Event& event) {
  std::string out;
  AppendIntelMqJson(event, &out);
  return out;
}

}  // namespace baken::feeds
