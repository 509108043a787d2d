#include "notify/digest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "common/csv_writer.h"
#include "common/quote.h"
#include "notify/labels.h"
#include "notify/mime.h"
#include "notify/render.h"

namespace baken::notify {

namespace {

constexpr size_t kTableRows = 20;
constexpr size_t kMaxCellLength = 64;  // code points of one value in the body's table
constexpr size_t kMinTimeWidth = 19;   // "2026-11-22 01:02:03"
constexpr size_t kMinIpWidth = 15;     // "255.255.255.255"
constexpr size_t kMinPortWidth = 5;
constexpr size_t kMaxFileNameLength = 60;
constexpr std::string_view kDefaultLanguage = "nl";

using kainjow::mustache::data;
using kainjow::mustache::mustache;

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string PadRight(std::string text, size_t width) {
  const size_t length = CodePoints(text);
  if (length < width) text.append(width - length, ' ');
  return text;
}

// At most `limit` code points; longer text is cut and ends in "…".
std::string Shorten(std::string text, size_t limit) {
  if (CodePoints(text) <= limit) return text;
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++points == limit) {  // the start of the last character that fits with "…"
      text.resize(i);
      break;
    }
  }
  return text + "…";
}

// Mustache drops a line that holds nothing but a section, inverted-section, end or comment tag
// ("standalone" tags), so templates can put those on lines of their own. kainjow::mustache 4.1
// leaves an empty line where a standalone section is false. So such a line gets a marker before
// parsing, and every line that renders as just the marker is dropped afterwards. Values cannot
// contain the marker: they all pass through CleanLine, which removes control characters.
constexpr char kStandaloneMarker = '\x01';

std::string MarkStandaloneTags(std::string_view source) {
  std::string marked;
  marked.reserve(source.size());
  size_t line = 0;
  while (line < source.size()) {
    size_t end = source.find('\n', line);
    end = end == std::string_view::npos ? source.size() : end + 1;
    const size_t tag = source.find_first_not_of(" \t", line);
    if (tag != std::string_view::npos && source.compare(tag, 2, "{{") == 0 &&
        tag + 2 < source.size() &&
        std::string_view("#^/!").find(source[tag + 2]) != std::string_view::npos) {
      const size_t close = source.find("}}", tag);  // a comment may span lines
      if (close != std::string_view::npos) {
        size_t after = source.find_first_not_of(" \t\r", close + 2);
        if (after == std::string_view::npos) after = source.size();
        if (after == source.size() || source[after] == '\n') {
          marked.append(source.substr(tag, close + 2 - tag));
          marked += kStandaloneMarker;
          marked += '\n';
          line = after + 1;
          continue;
        }
      }
    }
    marked.append(source.substr(line, end - line));
    line = end;
  }
  return marked;
}

std::string DropMarkedLines(std::string_view rendered) {
  std::string kept;
  kept.reserve(rendered.size());
  size_t line = 0;
  while (line < rendered.size()) {
    size_t end = rendered.find('\n', line);
    end = end == std::string_view::npos ? rendered.size() : end + 1;
    const std::string_view text = rendered.substr(line, end - line);
    if (text.find(kStandaloneMarker) == std::string_view::npos) {
      kept.append(text);
    } else if (text.find_first_not_of(std::string(1, kStandaloneMarker) + " \t\r\n") !=
               std::string_view::npos) {
      for (const char c : text) {
        if (c != kStandaloneMarker) kept += c;
      }
    }
    line = end;
  }
  return kept;
}

Status CheckTemplate(const std::string& source, const std::string& name) {
  const mustache parsed(MarkStandaloneTags(source));
  if (parsed.is_valid()) return {};
  return InvalidArgument(
      fmt::format("template {} does not parse: {}", name, parsed.error_message()));
}

Result<std::string> RenderTemplate(const std::string& source, const std::string& name,
                                   const data& context) {
  mustache parsed(MarkStandaloneTags(source));
  BAKEN_RETURN_IF_ERROR(CheckTemplate(source, name));
  // text/plain: nothing is HTML-escaped. Values are only ever substituted, never parsed.
  parsed.set_custom_escape([](const std::string& text) { return text; });
  return DropMarkedLines(parsed.render(context));
}

