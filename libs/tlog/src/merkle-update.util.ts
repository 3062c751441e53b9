import { Buffer } from 'node:buffer';
import { HASH_SIZE } from './bytes.util.js';
import { emptyRoot, nodeHash } from './merkle-hash.util.js';
import { rangeHash, rangeNodes, type HashAt, type NodeId } from './subtree-hash.util.js';

/** A stored perfect subtree with its hash. */
export type StoredNode = NodeId & { hash: Buffer };

function checkUpdate(size: number, positions: Iterable<number>): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad tree size ${size}`);
  for (const position of positions) {
    if (!Number.isSafeInteger(position) || position < 0 || position >= size) throw new RangeError(`leaf ${position} is not in a tree of size ${size}`);
  }
}

/**
 * The perfect subtrees of a tree of `size` leaves that contain a changed leaf, level by level
 * (index 0 is the changed leaves themselves). Only complete subtrees are stored: a node
 * (level, index) exists while (index + 1)·2^level ≤ size.
 */
function changedLevels(size: number, positions: Iterable<number>): Array<Set<number>> {
  const levels: Array<Set<number>> = [new Set(positions)];
  for (let level = 1; levels[level - 1]!.size > 0; level++) {
    const complete = Math.floor(size / 2 ** level);
    const next = new Set<number>();
    for (const index of levels[level - 1]!) {
      const parent = Math.floor(index / 2);
      if (parent < complete) next.add(parent);
    }
    if (next.size === 0) break;
    levels.push(next);
  }
  return levels;
}

/**
 * The stored nodes a leaf update reads from the tree before it (which holds every complete
 * subtree of the leaves that did not change): the unchanged sibling of each changed node, and
 * the perfect subtrees the root of `size` leaves is made of. Leaves at or past the old size are
 * new and count as changed, so everything read existed before the update.
 */
export function leafUpdateReads(size: number, positions: Iterable<number>): NodeId[] {
  const changedLeaves = [...positions];
  checkUpdate(size, changedLeaves);
  const levels = changedLevels(size, changedLeaves);
  const changed = (level: number, index: number) => levels[level]?.has(index) ?? false;
  const reads = new Map<string, NodeId>();
  const read = (level: number, index: number) => {
    if (!changed(level, index)) reads.set(`${level}/${index}`, { level, index });
  };
  for (let level = 1; level < levels.length; level++) {
    for (const index of levels[level]!) {
      read(level - 1, 2 * index);
      read(level - 1, 2 * index + 1);
    }
  }
  if (size > 0) for (const node of rangeNodes(0, size)) read(node.level, node.index);
  return [...reads.values()];
}

/**
 * Applies changed leaf hashes (`leaves`: position → leaf hash; positions past the old size are
 * appended leaves) to a tree of `size` leaves whose unchanged nodes `hashAt` answers (only those
 * `leafUpdateReads` lists are asked for). Returns every node whose hash is new, the leaves
 * included — log2(size) nodes per changed leaf at most — and the RFC 6962 root of the new tree.
 */
export function applyLeafUpdates(size: number, leaves: ReadonlyMap<number, Uint8Array>, hashAt: HashAt): { nodes: StoredNode[]; root: Buffer } {
  checkUpdate(size, leaves.keys());
  const computed: Array<Map<number, Buffer>> = [new Map()];
  for (const [position, hash] of leaves) {
    if (hash.length !== HASH_SIZE) throw new RangeError(`leaf hash ${position} is not 32 bytes`);
    computed[0]!.set(position, Buffer.from(hash));
  }
  const levels = changedLevels(size, leaves.keys());
  const hashOf = (level: number, index: number): Uint8Array => computed[level]?.get(index) ?? hashAt(level, index);
  for (let level = 1; level < levels.length; level++) {
    const hashes = new Map<number, Buffer>();
    for (const index of levels[level]!) hashes.set(index, nodeHash(hashOf(level - 1, 2 * index), hashOf(level - 1, 2 * index + 1)));
    computed.push(hashes);
  }
  const nodes = computed.flatMap((hashes, level) => [...hashes].map(([index, hash]) => ({ level, index, hash })));
  return { nodes, root: size === 0 ? emptyRoot() : rangeHash(0, size, hashOf) };
}
