#include "auth/totp.h"

#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <vector>

#include <fmt/format.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

namespace baken::auth {
namespace {

// liboath's own set-up; when it fails every code is refused (its functions then fail too).
bool InitOathOnce() {
  static std::once_flag once;
  static bool ready = false;
  std::call_once(once, [] { ready = oath_init() == OATH_OK; });
  return ready;
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};
using OathBuffer = std::unique_ptr<char, FreeDeleter>;

// The secret's bytes, or nullopt when it is not base32.
std::optional<std::string> DecodeSecret(std::string_view base32_secret) {
  if (!InitOathOnce()) return std::nullopt;
  if (base32_secret.empty() || base32_secret.size() > 128) return std::nullopt;
  char* out = nullptr;
  size_t length = 0;
  if (oath_base32_decode(base32_secret.data(), base32_secret.size(), &out, &length) != OATH_OK) {
    return std::nullopt;
  }
  std::string secret(out, length);
  sodium_memzero(out, length);
  OathBuffer owned(out);
  return secret;
}

time_t Seconds(std::chrono::system_clock::time_point now) {
  return static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UriComponent(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

}  // namespace

std::string GenerateTotpSecret() {
  if (!InitOathOnce()) return {};
  unsigned char raw[20];
  randombytes_buf(raw, sizeof raw);
  char* out = nullptr;
  size_t length = 0;
  if (oath_base32_encode(reinterpret_cast<const char*>(raw), sizeof raw, &out, &length) !=
      OATH_OK) {
    return {};
  }
  OathBuffer owned(out);
  std::string secret(out, length);
  while (!secret.empty() && secret.back() == '=') secret.pop_back();
  sodium_memzero(raw, sizeof raw);
  return secret;
}

std::optional<int64_t> MatchTotp(std::string_view base32_secret, std::string_view code,
                                 std::chrono::system_clock::time_point now) {
  if (code.size() != kTotpDigits) return std::nullopt;
  for (const char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto secret = DecodeSecret(base32_secret);
  if (!secret) return std::nullopt;
  const std::string otp(code);
  int position = 0;
  const time_t seconds = Seconds(now);
  const int found = oath_totp_validate2(secret->data(), secret->size(), seconds, kTotpStepSeconds,
                                        0, /*window=*/1, &position, otp.c_str());
  if (found < 0) return std::nullopt;
  return static_cast<int64_t>(seconds / kTotpStepSeconds) + position;
}

Result<std::string> TotpCode(std::string_view base32_secret,
                             std::chrono::system_clock::time_point now) {
  const auto secret = DecodeSecret(base32_secret);
  if (!secret) return InvalidArgument("the TOTP secret is not base32");
  char otp[kTotpDigits + 1] = {};
  if (oath_totp_generate(secret->data(), secret->size(), Seconds(now), kTotpStepSeconds, 0,
                         kTotpDigits, otp) != OATH_OK) {
    return Internal("liboath could not compute a TOTP code");
  }
  return std::string(otp);
}

std::string TotpUri(std::string_view base32_secret, std::string_view account) {
  return fmt::format(
      "otpauth://totp/Baken:{}?secret={}&issuer=Baken&algorithm=SHA1&digits={}&period={}",
      UriComponent(account), base32_secret, kTotpDigits, kTotpStepSeconds);
}

Result<std::string> QrCodeSvg(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code) return InvalidArgument("the text does not fit in a QR code");
  constexpr int kQuiet = 4;
  const int width = code->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if ((code->data[y * width + x] & 1) != 0) {
        path += fmt::format("M{} {}h1v1h-1z", x + kQuiet, y + kQuiet);
      }
    }
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" "
      "shape-rendering=\"crispEdges\"><rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/>"
      "<path d=\"{1}\" fill=\"#000\"/></svg>",
      size, path);
}

}  // namespace baken::auth
