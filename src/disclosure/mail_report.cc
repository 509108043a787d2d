#include "disclosure/mail_report.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "common/base64.h"
#include "common/json_text.h"
#include "common/text.h"
#include "disclosure/submission.h"
#include "disclosure/xarf.h"
#include "net/domain.h"
#include "net/email.h"
#include "net/ip_address.h"
#include "net/url.h"

namespace baken::disclosure {

namespace {

using Json = nlohmann::ordered_json;

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == ':' || c == '-' ||
         c == '_' || c == '%';
}

// "-----Original Message-----", "On Mon, ... Eva wrote:", "Op 7 dec. 2026 schreef ...:": an
// earlier mail quoted under a reply. (A forwarded message is kept: it often is the report.)
bool IsQuoteHeader(std::string_view line) {
  const std::string lower = AsciiLower(line);
  return lower.find("original message") != std::string::npos ||
         lower.find("oorspronkelijk bericht") != std::string::npos ||
         ((lower.starts_with("on ") || lower.starts_with("op ")) &&
          (lower.ends_with("wrote:") || lower.ends_with("schreef:") ||
           lower.ends_with("het volgende:")));
}

// Adds `value` to the list `name` of `items` once, up to kMaxItems.
void Add(Json& items, const char* name, std::string value) {
  Json& list = items[name];
  if (list.size() >= kMaxItems) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// An IP address, "address:port" or an IPv6 address; nullopt when the token is none of these.
std::optional<net::IpAddress> AddressIn(std::string_view token) {
  if (auto address = net::IpAddress::Parse(token)) return address;
  const size_t colon = token.rfind(':');
  if (colon != std::string_view::npos && token.find(':') == colon) {
    return net::IpAddress::Parse(token.substr(0, colon));
  }
  return std::nullopt;
}

// One thing an X-ARF report names, sorted by its form.
void AddSource(Json& items, std::string_view source) {
  if (auto address = AddressIn(source)) {
    Add(items, "ips", address->ToString());
  } else if (auto url = net::ParseHttpUrl(source)) {
    Add(items, "urls", url->text);
  } else if (auto host = net::NormalizeDomain(source)) {
    Add(items, "hosts", std::move(*host));
  }
}

std::string DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : AsciiLower(address.substr(at + 1));
}

// Dutch or English, for the reporter's mails: whichever language's common words the text uses
// more; Dutch when it is a tie (the CERT's own language).
std::string LanguageOf(const mail::MailMessage& message) {
  const auto declared = message.headers.find("content-language");
  if (declared != message.headers.end()) {
    const std::string language = AsciiLower(declared->second.substr(0, 2));
    if (language == "nl" || language == "en") return language;
  }
  static constexpr std::array<std::string_view, 8> kDutch = {" de ",  " het ",  " een ", " en ",
                                                             " van ", " niet ", " is ",  " op "};
  static constexpr std::array<std::string_view, 8> kEnglish = {" the ", " a ",  " and ", " of ",
                                                               " not ", " is ", " on ",  " your "};
  const std::string text = " " + AsciiLower(message.subject + " " + message.text) + " ";
  const auto count = [&](const auto& words) {
    size_t total = 0;
    for (std::string_view word : words) {
      for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        ++total;
      }
    }
    return total;
  };
  return count(kEnglish) > count(kDutch) ? "en" : "nl";
}

// The attachments that fit the intake's limits, in order; notes for the rest.
void AddAttachments(Json& submission, const std::vector<mail::MailPart>& parts,
                    std::vector<std::string>& notes) {
  Json attachments = Json::array();
  size_t left_out = 0;
  for (const mail::MailPart& part : parts) {
    if (attachments.size() >= kMaxAttachments ||
        static_cast<int64_t>(part.content.size()) > kMaxAttachmentBytes) {
      ++left_out;
      continue;
    }
    std::string name = part.file_name.empty() ? fmt::format("part-{}", attachments.size() + 1)
                                              : part.file_name.substr(0, 200);
    for (char& c : name) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
    }
    if (ScriptIn(name)) name = fmt::format("part-{}", attachments.size() + 1);
    Json attachment{{"name", RepairUtf8(name)}, {"content_base64", EncodeBase64(part.content)}};
    if (!part.media_type.empty() && part.media_type.size() <= 100) {
      attachment["media_type"] = part.media_type;
    }
    attachments.push_back(std::move(attachment));
  }
  if (left_out > 0) {
    notes.push_back(fmt::format(
        "{} more part(s) of the e-mail (over {} attachments or {} KiB each) are in the archived "
        "message",
        left_out, kMaxAttachments, kMaxAttachmentBytes >> 10));
  }
  if (!attachments.empty()) submission["attachments"] = std::move(attachments);
}

