#include "notify/page_notice.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "common/quote.h"
#include "notify/labels.h"
#include "notify/mime.h"
#include "notify/render.h"

namespace baken::notify {

Result<RenderedMessage> RenderPageNotice(const PageNotice& notice) {
  static const auto templates = BuiltInTemplates("page");
  const std::string language = notice.language == "en" ? "en" : "nl";
  const std::string* subject_template = detail::FindTemplate(templates, "subject." + language);
  const std::string* body_template = detail::FindTemplate(templates, "body." + language);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no page templates for language {}", Quote(language)));
  }
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(notice.message_id));
  if (notice.to.empty()) {
    return InvalidArgument(fmt::format("the page {} has no recipients", Quote(notice.message_id)));
  }
  if (!notice.link.empty() && !notice.link.starts_with("https://") &&
      !notice.link.starts_with("http://")) {
    return InvalidArgument(
        fmt::format("the page's link {} is not an http(s) URL", Quote(notice.link.substr(0, 80))));
  }
  kainjow::mustache::data context;
  context.set("page_id", std::to_string(notice.page_id));
  context.set("severity", CleanLine(PageSeverityLabel(notice.severity, language)));
  context.set("source", CleanLine(PageSourceLabel(notice.source, language)));
  context.set("round", std::to_string(notice.round + 1));
  context.set("step", std::to_string(notice.step + 1));
  // Unset rather than empty: an empty string opens a Mustache section.
  if (!notice.link.empty()) context.set("link", CleanLine(notice.link));
  RenderedMessage message;
  // The page says only that something needs the analyst: fit for the analyst's own mailbox.
  BAKEN_RETURN_IF_ERROR(detail::Compose(
      *subject_template, "subject." + language, *body_template, "body." + language, context,
      MimeHeaders{notice.sender, notice.to, "", notice.date, notice.message_id, language, "AMBER"},
      &message));
  return message;
}

}  // namespace baken::notify
