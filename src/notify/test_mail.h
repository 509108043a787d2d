#ifndef BAKEN_NOTIFY_TEST_MAIL_H_
#define BAKEN_NOTIFY_TEST_MAIL_H_

// For the notify tests: takes a MIME message apart the way a mail reader would, independently
// of the code that built it.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <sodium.h>

namespace baken::notify::testing {

struct MailPart {
  std::map<std::string, std::string> headers;  // lower-case name -> unfolded value
  std::string body;
};

struct Mail {
  MailPart top;  // the message's headers; body is everything after them
  std::vector<MailPart> parts;
};

inline std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Headers up to the first empty line, unfolded (CRLF before white space removed).
inline MailPart ParsePart(std::string_view text) {
  MailPart part;
  const size_t end = text.find("\r\n\r\n");
  const std::string_view head = text.substr(0, end);
  part.body = end == std::string_view::npos ? "" : std::string(text.substr(end + 4));
  std::string unfolded;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head.substr(i, 2) == "\r\n" && i + 2 < head.size() &&
        (head[i + 2] == ' ' || head[i + 2] == '\t')) {
      ++i;
      continue;
    }
    unfolded += head[i];
  }
  size_t start = 0;
  while (start < unfolded.size()) {
    size_t line_end = unfolded.find("\r\n", start);
    if (line_end == std::string::npos) line_end = unfolded.size();
    const std::string line = unfolded.substr(start, line_end - start);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      const size_t value = line.find_first_not_of(' ', colon + 1);
      part.headers[Lower(line.substr(0, colon))] =
          value == std::string::npos ? "" : line.substr(value);
    }
    start = line_end + 2;
  }
  return part;
}

// The boundary parameter of a multipart Content-Type.
inline std::string Boundary(const std::string& content_type) {
  const size_t at = content_type.find("boundary=\"");
  if (at == std::string::npos) return "";
  const size_t start = at + 10;
  return content_type.substr(start, content_type.find('"', start) - start);
}

inline Mail ParseMail(std::string_view text) {
  Mail mail;
  mail.top = ParsePart(text);
  const std::string boundary = Boundary(mail.top.headers["content-type"]);
  if (boundary.empty()) return mail;
  const std::string delimiter = "\r\n--" + boundary;
  const std::string& body = mail.top.body;
  size_t at = body.find(delimiter);
  while (at != std::string::npos) {
    const size_t start = at + delimiter.size();
    if (body.compare(start, 2, "--") == 0) break;  // the close delimiter
    const size_t content = start + 2;              // after the CRLF
    const size_t next = body.find(delimiter, content);
    if (next == std::string::npos) break;
    mail.parts.push_back(ParsePart(std::string_view(body).substr(content, next - content)));
    at = next;
  }
  return mail;
}

inline std::string DecodeBase64(std::string_view text) {
  std::string binary(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(binary.data()), binary.size(), text.data(),
                        text.size(), "\r\n", &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<bad base64>";
  }
  binary.resize(length);
  return binary;
}

inline std::string DecodeQuotedPrintable(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      decoded += text[i];
    } else if (text.substr(i + 1, 2) == "\r\n") {
      i += 2;  // soft line break
    } else {
      decoded += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
  }
  return decoded;
}

// RFC 2047 "=?UTF-8?B?...?=" words decoded; white space between two words dropped.
inline std::string DecodeHeader(std::string_view folded) {
  std::string value;  // unfolded
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded.substr(i, 2) == "\r\n") {
      ++i;
    } else {
      value += folded[i];
    }
  }
  std::string decoded;
  std::string pending_space;
  bool after_word = false;
  size_t i = 0;
  while (i < value.size()) {
    if (std::string_view(value).substr(i, 10) == "=?UTF-8?B?") {
      const size_t end = value.find("?=", i + 10);
      if (!after_word) decoded += pending_space;
      pending_space.clear();
      decoded += DecodeBase64(std::string_view(value).substr(i + 10, end - i - 10));
      i = end + 2;
      after_word = true;
    } else if (value[i] == ' ' || value[i] == '\t') {
      pending_space += value[i++];
    } else {
      decoded += pending_space;
      pending_space.clear();
      decoded += value[i++];
      after_word = false;
    }
  }
  return decoded + pending_space;
}

// The text a reader reads: the first plain-text part that is no attachment, decoded (the
// message's own body when it is not multipart).
inline std::string PlainText(const Mail& mail) {
  std::vector<MailPart> parts = mail.parts;
  if (parts.empty()) parts.push_back(mail.top);
  for (MailPart& part : parts) {
    if (part.headers.count("content-disposition") != 0) continue;
    const std::string type = part.headers["content-type"];
    if (!type.empty() && type.find("text/plain") == std::string::npos) continue;
    const std::string encoding = part.headers["content-transfer-encoding"];
    if (encoding == "base64") return DecodeBase64(part.body);
    if (encoding == "quoted-printable") return DecodeQuotedPrintable(part.body);
    return part.body;
  }
  return "";
}

inline std::string PlainText(std::string_view message) { return PlainText(ParseMail(message)); }

}  // namespace baken::notify::testing

#endif  // BAKEN_NOTIFY_TEST_MAIL_H_
