// libFuzzer target: a researcher's report as the public endpoint reads it
// (disclosure/submission.h: texts, markup, IP addresses, host names, URLs through libcurl's
// parser, e-mail domains, products and CPE names, attachments in base64). Whatever the bytes,
// the reading ends in a submission or a refusal with its problems named, never a crash, an
// internal error or a refusal without a code; the addresses, hosts and domains it accepts are
// canonical (reading them again gives the same).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "disclosure/submission.h"
#include "net/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The raw bytes as one free text and as one URL.
  (void)baken::disclosure::ScriptIn(text);
  if (auto url = baken::net::ParseHttpUrl(text)) {
    if (url->host.empty() || (url->scheme != "http" && url->scheme != "https")) __builtin_trap();
  }
  const auto body = baken::disclosure::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  const auto read = baken::disclosure::ReadSubmission(body);
  if (!read) {
    const baken::Error& error = read.error();
    if (error.code != baken::ErrorCode::kInvalidArgument || error.key.empty()) __builtin_trap();
    return 0;
  }
  // Accepted items are canonical: given back as the submission's lists, they read the same.
  baken::disclosure::Json again = {{"title", "t"}, {"description", "d"}};
  // (URLs are libcurl's form, which Baken does not define: left out.)
  const char* const lists[] = {"ip", "ips", "host", "hosts", "email_domain", "email_domains"};
  for (const auto& item : read->items) {
    for (size_t i = 0; i < std::size(lists); i += 2) {
      if (item.kind == lists[i]) again[lists[i + 1]].push_back(item.value);
    }
  }
  if (again.size() == 2) return 0;
  const auto reread = baken::disclosure::ReadSubmission(again);
  if (!reread) __builtin_trap();
  for (const auto& item : reread->items) {
    bool found = false;
    for (const auto& first : read->items)
      found |= first.kind == item.kind && first.value == item.value;
    if (!found) __builtin_trap();
  }
  return 0;
}