// `text` without control characters (the submission reader refuses them): each becomes a
// space; line breaks and tabs stay unless `one_line`.
std::string WithoutControls(std::string text, bool one_line) {
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool line_break = c == '\n' || c == '\r' || c == '\t';
    if ((byte < 0x20 && (one_line || !line_break)) || byte == 0x7f) c = ' ';
  }
  return text;
}

// A status link's token (".../report-status#TOKEN") quoted back in a reply to Baken's mail is
// the reporter's key to the report: it never enters a report that members may read.
std::string RedactStatusLinks(std::string text) {
  constexpr std::string_view kMarker = "/report-status#";
  for (size_t at = text.find(kMarker); at != std::string::npos;
       at = text.find(kMarker, at + kMarker.size())) {
    const size_t start = at + kMarker.size();
    size_t end = start;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 ||
                                 text[end] == '-' || text[end] == '_')) {
      ++end;
    }
    text.replace(start, end - start, "(removed)");
  }
  return text;
}

std::string Trimmed(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  // Cut at a character boundary.
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

}  // namespace

Json ItemsInText(std::string_view text, const KnownHost& known_host) {
  Json items{{"ips", Json::array()}, {"urls", Json::array()}, {"hosts", Json::array()}};
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    const std::string_view trimmed =
        TrimBlanks(line.ends_with('\r') ? line.substr(0, line.size() - 1) : line);
    // The report ends where the signature or a quoted earlier mail begins.
    if (trimmed == "--" || line.starts_with("-- ") || IsQuoteHeader(trimmed)) break;
    if (trimmed.starts_with(">")) continue;  // quoted from an earlier mail
    const std::string lower = AsciiLower(line);
    size_t at = 0;
    while (at < line.size()) {
      if (lower.compare(at, 7, "http://") == 0 || lower.compare(at, 8, "https://") == 0) {
        size_t end = at;
        while (end < line.size() && std::isspace(static_cast<unsigned char>(line[end])) == 0 &&
               line[end] != '<' && line[end] != '>' && line[end] != '"' && line[end] != '\'') {
          ++end;
        }
        std::string_view url = line.substr(at, end - at);
        while (!url.empty() &&
               std::string_view(".,;:!?)]}").find(url.back()) != std::string_view::npos) {
          url.remove_suffix(1);
        }
        if (auto parsed = net::ParseHttpUrl(url)) Add(items, "urls", parsed->text);
        at = end;
        continue;
      }
      if (!IsTokenChar(line[at])) {
        ++at;
        continue;
      }
      size_t end = at;
      while (end < line.size() && IsTokenChar(line[end])) ++end;
      std::string_view token = line.substr(at, end - at);
      at = end;
      while (!token.empty() &&
             (token.back() == '.' || token.back() == ':' || token.back() == '-')) {
        token.remove_suffix(1);
      }
      if (token.empty()) continue;
      if (auto address = AddressIn(token)) {
        Add(items, "ips", address->ToString());
      } else if (token.find('.') != std::string_view::npos && known_host) {
        if (auto host = net::NormalizeDomain(token); host && known_host(*host)) {
          Add(items, "hosts", std::move(*host));
        }
      }
    }
  }
  return items;
}

