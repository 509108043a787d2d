#include "intel/list_reader.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/json_text.h"
#include "common/text.h"
#include "common/tlp.h"

namespace baken::intel {

namespace {

constexpr size_t kMaxProblems = 100;

}  // namespace

std::optional<std::string> KindOfValue(std::string_view value) {
  const auto fits = [&](std::string_view kind) { return CanonicalValue(kind, value).has_value(); };
  if (value.find("://") != std::string_view::npos) {
    return fits("url") ? std::optional<std::string>("url") : std::nullopt;
  }
  if (value.find('/') != std::string_view::npos) {
    return fits("cidr") ? std::optional<std::string>("cidr") : std::nullopt;
  }
  if (value.find('@') != std::string_view::npos) {
    return fits("email") ? std::optional<std::string>("email") : std::nullopt;
  }
  if (IsHexDigits(value)) {
    if (value.size() == 32) return "md5";
    if (value.size() == 40) return "sha1";
    if (value.size() == 64) return "sha256";
  }
  for (std::string_view kind : {"ip", "cve"}) {
    if (fits(kind)) return std::string(kind);
  }
  if ((value.starts_with("AS") || value.starts_with("as")) && fits("asn")) return "asn";
  // A single word is more likely a stray word than a top-level domain on a block list.
  if (value.find('.') != std::string_view::npos && fits("domain")) return "domain";
  return std::nullopt;
}

Result<IntelEvent> ReadIndicatorList(std::string_view text, std::string_view title,
                                     std::string_view tlp) {
  if (text.size() > kMaxListBytes) {
    return InvalidArgument(fmt::format("larger than {} MiB", kMaxListBytes >> 20));
  }
  const auto level = ParseTlp(tlp);
  if (!level) return InvalidArgument(fmt::format("'{}' is not a TLP level", tlp.substr(0, 40)));
  if (text.find('\0') != std::string_view::npos) {
    return InvalidArgument("not a text file (it holds NUL bytes)");
  }
  IntelEvent event;
  event.title = std::string(title);
  event.tlp = std::string(Name(*level));
  event.tlp_given = true;
  event.distribution = std::string(kAllMembers);
  size_t skipped = 0;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    line = TrimBlanks(line);
    if (!line.empty() && line.back() == '\r') line = TrimBlanks(line.substr(0, line.size() - 1));
    if (line.empty() || line.starts_with('#') || line.starts_with(';') || line.starts_with("//")) {
      continue;
    }
    const auto say = [&](std::string what) {
      ++skipped;
      if (event.problems.size() < kMaxProblems) {
        event.problems.push_back(fmt::format("line {}: {}", line_number, what));
      }
    };
    if (line.size() > kMaxListLine) {
      say(fmt::format("longer than {} bytes: left out", kMaxListLine));
      continue;
    }
    const size_t split = line.find_first_of("\t ,;");
    const std::string_view value = line.substr(0, split);
    const std::string_view comment =
        split == std::string_view::npos ? std::string_view() : TrimBlanks(line.substr(split + 1));
    const auto kind = KindOfValue(value);
    if (!kind) {
      say(
          fmt::format("'{}' is no address, network, URL, e-mail address, hash, CVE id, AS number "
                      "or domain name: left out",
                      RepairUtf8(value.substr(0, 100))));
      continue;
    }
    Indicator indicator;
    indicator.kind = *kind;
    indicator.value = *CanonicalValue(*kind, value);
    indicator.tlp = event.tlp;
    indicator.for_detection = true;
    indicator.comment = RepairUtf8(comment);
    indicator.source_type = "line";
    event.indicators.push_back(std::move(indicator));
  }
  if (skipped > event.problems.size()) {
    event.problems.push_back(
        fmt::format("{} more lines left out", skipped - event.problems.size()));
  }
  return event;
}

}  // namespace baken::intel
