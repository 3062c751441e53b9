import { Buffer } from 'node:buffer';
import { HASH_SIZE, sha256 } from './bytes.util.js';

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** RFC 6962 §2.1 leaf hash: SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, entry);
}

/** RFC 6962 §2.1 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The Merkle Tree Hash of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return sha256();
}

/** The largest power of two strictly smaller than n (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError('split point needs n >= 2');
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/**
 * RFC 6962 MTH over leaf hashes already computed with `leafHash` (or over the hashes of equal,
 * perfect subtrees, which gives the hash of the subtree above them).
 */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return emptyRoot();
  for (const hash of leafHashes) {
    if (hash.length !== HASH_SIZE) throw new RangeError('a leaf hash must be 32 bytes');
  }
  return mth(leafHashes, 0, leafHashes.length);
}

function mth(hashes: readonly Uint8Array[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return Buffer.from(hashes[start]);
  const k = splitPoint(n);
  return nodeHash(mth(hashes, start, start + k), mth(hashes, start + k, end));
}
