import type { Buffer } from 'node:buffer';
import { HASH_SIZE, decodeBase64Strict, encodeBase64, isCanonicalDecimal } from './bytes.util.js';

/** Most consistency proof lines an add-checkpoint request may carry (C2SP tlog-witness). */
export const MAX_WITNESS_PROOF_LINES = 63;

/** A C2SP tlog-witness `add-checkpoint` request. */
export type AddCheckpointRequest = { oldSize: number; proof: Buffer[]; checkpoint: string };

/** `old <size>\n`, one base64 proof hash per line, a blank line, then the signed checkpoint. */
export function encodeAddCheckpointRequest({ oldSize, proof, checkpoint }: { oldSize: number; proof: readonly Uint8Array[]; checkpoint: string }): string {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) throw new RangeError('old size is a non-negative safe integer');
  if (proof.length > MAX_WITNESS_PROOF_LINES) throw new RangeError('at most 63 proof lines');
  if (proof.some((hash) => hash.length !== HASH_SIZE)) throw new RangeError('a proof hash is 32 bytes');
  if (oldSize === 0 && proof.length > 0) throw new RangeError('the proof from size 0 is empty');
  return `old ${oldSize}\n${proof.map((hash) => `${encodeBase64(hash)}\n`).join('')}\n${checkpoint}`;
}

/** Parses an add-checkpoint request body, or returns null when it is malformed (answer 400). */
export function parseAddCheckpointRequest(body: string): AddCheckpointRequest | null {
  const blank = body.indexOf('\n\n');
  if (blank < 0) return null;
  const [oldLine, ...proofLines] = body.slice(0, blank).split('\n');
  const checkpoint = body.slice(blank + 2);
  if (!oldLine.startsWith('old ') || !isCanonicalDecimal(oldLine.slice(4))) return null;
  if (proofLines.length > MAX_WITNESS_PROOF_LINES || checkpoint.length === 0) return null;
  const proof: Buffer[] = [];
  for (const line of proofLines) {
    const hash = decodeBase64Strict(line);
    if (hash === null || hash.length !== HASH_SIZE) return null;
    proof.push(hash);
  }
  // A proof from size 0 must be empty: that is the consistency check's to refuse (422), not the parser's.
  return { oldSize: Number(oldLine.slice(4)), proof, checkpoint };
}
