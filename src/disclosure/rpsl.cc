#include "disclosure/rpsl.h"

#include <fmt/format.h>

#include "common/text.h"

namespace baken::disclosure {

namespace {

constexpr size_t kMaxProblems = 20;

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// The value without its end-of-line comment and surrounding blanks.
std::string_view ValueOf(std::string_view text) {
  if (const size_t hash = text.find('#'); hash != std::string_view::npos) {
    text = text.substr(0, hash);
  }
  return TrimBlanks(text);
}

}  // namespace

std::optional<std::string_view> RpslObject::First(std::string_view name) const {
  for (const RpslAttribute& attribute : attributes) {
    if (attribute.name == name) return std::string_view(attribute.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> RpslObject::All(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const RpslAttribute& attribute : attributes) {
    if (attribute.name == name) values.emplace_back(attribute.value);
  }
  return values;
}

void RpslReader::Broken(std::string_view why) {
  if (broken_) return;
  broken_ = true;
  if (problems_.size() < kMaxProblems) {
    problems_.push_back(fmt::format("{}:{}: {}", source_, line_number_, why));
  }
}

std::optional<RpslObject> RpslReader::EndObject() {
  std::optional<RpslObject> finished;
  if (broken_) {
    ++dropped_;
  } else if (!current_.attributes.empty()) {
    finished = std::move(current_);
  }
  current_ = RpslObject();
  current_bytes_ = 0;
  broken_ = false;
  return finished;
}

std::optional<RpslObject> RpslReader::Line(std::string_view line) {
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (TrimBlanks(line).empty()) return EndObject();
  if (line.front() == '#' || line.front() == '%') return std::nullopt;  // a comment line
  if (broken_) return std::nullopt;
  if (line.front() == ' ' || line.front() == '\t' || line.front() == '+') {
    if (current_.attributes.empty()) {
      Broken("a continuation line without an attribute before it");
      return std::nullopt;
    }
    std::string& value = current_.attributes.back().value;
    const std::string_view more = ValueOf(line.substr(1));
    if (value.size() + 1 + more.size() > kMaxValueBytes) {
      Broken(fmt::format("a value longer than {} bytes", kMaxValueBytes));
      return std::nullopt;
    }
    if (current_bytes_ + 1 + more.size() > kMaxObjectBytes) {
      Broken(fmt::format("an object larger than {} bytes", kMaxObjectBytes));
      return std::nullopt;
    }
    if (!more.empty()) {
      if (!value.empty()) value += ' ';
      value += more;
      current_bytes_ += 1 + more.size();
    }
    return std::nullopt;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    Broken("a line that is neither \"name: value\" nor a continuation");
    return std::nullopt;
  }
  const std::string_view name = line.substr(0, colon);
  if (name.size() > kMaxNameBytes) {
    Broken(fmt::format("an attribute name longer than {} bytes", kMaxNameBytes));
    return std::nullopt;
  }
  for (const char c : name) {
    if (!IsNameCharacter(c)) {
      Broken("an attribute name with a character other than a letter, digit or \"-\"");
      return std::nullopt;
    }
  }
  if (current_.attributes.size() >= kMaxAttributes) {
    Broken(fmt::format("more than {} attributes in one object", kMaxAttributes));
    return std::nullopt;
  }
  const std::string_view value = ValueOf(line.substr(colon + 1));
  if (value.size() > kMaxValueBytes) {
    Broken(fmt::format("a value longer than {} bytes", kMaxValueBytes));
    return std::nullopt;
  }
  if (current_bytes_ + name.size() + value.size() > kMaxObjectBytes) {
    Broken(fmt::format("an object larger than {} bytes", kMaxObjectBytes));
    return std::nullopt;
  }
  if (current_.attributes.empty()) current_.line = line_number_;
  current_bytes_ += name.size() + value.size();
  current_.attributes.push_back({AsciiLower(name), std::string(value)});
  return std::nullopt;
}

void RpslReader::RefuseLine(std::string_view why) {
  ++line_number_;
  Broken(why);
}

std::optional<RpslObject> RpslReader::Finish() { return EndObject(); }

}  // namespace baken::disclosure
