#include "feeds/mapped_csv.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/csv_reader.h"
#include "common/json_limits.h"
#include "common/quote.h"
#include "common/text.h"
#include "feeds/harmonization.h"

namespace baken::feeds {

namespace {}  // namespace

Result<CsvMapping> ParseCsvMapping(std::string_view json_text, std::string_view source) {
  const auto fail = [&](std::string_view problem) {
    return InvalidArgument(fmt::format("{}: {}", source, problem));
  };
  auto parsed = ParseJson<nlohmann::ordered_json>(json_text);
  if (!parsed) return fail(fmt::format("is not valid JSON: {}", parsed.error().message));
  const nlohmann::ordered_json& document = *parsed;
  if (!document.is_object()) return fail("is not a JSON object");
  CsvMapping mapping;
  const nlohmann::ordered_json feed = document.value("feed", nlohmann::ordered_json::object());
  if (!feed.is_object() || !feed.value("name", nlohmann::ordered_json()).is_string()) {
    return fail("needs \"feed\": {\"name\": \"...\"} naming the feed");
  }
  mapping.feed_name = feed["name"].get<std::string>();
  if (feed.contains("provider") && feed["provider"].is_string()) {
    mapping.feed_provider = feed["provider"].get<std::string>();
  }
  const auto read_pairs = [&](const char* section,
                              std::vector<std::pair<std::string, std::string>>* out) -> Status {
    const auto it = document.find(section);
    if (it == document.end()) return {};
    if (!it->is_object()) return fail(fmt::format("\"{}\" is not an object", section));
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) {
        return fail(fmt::format("\"{}\".{} is not a string", section, Quote(key)));
      }
      if (FindField(key) == nullptr && !IsExtraKey(key)) {
        return fail(
            fmt::format("\"{}\" names {}, which is not an IntelMQ field", section, Quote(key)));
      }
      out->emplace_back(key, value.get<std::string>());
    }
    return {};
  };
  BAKEN_RETURN_IF_ERROR(read_pairs("columns", &mapping.columns));
  BAKEN_RETURN_IF_ERROR(read_pairs("constants", &mapping.constants));
  if (mapping.columns.empty()) return fail("\"columns\" maps no column");
  bool has_source = false;
  for (const auto& [key, column] : mapping.columns) {
    has_source |= key == "source.ip" || key == "source.fqdn" || key == "source.url";
  }
  if (!has_source) return fail("\"columns\" must map source.ip, source.fqdn or source.url");
  // Constants must be valid values; check them once here rather than on every row.
  Event probe;
  for (const auto& [key, value] : mapping.constants) {
    if (const Status status = probe.Add(key, value); !status) {
      return fail("\"constants\": " + status.error().message);
    }
  }
  if (const auto it = document.find("delimiter"); it != document.end()) {
    if (!it->is_string() || it->get<std::string>().size() != 1) {
      return fail("\"delimiter\" must be one character, such as \",\" or \";\"");
    }
    mapping.delimiter = it->get<std::string>()[0];
  }
  return mapping;
}

Result<CsvMapping> LoadCsvMapping(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFound(fmt::format("{}: cannot open the mapping file", path));
  std::ostringstream text;
  text << file.rdbuf();
  return ParseCsvMapping(text.str(), path);
}

Status ParseMappedCsv(ByteSource& input, const CsvMapping& mapping, const ParseContext& context,
                      ParseSink& sink) {
  CsvReader reader(input, mapping.delimiter);
  CsvRecord record;
  if (!reader.Next(&record) || record.problem) {
    return InvalidArgument("the file has no header line naming the columns");
  }
  std::vector<std::string> header;
  for (const std::string_view name : record.fields) header.emplace_back(TrimBlanks(name));
  // Per column: the mapped key, or extra.<column> for columns the mapping does not name.
  std::vector<std::string> keys(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    if (!header[i].empty()) keys[i] = ExtraKeyForColumn(header[i]);
  }
  for (const auto& [key, column] : mapping.columns) {
    bool found = false;
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] != column) continue;
      keys[i] = key;
      found = true;
      break;
    }
    if (!found) {
      return InvalidArgument(
          fmt::format("the column {} named in the mapping for {} is missing", Quote(column), key));
    }
  }
  Event event;
  while (reader.Next(&record)) {
    if (record.problem) {
      sink.OnReject(record.line, *record.problem);
      continue;
    }
    if (record.fields.size() != header.size()) {
      sink.OnReject(
          record.line,
          fmt::format("the row has {} fields but the header has {}{}", record.fields.size(),
                      header.size(), record.unterminated ? " (the file seems cut off)" : ""));
      continue;
    }
    event.Clear();
    std::optional<Error> problem;
    for (size_t i = 0; i < header.size() && !problem; ++i) {
      if (keys[i].empty()) continue;
      if (const Status status = event.Add(keys[i], record.fields[i], OnExisting::kKeep); !status) {
        problem = InColumn(header[i], status.error());
      }
    }
    if (problem) {
      sink.OnRejectError(record.line, std::move(*problem));
      continue;
    }
    if (!event.Has("source.ip") && !event.Has("source.fqdn") && !event.Has("source.url")) {
      sink.OnReject(record.line, "the row names no system (no IP address, domain or URL)");
      continue;
    }
    for (const auto& [key, value] : mapping.constants) {
      (void)event.Add(key, value, OnExisting::kKeep);
    }
    (void)event.Add("feed.name", mapping.feed_name, OnExisting::kKeep);
    if (!mapping.feed_provider.empty()) {
      (void)event.Add("feed.provider", mapping.feed_provider, OnExisting::kKeep);
    }
    (void)event.Add("time.observation", context.observation_time, OnExisting::kKeep);
    if (!event.Has("classification.taxonomy") && event.Has("classification.type")) {
      (void)event.Add("classification.taxonomy", TaxonomyOfType(event.Get("classification.type")));
    }
    sink.OnEvent(event, record.line);
  }
  return {};
}

}  // namespace baken::feeds