Result<MailReport> ReportFromMail(const mail::MailMessage& message, const KnownHost& known_host) {
  MailReport report;
  report.format = "plain";
  BAKEN_ASSIGN_OR_RETURN(std::optional<XarfReport> xarf, ReadXarf(message));

  // What the report is about. The reporter's own domain is never one of its subjects.
  const std::string own_domain = DomainOf(message.from_address);
  const auto own = [&](std::string_view host) {
    return !own_domain.empty() &&
           (host == own_domain || std::string_view(host).ends_with("." + own_domain));
  };
  const KnownHost known = [&](std::string_view host) {
    return !own(host) && known_host && known_host(host);
  };
  const std::string text = RedactStatusLinks(message.text);
  Json items = ItemsInText(text, known);
  // A link to the reporter's own site (a signature) or to a status page is not what the
  // report is about.
  Json urls = Json::array();
  for (const Json& url : items["urls"]) {
    const auto parsed = net::ParseHttpUrl(url.get<std::string>());
    if (parsed && !own(parsed->host) &&
        url.get<std::string>().find("/report-status") == std::string::npos) {
      urls.push_back(url);
    }
  }
  items["urls"] = std::move(urls);
  std::vector<mail::MailPart> attachments;
  std::string description = text;
  if (message.text_from_html) {
    report.notes.emplace_back("the e-mail had no plain text: this is the text of its HTML part");
  }
  std::string title = message.subject;
  Json submission;
  if (xarf) {
    report.format = "xarf-" + xarf->version;
    items = Json{{"ips", Json::array()}, {"urls", Json::array()}, {"hosts", Json::array()}};
    for (const std::string& source : xarf->sources) AddSource(items, source);
    std::string block = fmt::format("X-ARF {} report", xarf->version);
    if (!xarf->category.empty() || !xarf->type.empty()) {
      block += fmt::format(" ({} / {})", xarf->category, xarf->type);
    }
    block += ":\n";
    for (const std::string& source : xarf->sources) block += "Source: " + source + "\n";
    for (const std::string& fact : xarf->facts) block += fact + "\n";
    if (!xarf->description.empty()) block += "\n" + xarf->description + "\n";
    description = description.empty() ? block : description + "\n\n" + block;
    if (title.empty()) {
      title = fmt::format("X-ARF {} report about {}", xarf->type,
                          xarf->sources.empty() ? std::string("?") : xarf->sources.front());
    }
    if (!xarf->severity.empty()) submission["severity"] = xarf->severity;
    if (!xarf->reporter_organisation.empty() && !ScriptIn(xarf->reporter_organisation)) {
      submission["reporter_organisation"] =
          Trimmed(WithoutControls(xarf->reporter_organisation, true), 200);
    }
    attachments = std::move(xarf->evidence);
  } else {
    attachments = message.parts;
  }

  description = RedactStatusLinks(WithoutControls(std::move(description), false));
  title = WithoutControls(std::move(title), true);
  if (message.unopened_openpgp) {
    report.notes.emplace_back(
        "the e-mail holds encrypted or signed content that was left as it came: wrapped in "
        "other content, or among other text");
  }
  // Markup that could run is not refused, as the form refuses it (the sender cannot be asked
  // again): the text goes into an attachment, which is never shown inline.
  if (ScriptIn(description)) {
    attachments.insert(attachments.begin(),
                       mail::MailPart{"text/plain", "message.txt", description});
    description.clear();
    report.notes.emplace_back(
        "the text holds markup that could run in a browser; it is attached as message.txt");
  }
  if (ScriptIn(title)) {
    title.clear();
    report.notes.emplace_back("the subject held markup that could run in a browser");
  }
  // Never the sender's address: a member reads the title and text of a report that is its
  // alone, and who reported it is the reporter's to share (share_details). The sender, the
  // encryption and the signature are kept with the archived mail, for the analysts.
  title = std::string(TrimBlanks(title));
  if (title.empty()) title = "E-mail report";
  AddAttachments(submission, attachments, report.notes);

  // A machine sender (X-ARF, Auto-Submitted) reads no replies and gets none (RFC 3834).
  const auto automatic_header = message.headers.find("auto-submitted");
  const bool automatic = xarf.has_value() || (automatic_header != message.headers.end() &&
                                              AsciiLower(automatic_header->second) != "no");
  const bool can_answer = !automatic && net::IsValidEmailAddress(message.from_address);
  if (automatic) {
    report.notes.emplace_back("sent by a machine (X-ARF or Auto-Submitted): no receipt is sent");
  } else if (!can_answer) {
    report.notes.emplace_back("the sender's address cannot be written to");
  }
  std::string notes;
  for (const std::string& note : report.notes) notes += "\n[Baken: " + note + "]";
  description = Trimmed(WithoutControls(std::move(description), false),
                        kMaxDescription - std::min(notes.size(), kMaxDescription));
  if (description.find_first_not_of(" \t\r\n") == std::string::npos && notes.empty()) {
    description = "(the e-mail has no text)";
  }
  submission["title"] = Trimmed(WithoutControls(title, true), kMaxTitle);
  if (TrimBlanks(submission["title"].get<std::string>()).empty()) submission["title"] = "E-mail";
  submission["description"] = Trimmed(WithoutControls(description + notes, false), kMaxDescription);
  if (can_answer) submission["reporter_email"] = message.from_address;
  if (!message.from_name.empty() && !ScriptIn(message.from_name)) {
    submission["reporter_name"] = Trimmed(WithoutControls(message.from_name, true), 200);
  }
  submission["language"] = xarf ? std::string("en") : LanguageOf(message);
  submission["wants_updates"] = can_answer;

  for (const char* kind : {"ips", "urls", "hosts"}) {
    // A URL that carries markup (an XSS proof) stays in the text, which went into an
    // attachment; as an item it would be refused and the whole mail with it.
    Json kept = Json::array();
    for (const Json& item : items[kind]) {
      if (!ScriptIn(item.get<std::string>())) kept.push_back(item);
    }
    if (!kept.empty()) submission[kind] = std::move(kept);
  }
  report.submission = std::move(submission);
  return report;
}

}  // namespace baken::disclosure
