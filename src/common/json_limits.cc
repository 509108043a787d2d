#include "common/json_limits.h"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace baken {

namespace {

using Json = nlohmann::json;

// Counts depth and keys while nlohmann reads; returning false stops the read at once.
class LimitCheck final : public nlohmann::json_sax<Json> {
 public:
  explicit LimitCheck(const JsonLimits& limits) : limits_(limits) {}

  const std::string& problem() const { return problem_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override { return Open(); }
  bool key(string_t&) override {
    if (++keys_.back() > limits_.max_object_keys) {
      problem_ = fmt::format("an object has more than {} keys", limits_.max_object_keys);
      return false;
    }
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(); }
  bool end_array() override { return Close(); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    problem_ = fmt::format("{} (byte {})", Describe(error), position);
    return false;
  }

 private:
  bool Open() {
    if (keys_.size() >= limits_.max_depth) {
      problem_ = fmt::format("it nests deeper than {} levels", limits_.max_depth);
      return false;
    }
    // Arrays take a slot too, so that the stack's size is the depth; only objects count keys.
    keys_.push_back(0);
    return true;
  }
  bool Close() {
    keys_.pop_back();
    return true;
  }

  // nlohmann's message without its "[json.exception.parse_error.101] " prefix.
  static std::string Describe(const nlohmann::detail::exception& error) {
    std::string_view text = error.what();
    if (text.starts_with('[')) {
      const size_t end = text.find("] ");
      if (end != std::string_view::npos) text.remove_prefix(end + 2);
    }
    return std::string(text);
  }

  const JsonLimits& limits_;
  std::vector<size_t> keys_;  // keys seen in each open object or array
  std::string problem_;
};

}  // namespace

Status CheckJson(std::string_view text, const JsonLimits& limits) {
  LimitCheck check(limits);
  if (Json::sax_parse(text, &check)) return {};
  return InvalidArgument(check.problem().empty() ? std::string("not valid JSON") : check.problem());
}

}  // namespace baken
