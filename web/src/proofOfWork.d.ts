// Types of proofOfWork.js (plain JavaScript so that node's test runner loads it as it is).
export function proofBits(challenge: string, nonce: string): number;
export function solveProof(
  challenge: string,
  bits: number,
  options?: { slice?: number; onProgress?: (tries: number) => void },
): Promise<string>;
