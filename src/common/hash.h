#ifndef BAKEN_COMMON_HASH_H_
#define BAKEN_COMMON_HASH_H_

// Cryptographic hashes as lower-case hex, the form CSAF hash files and our records use.

#include <string>
#include <string_view>

namespace baken {

std::string Sha256Hex(std::string_view bytes);
std::string Sha512Hex(std::string_view bytes);
// MD5, only where a format names values by it (a MISP feed's hashes.csv); never for security.
std::string Md5Hex(std::string_view bytes);

}  // namespace baken

#endif  // BAKEN_COMMON_HASH_H_
