#include "disclosure/xarf.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/json_limits.h"
#include "common/json_text.h"
#include "common/text.h"

namespace baken::disclosure {

namespace {

using Json = nlohmann::json;

constexpr size_t kMaxSources = 100;
constexpr size_t kMaxFactLength = 300;

// A value as it may be shown: valid UTF-8, one line, bounded.
std::string Shown(std::string_view value) {
  std::string shown = RepairUtf8(value.substr(0, kMaxFactLength));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return std::string(TrimBlanks(shown));
}

void AddFact(XarfReport& report, std::string_view name, std::string_view value) {
  const std::string shown = Shown(value);
  if (!shown.empty()) report.facts.push_back(fmt::format("{}: {}", name, shown));
}

void AddSource(XarfReport& report, std::string_view value) {
  std::string source = Shown(value);
  if (source.empty() || report.sources.size() >= kMaxSources) return;
  if (std::find(report.sources.begin(), report.sources.end(), source) == report.sources.end()) {
    report.sources.push_back(std::move(source));
  }
}

std::string Severity(std::string_view given) {
  const std::string lower = AsciiLower(TrimBlanks(given));
  if (lower == "critical" || lower == "high" || lower == "medium" || lower == "low") return lower;
  if (lower == "informational" || lower == "info") return "low";
  return {};
}

// A JSON value as text: strings as they are, numbers and booleans written out.
std::string TextOf(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return {};
}

std::string StringAt(const Json& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto found = object.find(std::string(key));
  return found == object.end() ? std::string() : TextOf(*found);
}

void AddEvidence(XarfReport& report, std::string media_type, std::string name,
                 std::string content) {
  if (content.empty()) return;
  report.evidence.push_back(
      mail::MailPart{AsciiLower(Shown(media_type)), Shown(name), std::move(content)});
}

XarfReport ReadVersion4(const Json& document) {
  XarfReport report;
  report.version = "4";
  report.category = Shown(StringAt(document, "category"));
  if (report.category.empty()) report.category = Shown(StringAt(document, "class"));
  report.type = Shown(StringAt(document, "type"));
  AddSource(report, StringAt(document, "source_identifier"));
  report.severity = Severity(StringAt(document, "severity"));
  if (report.severity.empty()) report.severity = Severity(StringAt(document, "risk_level"));
  if (document.contains("reporter")) {
    report.reporter_organisation = Shown(StringAt(document["reporter"], "org"));
    report.reporter_email = Shown(StringAt(document["reporter"], "contact"));
  }
  report.description = RepairUtf8(StringAt(document, "description").substr(0, 4000));
  for (const char* key : {"report_id", "timestamp", "cve_id", "service", "service_version",
                          "service_port", "source_port", "evidence_source", "remediation"}) {
    AddFact(report, key, StringAt(document, key));
  }
  if (document.contains("evidence") && document["evidence"].is_array()) {
    size_t index = 0;
    for (const Json& item : document["evidence"]) {
      ++index;
      auto payload = DecodeBase64(StringAt(item, "payload"));
      if (!payload) continue;
      AddEvidence(report, StringAt(item, "content_type"), fmt::format("evidence-{}", index),
                  std::move(*payload));
    }
  }
  return report;
}

XarfReport ReadVersion3(const Json& document) {
  XarfReport report;
  report.version = "3";
  const Json empty = Json::object();
  const Json& body =
      document.contains("Report") && document["Report"].is_object() ? document["Report"] : empty;
  report.category = Shown(StringAt(body, "ReportClass"));
  report.type = Shown(StringAt(body, "ReportType"));
  AddSource(report, StringAt(body, "SourceIp"));
  AddSource(report, StringAt(body, "SourceUrl"));
  if (body.contains("Source")) AddSource(report, StringAt(body["Source"], "IP"));
  report.severity = Severity(StringAt(body, "ReporterSeverity"));
  if (document.contains("ReporterInfo")) {
    const Json& reporter = document["ReporterInfo"];
    report.reporter_organisation = Shown(StringAt(reporter, "ReporterOrg"));
    report.reporter_email = Shown(StringAt(reporter, "ReporterOrgEmail"));
    if (report.reporter_email.empty()) {
      report.reporter_email = Shown(StringAt(reporter, "ReporterContactEmail"));
    }
  }
  report.description = RepairUtf8(StringAt(body, "ReporterNotes").substr(0, 4000));
  for (const char* key : {"ReporterCaseID", "Date", "ServiceName", "ServiceVersion", "SourcePort",
                          "TransportProtocol", "CVE"}) {
    AddFact(report, key, StringAt(body, key));
  }
  if (body.contains("Samples") && body["Samples"].is_array()) {
    size_t index = 0;
    for (const Json& sample : body["Samples"]) {
      ++index;
      std::string payload = StringAt(sample, "Payload");
      const auto encoded = sample.is_object() ? sample.find("Base64Encoded") : sample.end();
      if (encoded != sample.end() && encoded->is_boolean() && encoded->get<bool>()) {
        auto decoded = DecodeBase64(payload);
        if (!decoded) continue;
        payload = std::move(*decoded);
      }
      AddEvidence(report, StringAt(sample, "ContentType"), fmt::format("sample-{}", index),
                  std::move(payload));
    }
  }
  return report;
}

bool IsReportText(const mail::MailPart& part) {
  const std::string name = AsciiLower(part.file_name);
  return name == "report.txt" || name == "report.yaml" || name == "report.yml";
}

bool IsXarfJson(const mail::MailPart& part) {
  return AsciiLower(part.file_name) == "xarf.json" ||
         (part.media_type == "application/json" &&
          part.content.find("\"xarf_version\"") != std::string::npos);
}

}  // namespace

Result<XarfReport> ReadXarfLines(std::string_view report_txt) {
  XarfReport report;
  report.version = "0.2";
  std::string source_type;
  std::string source;
  bool any = false;
  size_t start = 0;
  while (start < report_txt.size()) {
    size_t end = report_txt.find('\n', start);
    if (end == std::string_view::npos) end = report_txt.size();
    std::string_view line = report_txt.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // A MIME boundary after the report (some senders leave no blank line before it).
    if (line.starts_with("--") && !line.starts_with("---")) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.starts_with("#")) continue;
    const std::string key = AsciiLower(TrimBlanks(line.substr(0, colon)));
    std::string_view value = TrimBlanks(line.substr(colon + 1));
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (value.starts_with("- ")) value.remove_prefix(2);  // "User-Agent: - X"
    any = true;
    if (key == "version") {
      report.version = Shown(value);
    } else if (key == "category") {
      report.category = Shown(value);
    } else if (key == "report-type") {
      report.type = Shown(value);
    } else if (key == "source") {
      source = Shown(value);
    } else if (key == "source-type") {
      source_type = AsciiLower(Shown(value));
    } else if (key == "reported-from") {
      report.reporter_email = Shown(value);
    } else if (key == "report-id" || key == "service" || key == "port" || key == "date" ||
               key == "source-port" || key == "user-agent") {
      AddFact(report, line.substr(0, colon), value);
    }
  }
  if (!any) return InvalidArgument("report.txt holds no \"Name: value\" line");
  if (source.empty()) return InvalidArgument("report.txt names no Source");
  AddSource(report, source);
  if (!source_type.empty()) AddFact(report, "Source-Type", source_type);
  return report;
}

