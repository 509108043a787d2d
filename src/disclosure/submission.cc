#include "disclosure/submission.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "advisories/cpe.h"
#include "common/base64.h"
#include "common/fields.h"
#include "common/hash.h"
#include "common/problem.h"
#include "common/problem_codes.h"
#include "disclosure/report.h"
#include "net/domain.h"
#include "net/email.h"
#include "net/ip_address.h"
#include "net/url.h"

namespace baken::disclosure {

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// A list field's entries as texts of at most `max` bytes each; problems are named
// "field[index]".
std::vector<std::pair<size_t, std::string>> TextEntries(Fields& fields, const Json& body,
                                                        std::string_view name, size_t max) {
  std::vector<std::pair<size_t, std::string>> entries;
  if (!body.is_object() || !body.contains(name) || body[name].is_null()) return entries;
  const Json& list = body[name];
  if (!list.is_array()) {
    fields.Problem(problems::field_type,
                   {{"field", std::string(name)}, {"kind", "a list of texts"}});
    return entries;
  }
  if (list.size() > kMaxItems) {
    fields.Problem(problems::report_too_many,
                   {{"field", std::string(name)}, {"max", std::to_string(kMaxItems)}});
    return entries;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string field = fmt::format("{}[{}]", name, i);
    if (!list[i].is_string()) {
      fields.Problem(problems::field_type, {{"field", field}, {"kind", "text"}});
      continue;
    }
    const std::string text = list[i].get<std::string>();
    if (text.empty() || text.size() > max || HasControl(text)) {
      fields.Problem(problems::field_too_long, {{"field", field}, {"max", std::to_string(max)}});
      continue;
    }
    entries.emplace_back(i, text);
  }
  return entries;
}

void Invalid(Fields& fields, std::string_view name, size_t index, std::string_view value,
             std::string_view kind) {
  fields.Problem(problems::report_item_invalid, {{"field", fmt::format("{}[{}]", name, index)},
                                                 {"value", std::string(value.substr(0, 200))},
                                                 {"kind", std::string(kind)}});
}

void AddItem(std::vector<NamedItem>& items, std::string kind, std::string value) {
  const bool known = std::any_of(items.begin(), items.end(), [&](const NamedItem& item) {
    return item.kind == kind && item.value == value;
  });
  if (!known) items.push_back({std::move(kind), std::move(value)});
}

void ReadAddresses(Fields& fields, const Json& body, std::vector<NamedItem>& items) {
  for (const auto& [index, text] : TextEntries(fields, body, "ips", 64)) {
    const auto address = net::IpAddress::Parse(text);
    if (!address) {
      Invalid(fields, "ips", index, text, "an IP address");
      continue;
    }
    AddItem(items, "ip", address->ToString());
  }
  for (const auto& [index, text] : TextEntries(fields, body, "hosts", net::kMaxDomainLength + 1)) {
    auto host = net::NormalizeDomain(text);
    if (!host) {
      Invalid(fields, "hosts", index, text, "a host name");
      continue;
    }
    AddItem(items, "host", std::move(*host));
  }
  for (const auto& [index, text] : TextEntries(fields, body, "urls", 2000)) {
    auto url = net::ParseHttpUrl(text);
    if (!url) {
      Invalid(fields, "urls", index, text, "an http or https URL");
      continue;
    }
    if (auto script = ScriptIn(url->text)) {
      fields.Problem(problems::report_script,
                     {{"field", fmt::format("urls[{}]", index)}, {"what", *script}});
      continue;
    }
    AddItem(items, "url", std::move(url->text));
  }
  for (const auto& [index, text] :
       TextEntries(fields, body, "email_domains", net::kMaxDomainLength + 1)) {
    // "someone@example.nl" and "example.nl" both name the domain.
    const size_t at = text.rfind('@');
    auto domain = net::NormalizeDomain(at == std::string::npos ? text : text.substr(at + 1));
    if (!domain) {
      Invalid(fields, "email_domains", index, text, "an e-mail domain");
      continue;
    }
    AddItem(items, "email_domain", std::move(*domain));
  }
}

// A product: {"vendor", "product", "version"} or {"cpe"}; kept as "vendor|product|version".
void ReadProducts(Fields& fields, const Json& body, std::vector<NamedItem>& items) {
  if (!body.is_object() || !body.contains("products") || body["products"].is_null()) return;
  const Json& list = body["products"];
  if (!list.is_array()) {
    fields.Problem(problems::field_type, {{"field", "products"}, {"kind", "a list of products"}});
    return;
  }
  if (list.size() > kMaxItems) {
    fields.Problem(problems::report_too_many,
                   {{"field", "products"}, {"max", std::to_string(kMaxItems)}});
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& entry = list[i];
    const std::string where = fmt::format("products[{}]", i);
    if (!entry.is_object()) {
      fields.Problem(problems::field_type,
                     {{"field", where}, {"kind", "an object with vendor and product, or cpe"}});
      continue;
    }
    std::array<std::string, 3> parts;  // vendor, product, version
    bool ok = true;
    const std::array<std::string_view, 4> names = {"vendor", "product", "version", "cpe"};
    for (const auto& [key, value] : entry.items()) {
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        fields.Problem(problems::field_unknown, {{"field", where + "." + key}});
        ok = false;
        continue;
      }
      const size_t max = key == "cpe" ? 500 : 100;
      if (!value.is_string() || value.get<std::string>().size() > max ||
          HasControl(value.get<std::string>()) ||
          value.get<std::string>().find('|') != std::string::npos) {
        fields.Problem(problems::field_too_long,
                       {{"field", where + "." + key}, {"max", std::to_string(max)}});
        ok = false;
      } else if (auto script = ScriptIn(value.get<std::string>())) {
        fields.Problem(problems::report_script, {{"field", where + "." + key}, {"what", *script}});
        ok = false;
      }
    }
    if (!ok) continue;
    if (entry.contains("cpe")) {
      const std::string text = entry["cpe"].get<std::string>();
      auto cpe = advisories::ParseCpe(text);
      if (!cpe) {
        fields.Problem(problems::report_item_invalid,
                       {{"field", where + ".cpe"}, {"value", text}, {"kind", "a CPE 2.3 name"}});
        continue;
      }
      parts = {cpe->values[advisories::Cpe::kVendor], cpe->values[advisories::Cpe::kProduct],
               cpe->values[advisories::Cpe::kVersion]};
      for (std::string& part : parts) {
        // ANY, NA and wildcards name no one product: such a part stays empty.
        if (part == "*" || part == "-" || part.find_first_of("\x01\x02") != std::string::npos) {
          part.clear();
        }
        std::replace(part.begin(), part.end(), '_', ' ');
      }
    } else {
      for (size_t p = 0; p < 3; ++p) {
        if (entry.contains(names[p])) parts[p] = entry[names[p]].get<std::string>();
      }
    }
    if (parts[0].find_first_not_of(' ') == std::string::npos ||
        parts[1].find_first_not_of(' ') == std::string::npos) {
      fields.Problem(problems::field_required, {{"field", where + ".vendor and product"}});
      continue;
    }
    AddItem(items, "product", fmt::format("{}|{}|{}", parts[0], parts[1], parts[2]));
  }
}

