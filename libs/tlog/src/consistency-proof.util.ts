import { Buffer } from 'node:buffer';
import { HASH_SIZE, bytesEqual } from './bytes.util.js';
import { isPowerOfTwo, nodeHash, splitPoint } from './merkle-hash.util.js';
import { rangeHash, rangeNodes, type HashAt, type LeafRange, type NodeId } from './subtree-hash.util.js';

function checkSizes(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new RangeError(`no consistency proof from size ${from} to size ${to}`);
  }
}

/** The leaf ranges of RFC 6962 §2.1.2 PROOF(from, D[0:to]); empty when from is 0 or equals to. */
export function consistencyProofRanges(from: number, to: number): LeafRange[] {
  checkSizes(from, to);
  if (from === 0 || from === to) return [];
  const subproof = (m: number, start: number, end: number, whole: boolean): LeafRange[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [[start, end]];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, start + k, whole), [start + k, end]]
      : [...subproof(m - k, start + k, end, false), [start, start + k]];
  };
  return subproof(from, 0, to, true);
}

/** Every stored node a consistency proof reads, so an asynchronous caller can fetch them first. */
export function consistencyProofNodes(from: number, to: number): NodeId[] {
  return consistencyProofRanges(from, to).flatMap(([start, end]) => rangeNodes(start, end));
}

/** RFC 6962 consistency proof that the tree of `to` leaves extends the tree of `from` leaves. */
export function consistencyProof(from: number, to: number, hashAt: HashAt): Buffer[] {
  return consistencyProofRanges(from, to).map(([start, end]) => rangeHash(start, end, hashAt));
}

/**
 * True when `proof` shows that the tree (`to`, `toRoot`) extends the tree (`from`, `fromRoot`).
 * 0 < from < to follows RFC 9162 §2.1.4.2 step by step; from = to needs equal roots and an
 * empty proof; from = 0 needs an empty proof (every tree extends the empty one).
 */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (from === to) return proof.length === 0 && bytesEqual(fromRoot, toRoot);
  if (from === 0) return proof.length === 0;
  if (fromRoot.length !== HASH_SIZE || toRoot.length !== HASH_SIZE) return false;
  // 1. An empty path fails.
  if (proof.length === 0) return false;
  // 2. When from is a power of two its root is the first node of the path.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  // 3. Plain arithmetic, not bit operators: sizes go past 2^32.
  let fn = from - 1;
  let sn = to - 1;
  // 4. Drop the levels where fn is a right child.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5.
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7.
  return bytesEqual(fr, fromRoot) && bytesEqual(sr, toRoot) && sn === 0;
}
