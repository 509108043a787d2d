#include "feeds/intelmq_json.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/line_reader.h"
#include "common/quote.h"

namespace baken::feeds {

namespace {

using json = nlohmann::ordered_json;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Status AddExtra(Event& event, const std::string& key, const json& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return event.Add(key, value.get<std::string>());
  return event.AddExtraJson(key, Dump(value));
}

}  // namespace

Status ParseIntelMqLine(std::string_view line, Event& event) {
  event.Clear();
  auto parsed = ParseJson<json>(line);
  if (!parsed) {
    return InvalidArgument(fmt::format("the line is not valid JSON: {}", parsed.error().message));
  }
  const json& object = *parsed;
  if (!object.is_object()) return InvalidArgument("the line is not a JSON object");
  for (const auto& [key, value] : object.items()) {
    if (key == "__type") {
      if (value != "Event") {
        return InvalidArgument(
            fmt::format("the message is a {}, not an Event",
                        Quote(value.is_string() ? value.get<std::string>() : Dump(value))));
      }
      continue;
    }
    if (key == "extra") {
      if (value.is_string()) {
        // IntelMQ also writes extra as JSON text.
        auto inner = ParseJson<json>(value.get<std::string>());
        if (!inner || !inner->is_object()) return InvalidArgument("extra is not a JSON object");
        for (const auto& [name, item] : inner->items()) {
          BAKEN_RETURN_IF_ERROR(AddExtra(event, "extra." + name, item));
        }
      } else if (value.is_object()) {
        for (const auto& [name, item] : value.items()) {
          BAKEN_RETURN_IF_ERROR(AddExtra(event, "extra." + name, item));
        }
      } else if (!value.is_null()) {
        return InvalidArgument("extra is not a JSON object");
      }
      continue;
    }
    if (key.starts_with("extra.")) {
      BAKEN_RETURN_IF_ERROR(AddExtra(event, key, value));
      continue;
    }
    if (value.is_null()) continue;
    if (value.is_string()) {
      BAKEN_RETURN_IF_ERROR(event.Add(key, value.get<std::string>()));
    } else if (value.is_boolean()) {
      BAKEN_RETURN_IF_ERROR(event.Add(key, value.get<bool>() ? "true" : "false"));
    } else {
      BAKEN_RETURN_IF_ERROR(event.Add(key, Dump(value)));
    }
  }
  return {};
}

void ParseIntelMqJsonLines(ByteSource& input, const ParseContext& context, ParseSink& sink) {
  LineReader reader(input);
  std::string line;
  size_t number = 0;
  bool too_long = false;
  Event event;
  while (reader.Next(&line, &number, &too_long)) {
    if (too_long) {
      sink.OnReject(number, "the line is longer than 1 MiB");
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (const Status status = ParseIntelMqLine(line, event); !status) {
      sink.OnRejectError(number, status.error());
      continue;
    }
    if (!event.Has("time.observation"))
      (void)event.Add("time.observation", context.observation_time);
    if (!event.Has("classification.taxonomy") && event.Has("classification.type")) {
      (void)event.Add("classification.taxonomy", TaxonomyOfType(event.Get("classification.type")));
    }
    sink.OnEvent(event, number);
  }
}

}  // namespace baken::feeds