void ReadAttachments(Fields& fields, const Json& body,
                     std::vector<store::ReportAttachment>& attachments) {
  if (!body.is_object() || !body.contains("attachments") || body["attachments"].is_null()) {
    return;
  }
  const Json& list = body["attachments"];
  if (!list.is_array()) {
    fields.Problem(problems::field_type, {{"field", "attachments"}, {"kind", "a list of files"}});
    return;
  }
  if (list.size() > kMaxAttachments) {
    fields.Problem(problems::report_too_many,
                   {{"field", "attachments"}, {"max", std::to_string(kMaxAttachments)}});
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("attachments[{}]", i);
    const Json& entry = list[i];
    if (!entry.is_object() || !entry.value("name", Json()).is_string() ||
        !entry.value("content_base64", Json()).is_string()) {
      fields.Problem(problems::field_type,
                     {{"field", where}, {"kind", "an object with name and content_base64"}});
      continue;
    }
    for (const auto& [key, value] : entry.items()) {
      if (key != "name" && key != "media_type" && key != "content_base64") {
        fields.Problem(problems::field_unknown, {{"field", where + "." + key}});
      }
    }
    store::ReportAttachment attachment;
    attachment.name = entry["name"].get<std::string>();
    if (attachment.name.empty() || attachment.name.size() > 255 || HasControl(attachment.name)) {
      fields.Problem(problems::field_too_long, {{"field", where + ".name"}, {"max", "255"}});
      continue;
    }
    if (auto script = ScriptIn(attachment.name)) {
      fields.Problem(problems::report_script, {{"field", where + ".name"}, {"what", *script}});
      continue;
    }
    attachment.media_type = "application/octet-stream";
    if (entry.contains("media_type")) {
      if (!entry["media_type"].is_string() || entry["media_type"].get<std::string>().size() > 100 ||
          HasControl(entry["media_type"].get<std::string>())) {
        fields.Problem(problems::field_too_long,
                       {{"field", where + ".media_type"}, {"max", "100"}});
        continue;
      }
      attachment.media_type = entry["media_type"].get<std::string>();
    }
    const std::string& encoded = entry["content_base64"].get_ref<const std::string&>();
    // Measured without the line breaks that DecodeBase64 skips (`base64` wraps at 76).
    const size_t encoded_chars =
        encoded.size() -
        static_cast<size_t>(std::count_if(encoded.begin(), encoded.end(),
                                          [](char c) { return c == '\r' || c == '\n'; }));
    if (encoded_chars > static_cast<size_t>(kMaxAttachmentBytes) / 3 * 4 + 8) {
      fields.Problem(problems::report_attachment_too_large,
                     {{"field", where},
                      {"size", std::to_string(encoded_chars / 4 * 3)},
                      {"max", std::to_string(kMaxAttachmentBytes)}});
      continue;
    }
    auto content = DecodeBase64(encoded);
    if (!content) {
      fields.Problem(problems::report_attachment_not_base64,
                     {{"field", where + ".content_base64"}});
      continue;
    }
    if (static_cast<int64_t>(content->size()) > kMaxAttachmentBytes) {
      fields.Problem(problems::report_attachment_too_large,
                     {{"field", where},
                      {"size", std::to_string(content->size())},
                      {"max", std::to_string(kMaxAttachmentBytes)}});
      continue;
    }
    attachment.size = static_cast<int64_t>(content->size());
    attachment.sha256 = Sha256Hex(*content);
    attachment.content = std::move(*content);
    attachments.push_back(std::move(attachment));
  }
}

bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// An event handler inside a tag, in lower-case text: <a onmouseover=...>, <p style="" onclick =
// ...>; what the pattern <[a-z][^>]*[\s/"']on[a-z]+\s*= finds, in one pass. (std::regex took
// seconds for it on a 20,000-character text of "<a <a <a ...", before the proof of work.)
bool HasHandlerInTag(std::string_view lower) {
  bool in_tag = false;
  for (size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    if (c == '>') {
      in_tag = false;
      continue;
    }
    if (!in_tag) {
      if (c == '<' && i + 1 < lower.size() && IsLetter(lower[i + 1])) {
        in_tag = true;
        ++i;  // the tag's first letter
      }
      continue;
    }
    if (!IsSpace(c) && c != '/' && c != '"' && c != '\'') continue;
    size_t j = i + 1;
    if (lower.substr(j, 2) != "on") continue;
    j += 2;
    const size_t name = j;
    while (j < lower.size() && IsLetter(lower[j])) ++j;
    if (j == name) continue;
    while (j < lower.size() && IsSpace(lower[j])) ++j;
    if (j < lower.size() && lower[j] == '=') return true;
  }
  return false;
}

// A free text that will be shown in the portal and in e-mails: refused when it carries markup
// meant to run.
std::optional<std::string> CheckedText(Fields& fields, std::string_view name, size_t max,
                                       bool required = false) {
  auto text = fields.Text(name, max, required);
  if (!text) return std::nullopt;
  if (auto script = ScriptIn(*text)) {
    fields.Problem(problems::report_script, {{"field", std::string(name)}, {"what", *script}});
    return std::nullopt;
  }
  return text;
}

}  // namespace

