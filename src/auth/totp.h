#ifndef BAKEN_AUTH_TOTP_H_
#define BAKEN_AUTH_TOTP_H_

// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the second
// factor a portal user can turn on (docs/decisions/0009-sign-in.md). liboath computes and
// checks the codes; libqrencode draws the QR code an authenticator app scans.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace baken::auth {

inline constexpr unsigned kTotpDigits = 6;
inline constexpr unsigned kTotpStepSeconds = 30;

// A new secret: 20 random bytes (160 bits, RFC 4226's recommendation) in base32 without
// padding, as authenticator apps take it.
std::string GenerateTotpSecret();

// The time step (seconds since 1970 / 30) that `code` belongs to, when it is the code of
// `base32_secret` for the step of `now` or the one before or after (clocks drift); nullopt
// for any other code, a malformed code or a malformed secret.
std::optional<int64_t> MatchTotp(std::string_view base32_secret, std::string_view code,
                                 std::chrono::system_clock::time_point now);

// The code for `now` (for tests and for showing what an app would show).
Result<std::string> TotpCode(std::string_view base32_secret,
                             std::chrono::system_clock::time_point now);

// otpauth://totp/Baken:EMAIL?secret=…&issuer=Baken&algorithm=SHA1&digits=6&period=30
std::string TotpUri(std::string_view base32_secret, std::string_view account);

// `text` as a QR code (error correction M), an SVG image with a quiet zone of four modules.
Result<std::string> QrCodeSvg(std::string_view text);

}  // namespace baken::auth

#endif  // BAKEN_AUTH_TOTP_H_
