#include "notify/pgp_mime.h"

#include <array>

#include <fmt/format.h>
#include <sodium.h>

#include "common/text.h"

namespace baken::notify {

namespace {

// The header fields that describe the content, and so move into the signed or encrypted part.
bool IsContentField(std::string_view field) {
  const std::string name = AsciiLower(field.substr(0, field.find(':')));
  return name == "content-type" || name == "content-transfer-encoding" ||
         name == "content-disposition" || name == "content-description" || name == "content-id";
}

std::string RandomBoundary(std::string_view kind) {
  std::array<unsigned char, 12> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 2 * 12 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  // "=_" never occurs in quoted-printable, base64 or armored text.
  return fmt::format("=_baken_{}_{}", kind, hex.data());
}

// gpg's armor with CRLF line ends (RFC 5322), without the last one (the boundary brings it).
std::string ArmorLines(std::string_view armor) {
  std::string out = mail::WithCrlfLineEnds(armor);
  while (out.ends_with("\r\n")) out.resize(out.size() - 2);
  return out;
}

struct SplitMessage {
  std::string outer;   // the other header fields, each ending in CRLF
  std::string entity;  // the content fields, CRLF, the body
};

Result<SplitMessage> Split(std::string_view mime) {
  const size_t end = mime.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return InvalidArgument("PGP/MIME: the message has no end of its header");
  }
  std::string_view header = mime.substr(0, end + 2);
  SplitMessage split;
  std::string content_fields;
  bool has_type = false;
  while (!header.empty()) {
    // One field: its first line and the folded lines that follow (starting with a blank).
    size_t field_end = header.find("\r\n");
    while (field_end + 2 < header.size() &&
           (header[field_end + 2] == ' ' || header[field_end + 2] == '\t')) {
      field_end = header.find("\r\n", field_end + 2);
    }
    const std::string_view field = header.substr(0, field_end + 2);
    header.remove_prefix(field_end + 2);
    if (IsContentField(field)) {
      has_type |= AsciiLower(field.substr(0, 13)) == "content-type:";
      content_fields += field;
    } else {
      split.outer += field;
    }
  }
  if (!has_type) content_fields = "Content-Type: text/plain; charset=us-ascii\r\n" + content_fields;
  for (const char c : mime.substr(end)) {
    if (static_cast<unsigned char>(c) > 0x7f) {
      return InvalidArgument("PGP/MIME: the message is not 7-bit, so it cannot be signed as it is");
    }
  }
  split.entity = content_fields + std::string(mime.substr(end + 2));
  return split;
}

}  // namespace

Result<std::string> ProtectMime(std::string_view mime, const mail::OpenPgp& openpgp,
                                std::string_view signer,
                                const std::vector<std::string>& recipient_keys) {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  BAKEN_ASSIGN_OR_RETURN(SplitMessage split, Split(mime));
  std::string message = split.outer;
  if (recipient_keys.empty()) {
    BAKEN_ASSIGN_OR_RETURN(const mail::OpenPgp::Signed signed_content,
                           openpgp.SignDetached(split.entity, signer));
    const std::string boundary = RandomBoundary("signed");
    message += fmt::format(
        "Content-Type: multipart/signed; micalg={};\r\n protocol=\"application/pgp-signature\";"
        "\r\n boundary=\"{}\"\r\n\r\nThis is an OpenPGP/MIME signed message (RFC 3156).\r\n"
        "--{}\r\n",
        signed_content.micalg, boundary, boundary);
    message += split.entity;
    message += fmt::format(
        "\r\n--{}\r\nContent-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
        "Content-Description: OpenPGP digital signature\r\n"
        "Content-Disposition: attachment; filename=\"signature.asc\"\r\n\r\n{}\r\n--{}--\r\n",
        boundary, ArmorLines(signed_content.signature), boundary);
    return message;
  }
  BAKEN_ASSIGN_OR_RETURN(const std::string encrypted,
                         openpgp.Encrypt(split.entity, recipient_keys, signer));
  const std::string boundary = RandomBoundary("encrypted");
  message += fmt::format(
      "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
      " boundary=\"{}\"\r\n\r\nThis is an OpenPGP/MIME encrypted message (RFC 3156).\r\n"
      "--{}\r\nContent-Type: application/pgp-encrypted\r\n"
      "Content-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n\r\n"
      "--{}\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
      "Content-Description: OpenPGP encrypted message\r\n"
      "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n{}\r\n--{}--\r\n",
      boundary, boundary, boundary, ArmorLines(encrypted), boundary);
  return message;
}

}  // namespace baken::notify