std::optional<std::string> ScriptIn(std::string_view text) {
  const std::string lower = Lower(text);
  static constexpr std::string_view kMarkers[] = {
      "<script",     "</script",  "<iframe",        "<object", "<embed",   "<svg",  "<math",
      "<img",        "<meta",     "<link",          "<style",  "<form",    "<base", "<frame",
      "javascript:", "vbscript:", "data:text/html", "<!--",    "<![cdata["};
  for (std::string_view marker : kMarkers) {
    if (lower.find(marker) != std::string::npos) return std::string(marker);
  }
  if (HasHandlerInTag(lower)) return std::string("on…= in a tag");
  return std::nullopt;
}

ProductName SplitProduct(std::string_view value) {
  ProductName name;
  const size_t first = value.find('|');
  const size_t second = first == std::string_view::npos ? first : value.find('|', first + 1);
  name.vendor = std::string(value.substr(0, first));
  if (first != std::string_view::npos) {
    name.product = std::string(value.substr(first + 1, second - first - 1));
  }
  if (second != std::string_view::npos) name.version = std::string(value.substr(second + 1));
  return name;
}

Result<Submission> ReadSubmission(const Json& body, Naming naming) {
  Fields fields(body, {"title", "description", "severity", "reporter_name", "reporter_email",
                       "reporter_organisation", "language", "share_details", "credit", "credit_as",
                       "wants_updates", "ips", "hosts", "urls", "email_domains", "products",
                       "attachments", "challenge", "nonce"});
  Submission submission;
  store::VulnerabilityReport& report = submission.report;
  auto title = CheckedText(fields, "title", kMaxTitle, true);
  auto description = CheckedText(fields, "description", kMaxDescription, true);
  auto severity = fields.Choice("severity", Severities());
  report.reporter_name = CheckedText(fields, "reporter_name", 200);
  report.reporter_organisation = CheckedText(fields, "reporter_organisation", 200);
  report.credit_as = CheckedText(fields, "credit_as", 200);
  if (auto email = fields.Text("reporter_email", 254)) {
    if (!email->empty() && !net::IsValidEmailAddress(*email)) {
      fields.Problem(problems::report_email_invalid,
                     {{"field", "reporter_email"}, {"value", *email}});
    } else if (!email->empty()) {
      report.reporter_email = std::move(*email);
    }
  }
  static constexpr std::string_view kLanguages[] = {"nl", "en"};
  report.reporter_language = fields.Choice("language", kLanguages).value_or("nl");
  report.share_details = fields.Flag("share_details").value_or(false);
  report.credit = fields.Flag("credit").value_or(false);
  report.wants_updates = fields.Flag("wants_updates").value_or(false);
  if (report.wants_updates && !report.reporter_email) {
    fields.Problem(problems::report_updates_need_email, {});
  }
  (void)fields.Text("challenge", 200);
  (void)fields.Text("nonce", 200);
  ReadAddresses(fields, body, submission.items);
  ReadProducts(fields, body, submission.items);
  ReadAttachments(fields, body, submission.attachments);
  // Named nothing at all (a list with only bad entries has its own problems already).
  static constexpr std::string_view kItemLists[] = {"ips", "hosts", "urls", "email_domains",
                                                    "products"};
  if (naming == Naming::kRequired && body.is_object() && submission.items.empty() &&
      std::none_of(std::begin(kItemLists), std::end(kItemLists), [&](std::string_view name) {
        return body.contains(name) && body[name].is_array() && !body[name].empty();
      })) {
    fields.Problem(problems::report_nothing_named, {});
  }
  BAKEN_RETURN_IF_ERROR(fields.Done());
  report.title = std::move(*title);
  report.description = std::move(*description);
  report.severity = severity.value_or("unknown");
  return submission;
}

}  // namespace baken::disclosure