// A JSON value as the text a person reads: strings as they are, lists joined with ",".
std::string ValueText(const nlohmann::json& value) {
  using nlohmann::json;
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      return "";
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::array: {
      std::string joined;
      for (const auto& item : value) {
        if (!joined.empty()) joined += ",";
        joined += item.is_string() ? item.get<std::string>()
                                   : item.dump(-1, ' ', false, json::error_handler_t::replace);
      }
      return joined;
    }
    default:
      return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

std::string Field(const nlohmann::json& event, const std::string& name) {
  const auto found = event.find(name);
  return found == event.end() ? std::string() : ValueText(*found);
}

// "2026-11-22T01:02:03+00:00" (also with Z, a fraction or no zone) as "2026-11-22 01:02:03";
// anything else as it is.
std::string DisplayTime(std::string time) {
  auto digits = [&time](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (time[i] < '0' || time[i] > '9') return false;
    }
    return true;
  };
  if (time.size() < 19 || !digits(0, 4) || time[4] != '-' || !digits(5, 7) || time[7] != '-' ||
      !digits(8, 10) || (time[10] != 'T' && time[10] != ' ') || !digits(11, 13) ||
      time[13] != ':' || !digits(14, 16) || time[16] != ':' || !digits(17, 19)) {
    return time;
  }
  size_t zone = 19;
  if (zone < time.size() && time[zone] == '.') {
    ++zone;
    while (zone < time.size() && digits(zone, zone + 1)) ++zone;
  }
  const std::string_view rest = std::string_view(time).substr(zone);
  if (rest != "" && rest != "Z" && rest != "+00:00" && rest != "+0000") return time;
  time[10] = ' ';
  time.resize(19);
  return time;
}

Result<std::vector<nlohmann::json>> ParseEvents(const std::vector<std::string>& texts) {
  std::vector<nlohmann::json> events;
  events.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    auto event = nlohmann::json::parse(texts[i], nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded() || !event.is_object()) {
      return InvalidArgument(
          fmt::format("event {} of the digest is not a JSON object: {}", i + 1, Quote(texts[i])));
    }
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::string> NormaliseTlp(std::string_view tlp) {
  std::string upper(tlp);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  if (upper.starts_with("TLP:")) upper.erase(0, 4);
  // RED renders too: the outbox holds it until an analyst releases it, and then the message
  // must say RED, never something less restricted.
  static const std::set<std::string, std::less<>> kAllowed = {"CLEAR", "GREEN", "AMBER",
                                                              "AMBER+STRICT", "RED"};
  if (kAllowed.contains(upper)) return upper;
  return InvalidArgument(
      fmt::format("TLP {} is not one of CLEAR, GREEN, AMBER, AMBER+STRICT or RED", Quote(tlp)));
}

std::string SanitiseFileName(std::string_view name) {
  std::string safe;
  for (const char c : name) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    safe += allowed ? c : '_';
  }
  return safe;
}

// "baken-GM0363-Accessible-RDP-2026-11-23.csv", at most kMaxFileNameLength characters (so that
// `filename="..."` fits on one header line): a long feed name is cut.
std::string AttachmentName(const Digest& digest) {
  const std::string member = SanitiseFileName(digest.member_code).substr(0, 16);
  const std::string period = SanitiseFileName(digest.period).substr(0, 16);
  const size_t fixed = std::string_view("baken---.csv").size() + member.size() + period.size();
  const std::string feed =
      SanitiseFileName(digest.feed_name)
          .substr(0, kMaxFileNameLength > fixed ? kMaxFileNameLength - fixed : 0);
  return fmt::format("baken-{}-{}-{}.csv", member, feed, period);
}

std::string Csv(const std::vector<nlohmann::json>& events) {
  std::string csv;
  const auto& columns = CsvColumns();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) csv += ',';
    csv += columns[i];
  }
  csv += "\r\n";
  for (const auto& event : events) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvCell(Field(event, columns[i]));
    }
    csv += "\r\n";
  }
  return csv;
}

data EventTable(const std::vector<nlohmann::json>& events, data* context) {
  struct Row {
    std::string time, ip, port, identifier;
  };
  std::vector<Row> rows;
  size_t time_width = kMinTimeWidth;
  size_t ip_width = kMinIpWidth;
  size_t port_width = kMinPortWidth;
  for (size_t i = 0; i < events.size() && i < kTableRows; ++i) {
    auto cell = [&](const char* name) {
      return Shorten(CleanLine(Field(events[i], name)), kMaxCellLength);
    };
    Row row{Shorten(CleanLine(DisplayTime(Field(events[i], "time.source"))), kMaxCellLength),
            cell("source.ip"), cell("source.port"), cell("classification.identifier")};
    if (row.ip.empty()) row.ip = cell("source.fqdn");
    time_width = std::max(time_width, CodePoints(row.time));
    ip_width = std::max(ip_width, CodePoints(row.ip));
    port_width = std::max(port_width, CodePoints(row.port));
    rows.push_back(std::move(row));
  }
  data list{data::type::list};
  for (auto& row : rows) {
    data item;
    item.set("time_cell", PadRight(row.time, time_width));
    item.set("ip_cell", PadRight(row.ip, ip_width));
    item.set("port_cell", PadRight(row.port, port_width));
    item.set("time", row.time);
    item.set("ip", row.ip);
    item.set("port", row.port);
    item.set("identifier", row.identifier);
    list.push_back(item);
  }
  context->set("ip_header_pad", std::string(ip_width - kMinIpWidth, ' '));
  context->set("shown_count", std::to_string(rows.size()));
  context->set("more_events", events.size() > rows.size());
  context->set("hidden_count", std::to_string(events.size() - rows.size()));
  context->set("single_hidden", events.size() - rows.size() == 1);
  return list;
}

