#include "intel/feed_matches.h"

#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "net/ip_address.h"

namespace baken::intel {

namespace {

using nlohmann::json;

// The top-level string fields of one IntelMQ event, read without building the document: the
// window may hold millions of events, and only their strings are compared. nlohmann's SAX
// parser does the JSON (escapes included); this keeps what it hands over.
class StringFields final : public nlohmann::json_sax<json> {
 public:
  std::vector<std::pair<std::string, std::string>> fields;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    if (depth_ == 1) fields.emplace_back(std::move(key_), std::move(value));
    return true;
  }
  bool start_object(std::size_t) override {
    ++depth_;
    return true;
  }
  bool key(string_t& value) override {
    if (depth_ == 1) key_ = std::move(value);
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;  // an event Baken wrote itself; a damaged one matches nothing
  }

 private:
  int depth_ = 0;
  std::string key_;
};

bool MatchedByValue(std::string_view kind) {
  return kind == "ip" || kind == "domain" || kind == "host" || kind == "url" || kind == "email" ||
         kind == "md5" || kind == "sha1" || kind == "sha256";
}

bool IsAddressField(std::string_view key) { return key.ends_with(".ip"); }

}  // namespace

Result<FeedMatches> MatchFeedEvents(store::Transaction& tx, const registry::Scope& scope,
                                    const std::vector<store::IndicatorRecord>& indicators,
                                    const FeedMatchQuery& query) {
  FeedMatches found;
  std::unordered_map<std::string, std::vector<int64_t>> by_value;
  std::vector<std::pair<net::Prefix, int64_t>> networks;
  for (const store::IndicatorRecord& indicator : indicators) {
    if (MatchedByValue(indicator.kind)) {
      by_value[AsciiLower(indicator.value)].push_back(indicator.id);
    } else if (indicator.kind == "cidr") {
      if (auto prefix = net::ParsePrefix(indicator.value)) {
        networks.emplace_back(*prefix, indicator.id);
      }
    }
  }
  if (by_value.empty() && networks.empty()) return found;

  store::EventQuery events;
  events.observed_since = query.since;
  const Status read = tx.Events().ForEach(scope, events, [&](const store::StoredEvent& event) {
    if (found.events_read >= query.max_events) {
      found.truncated = true;
      return false;
    }
    ++found.events_read;
    StringFields fields;
    json::sax_parse(event.record.data, &fields, json::input_format_t::json, false);
    std::set<int64_t> matched;  // each indicator once per event
    auto add = [&](int64_t indicator, const std::string& field) {
      if (!matched.insert(indicator).second) return;
      found.matches.push_back(FeedMatch{indicator, event.id, event.record.member,
                                        event.record.feed_name, event.record.classification_type,
                                        field, event.record.time_observation});
    };
    for (const auto& [key, value] : fields.fields) {
      if (const auto it = by_value.find(AsciiLower(value)); it != by_value.end()) {
        for (const int64_t indicator : it->second) add(indicator, key);
      }
      if (!networks.empty() && IsAddressField(key)) {
        if (const auto address = net::IpAddress::Parse(value)) {
          for (const auto& [network, indicator] : networks) {
            if (network.Contains(*address)) add(indicator, key);
          }
        }
      }
    }
    if (found.matches.size() >= query.max_matches) {
      found.truncated = true;
      return false;
    }
    return true;
  });
  if (!read) return tl::unexpected(read.error());
  return found;
}

}  // namespace baken::intel
