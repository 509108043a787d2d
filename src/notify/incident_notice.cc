#include "notify/incident_notice.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "common/quote.h"
#include "notify/mime.h"
#include "notify/render.h"

namespace baken::notify {

Result<RenderedMessage> RenderBreachReminder(const BreachReminder& reminder) {
  static const auto templates = BuiltInTemplates("incident");
  const std::string language = reminder.language == "en" ? "en" : "nl";
  const std::string* subject_template = detail::FindTemplate(templates, "subject." + language);
  const std::string* body_template = detail::FindTemplate(templates, "body." + language);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no incident templates for language {}", Quote(language)));
  }
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(reminder.message_id));
  if (reminder.to.empty()) {
    return InvalidArgument(
        fmt::format("the reminder {} has no recipients", Quote(reminder.message_id)));
  }
  kainjow::mustache::data context;
  context.set("incident_id", std::to_string(reminder.incident_id));
  context.set("member_code", CleanLine(reminder.member_code));
  context.set("member_name", CleanLine(reminder.member_name));
  context.set("aware_at", CleanLine(reminder.aware_at));
  context.set("deadline_at", CleanLine(reminder.deadline_at));
  context.set("hours_left", std::to_string(reminder.hours_left));
  context.set("overdue", reminder.hours_left <= 0);
  RenderedMessage message;  // no attachment: there is nothing to attach that the mail may carry
  // The notice says only that a deadline nears, so it is fit for every recipient it goes to;
  // AMBER because it still says that this member has a data breach.
  BAKEN_RETURN_IF_ERROR(detail::Compose(*subject_template, "subject." + language, *body_template,
                                        "body." + language, context,
                                        MimeHeaders{reminder.sender, reminder.to, "", reminder.date,
                                                    reminder.message_id, language, "AMBER"},
                                        &message));
  return message;
}

Result<RenderedMessage> RenderPartnerNotice(const PartnerNotice& notice) {
  static const auto templates = BuiltInTemplates("incident");
  const std::string language = notice.language == "en" ? "en" : "nl";
  const std::string* subject_template =
      detail::FindTemplate(templates, "partner_subject." + language);
  const std::string* body_template = detail::FindTemplate(templates, "partner_body." + language);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no partner templates for language {}", Quote(language)));
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string tlp, detail::CheckedTlp(CleanLine(notice.tlp)));
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(notice.message_id));
  if (notice.to.empty()) {
    return InvalidArgument(
        fmt::format("the notice {} has no recipients", Quote(notice.message_id)));
  }
  kainjow::mustache::data context;
  detail::SetTlp(context, tlp);
  context.set("incident_id", std::to_string(notice.incident_id));
  context.set("partner_name", CleanLine(notice.partner_name));
  context.set("text", notice.text);  // the analyst's paragraphs, as data
  RenderedMessage message;
  BAKEN_RETURN_IF_ERROR(detail::Compose(
      *subject_template, "partner_subject." + language, *body_template, "partner_body." + language,
      context,
      MimeHeaders{notice.sender, notice.to, "", notice.date, notice.message_id, language, tlp},
      &message));
  return message;
}

Result<RenderedMessage> RenderIncidentNews(const IncidentNews& news) {
  static const auto templates = BuiltInTemplates("incident");
  const std::string language = news.language == "en" ? "en" : "nl";
  const std::string* subject_template = detail::FindTemplate(templates, "news_subject." + language);
  const std::string* body_template = detail::FindTemplate(templates, "news_body." + language);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no news templates for language {}", Quote(language)));
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string tlp, detail::CheckedTlp(CleanLine(news.tlp)));
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(news.message_id));
  if (news.to.empty()) {
    return InvalidArgument(fmt::format("the news {} has no recipients", Quote(news.message_id)));
  }
  // The text travels in the e-mail only up to AMBER (decision 0018).
  const bool has_text = tlp == "CLEAR" || tlp == "GREEN" || tlp == "AMBER";
  kainjow::mustache::data context;
  detail::SetTlp(context, tlp);
  context.set("incident_id", std::to_string(news.incident_id));
  context.set("member_name", CleanLine(news.member_name));
  context.set("has_text", has_text);
  context.set("task", news.task);
  context.set("title", has_text ? CleanLine(news.title) : std::string());
  context.set("text", has_text ? news.text : std::string());
  RenderedMessage message;
  BAKEN_RETURN_IF_ERROR(detail::Compose(
      *subject_template, "news_subject." + language, *body_template, "news_body." + language,
      context, MimeHeaders{news.sender, news.to, "", news.date, news.message_id, language, tlp},
      &message));
  return message;
}

}  // namespace baken::notify
