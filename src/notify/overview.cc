#include "notify/overview.h"

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

std::string Csv(const std::vector<OverviewLine>& lines) {
  std::string csv = "advisory,version,title,risk,affected,unknown,revised,sent\r\n";
  for (const OverviewLine& line : lines) {
    for (const std::string* cell : {&line.advisory_id, &line.version, &line.title, &line.risk}) {
      csv += CsvCell(CleanLine(*cell)) + ",";
    }
    csv += fmt::format("{},{},{},{}\r\n", line.affected, line.unknown, line.revised ? "yes" : "no",
                       CsvCell(CleanLine(line.issued_at)));
  }
  return csv;
}

// "2026-11-17T09:00:00Z" as a date the reader expects: 17-11-2026 in Dutch, 2026-11-17 in
// English.
std::string DateIn(const std::string& language, std::string_view timestamp) {
  const std::string_view date = timestamp.substr(0, 10);
  if (language != "nl" || date.size() != 10) return std::string(date);
  return fmt::format("{}-{}-{}", date.substr(8, 2), date.substr(5, 2), date.substr(0, 4));
}

}  // namespace

Result<RenderedMessage> RenderOverview(const Overview& overview) {
  static const auto templates = BuiltInTemplates("overview");
  const std::string language = overview.language == "en" ? "en" : "nl";
  const std::string* subject_template = detail::FindTemplate(templates, "subject." + language);
  const std::string* body_template = detail::FindTemplate(templates, "body." + language);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no overview templates for language {}", Quote(language)));
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string tlp, detail::CheckedTlp(CleanLine(overview.tlp)));
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(overview.message_id));
  if (overview.lines.empty()) {
    return InvalidArgument(
        fmt::format("the overview {} lists no warning", Quote(overview.message_id)));
  }
  if (overview.to.empty()) {
    return InvalidArgument(
        fmt::format("the overview {} has no recipients", Quote(overview.message_id)));
  }
  RenderedMessage message;
  message.attachment_name =
      fmt::format("baken-{}-{}-{}.csv", language == "en" ? "weekly-overview" : "weekoverzicht",
                  detail::SafeFileName(overview.member_code).substr(0, 16),
                  detail::SafeFileName(overview.week).substr(0, 10));
  message.csv = Csv(overview.lines);

  data context;
  detail::SetTlp(context, tlp);
  context.set("member_code", CleanLine(overview.member_code));
  context.set("member_name", CleanLine(overview.member_name));
  // "2026-W47": week 47 of 2026.
  const std::string week = CleanLine(overview.week);
  const size_t w = week.find("-W");
  context.set("week_year", week.substr(0, w));
  context.set("week_number", w == std::string::npos ? week : week.substr(w + 2));
  context.set("from", DateIn(language, CleanLine(overview.from)));
  context.set("until", DateIn(language, CleanLine(overview.until)));
  context.set("count", std::to_string(overview.lines.size()));
  data lines{data::type::list};
  for (const OverviewLine& line : overview.lines) {
    data item;
    item.set("advisory_id", CleanLine(line.advisory_id));
    item.set("version", CleanLine(line.version));
    item.set("title", CleanLine(line.title));
    item.set("risk", CleanLine(RiskLabel(line.risk, language)));
    item.set("affected", std::to_string(line.affected));
    item.set("unknown", std::to_string(line.unknown));
    item.set("has_unknown", line.unknown > 0);
    item.set("revised", line.revised);
    item.set("issued_on", DateIn(language, CleanLine(line.issued_at)));
    lines.push_back(item);
  }
  context.set("warnings", lines);
  context.set("attachment_name", message.attachment_name);

  BAKEN_RETURN_IF_ERROR(detail::Compose(*subject_template, "subject." + language, *body_template,
                                        "body." + language, context,
                                        MimeHeaders{overview.sender, overview.to, "", overview.date,
                                                    overview.message_id, language, tlp},
                                        &message));
  return message;
}

}  // namespace baken::notify
