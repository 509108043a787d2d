// The portal's proof of work agrees with the server's rule: SHA-256(challenge ":" nonce) with
// `bits` leading zero bits, counted here independently with node's own crypto.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { proofBits, solveProof } from "../src/proofOfWork.js";

function bitsByNode(challenge, nonce) {
  const digest = createHash("sha256").update(`${challenge}:${nonce}`).digest();
  let bits = 0;
  for (const byte of digest) {
    for (let bit = 7; bit >= 0; bit -= 1) {
      if ((byte >> bit) & 1) return bits;
      bits += 1;
    }
  }
  return bits;
}

test("proofBits counts the leading zero bits of the digest", () => {
  for (let nonce = 0; nonce < 3000; nonce += 1) {
    assert.equal(proofBits("kXTQFD5Bh1U8gSR5", String(nonce)), bitsByNode("kXTQFD5Bh1U8gSR5", String(nonce)));
  }
});

test("solveProof gives the first nonce that holds", async () => {
  const challenge = "challenge-for-the-test";
  const nonce = await solveProof(challenge, 12, { slice: 500 });
  assert.ok(bitsByNode(challenge, nonce) >= 12);
  for (let earlier = 0; earlier < Number(nonce); earlier += 1) {
    assert.ok(bitsByNode(challenge, String(earlier)) < 12, `nonce ${earlier} held already`);
  }
});
