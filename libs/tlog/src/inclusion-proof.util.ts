import { Buffer } from 'node:buffer';
import { HASH_SIZE, bytesEqual } from './bytes.util.js';
import { nodeHash, splitPoint } from './merkle-hash.util.js';
import { rangeHash, rangeNodes, type HashAt, type LeafRange, type NodeId } from './subtree-hash.util.js';

function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  }
}

/** The leaf ranges of RFC 6962 §2.1.1 PATH(index, D[0:size]), leaf to root. */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  checkIndex(index, size);
  const path = (start: number, end: number): LeafRange[] => {
    if (end - start === 1) return [];
    const k = splitPoint(end - start);
    return index < start + k ? [...path(start, start + k), [start + k, end]] : [...path(start + k, end), [start, start + k]];
  };
  return path(0, size);
}

/** Every stored node an inclusion proof reads, so an asynchronous caller can fetch them first. */
export function inclusionProofNodes(index: number, size: number): NodeId[] {
  return inclusionProofRanges(index, size).flatMap(([start, end]) => rangeNodes(start, end));
}

/** RFC 6962 audit path for leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, hashAt: HashAt): Buffer[] {
  return inclusionProofRanges(index, size).map(([start, end]) => rangeHash(start, end, hashAt));
}

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof cannot be
 * one for this index and size (wrong length, wrong hash sizes, index outside the tree).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return null;
  // Plain arithmetic, not bit operators: sizes go past 2^32.
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** True when `proof` shows the leaf with hash `leafHash` at `index` in the tree of `size` with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  return computed !== null && root.length === HASH_SIZE && bytesEqual(computed, root);
}