// Drops the blank lines a leading comment leaves, uses "\n" line ends, ends in one "\n".
std::string TidyBody(std::string body) {
  body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
  size_t start = 0;
  while (start < body.size()) {
    const size_t end = body.find('\n', start);
    if (end == std::string::npos) break;
    if (body.find_first_not_of(" \t", start) < end) break;
    start = end + 1;
  }
  body.erase(0, start);
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  body += '\n';
  return body;
}

Status CheckMessageId(std::string_view id) {
  const bool printable = std::all_of(id.begin(), id.end(), [](char c) {
    return c > ' ' && c < 0x7F && c != '<' && c != '>' && c != '"' && c != '\\';
  });
  const size_t at = id.find('@');
  if (id.empty() || !printable || at == 0 || at == std::string_view::npos || at + 1 == id.size()) {
    return InvalidArgument(
        fmt::format("message id {} is not of the form local@domain in printable ASCII", Quote(id)));
  }
  return {};
}

}  // namespace

const std::vector<std::string>& CsvColumns() {
  static const std::vector<std::string> kColumns = {"time.source",
                                                    "source.ip",
                                                    "source.port",
                                                    "source.asn",
                                                    "source.reverse_dns",
                                                    "source.fqdn",
                                                    "source.url",
                                                    "protocol.transport",
                                                    "classification.taxonomy",
                                                    "classification.type",
                                                    "classification.identifier",
                                                    "product.vulnerabilities",
                                                    "feed.name"};
  return kColumns;
}

const Templates::Language* Templates::Find(std::string_view language) const {
  const auto found = languages_.find(language);
  return found == languages_.end() ? nullptr : &found->second;
}

const Templates& Templates::BuiltIn() {
  static const Templates kBuiltIn = [] {
    Templates templates;
    for (const auto& [name, text] : BuiltInTemplates("notify")) {
      // name is "subject.nl" or "digest.nl"; CMake embeds exactly these files.
      const size_t dot = name.find('.');
      auto& language = templates.languages_[name.substr(dot + 1)];
      (name.starts_with("subject") ? language.subject : language.body) = text;
    }
    return templates;
  }();
  return kBuiltIn;
}

Result<Templates> Templates::LoadDirectory(const std::string& dir) {
  std::error_code error;
  std::filesystem::directory_iterator entries(dir, error);
  if (error) {
    return InvalidArgument(
        fmt::format("cannot read template folder {}: {}", Quote(dir), error.message()));
  }
  std::map<std::string, Language, std::less<>> found;
  std::map<std::string, std::pair<bool, bool>> seen;  // language -> (subject, body)
  for (const auto& entry : entries) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || !file.ends_with(".mustache")) continue;
    const std::string stem = file.substr(0, file.size() - std::string_view(".mustache").size());
    const bool subject = stem.starts_with("subject.");
    if (!subject && !stem.starts_with("digest.")) continue;
    const std::string language = stem.substr(stem.find('.') + 1);
    if (language.empty() || language.find('.') != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return InvalidArgument(fmt::format("cannot read template {}", Quote(entry.path().string())));
    }
    BAKEN_RETURN_IF_ERROR(CheckTemplate(text.str(), entry.path().string()));
    (subject ? found[language].subject : found[language].body) = text.str();
    (subject ? seen[language].first : seen[language].second) = true;
  }
  if (found.empty()) {
    return InvalidArgument(
        fmt::format("template folder {} holds no subject.<lang>.mustache or digest.<lang>.mustache",
                    Quote(dir)));
  }
  for (const auto& [language, files] : seen) {
    if (!files.first || !files.second) {
      return InvalidArgument(
          fmt::format("template folder {} has {}.{}.mustache but not {}.{}.mustache", Quote(dir),
                      files.first ? "subject" : "digest", language,
                      files.first ? "digest" : "subject", language));
    }
  }
  Templates templates = BuiltIn();
  for (auto& [language, files] : found) templates.languages_[language] = std::move(files);
  return templates;
}

std::string MailboxAddress(std::string_view mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
    mailbox = mailbox.substr(open + 1, close - open - 1);
  }
  const size_t first = mailbox.find_first_not_of(" \t");
  const size_t last = mailbox.find_last_not_of(" \t");
  if (first == std::string_view::npos) return "";
  return std::string(mailbox.substr(first, last - first + 1));
}

