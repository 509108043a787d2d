#include "feeds/dedup.h"

namespace baken::feeds {

namespace {

std::string_view FirstOf(const Event& event, std::initializer_list<const FieldSpec*> fields) {
  for (const FieldSpec* field : fields) {
    const std::string_view value = event.Get(*field);
    if (!value.empty()) return value;
  }
  return "-";
}

// The fields a key is made of, resolved once: every event's key is built.
struct KeyFields {
  const FieldSpec& identifier = KnownField("classification.identifier");
  const FieldSpec& type = KnownField("classification.type");
  const FieldSpec& ip = KnownField("source.ip");
  const FieldSpec& fqdn = KnownField("source.fqdn");
  const FieldSpec& url = KnownField("source.url");
  const FieldSpec& network = KnownField("source.network");
  const FieldSpec& port = KnownField("source.port");
  const FieldSpec& time = KnownField("time.source");
};

// Keeps the parts apart: a '|' inside a value cannot make two different events' keys equal.
void AppendPart(std::string* key, std::string_view part) {
  size_t plain_from = 0;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '|' && part[i] != '%') continue;
    key->append(part.substr(plain_from, i - plain_from));
    key->append(part[i] == '|' ? "%7C" : "%25");
    plain_from = i + 1;
  }
  key->append(part.substr(plain_from));
}

}  // namespace

std::string DedupKey(std::string_view member, const Event& event) {
  std::string key;
  DedupKeyInto(member, event, &key);
  return key;
}

void DedupKeyInto(std::string_view member, const Event& event, std::string* key) {
  static const KeyFields kFields;
  const std::string_view problem = FirstOf(event, {&kFields.identifier, &kFields.type});
  const std::string_view system =
      FirstOf(event, {&kFields.ip, &kFields.fqdn, &kFields.url, &kFields.network});
  const std::string_view port = FirstOf(event, {&kFields.port});
  const std::string_view time = event.Get(kFields.time);
  const std::string_view day = time.size() >= 10 ? time.substr(0, 10) : "undated";
  key->clear();
  key->reserve(member.size() + problem.size() + system.size() + port.size() + day.size() + 5);
  AppendPart(key, member.empty() ? "-" : member);
  for (std::string_view part : {problem, system, port, day}) {
    key->push_back('|');
    AppendPart(key, part);
  }
}

}  // namespace baken::feeds
