#include "registry/asset_csv.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/csv_reader.h"
#include "common/text.h"
#include "net/quote.h"
#include "registry/validation.h"

namespace baken::registry {

namespace {

constexpr std::string_view kColumns[] = {"name", "vendor", "product",     "version",
                                         "cpe",  "purl",   "criticality", "internet_facing"};

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
  std::string header_line;
  const char delimiter = DetectDelimiter(input, &header_line);
  std::istringstream header_stream(header_line + "\n");
  CsvReader header_reader(header_stream, delimiter);
  CsvRecord header;
  if (!header_reader.Next(&header) || header.problem) {
    problems.push_back(
        fmt::format("{}: line 1: expected a header line naming the columns "
                    "(name, vendor, product, version, ...)",
                    source_name));
    return tl::unexpected(problems);
  }
  std::map<std::string, size_t> column_of;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = AsciiLower(TrimBlanks(header.fields[i]));
    if (std::find(std::begin(kColumns), std::end(kColumns), name) == std::end(kColumns)) continue;
    if (!column_of.emplace(name, i).second) {
      problems.push_back(fmt::format("{}: line 1: column {} appears more than once", source_name,
                                     net::Quote(name)));
    }
  }
  for (std::string_view required : {"name", "vendor", "product"}) {
    if (!column_of.contains(std::string(required))) {
      problems.push_back(
          fmt::format("{}: line 1: the required column '{}' is missing", source_name, required));
    }
  }
  if (!problems.empty()) return tl::unexpected(problems);

  std::vector<Asset> assets;
  std::set<std::string> names;
  CsvReader reader(input, delimiter);
  CsvRecord record;
  while (reader.Next(&record)) {
    const size_t line = record.line + 1;  // the header line was read separately
    const std::string where = fmt::format("{}: line {}", source_name, line);
    if (record.problem) {
      problems.push_back(fmt::format("{}: {}", where, *record.problem));
      continue;
    }
    Json object = Json::object();
    bool row_ok = true;
    for (const auto& [column, index] : column_of) {
      const std::string value =
          index < record.fields.size() ? std::string(TrimBlanks(record.fields[index])) : "";
      if (!IsValidUtf8(value)) {
        problems.push_back(fmt::format("{}: {} is not valid UTF-8", where, column));
        row_ok = false;
        continue;
      }
      if (column == "internet_facing") {
        if (auto flag = ParseYesNo(value)) {
          object[column] = *flag;
        } else {
          problems.push_back(
              fmt::format("{}: internet_facing {} is not yes or no", where, net::Quote(value)));
          row_ok = false;
        }
      } else if (column == "criticality") {
        if (!value.empty()) object[column] = AsciiLower(value);
      } else if (!value.empty()) {
        object[column] = value;
      }
    }
    if (!row_ok) continue;
    auto asset = AssetFromJson(object, where);
    if (!asset) {
      problems.insert(problems.end(), asset.error().begin(), asset.error().end());
      continue;
    }
    if (!names.insert(asset->name).second) {
      problems.push_back(
          fmt::format("{}: asset name {} is listed twice", where, net::Quote(asset->name)));
      continue;
    }
    assets.push_back(std::move(*asset));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return assets;
}

}  // namespace baken::registry
