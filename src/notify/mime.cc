#include "notify/mime.h"

#include <algorithm>
#include <array>
#include <mutex>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sodium.h>

#include "common/base64.h"
#include "common/json_text.h"
#include "common/quote.h"
#include "net/email.h"

namespace baken::notify {

namespace {

constexpr size_t kLineLimit = 78;
// UTF-8 bytes per encoded word: 42 bytes are 56 base64 characters, so "=?UTF-8?B?...?=" is 68
// characters and "Subject: " plus one word stays within 78.
constexpr size_t kEncodedWordBytes = 42;
constexpr size_t kBase64LineLength = 76;
constexpr size_t kQuotedPrintableLineLength = 75;  // plus "=" for a soft break

void InitSodium() {
  static const int kResult = sodium_init();
  (void)kResult;  // -1 only when no random source exists; base64 and hashing work regardless
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// RFC 2047 encoded words for `text`, cut only between UTF-8 characters.
std::vector<std::string> EncodedWords(std::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    size_t length = std::min(text.size(), kEncodedWordBytes);
    while (length < text.size() && length > 1 &&
           (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) {
      --length;
    }
    words.push_back("=?UTF-8?B?" + EncodeBase64(text.substr(0, length)) + "?=");
    text.remove_prefix(length);
  }
  return words;
}

// "Name <address>" with the name quoted or encoded, or just the address.
Result<std::string> FormatMailbox(std::string_view name, std::string_view address,
                                  std::string_view role) {
  if (!net::IsValidEmailAddress(address)) {
    return InvalidArgument(
        fmt::format("{} address {} is not a valid e-mail address", role, Quote(address)));
  }
  const std::string clean = CleanLine(name);
  if (clean.empty()) return std::string(address);
  std::string phrase;
  if (IsAscii(clean) && clean.find("=?") == std::string::npos) {
    phrase = "\"";
    for (const char c : clean) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    for (const auto& word : EncodedWords(clean)) {
      if (!phrase.empty()) phrase += "\r\n ";
      phrase += word;
    }
  }
  return fmt::format("{} <{}>", phrase, address);
}

// The name and address of "Name <address>", "\"Name\" <address>" or "address".
Result<std::string> FormatFrom(std::string_view from) {
  const std::string address = MailboxAddress(from);
  std::string name;
  if (const size_t open = from.rfind('<'); open != std::string_view::npos) {
    name = CleanLine(from.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
  }
  return FormatMailbox(name, address, "sender");
}

size_t LastLineLength(std::string_view text) {
  const size_t newline = text.rfind('\n');
  return newline == std::string_view::npos ? text.size() : text.size() - newline - 1;
}

size_t FirstLineLength(std::string_view text) {
  const size_t newline = text.find('\r');
  return newline == std::string_view::npos ? text.size() : newline;
}

// "Name: a, b, c", folded between mailboxes.
std::string AddressHeader(std::string_view name, const std::vector<std::string>& mailboxes) {
  std::string header = std::string(name) + ":";
  for (size_t i = 0; i < mailboxes.size(); ++i) {
    const std::string item = mailboxes[i] + (i + 1 < mailboxes.size() ? "," : "");
    const bool first = i == 0;
    if (!first && LastLineLength(header) + 1 + FirstLineLength(item) > kLineLimit) {
      header += "\r\n";
    }
    header += ' ';
    header += item;
  }
  return header;
}

std::string Boundary(std::string_view message_id) {
  InitSodium();
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(),
                     reinterpret_cast<const unsigned char*>(message_id.data()), message_id.size(),
                     nullptr, 0);
  std::array<char, 2 * 16 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  // "=_" never occurs in quoted-printable or base64 text, so the parts cannot contain it.
  return std::string("=_baken_") + hex.data();
}

bool IsLanguageTag(std::string_view tag) {
  return !tag.empty() && tag.size() <= 35 && std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string CleanLine(std::string_view text) {
  const std::string valid = RepairUtf8(text);
  std::string clean;
  clean.reserve(valid.size());
  auto space = [&clean] {
    if (!clean.empty() && clean.back() != ' ') clean += ' ';
  };
  for (size_t i = 0; i < valid.size(); ++i) {
    const auto byte = static_cast<unsigned char>(valid[i]);
    if (byte < 0x20 || byte == 0x7F || byte == ' ') {
      space();
      continue;
    }
    // C1 controls (U+0080..U+009F) and the line separators and direction overrides that can
    // make text look like something else (U+2028, U+2029, U+200E, U+200F, U+202A..U+202E,
    // U+2066..U+2069).
    if (byte == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) < 0xA0) {
      space();
      ++i;
      continue;
    }
    if (byte == 0xE2 && i + 2 < valid.size()) {
      const auto second = static_cast<unsigned char>(valid[i + 1]);
      const auto third = static_cast<unsigned char>(valid[i + 2]);
      const bool hidden = (second == 0x80 &&
                           (third == 0x8E || third == 0x8F || (third >= 0xA8 && third <= 0xAE))) ||
                          (second == 0x81 && third >= 0xA6 && third <= 0xA9);
      if (hidden) {
        space();
        i += 2;
        continue;
      }
    }
    clean += valid[i];
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  return clean;
}

std::string UnstructuredHeader(std::string_view name, std::string_view value) {
  const std::string clean = CleanLine(value);
  bool encode = !IsAscii(clean) || clean.find("=?") != std::string::npos;
  // A word too long to fold is encoded, because encoded words can be cut anywhere.
  size_t word_start = 0;
  while (!encode && word_start <= clean.size()) {
    const size_t word_end = std::min(clean.find(' ', word_start), clean.size());
    encode = word_end - word_start > kLineLimit - name.size() - 2;
    word_start = word_end + 1;
  }
  std::string header = std::string(name) + ":";
  if (encode) {
    const auto words = EncodedWords(clean);
    for (size_t i = 0; i < words.size(); ++i) {
      header += i == 0 ? " " : "\r\n ";
      header += words[i];
    }
    return header;
  }
  word_start = 0;
  bool first = true;
  while (word_start < clean.size()) {
    const size_t word_end = std::min(clean.find(' ', word_start), clean.size());
    const std::string_view word = std::string_view(clean).substr(word_start, word_end - word_start);
    if (!first && LastLineLength(header) + 1 + word.size() > kLineLimit) header += "\r\n";
    header += ' ';
    header += word;
    first = false;
    word_start = word_end + 1;
  }
  return header;
}

std::string QuotedPrintable(std::string_view text) {
  std::string encoded;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_start, line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t length = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      // Leading "." and "From " are encoded too, so no mail system changes the line.
      const bool literal =
          ((byte == ' ' || byte == '\t') && !last) ||
          (byte > ' ' && byte < 0x7F && byte != '=' &&
           !(i == 0 && (byte == '.' || (byte == 'F' && line.starts_with("From ")))));
      const std::string piece =
          literal ? std::string(1, line[i]) : fmt::format("={:02X}", static_cast<unsigned>(byte));
      if (length + piece.size() > kQuotedPrintableLineLength) {
        encoded += "=\r\n";
        length = 0;
      }
      encoded += piece;
      length += piece.size();
    }
    encoded += "\r\n";
    line_start = line_end + 1;
  }
  return encoded;
}

Result<std::string> BuildMime(const MimeHeaders& headers, std::string_view text_body,
                              const Attachment& attachment) {
  BAKEN_ASSIGN_OR_RETURN(const std::string from, FormatFrom(headers.from));
  std::vector<std::string> to;
  for (const auto& recipient : headers.to) {
    BAKEN_ASSIGN_OR_RETURN(std::string mailbox,
                           FormatMailbox(recipient.name, recipient.email, "recipient"));
    to.push_back(std::move(mailbox));
  }
  const std::string date = CleanLine(headers.date);
  if (date.empty() || !IsAscii(date)) {
    return InvalidArgument(
        fmt::format("the Date header {} is empty or not ASCII", Quote(headers.date)));
  }
  if (!IsLanguageTag(headers.language)) {
    return InvalidArgument(
        fmt::format("language {} is not a language tag", Quote(headers.language)));
  }
  const std::string boundary = Boundary(headers.message_id);

  std::string mime;
  auto line = [&mime](std::string_view text) {
    mime += text;
    mime += "\r\n";
  };
  line(AddressHeader("From", {from}));
  line(AddressHeader("To", to));
  line(UnstructuredHeader("Subject", headers.subject));
  line("Date: " + date);
  line("Message-ID: <" + headers.message_id + ">");
  line("MIME-Version: 1.0");
  line("Content-Type: multipart/mixed;\r\n boundary=\"" + boundary + "\"");
  line("Content-Language: " + headers.language);
  line("X-Baken-TLP: " + CleanLine(headers.tlp));
  line("Auto-Submitted: auto-generated");
  line("");
  line("This is a multi-part message in MIME format.");
  line("");
  line("--" + boundary);
  line("Content-Type: text/plain; charset=utf-8");
  line("Content-Transfer-Encoding: quoted-printable");
  line("");
  mime += QuotedPrintable(text_body);
  // The CRLF before a boundary belongs to the boundary; this one keeps the body's last line end.
  line("");
  if (attachment.file_name.empty()) {  // a notice without an attachment
    line("--" + boundary + "--");
    return mime;
  }
  line("--" + boundary);
  line("Content-Type: " + attachment.content_type + ";\r\n name=\"" + attachment.file_name + "\"");
  line("Content-Transfer-Encoding: base64");
  line("Content-Disposition: attachment;\r\n filename=\"" + attachment.file_name + "\"");
  line("");
  const std::string encoded = EncodeBase64(attachment.content);
  for (size_t i = 0; i < encoded.size(); i += kBase64LineLength) {
    line(std::string_view(encoded).substr(i, kBase64LineLength));
  }
  line("--" + boundary + "--");
  return mime;
}

std::string MessageText(std::string_view mime) {
  constexpr std::string_view kTextPart =
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"
      "\r\n\r\n";
  const size_t start = mime.find(kTextPart);
  if (start == std::string_view::npos) return "";
  std::string_view body = mime.substr(start + kTextPart.size());
  // The part ends where the next boundary line begins ("=_" never occurs in quoted-printable).
  const size_t end = body.find("\r\n--=_");
  if (end != std::string_view::npos) body = body.substr(0, end);
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string text;
  text.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body.substr(i, 2) == "\r\n") {
      text += '\n';
      ++i;
    } else if (body[i] == '=' && body.substr(i + 1, 2) == "\r\n") {
      i += 2;  // a soft line break
    } else if (body[i] == '=' && i + 2 < body.size() && hex(body[i + 1]) >= 0 &&
               hex(body[i + 2]) >= 0) {
      text += static_cast<char>(hex(body[i + 1]) * 16 + hex(body[i + 2]));
      i += 2;
    } else {
      text += body[i];
    }
  }
  return RepairUtf8(text);
}

std::string RfcDate(std::chrono::system_clock::time_point when) {
  return fmt::format("{:%a, %d %b %Y %H:%M:%S} +0000",
                     std::chrono::floor<std::chrono::seconds>(when));
}

}  // namespace baken::notify
