#include "notify/smtp.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <curl/curl.h>
#include <fmt/format.h>

#include "common/quote.h"
#include "net/email.h"
#include "net/http_client.h"
#include "notify/mime.h"

namespace baken::notify {

namespace {

constexpr size_t kMaxReplyLength = 200;

struct Upload {
  std::string_view data;
  size_t offset = 0;
  const SmtpSender::BeforeEndOfData* before_end = nullptr;
  bool ended = false;        // the end of the data was handed to curl
  Status before_end_status;  // what before_end said
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t length = std::min(size * count, upload->data.size() - upload->offset);
  if (!upload->ended && upload->offset + length == upload->data.size()) {
    // The last bytes: once curl has them it sends the end-of-data mark without asking again
    // (it knows the size), so this is the last moment to stop.
    upload->ended = true;
    if (upload->before_end != nullptr && *upload->before_end) {
      upload->before_end_status = (*upload->before_end)();
      if (!upload->before_end_status) return CURL_READFUNC_ABORT;
    }
  }
  std::copy_n(upload->data.data() + upload->offset, length, buffer);
  upload->offset += length;
  return length;
}

// The server's replies, for error messages: the last refusal (4xx/5xx) if there was one, else
// the last reply. After a refusal curl still says QUIT, and "221 Bye" would explain nothing.
struct Replies {
  std::string last;
  std::string last_refusal;
  const std::string& Best() const { return last_refusal.empty() ? last : last_refusal; }
};

int RecordReply(CURL* /*curl*/, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line = CleanLine(std::string_view(data, size));
  if (line.empty()) return 0;
  if (line.size() > kMaxReplyLength) line = line.substr(0, kMaxReplyLength) + "...";
  auto* replies = static_cast<Replies*>(user);
  if (line[0] == '4' || line[0] == '5') replies->last_refusal = line;
  replies->last = std::move(line);
  return 0;
}

// An address as it goes into MAIL FROM / RCPT TO, or empty when it cannot.
std::string EnvelopeAddress(std::string_view address) {
  return net::IsValidEmailAddress(address) ? "<" + std::string(address) + ">" : "";
}

std::string WithoutCredentials(std::string url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t host = scheme + 3;
  const size_t at = url.find('@', host);
  if (at != std::string::npos && at < url.find('/', host)) url.erase(host, at + 1 - host);
  return url;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

SmtpSender::SmtpSender(SmtpSettings settings)
    : settings_(std::move(settings)), server_(WithoutCredentials(settings_.url)) {
  if (settings_.timeout_seconds <= 0) settings_.timeout_seconds = 30;
}

Status SmtpSender::Send(std::string_view envelope_from, const std::vector<std::string>& recipients,
                        std::string_view mime, const BeforeEndOfData& before_end_of_data) const {
  const std::string from = EnvelopeAddress(envelope_from);
  if (from.empty()) {
    return InvalidArgument(
        fmt::format("envelope sender {} is not an e-mail address", Quote(envelope_from)));
  }
  if (recipients.empty()) return InvalidArgument("a message needs at least one recipient");
  std::unique_ptr<curl_slist, ListDeleter> rcpt;
  for (const auto& recipient : recipients) {
    const std::string address = EnvelopeAddress(recipient);
    if (address.empty()) {
      return InvalidArgument(
          fmt::format("recipient {} is not an e-mail address", Quote(recipient)));
    }
    curl_slist* appended = curl_slist_append(rcpt.get(), address.c_str());
    if (appended == nullptr) return Internal("out of memory building the recipient list");
    (void)rcpt.release();
    rcpt.reset(appended);
  }
  if (mime.empty()) return InvalidArgument("the message to send is empty");

  net::InitCurlOnce();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return Internal("curl_easy_init failed");
  CURL* handle = curl.get();
  Upload upload;
  upload.data = mime;
  upload.before_end = &before_end_of_data;
  Replies replies;
  char error_buffer[CURL_ERROR_SIZE] = {};
  const bool smtps = settings_.url.starts_with("smtps://");
  curl_easy_setopt(handle, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, settings_.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, settings_.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  if (!smtps) {
    // Never send a password in the clear; without one, encrypt when the server can.
    curl_easy_setopt(
        handle, CURLOPT_USE_SSL,
        static_cast<long>(settings_.username.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL));
  }
  if (!settings_.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  // The debug callback sees the server's replies; it never sees what we send (AUTH).
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, RecordReply);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &replies);
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);

  const CURLcode result = curl_easy_perform(handle);
  if (result == CURLE_OK) return {};
  if (!upload.before_end_status) return upload.before_end_status;

  long reply_code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply_code);
  const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
  const std::string reply =
      replies.Best().empty() ? "" : fmt::format("; it said {}", Quote(replies.Best()));
  if (upload.ended && reply_code < 400) {
    return Internal(fmt::format(
        "the connection to SMTP server {} failed after the end of the message was sent and "
        "before the server confirmed it ({}): it may or may not have arrived",
        server_, detail));
  }
  if (reply_code >= 400 && reply_code < 500) {
    return Unavailable(
        fmt::format("SMTP server {} refused the message for now ({}){}", server_, detail, reply));
  }
  if (reply_code == 530 || reply_code == 535 || result == CURLE_LOGIN_DENIED) {
    return PermissionDenied(
        fmt::format("SMTP server {} refused the login ({}){}", server_, detail, reply));
  }
  if (reply_code >= 500) {
    return InvalidArgument(
        fmt::format("SMTP server {} refused the message ({}){}", server_, detail, reply));
  }
  switch (result) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return InvalidArgument(fmt::format("SMTP server URL {} is not usable ({})", server_, detail));
    default:
      return Unavailable(
          fmt::format("SMTP server {} could not be reached ({}){}", server_, detail, reply));
  }
}

}  // namespace baken::notify
