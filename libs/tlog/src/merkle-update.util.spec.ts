import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import { inclusionProof, verifyInclusion } from './inclusion-proof.util.js';
import { emptyRoot, leafHash, merkleRoot, nodeHash } from './merkle-hash.util.js';
import { applyLeafUpdates, leafUpdateReads } from './merkle-update.util.js';
import type { HashAt } from './subtree-hash.util.js';

const key = (level: number, index: number) => `${level}/${index}`;
const leaf = (salt: string | number, i: number) => leafHash(Buffer.from(`${salt}/${i}`));

/** Every complete perfect subtree of `leaves`, as a store holds them, from a full recomputation. */
const fullStore = (leaves: readonly Buffer[]): Map<string, Buffer> => {
  const store = new Map<string, Buffer>();
  let level: Buffer[] = [...leaves];
  for (let l = 0; level.length > 0; l++) {
    level.forEach((hash, index) => store.set(key(l, index), hash));
    level = Array.from({ length: Math.floor(level.length / 2) }, (_, i) => nodeHash(level[2 * i]!, level[2 * i + 1]!));
  }
  return store;
};

/** A store as sorted `level/index=hex` lines, cheap to compare. */
const dump = (store: ReadonlyMap<string, Buffer>): string => [...store].map(([k, h]) => `${k}=${h.toString('hex')}`).sort().join('\n');

/** Applies an update to `store` as the heads job does: only listed reads, then write what changed. */
const update = (store: Map<string, Buffer>, size: number, changes: ReadonlyMap<number, Buffer>) => {
  const allowed = new Set(leafUpdateReads(size, changes.keys()).map((n) => key(n.level, n.index)));
  const hashAt: HashAt = (level, index) => {
    if (!allowed.has(key(level, index))) throw new Error(`read ${key(level, index)} not listed`);
    const hash = store.get(key(level, index));
    if (!hash) throw new Error(`read ${key(level, index)} not stored`);
    return hash;
  };
  const { nodes, root } = applyLeafUpdates(size, changes, hashAt);
  for (const node of nodes) store.set(key(node.level, node.index), node.hash);
  return { nodes, root };
};

describe('applyLeafUpdates', () => {
  it('builds every tree of 0 to 70 leaves from nothing, equal to a full recomputation', () => {
    for (let size = 0; size <= 70; size++) {
      const leaves = Array.from({ length: size }, (_, i) => leaf('a', i));
      const store = new Map<string, Buffer>();
      const { root } = update(store, size, new Map(leaves.map((h, i) => [i, h])));
      expect(root).toEqual(size === 0 ? emptyRoot() : merkleRoot(leaves));
      expect(dump(store)).toBe(dump(fullStore(leaves)));
    }
  });

  it('changing one leaf or appending one rewrites one path, exhaustively up to 33 leaves', () => {
    for (let size = 1; size <= 33; size++) {
      for (let at = 0; at <= size; at++) {
        const leaves = Array.from({ length: size }, (_, i) => leaf('b', i));
        const store = fullStore(leaves);
        const next = [...leaves];
        next[at] = leaf('changed', at);
        const { root, nodes } = update(store, next.length, new Map([[at, next[at]!]]));
        expect(root).toEqual(merkleRoot(next));
        expect(dump(store)).toBe(dump(fullStore(next)));
        expect(nodes.length).toBeLessThanOrEqual(Math.ceil(Math.log2(next.length)) + 1);
        expect(verifyInclusion(at, next.length, next[at]!, inclusionProof(at, next.length, (l, i) => store.get(key(l, i))!), root)).toBe(true);
      }
    }
  });

  it('any batch of changes and appends equals a full recomputation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 260 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.nat(),
        (size, appended, picks, salt) => {
          const leaves = Array.from({ length: size }, (_, i) => leaf(salt, i));
          const store = fullStore(leaves);
          const next = [...leaves, ...Array.from({ length: appended }, (_, i) => leaf(`new${salt}`, size + i))];
          const changes = new Map<number, Buffer>();
          for (let i = size; i < next.length; i++) changes.set(i, next[i]!);
          for (const pick of picks) {
            if (size === 0) break;
            const at = pick % size;
            next[at] = leaf(`changed${pick}`, at);
            changes.set(at, next[at]!);
          }
          const { root } = update(store, next.length, changes);
          expect(root).toEqual(merkleRoot(next));
          expect(dump(store)).toBe(dump(fullStore(next)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a position outside the tree and a hash that is not 32 bytes', () => {
    expect(() => applyLeafUpdates(2, new Map([[2, leaf('x', 2)]]), () => Buffer.alloc(32))).toThrow(RangeError);
    expect(() => applyLeafUpdates(2, new Map([[0, Buffer.alloc(31)]]), () => Buffer.alloc(32))).toThrow(RangeError);
    expect(() => leafUpdateReads(1, [-1])).toThrow(RangeError);
  });
});
