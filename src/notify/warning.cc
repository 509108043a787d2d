#include "notify/warning.h"

#include <algorithm>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "common/csv_writer.h"
#include "common/quote.h"
#include "notify/labels.h"
#include "notify/mime.h"
#include "notify/render.h"

namespace baken::notify {

namespace {

using kainjow::mustache::data;

data List(const std::vector<std::string>& items) {
  data list{data::type::list};
  for (const std::string& item : items) {
    data entry;
    entry.set("text", CleanLine(item));
    list.push_back(entry);
  }
  return list;
}

std::string Csv(const std::vector<WarningRow>& rows) {
  std::string csv = "asset,outcome,risk,cves,remediation\r\n";
  for (const WarningRow& row : rows) {
    std::string cves;
    for (const std::string& cve : row.cves) cves += (cves.empty() ? "" : " ") + cve;
    std::string remediation;
    for (const std::string& line : row.remediations) {
      remediation += (remediation.empty() ? "" : " | ") + CleanLine(line);
    }
    for (const std::string* cell : {&row.asset, &row.outcome, &row.risk}) {
      csv += CsvCell(CleanLine(*cell)) + ",";
    }
    csv += CsvCell(cves) + "," + CsvCell(remediation) + "\r\n";
  }
  return csv;
}

}  // namespace

Result<RenderedMessage> RenderWarning(const Warning& warning) {
  static const auto templates = BuiltInTemplates("warning");
  const std::string language = warning.language == "en" ? "en" : "nl";
  const std::string* subject_template = detail::FindTemplate(templates, "subject." + language);
  const std::string* body_template = detail::FindTemplate(templates, "body." + language);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no warning templates for language {}", Quote(language)));
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string tlp, detail::CheckedTlp(CleanLine(warning.tlp)));
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(warning.message_id));
  if (warning.rows.empty()) {
    return InvalidArgument(
        fmt::format("the warning {} names no system", Quote(warning.message_id)));
  }
  if (warning.to.empty()) {
    return InvalidArgument(
        fmt::format("the warning {} has no recipients", Quote(warning.message_id)));
  }
  RenderedMessage message;
  message.attachment_name = fmt::format("baken-warning-{}-{}.csv",
                                        detail::SafeFileName(warning.member_code).substr(0, 16),
                                        detail::SafeFileName(warning.advisory_id).substr(0, 30));
  message.csv = Csv(warning.rows);

  data context;
  detail::SetTlp(context, tlp);
  context.set("member_code", CleanLine(warning.member_code));
  context.set("member_name", CleanLine(warning.member_name));
  context.set("advisory_id", CleanLine(warning.advisory_id));
  context.set("title", CleanLine(warning.title));
  context.set("description", CleanLine(warning.description));
  context.set("has_description", !warning.description.empty());
  context.set("revised", !warning.changes.empty());
  context.set("changes", List(warning.changes));
  const auto highest = std::max_element(
      warning.rows.begin(), warning.rows.end(), [](const WarningRow& a, const WarningRow& b) {
        const auto rank = [](const std::string& risk) {
          return risk == "Urgent" ? 3 : risk == "Hoog" ? 2 : risk == "Normaal" ? 1 : 0;
        };
        return rank(a.risk) < rank(b.risk);
      });
  context.set("risk", CleanLine(RiskLabel(highest->risk, language)));
  data rows{data::type::list};
  for (const WarningRow& row : warning.rows) {
    data item;
    item.set("asset", CleanLine(row.asset));
    item.set("affected", row.outcome == "affected");
    item.set("unknown", row.outcome != "affected");
    item.set("risk", CleanLine(RiskLabel(row.risk, language)));
    std::string cves;
    for (const std::string& cve : row.cves) cves += (cves.empty() ? "" : ", ") + CleanLine(cve);
    item.set("cves", cves);
    item.set("reasons", List(row.reasons));
    item.set("risk_reasons", List(row.risk_reasons));
    std::vector<std::string> remediations;
    for (const std::string& line : row.remediations) {
      remediations.push_back(RemediationText(line, language));
    }
    item.set("remediations", List(remediations));
    item.set("no_remediation", row.remediations.empty());
    rows.push_back(item);
  }
  context.set("rows", rows);
  context.set("attachment_name", message.attachment_name);

  BAKEN_RETURN_IF_ERROR(detail::Compose(
      *subject_template, "subject." + language, *body_template, "body." + language, context,
      MimeHeaders{warning.from, warning.to, "", warning.date, warning.message_id, language, tlp},
      &message));
  return message;
}

}  // namespace baken::notify
