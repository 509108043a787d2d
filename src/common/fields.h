#ifndef BAKEN_COMMON_FIELDS_H_
#define BAKEN_COMMON_FIELDS_H_

// Reading the fields of a request body (an incident, a page, a researcher's report) once, with
// every problem named in the reader's language: an unknown field, a value of the wrong kind, a text
// too long or with control characters, a choice not among the choices. `Done` refuses with all
// of them at once (common/problem.h Invalid).

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/problem.h"
#include "common/problem_codes.h"
#include "common/time.h"
#include "common/tlp.h"

namespace baken {

inline constexpr size_t kMaxMembersAtOnce = 500;
inline constexpr std::string_view kTlpChoices[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT",
                                                   "RED"};

inline bool OneOf(std::span<const std::string_view> choices, std::string_view value) {
  return std::find(choices.begin(), choices.end(), value) != choices.end();
}

// "a, b or c", for a message that names the choices.
inline std::string ChoicesText(std::span<const std::string_view> choices) {
  std::string text;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) text += i + 1 == choices.size() ? " or " : ", ";
    text += choices[i];
  }
  return text;
}

inline nlohmann::ordered_json OrNull(const std::optional<std::string>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}
inline nlohmann::ordered_json OrNull(const std::optional<int64_t>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

inline bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f;
  });
}

// A period's bound as a person gives it ("2026-01-01", midnight UTC, or a UTC time) in the form
// Baken stores times in, so that text order is time order; empty for none.
inline Result<std::string> PeriodBound(std::string_view name, std::string_view text) {
  if (text.empty()) return std::string();
  if (!IsValidDateOrUtcTimestamp(text)) {
    return InvalidInput(problems::field_date_invalid,
                        {{"field", std::string(name)}, {"value", std::string(text)}});
  }
  if (text.size() == 10) return std::string(text) + "T00:00:00Z";
  return std::string(text);
}

