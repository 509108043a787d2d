#include "common/hash.h"

#include <openssl/evp.h>
#include <sodium.h>

namespace baken {

namespace {

std::string Hex(const unsigned char* digest, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0x0f];
  }
  return hex;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, Bytes(bytes), bytes.size());
  return Hex(digest, sizeof digest);
}

std::string Sha512Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha512_BYTES];
  crypto_hash_sha512(digest, Bytes(bytes), bytes.size());
  return Hex(digest, sizeof digest);
}

std::string Md5Hex(std::string_view bytes) {
  // libsodium has no MD5; OpenSSL is here already (libcurl, cpp-httplib).
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr) != 1) return "";
  return Hex(digest, size);
}

}  // namespace baken
