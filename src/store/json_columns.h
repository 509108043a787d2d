#ifndef BAKEN_STORE_JSON_COLUMNS_H_
#define BAKEN_STORE_JSON_COLUMNS_H_

// Columns that keep a short list as JSON text (a partner's vendor names, a rotation's
// participants): written with nlohmann::json(list).dump(), read back here. Internal to src/store.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace baken::store {

// A list as its column's JSON text; text that is not UTF-8 (from outside) is replaced, not
// refused.
inline std::string TextListJson(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The texts of a JSON array column; anything else in it (it was written by us) is skipped.
inline std::vector<std::string> TextListColumn(const std::string& json) {
  std::vector<std::string> values;
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_array()) return values;
  for (const auto& value : parsed) {
    if (value.is_string()) values.push_back(value.get<std::string>());
  }
  return values;
}

}  // namespace baken::store

#endif  // BAKEN_STORE_JSON_COLUMNS_H_
