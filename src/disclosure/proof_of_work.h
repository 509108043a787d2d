#ifndef BAKEN_DISCLOSURE_PROOF_OF_WORK_H_
#define BAKEN_DISCLOSURE_PROOF_OF_WORK_H_

// The public form's proof of work (decision 0020): the submitter finds a nonce such that
// SHA-256(challenge ":" nonce) starts with `bits` zero bits. Checking costs one hash; finding
// costs about 2^bits. Instead of a third-party CAPTCHA: nothing goes to another party, nothing
// to see or hear, and a researcher's script can do it too.

#include <string>
#include <string_view>

namespace baken::disclosure {

inline constexpr int kMaxProofBits = 32;

// The number of leading zero bits of SHA-256(challenge ":" nonce).
int ProofBits(std::string_view challenge, std::string_view nonce);
bool ProofHolds(std::string_view challenge, std::string_view nonce, int bits);
// A nonce that holds (decimal digits), found by counting up: for tests and command-line clients.
std::string SolveProof(std::string_view challenge, int bits);

}  // namespace baken::disclosure

#endif  // BAKEN_DISCLOSURE_PROOF_OF_WORK_H_