// The fields of a request body, read once with every problem named: an unknown field, a value
// of the wrong kind, a choice not among the choices. `Done` refuses with all of them.
class Fields {
 public:
  // `place` names where an object inside the body is ("indicators[3]"): its fields are then
  // named "indicators[3].value".
  Fields(const nlohmann::ordered_json& json, std::initializer_list<std::string_view> allowed,
         std::string place = {})
      : json_(json), place_(std::move(place)) {
    if (!json.is_object()) {
      problems_.push_back(
          Coded(ErrorCode::kInvalidArgument, problems::field_type,
                {{"field", place_.empty() ? "body" : place_}, {"kind", "a JSON object"}}));
      return;
    }
    for (const auto& [key, value] : json.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Problem(problems::field_unknown, {{"field", key}});
      }
    }
  }

  bool Has(std::string_view name) const { return json_.is_object() && json_.contains(name); }
  // Present with the value null: the field is to be cleared.
  bool IsNull(std::string_view name) const { return Has(name) && json_[name].is_null(); }

  // A text of at most `max` characters (bytes), trimmed of nothing: as the person wrote it.
  std::optional<std::string> Text(std::string_view name, size_t max, bool required = false) {
    if (!Has(name) || json_[name].is_null()) {
      if (required) Problem(problems::field_required, {{"field", std::string(name)}});
      return std::nullopt;
    }
    const nlohmann::ordered_json& value = json_[name];
    if (!value.is_string()) {
      Problem(problems::field_type, {{"field", std::string(name)}, {"kind", "text"}});
      return std::nullopt;
    }
    std::string text = value.get<std::string>();
    if (text.size() > max || HasControl(text)) {
      Problem(problems::field_too_long,
              {{"field", std::string(name)}, {"max", std::to_string(max)}});
      return std::nullopt;
    }
    if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
      Problem(problems::field_required, {{"field", std::string(name)}});
      return std::nullopt;
    }
    return text;
  }

  std::optional<std::string> Choice(std::string_view name,
                                    std::span<const std::string_view> choices,
                                    bool required = false) {
    auto text = Text(name, 100, required);
    if (!text) return std::nullopt;
    if (!OneOf(choices, *text)) {
      Problem(problems::field_choice_unknown,
              {{"field", std::string(name)}, {"value", *text}, {"choices", ChoicesText(choices)}});
      return std::nullopt;
    }
    return text;
  }

  std::optional<std::string> TlpLevel(std::string_view name) {
    auto text = Text(name, 100);
    if (!text) return std::nullopt;
    const auto level = ParseTlp(*text);
    if (!level) {
      Problem(
          problems::field_choice_unknown,
          {{"field", std::string(name)}, {"value", *text}, {"choices", ChoicesText(kTlpChoices)}});
      return std::nullopt;
    }
    return std::string(baken::Name(*level));
  }

  // A UTC time as Baken writes them ("2026-12-05T14:00:00Z"), one a clock can compute with.
  std::optional<std::string> Time(std::string_view name) {
    auto text = Text(name, 100);
    if (!text) return std::nullopt;
    if (text->size() != 20 || !ParseUtc(*text)) {
      Problem(problems::field_time_invalid, {{"field", std::string(name)}, {"value", *text}});
      return std::nullopt;
    }
    return text;
  }

  std::optional<bool> Flag(std::string_view name) {
    if (!Has(name) || json_[name].is_null()) return std::nullopt;
    if (!json_[name].is_boolean()) {
      Problem(problems::field_type, {{"field", std::string(name)}, {"kind", "true or false"}});
      return std::nullopt;
    }
    return json_[name].get<bool>();
  }

  std::optional<int64_t> Id(std::string_view name, bool required = false) {
    if (!Has(name) || json_[name].is_null()) {
      if (required) Problem(problems::field_required, {{"field", std::string(name)}});
      return std::nullopt;
    }
    if (!json_[name].is_number_integer() || json_[name].get<int64_t>() <= 0) {
      Problem(problems::field_type,
              {{"field", std::string(name)}, {"kind", "a positive whole number"}});
      return std::nullopt;
    }
    return json_[name].get<int64_t>();
  }

  // A list of texts (member codes).
  std::vector<std::string> TextList(std::string_view name) {
    std::vector<std::string> values;
    if (!Has(name) || json_[name].is_null()) return values;
    const nlohmann::ordered_json& list = json_[name];
    if (!list.is_array() || list.size() > kMaxMembersAtOnce) {
      Problem(problems::field_type,
              {{"field", std::string(name)},
               {"kind", fmt::format("a list of at most {} texts", kMaxMembersAtOnce)}});
      return values;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string() || list[i].get<std::string>().size() > 100) {
        Problem(problems::field_type,
                {{"field", fmt::format("{}[{}]", name, i)}, {"kind", "text"}});
        continue;
      }
      values.push_back(list[i].get<std::string>());
    }
    return values;
  }

  // A list of ids (events, warnings).
  std::vector<int64_t> IdList(std::string_view name) {
    std::vector<int64_t> values;
    if (!Has(name) || json_[name].is_null()) return values;
    const nlohmann::ordered_json& list = json_[name];
    if (!list.is_array() || list.size() > kMaxMembersAtOnce) {
      Problem(problems::field_type,
              {{"field", std::string(name)},
               {"kind", fmt::format("a list of at most {} ids", kMaxMembersAtOnce)}});
      return values;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_number_integer() || list[i].get<int64_t>() <= 0) {
        Problem(problems::field_type,
                {{"field", fmt::format("{}[{}]", name, i)}, {"kind", "a positive whole number"}});
        continue;
      }
      values.push_back(list[i].get<int64_t>());
    }
    return values;
  }

  void Problem(const ProblemCode& code, ProblemParams params) {
    if (!json_.is_object()) return;  // that the body is no object says it all
    if (!place_.empty()) {
      for (auto& [name, value] : params) {
        if (name == "field") value = place_ + "." + value;
      }
    }
    problems_.push_back(Coded(ErrorCode::kInvalidArgument, code, std::move(params)));
  }
  void Add(Error error) { problems_.push_back(std::move(error)); }

  Status Done() const {
    if (problems_.empty()) return {};
    return Invalid(problems_);
  }

 private:
  const nlohmann::ordered_json& json_;
  std::string place_;
  std::vector<Error> problems_;
};

}  // namespace baken

#endif  // BAKEN_COMMON_FIELDS_H_
