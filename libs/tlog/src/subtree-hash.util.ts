import { Buffer } from 'node:buffer';
import { HASH_SIZE } from './bytes.util.js';
import { isPowerOfTwo, merkleRoot, nodeHash, splitPoint } from './merkle-hash.util.js';

/** A perfect subtree: the 2^level leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf hash. */
export type NodeId = { level: number; index: number };

/**
 * Reads the hash of a perfect subtree from storage (tiles, a table, memory). A caller whose
 * storage is asynchronous lists the nodes with `rangeNodes`/`*ProofNodes`, fetches them, then
 * answers from what it fetched.
 */
export type HashAt = (level: number, index: number) => Uint8Array;

/** A range of leaves [start, end) whose Merkle Tree Hash a proof carries. */
export type LeafRange = readonly [start: number, end: number];

function log2(n: number): number {
  let level = 0;
  while (2 ** level < n) level += 1;
  return level;
}

function walk<T>(start: number, end: number, node: (id: NodeId) => T, join: (left: T, right: T) => T): T {
  const n = end - start;
  if (isPowerOfTwo(n) && start % n === 0) return node({ level: log2(n), index: start / n });
  const k = splitPoint(n);
  return join(walk(start, start + k, node, join), walk(start + k, end, node, join));
}

function checkRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new RangeError(`bad leaf range [${start}, ${end})`);
  }
}

/** RFC 6962 MTH(D[start:end]) built from the stored perfect subtrees that make it up. */
export function rangeHash(start: number, end: number, hashAt: HashAt): Buffer {
  checkRange(start, end);
  const read = ({ level, index }: NodeId): Buffer => {
    const hash = hashAt(level, index);
    if (hash.length !== HASH_SIZE) throw new RangeError(`stored hash (${level}, ${index}) is not 32 bytes`);
    return Buffer.from(hash);
  };
  return walk(start, end, read, nodeHash);
}

/** The perfect subtrees `rangeHash(start, end, …)` reads, left to right. */
export function rangeNodes(start: number, end: number): NodeId[] {
  checkRange(start, end);
  return walk<NodeId[]>(start, end, (id) => [id], (left, right) => [...left, ...right]);
}

/** A `HashAt` over leaf hashes held in memory (small trees, tests, a verifier replaying a log). */
export function hashAtFromLeafHashes(leafHashes: readonly Uint8Array[]): HashAt {
  return (level, index) => {
    const width = 2 ** level;
    const start = index * width;
    if (!Number.isSafeInteger(start) || start < 0 || start + width > leafHashes.length) {
      throw new RangeError(`node (${level}, ${index}) is outside the ${leafHashes.length} leaves`);
    }
    return merkleRoot(leafHashes.slice(start, start + width));
  };
}
