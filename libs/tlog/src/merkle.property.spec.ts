import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import { consistencyProof, verifyConsistency } from './consistency-proof.util.js';
import { inclusionProof, verifyInclusion } from './inclusion-proof.util.js';
import { leafHash, merkleRoot } from './merkle-hash.util.js';
import { hashAtFromLeafHashes, rangeHash } from './subtree-hash.util.js';
import { encodeTile, hashAtFromTiles, tileHashesFromLeaves } from './tile-data.util.js';
import { tilesForSize } from './tile-layout.util.js';

const leavesFor = (size: number, salt: number): Buffer[] => Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`${salt}/${i}`)));

function flip(proof: readonly Buffer[], element: number, bit: number): Buffer[] {
  return proof.map((p, i) => {
    if (i !== element) return p;
    const copy = Buffer.from(p);
    copy[Math.floor(bit / 8)] ^= 1 << bit % 8;
    return copy;
  });
}

/** A tree of `size` leaves with a leaf index in it and a salt for distinct trees. */
const tree = fc.record({ size: fc.integer({ min: 1, max: 1000 }), pick: fc.nat(), salt: fc.nat(), bit: fc.nat({ max: 255 }) });

describe('Merkle proofs (property)', () => {
  it('an inclusion proof verifies against the root, and a tampered one does not', () => {
    fc.assert(
      fc.property(tree, ({ size, pick, salt, bit }) => {
        const leaves = leavesFor(size, salt);
        const root = merkleRoot(leaves);
        const index = pick % size;
        const proof = inclusionProof(index, size, hashAtFromLeafHashes(leaves));
        expect(verifyInclusion(index, size, leaves[index], proof, root)).toBe(true);
        if (proof.length > 0) {
          expect(verifyInclusion(index, size, leaves[index], flip(proof, pick % proof.length, bit), root)).toBe(false);
          expect(verifyInclusion(index, size, leaves[index], proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(index, size, leaves[index], [...proof, proof[0]], root)).toBe(false);
          expect(verifyInclusion((index + 1 + (pick % (size - 1))) % size, size, leaves[index], proof, root)).toBe(false);
        }
        expect(verifyInclusion(index, size, leafHash(Buffer.from('other')), proof, root)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('a consistency proof verifies between the two roots, and a tampered one does not', () => {
    fc.assert(
      fc.property(tree, ({ size, pick, salt, bit }) => {
        const leaves = leavesFor(size, salt);
        const from = pick % (size + 1);
        const fromRoot = merkleRoot(leaves.slice(0, from));
        const toRoot = merkleRoot(leaves);
        const proof = consistencyProof(from, size, hashAtFromLeafHashes(leaves));
        expect(verifyConsistency(from, size, fromRoot, toRoot, proof)).toBe(true);
        if (from === 0 || from === size) {
          expect(proof).toEqual([]);
          return;
        }
        expect(verifyConsistency(from, size, fromRoot, toRoot, flip(proof, pick % proof.length, bit))).toBe(false);
        expect(verifyConsistency(from, size, fromRoot, toRoot, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(from, size, toRoot, fromRoot, proof)).toBe(false);
        // A fork: the old tree with one leaf changed.
        const forked = merkleRoot([leafHash(Buffer.from('forged')), ...leaves.slice(1, from)]);
        expect(verifyConsistency(from, size, forked, toRoot, proof)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('roots and proofs computed from tiles equal those computed from the leaves', () => {
    const check = ({ size, pick, salt }: { size: number; pick: number; salt: number }): void => {
      const leaves = leavesFor(size, salt);
      const store = new Map(tilesForSize(size).map((t) => [`${t.level}/${t.index}/${t.width}`, encodeTile(tileHashesFromLeaves(t, (i) => leaves[i]))]));
      const fromTiles = hashAtFromTiles(size, (t) => {
        const bytes = store.get(`${t.level}/${t.index}/${t.width}`);
        if (bytes === undefined) throw new Error(`no tile ${t.level}/${t.index}/${t.width}`);
        return bytes;
      });
      expect(rangeHash(0, size, fromTiles).equals(merkleRoot(leaves))).toBe(true);
      const index = pick % size;
      expect(inclusionProof(index, size, fromTiles)).toEqual(inclusionProof(index, size, hashAtFromLeafHashes(leaves)));
      expect(consistencyProof(index, size, fromTiles)).toEqual(consistencyProof(index, size, hashAtFromLeafHashes(leaves)));
    };
    fc.assert(fc.property(tree, check), { numRuns: 40 });
    // Three tile levels: past 65,536 leaves.
    fc.assert(fc.property(fc.record({ size: fc.integer({ min: 65536, max: 70000 }), pick: fc.nat(), salt: fc.nat() }), check), { numRuns: 1 });
  });
});
