#include "intel/misp_feed.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/text.h"
#include "common/time.h"

namespace baken::intel {

namespace {}  // namespace

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
      return false;
    }
  }
  return true;
}

Result<MispManifest> ReadMispManifest(std::string_view json_text) {
  if (json_text.size() > kMaxManifestBytes) {
    return InvalidArgument(fmt::format("larger than {} MiB", kMaxManifestBytes >> 20));
  }
  // One key per event: a large feed has hundreds of thousands. nlohmann::json keeps its keys in
  // a map, so many keys cost no more than their number.
  JsonLimits limits;
  limits.max_object_keys = 10'000'000;
  BAKEN_ASSIGN_OR_RETURN(const nlohmann::json manifest,
                         ParseJson<nlohmann::json>(json_text, limits));
  if (!manifest.is_object()) return InvalidArgument("not a MISP feed manifest (a JSON object)");
  MispManifest result;
  for (const auto& [key, entry] : manifest.items()) {
    if (!IsUuid(key)) {
      result.problems.push_back(
          fmt::format("'{}': not an event uuid: left out", key.substr(0, 60)));
      continue;
    }
    ManifestEntry read;
    read.uuid = AsciiLower(key);
    if (entry.is_object()) {
      if (entry.contains("info") && entry["info"].is_string()) read.info = entry["info"];
      if (entry.contains("date") && entry["date"].is_string() &&
          IsValidDate(entry["date"].get<std::string>())) {
        read.date = entry["date"];
      }
      if (entry.contains("timestamp")) {
        const nlohmann::json& timestamp = entry["timestamp"];
        if (timestamp.is_number_integer()) {
          read.timestamp = timestamp.get<int64_t>();
        } else if (timestamp.is_string()) {
          read.timestamp = ParseInt64(timestamp.get<std::string>()).value_or(0);
        }
      }
    }
    if (read.timestamp <= 0) {
      result.problems.push_back(fmt::format("{}: no timestamp: left out", read.uuid));
      continue;
    }
    result.entries.push_back(std::move(read));
  }
  return result;
}

MispHashes ReadMispHashes(std::string_view csv_text) {
  MispHashes result;
  size_t line_number = 0;
  while (!csv_text.empty()) {
    ++line_number;
    const size_t end = csv_text.find('\n');
    std::string_view line = csv_text.substr(0, end);
    csv_text.remove_prefix(end == std::string_view::npos ? csv_text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = TrimBlanks(line);
    if (line.empty()) continue;
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos) {
      result.problems.push_back(fmt::format("line {}: not two fields", line_number));
      continue;
    }
    std::string_view first = TrimBlanks(line.substr(0, comma));
    std::string_view second = TrimBlanks(line.substr(comma + 1));
    if (IsUuid(first) && second.size() == 32 && IsHexDigits(second)) std::swap(first, second);
    if (first.size() != 32 || !IsHexDigits(first) || !IsUuid(second)) {
      result.problems.push_back(
          fmt::format("line {}: not an MD5 hash and an event uuid", line_number));
      continue;
    }
    result.hashes.push_back(FeedHash{AsciiLower(first), AsciiLower(second)});
  }
  return result;
}

}  // namespace baken::intel
