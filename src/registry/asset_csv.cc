#include "registry/asset_csv.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/csv_reader.h"
#include "common/problem_codes.h"
#include "common/quote.h"
#include "common/text.h"
#include "registry/validation.h"

namespace baken::registry {

namespace {

// The columns by their API names, and the names a Dutch spreadsheet gives them (the portal's
// template uses the Dutch ones: Naam;Leverancier;Product;Versie;Belang;Aan internet;CPE;PURL).
struct ColumnName {
  std::string_view written;
  std::string_view column;
};
constexpr ColumnName kColumnNames[] = {
    {"name", "name"},
    {"vendor", "vendor"},
    {"product", "product"},
    {"version", "version"},
    {"cpe", "cpe"},
    {"purl", "purl"},
    {"criticality", "criticality"},
    {"internet_facing", "internet_facing"},
    {"naam", "name"},
    {"leverancier", "vendor"},
    {"versie", "version"},
    {"belang", "criticality"},
    {"kritiek", "criticality"},
    {"kritikaliteit", "criticality"},
    {"aan internet", "internet_facing"},
    {"internetgericht", "internet_facing"},
    {"bereikbaar vanaf internet", "internet_facing"},
};

std::optional<std::string_view> ColumnOf(std::string_view header) {
  const std::string name = AsciiLower(TrimBlanks(header));
  for (const auto& [written, column] : kColumnNames) {
    if (name == written) return column;
  }
  return std::nullopt;
}

// Dutch criticality words as the API's; anything else is left for the asset check to judge.
std::string CriticalityOf(std::string_view text) {
  const std::string value = AsciiLower(text);
  if (value == "laag") return "low";
  if (value == "gemiddeld" || value == "midden" || value == "normaal") return "medium";
  if (value == "hoog") return "high";
  if (value == "kritiek" || value == "kritisch" || value == "zeer hoog") return "critical";
  return value;
}

std::optional<bool> ParseYesNo(const std::string& text) {
  const std::string value = AsciiLower(text);
  if (value == "yes" || value == "ja" || value == "true" || value == "1" || value == "y" ||
      value == "j") {
    return true;
  }
  if (value == "no" || value == "nee" || value == "false" || value == "0" || value == "n" ||
      value.empty()) {
    return false;
  }
  return std::nullopt;
}

// Picks the separator from the header line: semicolons without commas mean ';'.
char DetectDelimiter(std::istream& input, std::string* header_line) {
  std::getline(input, *header_line);
  const bool semicolons = header_line->find(';') != std::string::npos;
  const bool commas = header_line->find(',') != std::string::npos;
  return semicolons && !commas ? ';' : ',';
}

}  // namespace

tl::expected<std::vector<Asset>, Problems> ParseAssetCsv(std::istream& input,
                                                         std::string_view source_name) {
  Problems problems;
  // Every problem names the file and line in its message, and carries the line for the portal.
  const auto add = [&](size_t line, Error error) {
    error.params.emplace_back("line", std::to_string(line));
    problems.push_back(At(fmt::format("{}: line {}", source_name, line), std::move(error)));
  };
  std::string header_line;
  const char delimiter = DetectDelimiter(input, &header_line);
  std::istringstream header_stream(header_line + "\n");
  CsvReader header_reader(header_stream, delimiter);
  CsvRecord header;
  if (!header_reader.Next(&header) || header.problem) {
    add(1, Coded(ErrorCode::kInvalidArgument, problems::csv_no_header));
    return tl::unexpected(problems);
  }
  std::map<std::string, size_t> column_of;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::optional<std::string_view> column = ColumnOf(header.fields[i]);
    if (!column) continue;
    if (!column_of.emplace(std::string(*column), i).second) {
      add(1, Coded(ErrorCode::kInvalidArgument, problems::csv_column_twice,
                   {{"column", std::string(TrimBlanks(header.fields[i]))}}));
    }
  }
  for (std::string_view required : {"name", "vendor", "product"}) {
    if (!column_of.contains(std::string(required))) {
      add(1, Coded(ErrorCode::kInvalidArgument, problems::csv_column_missing,
                   {{"column", std::string(required)}}));
    }
  }
  if (!problems.empty()) return tl::unexpected(problems);

  std::vector<Asset> assets;
  std::set<std::string> names;
  CsvReader reader(input, delimiter);
  CsvRecord record;
  while (reader.Next(&record)) {
    const size_t line = record.line + 1;  // the header line was read separately
    if (record.problem) {
      add(line, Error{ErrorCode::kInvalidArgument, *record.problem});
      continue;
    }
    Json object = Json::object();
    bool row_ok = true;
    for (const auto& [column, index] : column_of) {
      const std::string value =
          index < record.fields.size() ? std::string(TrimBlanks(record.fields[index])) : "";
      if (!IsValidUtf8(value)) {
        add(line,
            Coded(ErrorCode::kInvalidArgument, problems::field_not_utf8, {{"field", column}}));
        row_ok = false;
        continue;
      }
      if (column == "internet_facing") {
        if (auto flag = ParseYesNo(value)) {
          object[column] = *flag;
        } else {
          add(line, Coded(ErrorCode::kInvalidArgument, problems::asset_internet_facing_invalid,
                          {{"value", value}}));
          row_ok = false;
        }
      } else if (column == "criticality") {
        if (!value.empty()) object[column] = CriticalityOf(value);
      } else if (!value.empty()) {
        object[column] = value;
      }
    }
    if (!row_ok) continue;
    auto asset = AssetFromJson(object, "");
    if (!asset) {
      for (Error& error : asset.error()) add(line, std::move(error));
      continue;
    }
    if (!names.insert(asset->name).second) {
      add(line,
          Coded(ErrorCode::kInvalidArgument, problems::asset_name_twice, {{"value", asset->name}}));
      continue;
    }
    assets.push_back(std::move(*asset));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return assets;
}

}  // namespace baken::registry
