#include "notify/intel_warning.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "common/quote.h"
#include "notify/render.h"

namespace baken::notify {

namespace {

// A value as CERTs write one in a message, so that no mail program turns it into a link a
// reader follows by accident: hxxp://, and [.] for the dots of names and addresses.
std::string Defanged(std::string_view kind, std::string_view value) {
  const bool defang = kind == "ip" || kind == "cidr" || kind == "domain" || kind == "host" ||
                      kind == "url" || kind == "email";
  if (!defang) return std::string(value);
  std::string text;
  if (value.starts_with("http")) {
    text = "hxxp";
    value.remove_prefix(4);
  }
  for (const char c : value) {
    if (c == '.') {
      text += "[.]";
    } else if (c == '@') {
      text += "[@]";
    } else {
      text += c;
    }
  }
  return text;
}

}  // namespace

Result<RenderedMessage> RenderIntelWarning(const IntelWarning& warning) {
  static const auto templates = BuiltInTemplates("intel");
  const std::string language = warning.language == "en" ? "en" : "nl";
  const std::string subject_name = "warning_subject." + language;
  const std::string body_name = "warning_body." + language;
  const std::string* subject_template = detail::FindTemplate(templates, subject_name);
  const std::string* body_template = detail::FindTemplate(templates, body_name);
  if (subject_template == nullptr || body_template == nullptr) {
    return InvalidArgument(
        fmt::format("there are no sighting templates for language {}", Quote(language)));
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string tlp, detail::CheckedTlp(CleanLine(warning.tlp)));
  if (tlp == "RED") {
    // MayReceive lets no member receive RED; a warning at RED is a mistake upstream.
    return InvalidArgument("a sighting warning is never sent at TLP:RED");
  }
  BAKEN_RETURN_IF_ERROR(detail::CheckedMessageId(warning.message_id));
  if (warning.to.empty()) {
    return InvalidArgument(
        fmt::format("the sighting warning {} has no recipients", Quote(warning.message_id)));
  }
  // The value travels in the e-mail only up to AMBER, as incident news does (decision 0018).
  const bool has_value = tlp == "CLEAR" || tlp == "GREEN" || tlp == "AMBER";
  kainjow::mustache::data context;
  detail::SetTlp(context, tlp);
  context.set("member_name", CleanLine(warning.member_name));
  context.set("indicator_id", std::to_string(warning.indicator_id));
  context.set("has_value", has_value);
  context.set("kind", CleanLine(warning.kind));
  context.set("value", has_value ? CleanLine(Defanged(warning.kind, warning.value)) : "");
  context.set("event_title", has_value ? CleanLine(warning.event_title) : "");
  context.set("seen_at", CleanLine(warning.seen_at));
  context.set("count", std::to_string(warning.count));
  context.set("several", warning.count > 1);
  // Unset rather than empty: an empty string opens a Mustache section.
  if (!warning.seen_by.empty()) context.set("seen_by", CleanLine(warning.seen_by));
  if (warning.others > 0) context.set("others", std::to_string(warning.others));
  RenderedMessage message;
  BAKEN_RETURN_IF_ERROR(detail::Compose(
      *subject_template, subject_name, *body_template, body_name, context,
      MimeHeaders{warning.sender, warning.to, "", warning.date, warning.message_id, language, tlp},
      &message));
  return message;
}

}  // namespace baken::notify
