#ifndef BAKEN_STORE_OPENPGP_KEY_REPOSITORY_H_
#define BAKEN_STORE_OPENPGP_KEY_REPOSITORY_H_

// The OpenPGP public keys on file for e-mail addresses (decision 0021): a contact whose address
// has one gets Baken's mail encrypted. Reached through Transaction::OpenPgpKeys(); added with
// `baken openpgp import`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::store {

struct OpenPgpKey {
  std::string email;  // lower-case
  std::string fingerprint;
  std::string armored;  // the public key block as imported
  std::string added_by;
  std::string added_at;
};

class OpenPgpKeyRepository {
 public:
  virtual ~OpenPgpKeyRepository() = default;
  // Adds or replaces the key for key.email.
  virtual Status Put(const OpenPgpKey& key) = 0;
  virtual Result<std::optional<OpenPgpKey>> KeyFor(std::string_view email) = 0;
  virtual Result<std::vector<OpenPgpKey>> List() = 0;
  // Whether there was one.
  virtual Result<bool> Remove(std::string_view email) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_OPENPGP_KEY_REPOSITORY_H_
