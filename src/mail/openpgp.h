#ifndef BAKEN_MAIL_OPENPGP_H_
#define BAKEN_MAIL_OPENPGP_H_

// OpenPGP through GnuPG's own library (gpgme, decision 0021): decrypting what researchers send
// to the CERT's key, verifying their signatures, and signing and encrypting what Baken sends.
// Every operation runs in its own gpgme context bound to one GnuPG home directory, so that two
// homes (a test's, the server's) never mix and no process-wide setting is changed. Nothing
// here asks for a passphrase: a key that needs one fails with a clear error instead of waiting
// for a prompt that no one sees (the CERT keeps its key in a home of its own, without a
// passphrase or with one preset in gpg-agent).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace baken::mail {

// What a signature says. `state`:
//   none         not signed;
//   good         a sound signature by a key in the home's keyring (which says nothing of whose
//                key it is: `signer` and `user_id` are shown so that a person can judge);
//   bad          the signed text was changed, or the signature does not belong to it;
//   unknown_key  signed by a key the keyring does not hold (`signer` is its fingerprint or id);
//   expired      by a key or with a signature that has expired, or a revoked key;
//   error        the signature could not be read.
struct Signature {
  std::string state = "none";
  std::string signer;   // fingerprint (or key id), upper-case hex
  std::string user_id;  // "Name <address>" of the key, when the keyring holds it
};

class OpenPgp {
 public:
  // `home` is a GnuPG home directory; it is not created here.
  explicit OpenPgp(std::string home);

  const std::string& home() const { return home_; }

  // Decrypts an OpenPGP message (armored or binary) with a secret key of the home, and checks
  // its signature when it carries one. The plaintext is at most `max_bytes` (a compressed
  // message cannot unfold without end). Errors: kInvalidArgument when the data is not an
  // OpenPGP message or no key of the home can open it.
  struct Decrypted {
    std::string plaintext;
    Signature signature;
  };
  Result<Decrypted> Decrypt(std::string_view message, size_t max_bytes) const;

  // Checks a detached signature (armored or binary) over `signed_bytes`.
  Signature Verify(std::string_view signed_bytes, std::string_view signature) const;

  // A detached, armored signature over `bytes` by the secret key `signer` (a fingerprint or
  // an address of a key in the home), and the name of its digest as PGP/MIME's micalg
  // parameter gives it ("pgp-sha256").
  struct Signed {
    std::string signature;
    std::string micalg;
  };
  Result<Signed> SignDetached(std::string_view bytes, std::string_view signer) const;

  // `bytes` encrypted (armored) to the public keys `recipients` (armored key blocks, as kept in
  // the registry; imported into the home on the way) and, when `signer` is not empty, signed by
  // that secret key. The keys are trusted as given: the registry is where they are vouched for.
  Result<std::string> Encrypt(std::string_view bytes, const std::vector<std::string>& recipients,
                              std::string_view signer) const;

  // The public keys in `armored`, read without importing them: each key's fingerprint, the
  // e-mail addresses of its user ids (lower-case), and whether it can be encrypted to now.
  struct KeyInfo {
    std::string fingerprint;
    std::vector<std::string> emails;
    bool usable = false;
  };
  Result<std::vector<KeyInfo>> Inspect(std::string_view armored) const;

  // Imports armored public keys into the home; returns the fingerprints found.
  Result<std::vector<std::string>> Import(std::string_view armored) const;

 private:
  std::string home_;
};

// `text` with every line ending in CRLF: the canonical form that OpenPGP signatures over MIME
// cover (RFC 3156 section 5), and the line end a message needs (gpg's armor ends lines in LF).
std::string WithCrlfLineEnds(std::string_view text);

// Whether `text` holds an armored OpenPGP message ("-----BEGIN PGP MESSAGE-----"), as a
// researcher pastes it into a plain mail; the block itself, or empty.
std::string_view ArmoredMessageIn(std::string_view text);

}  // namespace baken::mail

#endif  // BAKEN_MAIL_OPENPGP_H_