Result<XarfReport> ReadXarfJson(std::string_view text) {
  auto document = ParseJson<Json>(text);
  if (!document) return InvalidArgument("xarf.json: " + document.error().message);
  if (!document->is_object()) return InvalidArgument("xarf.json is not a JSON object");
  if (document->contains("xarf_version")) {
    XarfReport report = ReadVersion4(*document);
    if (report.sources.empty()) return InvalidArgument("xarf.json has no source_identifier");
    return report;
  }
  if (StringAt(*document, "Version").starts_with("3")) {
    XarfReport report = ReadVersion3(*document);
    if (report.sources.empty()) return InvalidArgument("xarf.json has no Report.SourceIp");
    return report;
  }
  return InvalidArgument("xarf.json has neither xarf_version (v4) nor Version 3");
}

Result<std::optional<XarfReport>> ReadXarf(const mail::MailMessage& message) {
  for (const mail::MailPart& part : message.parts) {
    if (!IsXarfJson(part)) continue;
    auto report = ReadXarfJson(part.content);
    if (!report) return tl::unexpected(report.error());
    return std::optional<XarfReport>(std::move(*report));
  }
  const bool lines = message.headers.contains("x-xarf") || message.headers.contains("x-arf");
  if (!lines) return std::optional<XarfReport>();
  // report.txt by name; a sender that gives no name puts it second, after the text.
  const mail::MailPart* report_txt = nullptr;
  for (const mail::MailPart& part : message.parts) {
    if (IsReportText(part)) {
      report_txt = &part;
      break;
    }
  }
  if (report_txt == nullptr && !message.parts.empty() &&
      message.parts.front().media_type == "text/plain") {
    report_txt = &message.parts.front();
  }
  if (report_txt == nullptr) {
    return InvalidArgument("the message says it is X-ARF but has no report.txt part");
  }
  auto report = ReadXarfLines(report_txt->content);
  if (!report) return InvalidArgument("X-ARF " + report.error().message);
  for (const mail::MailPart& part : message.parts) {
    if (&part != report_txt) {
      AddEvidence(*report, part.media_type, part.file_name.empty() ? "evidence" : part.file_name,
                  part.content);
    }
  }
  return std::optional<XarfReport>(std::move(*report));
}

}  // namespace baken::disclosure
