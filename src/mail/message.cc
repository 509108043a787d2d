#include "mail/message.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <utility>

#include <fmt/format.h>
#include <gmime/gmime.h>

#include "common/json_text.h"
#include "common/text.h"

namespace baken::mail {

namespace {

// GObject references and GLib strings, released when they go out of scope.
struct ObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <typename T>
using Object = std::unique_ptr<T, ObjectUnref>;

struct GFree {
  void operator()(void* memory) const { g_free(memory); }
};
using GString = std::unique_ptr<char, GFree>;

void InitialiseGmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// `text` without white space (line breaks too) at either end.
std::string_view Trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string Text(const char* text) { return text == nullptr ? std::string() : RepairUtf8(text); }

// Whether GMime may be given `raw`: it builds every entity before Baken sees one, recursing
// once per level. Each multipart or enclosed message needs a Content-Type line of its own that
// says so, which bounds the depth; each part of a multipart starts on a line beginning with
// "--", which bounds the width. (A pasted HTTP trace's "Content-Type: text/html" lines count
// for neither.)
Status CheckShape(std::string_view raw) {
  size_t containers = 0;
  size_t delimiters = 0;
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view line = raw.substr(start, end - start);
    const std::string_view next =
        end + 1 < raw.size() ? raw.substr(end + 1, raw.find('\n', end + 1) - end - 1) : "";
    start = end + 1;
    if (line.starts_with("--")) ++delimiters;
    if (line.size() < 13 || AsciiLower(line.substr(0, 13)) != "content-type:") continue;
    std::string_view value = TrimBlanks(line.substr(13));
    if (value.empty() || value == "\r") value = TrimBlanks(next);  // folded after the colon
    const std::string type = AsciiLower(value.substr(0, 10));
    if (type.starts_with("multipart/") || type.starts_with("message/")) ++containers;
  }
  if (containers > kMaxParts || delimiters > kMaxDelimiterLines) {
    return InvalidArgument(fmt::format("the message has more than {} parts", kMaxParts));
  }
  return {};
}

std::string MediaTypeOf(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "text/plain";
  const GString mime_type(g_mime_content_type_get_mime_type(type));
  return mime_type ? AsciiLower(mime_type.get()) : "text/plain";
}

std::string Decoded(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  const Object<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  return bytes == nullptr ? std::string()
                          : std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// An entity as it was sent, with CRLF line ends: what a PGP/MIME signature covers (RFC 3156
// section 5).
std::string Canonical(GMimeObject* object) {
  const GString written(g_mime_object_to_string(object, nullptr));
  return written ? WithCrlfLineEnds(written.get()) : std::string();
}

// Builds a MailMessage from the entities it walks.
class Reader {
 public:
  Reader(const OpenPgp* openpgp, MailMessage& message) : openpgp_(openpgp), message_(message) {}

  // `root`: the message's own body, or the body of what it decrypted to. Only there is
  // encryption opened and a signature checked: one wrapped deeper is someone else's (a
  // captured message, a forwarded signature), and stays as it came.
  Status Walk(GMimeObject* object, int depth, bool root) {
    if (object == nullptr) return {};
    if (depth > 16 || ++entities_ > kMaxParts) {
      return InvalidArgument(fmt::format("the message has more than {} parts", kMaxParts));
    }
    if (root && GMIME_IS_MULTIPART_ENCRYPTED(object)) return Encrypted(object, depth);
    if (root && GMIME_IS_MULTIPART_SIGNED(object)) return Signed(object, depth);
    if (GMIME_IS_MULTIPART_ENCRYPTED(object) || GMIME_IS_MULTIPART_SIGNED(object)) {
      message_.unopened_openpgp = true;
    }
    if (GMIME_IS_MULTIPART(object)) {
      auto* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int index = 0; index < count; ++index) {
        BAKEN_RETURN_IF_ERROR(Walk(g_mime_multipart_get_part(multipart, index), depth + 1, false));
      }
      return {};
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      // A forwarded message stays whole, as an attachment an analyst opens.
      GMimeMessage* enclosed = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      const GString written(
          enclosed == nullptr ? nullptr : g_mime_object_to_string(GMIME_OBJECT(enclosed), nullptr));
      message_.parts.push_back(
          MailPart{"message/rfc822", "forwarded.eml", written ? written.get() : ""});
      return {};
    }
    if (GMIME_IS_PART(object)) return Leaf(GMIME_PART(object));
    return {};
  }

  Status OpenedText(std::string_view plaintext, const Signature& signature, int depth) {
    message_.encrypted = true;
    if (signature.state != "none") message_.signature = signature;
    const Object<GMimeStream> stream(
        g_mime_stream_mem_new_with_buffer(plaintext.data(), plaintext.size()));
    const Object<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    const Object<GMimeObject> entity(g_mime_parser_construct_part(parser.get(), nullptr));
    if (!entity) return InvalidArgument("the decrypted content is not a MIME entity");
    return Walk(entity.get(), depth + 1, true);
  }

 private:
  Status Encrypted(GMimeObject* object, int depth) {
    if (openpgp_ == nullptr) {
      return InvalidArgument(
          "the message is encrypted (PGP/MIME) and no OpenPGP home is configured to open it");
    }
    if (message_.encrypted) return InvalidArgument("the message is encrypted more than once");
    auto* multipart = GMIME_MULTIPART(object);
    GMimeObject* payload = g_mime_multipart_get_count(multipart) == 2
                               ? g_mime_multipart_get_part(multipart, 1)
                               : nullptr;
    if (payload == nullptr || !GMIME_IS_PART(payload)) {
      return InvalidArgument("the PGP/MIME message does not have its two parts (RFC 3156)");
    }
    const std::string ciphertext = Decoded(GMIME_PART(payload));
    auto opened = openpgp_->Decrypt(ciphertext, kMaxMessageBytes);
    // Not ours to open (kInvalidArgument) or not openable now (kUnavailable: the agent, the
    // home): the code travels, so that the MTA bounces the one and retries the other.
    if (!opened) {
      return tl::unexpected(
          MakeError(opened.error().code, "the encrypted message: " + opened.error().message));
    }
    BAKEN_RETURN_IF_ERROR(CheckShape(opened->plaintext));
    return OpenedText(opened->plaintext, opened->signature, depth);
  }

  Status Signed(GMimeObject* object, int depth) {
    auto* multipart = GMIME_MULTIPART(object);
    if (g_mime_multipart_get_count(multipart) != 2) {
      message_.signature.state = "error";
      for (int index = 0; index < g_mime_multipart_get_count(multipart); ++index) {
        BAKEN_RETURN_IF_ERROR(Walk(g_mime_multipart_get_part(multipart, index), depth + 1, false));
      }
      return {};
    }
    GMimeObject* content = g_mime_multipart_get_part(multipart, 0);
    GMimeObject* signature = g_mime_multipart_get_part(multipart, 1);
    if (openpgp_ == nullptr || !GMIME_IS_PART(signature)) {
      message_.signature.state = "error";
    } else if (message_.signature.state == "none") {
      message_.signature = openpgp_->Verify(Canonical(content), Decoded(GMIME_PART(signature)));
    }
    return Walk(content, depth + 1, false);
  }

  Status Leaf(GMimePart* part) {
    const std::string media_type = MediaTypeOf(GMIME_OBJECT(part));
    const char* disposition = g_mime_object_get_disposition(GMIME_OBJECT(part));
    const bool attachment = (disposition != nullptr && AsciiLower(disposition) == "attachment") ||
                            g_mime_part_get_filename(part) != nullptr;
    if (!attachment && message_.text.empty() && !message_.text_from_html &&
        media_type == "text/plain" && GMIME_IS_TEXT_PART(part)) {
      const GString text(g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
      message_.text = Text(text.get());
      return InlineOpenPgp();
    }
    std::string content = Decoded(part);
    if (content.empty()) return {};
    message_.parts.push_back(
        MailPart{media_type, Text(g_mime_part_get_filename(part)), std::move(content)});
    return {};
  }

  // A researcher's mail client may put the encrypted message in the text itself: opened when
  // it is the whole text (a block pasted among other words may be someone else's, captured).
  Status InlineOpenPgp() {
    const std::string_view armored = ArmoredMessageIn(message_.text);
    if (armored.empty()) return {};
    if (TrimBlanks(Trimmed(message_.text)) != armored || message_.encrypted) {
      message_.unopened_openpgp = true;
      return {};
    }
    if (openpgp_ == nullptr) {
      return InvalidArgument(
          "the message holds an OpenPGP message and no OpenPGP home is configured to open it");
    }
    auto opened = openpgp_->Decrypt(armored, kMaxMessageBytes);
    if (!opened) {
      return tl::unexpected(
          MakeError(opened.error().code, "the encrypted text: " + opened.error().message));
    }
    message_.encrypted = true;
    if (opened->signature.state != "none") message_.signature = opened->signature;
    message_.text = RepairUtf8(opened->plaintext);
    return {};
  }

  const OpenPgp* openpgp_;
  MailMessage& message_;
  size_t entities_ = 0;
};

std::string FirstMailbox(InternetAddressList* list, std::string* name) {
  if (list == nullptr) return {};
  for (int index = 0; index < internet_address_list_length(list); ++index) {
    InternetAddress* address = internet_address_list_get_address(list, index);
    if (address == nullptr || !INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    if (name != nullptr) *name = Text(internet_address_get_name(address));
    return AsciiLower(Text(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))));
  }
  return {};
}

std::string UtcDate(GDateTime* date) {
  if (date == nullptr) return {};
  GDateTime* utc = g_date_time_to_utc(date);
  if (utc == nullptr) return {};
  const GString text(g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ"));
  g_date_time_unref(utc);
  return text ? std::string(text.get()) : std::string();
}

// The HTML part's text, when a mail has no plain text: tags dropped, entities left as they are
// (an analyst reads the HTML itself in the archived message).
std::string TextOfHtml(std::string_view html) {
  std::string text;
  bool in_tag = false;
  for (const char c : html) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
      text += ' ';
    } else if (!in_tag) {
      text += c;
    }
  }
  return RepairUtf8(text);
}

}  // namespace

