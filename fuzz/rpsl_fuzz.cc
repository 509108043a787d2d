// libFuzzer target: the RIPE database's dump text (disclosure/rpsl.h) and what Baken takes
// from its objects (disclosure/ripe_abuse.h). Whatever the bytes: objects within the reader's
// bounds, attribute names in lower case, ranges that begin no later than they end in one
// family, handles in upper case, mailboxes that are e-mail addresses, problems in UTF-8;
// never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "disclosure/ripe_abuse.h"
#include "disclosure/rpsl.h"
#include "net/email.h"

namespace {

using baken::disclosure::RpslObject;
using baken::disclosure::RpslReader;

bool IsHandle(std::string_view handle) {
  if (handle.empty()) return false;
  for (const char c : handle) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

void Check(const RpslObject& object) {
  if (object.attributes.empty() || object.attributes.size() > RpslReader::kMaxAttributes) {
    __builtin_trap();
  }
  for (const auto& attribute : object.attributes) {
    if (attribute.name.empty() || attribute.name.size() > RpslReader::kMaxNameBytes ||
        attribute.value.size() > RpslReader::kMaxValueBytes ||
        attribute.value.find('\n') != std::string::npos) {
      __builtin_trap();
    }
    for (const char c : attribute.name) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) __builtin_trap();
    }
  }
  const auto read = baken::disclosure::ReadRipeObject(object);
  if (!baken::IsValidUtf8(read.problem)) __builtin_trap();
  if (read.range) {
    if (read.range->first.family() != read.range->last.family() ||
        read.range->last < read.range->first || !baken::IsValidUtf8(read.range->object)) {
      __builtin_trap();
    }
    if (read.range->abuse_c && !IsHandle(*read.range->abuse_c)) __builtin_trap();
    if (read.range->org && !IsHandle(*read.range->org)) __builtin_trap();
  }
  if (read.role &&
      (!IsHandle(read.role->first) || !baken::net::IsValidEmailAddress(read.role->second))) {
    __builtin_trap();
  }
  if (read.organisation &&
      (!IsHandle(read.organisation->first) || !IsHandle(read.organisation->second))) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  RpslReader reader("fuzz");
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (auto object = reader.Line(line)) Check(*object);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  if (auto object = reader.Finish()) Check(*object);
  for (const auto& problem : reader.problems()) {
    if (!baken::IsValidUtf8(problem)) __builtin_trap();
  }
  return 0;
}
