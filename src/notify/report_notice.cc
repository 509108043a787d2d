#include "notify/report_notice.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "common/quote.h"
#include "notify/mime.h"
#include "notify/render.h"

namespace baken::notify {

Result<RenderedMessage> RenderReportMail(const ReportMail& mail) {
  static const auto templates = BuiltInTemplates("report");
  const std::string language = mail.language == "en" ? "en" : "nl";
  const char* const set = mail.to_whom == ReportMail::To::kMember     ? "member"
                          : mail.to_whom == ReportMail::To::kAnalysts ? "analysts"
                                                                      : "reporter";
  const std::string subject_name = fmt::format("{}_subject.{}", set, language);
  const std::string body_name = fmt::format("{}_body.{}", set, language);
  const std::string* subject_template = detail::FindTemplate(templates, subject_name);
  const std::string* body_template = detail::FindTemplate(templates, body_name);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no report templates for language {}", Quote(language)));
  }
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(mail.message_id));
  if (mail.to.empty()) {
    return InvalidArgument(
        fmt::format("the report's message {} has no recipients", Quote(mail.message_id)));
  }
  const bool link_needed = mail.to_whom == ReportMail::To::kReporter;
  if ((link_needed && mail.link.empty()) ||
      (!mail.link.empty() && !mail.link.starts_with("https://") &&
       !mail.link.starts_with("http://"))) {
    return InvalidArgument(
        fmt::format("the report's link {} is not an http(s) URL", Quote(mail.link.substr(0, 80))));
  }
  kainjow::mustache::data context;
  context.set("reference", CleanLine(mail.reference));
  context.set("member_name", CleanLine(mail.member_name));
  context.set("sender_name", CleanLine(mail.sender_name.empty() ? "Baken" : mail.sender_name));
  context.set("reminders", std::to_string(mail.reminders));
  context.set("link_expires", CleanLine(mail.link_expires));
  // Unset rather than empty: an empty string opens a Mustache section.
  if (!mail.link.empty()) context.set("link", CleanLine(mail.link));
  if (!mail.due.empty()) context.set("due", CleanLine(mail.due));
  if (mail.reminder > 0) {
    context.set("reminder", true);
    context.set("reminder_number", std::to_string(mail.reminder));
  }
  context.set("received", mail.received);
  RenderedMessage message;
  BAKEN_RETURN_IF_ERROR(
      detail::Compose(*subject_template, subject_name, *body_template, body_name, context,
                      MimeHeaders{mail.sender, mail.to, "", mail.date, mail.message_id, language,
                                  mail.to_whom == ReportMail::To::kReporter ? "CLEAR" : "AMBER"},
                      &message));
  return message;
}

}  // namespace baken::notify
