#ifndef BAKEN_COMMON_BASE64_H_
#define BAKEN_COMMON_BASE64_H_

// Base64 (RFC 4648, with padding; line breaks allowed when decoding), as files travel in JSON
// bodies: an incident's evidence, a researcher's attachments.

#include <optional>
#include <string>
#include <string_view>

namespace baken {

// `bytes` in base64, without line breaks.
std::string EncodeBase64(std::string_view bytes);

// The bytes, or nullopt when `text` is not base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace baken

#endif  // BAKEN_COMMON_BASE64_H_