Result<MailMessage> ReadMessage(std::string_view raw, const OpenPgp* openpgp) {
  if (raw.size() > kMaxMessageBytes) {
    return InvalidArgument(fmt::format("the message has {} bytes, more than the limit of {}",
                                       raw.size(), kMaxMessageBytes));
  }
  BAKEN_RETURN_IF_ERROR(CheckShape(raw));
  InitialiseGmime();
  const Object<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  const Object<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  const Object<GMimeMessage> parsed(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!parsed) return InvalidArgument("not an e-mail message (RFC 5322): no header was found");

  MailMessage message;
  message.from_address = FirstMailbox(g_mime_message_get_from(parsed.get()), &message.from_name);
  if (message.from_address.empty()) {
    return InvalidArgument("the message has no sender address (From)");
  }
  const std::string reply_to = FirstMailbox(g_mime_message_get_reply_to(parsed.get()), nullptr);
  if (reply_to != message.from_address) message.reply_to = reply_to;
  message.subject = Text(g_mime_message_get_subject(parsed.get()));
  message.message_id = Text(g_mime_message_get_message_id(parsed.get()));
  message.date = UtcDate(g_mime_message_get_date(parsed.get()));
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(parsed.get()));
  const int count = headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
  for (int index = 0; index < count; ++index) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, index);
    const char* name = header == nullptr ? nullptr : g_mime_header_get_name(header);
    if (name == nullptr) continue;
    message.headers.emplace(AsciiLower(Text(name)), Text(g_mime_header_get_value(header)));
  }

  Reader reader(openpgp, message);
  BAKEN_RETURN_IF_ERROR(reader.Walk(g_mime_message_get_mime_part(parsed.get()), 0, true));
  if (message.text.empty()) {
    for (const MailPart& part : message.parts) {
      if (part.media_type == "text/html") {
        message.text = TextOfHtml(part.content);
        message.text_from_html = true;
        break;
      }
    }
  }
  return message;
}

}  // namespace baken::mail
