#include "disclosure/proof_of_work.h"

#include <array>
#include <cstdint>

#include <sodium.h>

namespace baken::disclosure {

int ProofBits(std::string_view challenge, std::string_view nonce) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(challenge.data()),
                            challenge.size());
  const unsigned char colon = ':';
  crypto_hash_sha256_update(&state, &colon, 1);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(nonce.data()),
                            nonce.size());
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  int bits = 0;
  for (const unsigned char byte : digest) {
    if (byte == 0) {
      bits += 8;
      continue;
    }
    for (int bit = 7; bit >= 0 && (byte >> bit & 1) == 0; --bit) ++bits;
    break;
  }
  return bits;
}

bool ProofHolds(std::string_view challenge, std::string_view nonce, int bits) {
  return ProofBits(challenge, nonce) >= bits;
}

std::string SolveProof(std::string_view challenge, int bits) {
  for (uint64_t n = 0;; ++n) {
    std::string nonce = std::to_string(n);
    if (ProofHolds(challenge, nonce, bits)) return nonce;
  }
}

}  // namespace baken::disclosure
