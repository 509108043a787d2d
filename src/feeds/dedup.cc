#include "feeds/dedup.h"

namespace baken::feeds {

namespace {

std::string_view FirstOf(const Event& event, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    const std::string_view value = event.Get(key);
    if (!value.empty()) return value;
  }
  return "-";
}

// Keeps the parts apart: a '|' inside a value cannot make two different events' keys equal.
void AppendPart(std::string* key, std::string_view part) {
  for (char c : part) {
    if (c == '|') {
      key->append("%7C");
    } else if (c == '%') {
      key->append("%25");
    } else {
      key->push_back(c);
    }
  }
}

}  // namespace

std::string DedupKey(std::string_view member, const Event& event) {
  const std::string_view problem =
      FirstOf(event, {"classification.identifier", "classification.type"});
  const std::string_view system =
      FirstOf(event, {"source.ip", "source.fqdn", "source.url", "source.network"});
  const std::string_view port = FirstOf(event, {"source.port"});
  const std::string_view time = event.Get("time.source");
  const std::string_view day = time.size() >= 10 ? time.substr(0, 10) : "undated";
  std::string key;
  key.reserve(member.size() + problem.size() + system.size() + port.size() + day.size() + 5);
  AppendPart(&key, member.empty() ? "-" : member);
  for (std::string_view part : {problem, system, port, day}) {
    key.push_back('|');
    AppendPart(&key, part);
  }
  return key;
}

}  // namespace baken::feeds