Result<RenderedMessage> Render(const Templates& templates, const Digest& digest) {
  const std::string language =
      digest.language.empty() ? std::string(kDefaultLanguage) : CleanLine(digest.language);
  const Templates::Language* chosen = templates.Find(language);
  if (chosen == nullptr) {
    return InvalidArgument(
        fmt::format("there are no notification templates for language {}", Quote(language)));
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string tlp, NormaliseTlp(CleanLine(digest.tlp)));
  BAKEN_RETURN_IF_ERROR(CheckMessageId(digest.message_id));
  if (digest.events.empty()) {
    return InvalidArgument(fmt::format("the digest {} has no events", Quote(digest.message_id)));
  }
  if (digest.to.empty()) {
    return InvalidArgument(
        fmt::format("the digest {} has no recipients", Quote(digest.message_id)));
  }
  BAKEN_ASSIGN_OR_RETURN(const auto events, ParseEvents(digest.events));

  RenderedMessage message;
  message.attachment_name = AttachmentName(digest);
  message.csv = Csv(events);

  data context;
  context.set("member_code", CleanLine(digest.member_code));
  context.set("member_name", CleanLine(digest.member_name));
  // A Shadowserver report by the name the table gives it in the reader's language; a feed the
  // operator named keeps its name.
  context.set("feed_name", CleanLine(FeedDisplayName(digest.feed_name, language)));
  context.set("period", CleanLine(digest.period));
  detail::SetTlp(context, tlp);
  context.set("event_count", std::to_string(events.size()));
  context.set("single_event", events.size() == 1);
  // What the subject calls the systems: a compromised system is not a vulnerable one.
  const auto any_taxonomy = [&events](std::string_view taxonomy) {
    return std::any_of(events.begin(), events.end(), [taxonomy](const auto& event) {
      return Field(event, "classification.taxonomy") == taxonomy;
    });
  };
  const bool infected = any_taxonomy("malicious-code");
  const bool compromised = !infected && any_taxonomy("intrusions");
  const bool vulnerable = !infected && !compromised && any_taxonomy("vulnerable");
  context.set("infected", infected);
  context.set("compromised", compromised);
  context.set("vulnerable", vulnerable);
  context.set("reported", !infected && !compromised && !vulnerable);
  context.set("attachment_name", message.attachment_name);
  std::string names;
  for (const auto& recipient : digest.to) {
    const std::string name = CleanLine(recipient.name);
    if (name.empty()) continue;
    if (!names.empty()) names += ", ";
    names += name;
  }
  context.set("recipient_names", names);
  context.set("events", EventTable(events, &context));

  BAKEN_RETURN_IF_ERROR(detail::Compose(
      chosen->subject, "subject." + language, chosen->body, "digest." + language, context,
      MimeHeaders{digest.from, digest.to, "", digest.date, digest.message_id, language, tlp},
      &message));
  return message;
}

namespace detail {

Result<std::string> CheckedTlp(std::string_view tlp) { return NormaliseTlp(tlp); }

void SetTlp(kainjow::mustache::data& context, const std::string& tlp) {
  context.set("tlp", tlp);
  context.set("tlp_label", "TLP:" + tlp);
  context.set("tlp_clear", tlp == "CLEAR");
  context.set("tlp_green", tlp == "GREEN");
  context.set("tlp_amber", tlp == "AMBER");
  context.set("tlp_amber_strict", tlp == "AMBER+STRICT");
  context.set("tlp_red", tlp == "RED");
}

Status CheckedMessageId(std::string_view id) { return CheckMessageId(id); }

std::string SafeFileName(std::string_view name) { return SanitiseFileName(name); }

Status Compose(const std::string& subject_template, const std::string& subject_name,
               const std::string& body_template, const std::string& body_name,
               const kainjow::mustache::data& context, MimeHeaders headers,
               RenderedMessage* message) {
  BAKEN_ASSIGN_OR_RETURN(const std::string subject,
                         RenderTemplate(subject_template, subject_name, context));
  BAKEN_ASSIGN_OR_RETURN(const std::string body, RenderTemplate(body_template, body_name, context));
  message->subject = CleanLine(subject);
  message->text_body = TidyBody(body);
  headers.subject = message->subject;
  BAKEN_ASSIGN_OR_RETURN(
      message->mime,
      BuildMime(headers, message->text_body,
                Attachment{message->attachment_name, "text/csv; charset=utf-8", message->csv}));
  return {};
}

const std::string* FindTemplate(const std::vector<std::pair<std::string, std::string>>& templates,
                                std::string_view name) {
  for (const auto& [key, text] : templates) {
    if (key == name) return &text;
  }
  return nullptr;
}

}  // namespace detail

}  // namespace baken::notify
