// The public report form's proof of work (decision 0020): find a nonce such that
// SHA-256(challenge ":" nonce) starts with `bits` zero bits, as the server checks it
// (disclosure/proof_of_work.h). Plain JavaScript, so that node's test runner loads it as it is;
// the hash is @noble/hashes (WebCrypto's digest is asynchronous per call, a thousand times
// slower for a million small hashes).
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

// The number of leading zero bits of SHA-256(challenge ":" nonce).
export function proofBits(challenge, nonce) {
  const digest = sha256(encoder.encode(`${challenge}:${nonce}`));
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

// Counts up from 0 and gives the first nonce (decimal) that holds; hands the browser back
// every `slice` tries so that the page stays responsive, and reports progress.
export async function solveProof(challenge, bits, { slice = 20000, onProgress } = {}) {
  for (let nonce = 0; ; nonce += 1) {
    if (proofBits(challenge, String(nonce)) >= bits) return String(nonce);
    if (nonce % slice === slice - 1) {
      onProgress?.(nonce + 1);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}
