import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { consistencyProof, consistencyProofNodes, verifyConsistency } from './consistency-proof.util.js';
import { inclusionProof, inclusionProofNodes, rootFromInclusionProof, verifyInclusion } from './inclusion-proof.util.js';
import { leafHash } from './merkle-hash.util.js';
import { hashAtFromLeafHashes, rangeHash } from './subtree-hash.util.js';
import {
  CT_CONSISTENCY_PROOFS,
  CT_INCLUSION_PROOFS,
  CT_LEAVES,
  CT_ROOTS,
  SHA256_EMPTY,
  SHA256_SOME,
} from './testing/ct-vectors.fixture.js';

const hashes = CT_LEAVES.map(leafHash);
const hashAt = hashAtFromLeafHashes(hashes);
const hexes = (list: readonly Uint8Array[]): string[] => list.map((h) => Buffer.from(h).toString('hex'));

function flipped(proof: readonly Buffer[], i: number, bit: number): Buffer[] {
  return proof.map((p, j) => (j === i ? Buffer.concat([Buffer.of(p[0] ^ bit), p.subarray(1)]) : p));
}

describe('inclusion proofs', () => {
  it.each(CT_INCLUSION_PROOFS)('matches the CT vector for leaf $leaf of $size', ({ leaf, size, proof }) => {
    expect(hexes(inclusionProof(leaf - 1, size, hashAt))).toEqual(hexes(proof));
    expect(verifyInclusion(leaf - 1, size, hashes[leaf - 1], proof, CT_ROOTS[size - 1])).toBe(true);
  });

  // The probes of transparency-dev/merkle corruptInclusionProof: each must fail.
  it.each(CT_INCLUSION_PROOFS.filter((v) => v.size > 1))('refuses corrupted forms of leaf $leaf of $size', ({ leaf, size, proof }) => {
    const index = leaf - 1;
    const root = CT_ROOTS[size - 1];
    const leafH = hashes[index];
    const probes: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
      [index - 1, size, leafH, proof, root],
      [index + 1, size, leafH, proof, root],
      [index ^ 2, size, leafH, proof, root],
      [index, size * 2, leafH, proof, root],
      [index, Math.floor(size / 2), leafH, proof, root],
      [index, size, Buffer.from('WrongLeaf'), proof, root],
      [index, size, leafH, proof, SHA256_EMPTY],
      [index, size, leafH, proof, SHA256_SOME],
      [index, size, leafH, [...proof, Buffer.alloc(0)], root],
      [index, size, leafH, [...proof, root], root],
      [index, size, leafH, [Buffer.alloc(0), ...proof], root],
      [index, size, leafH, [root, ...proof], root],
      [index, size, leafH, proof.slice(0, -1), root],
      ...proof.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => [index, size, leafH, flipped(proof, i, 8), root]),
    ];
    if (proof.length > 1) probes.push([index, size, leafH, [proof[0], SHA256_SOME, ...proof.slice(1)], root]);
    for (const [i, s, l, p, r] of probes) expect(verifyInclusion(i, s, l, p, r)).toBe(false);
  });

  it('refuses an index outside the tree and a wrong-sized hash', () => {
    for (const [index, size] of [[0, 0], [1, 1], [2, 1], [1, 0]]) {
      expect(verifyInclusion(index, size, SHA256_SOME, [], SHA256_EMPTY)).toBe(false);
    }
    const data = leafHash(Buffer.from('data'));
    expect(verifyInclusion(0, 1, data, [], data)).toBe(true);
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], data)).toBe(false);
    expect(verifyInclusion(0, 1, data, [], Buffer.alloc(0))).toBe(false);
    expect(rootFromInclusionProof(-1, 4, data, [])).toBeNull();
    expect(() => inclusionProof(8, 8, hashAt)).toThrow(RangeError);
  });

  it('lists the stored nodes a proof reads', () => {
    // Size 7, leaf 0: b, h, then l = hash(i, j) read as i = (1, 2) and j = (0, 6).
    expect(inclusionProofNodes(0, 7)).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 1 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
  });
});

describe('consistency proofs', () => {
  it.each(CT_CONSISTENCY_PROOFS)('matches the CT vector from $size1 to $size2', ({ size1, size2, proof }) => {
    expect(hexes(consistencyProof(size1, size2, hashAt))).toEqual(hexes(proof));
    expect(verifyConsistency(size1, size2, CT_ROOTS[size1 - 1], CT_ROOTS[size2 - 1], proof)).toBe(true);
  });

  // The probes of transparency-dev/merkle corruptConsistencyProof: each must fail.
  it.each(CT_CONSISTENCY_PROOFS.filter((v) => v.proof.length > 0))(
    'refuses corrupted forms of $size1 to $size2',
    ({ size1, size2, proof }) => {
      const root1 = CT_ROOTS[size1 - 1];
      const root2 = CT_ROOTS[size2 - 1];
      const probes: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [size1 - 1, size2, root1, root2, proof],
        [size1 + 1, size2, root1, root2, proof],
        [size1 ^ 2, size2, root1, root2, proof],
        [size1, size2 * 2, root1, root2, proof],
        [size1, Math.floor(size2 / 2), root1, root2, proof],
        [size1, size2, Buffer.from('WrongRoot'), root2, proof],
        [size1, size2, root1, Buffer.from('WrongRoot'), proof],
        [size1, size2, root2, root1, proof],
        [size1, size2, root1, root2, []],
        [size1, size2, root1, root2, [...proof, Buffer.alloc(0)]],
        [size1, size2, root1, root2, [...proof, root1]],
        [size1, size2, root1, root2, [...proof, root2]],
        [size1, size2, root1, root2, [Buffer.alloc(0), ...proof]],
        [size1, size2, root1, root2, [root1, ...proof]],
        [size1, size2, root1, root2, [root2, ...proof]],
        [size1, size2, root1, root2, [proof[0], ...proof]],
        [size1, size2, root1, root2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => [size1, size2, root1, root2, flipped(proof, i, 16)]),
      ];
      for (const [s1, s2, r1, r2, p] of probes) expect(verifyConsistency(s1, s2, r1, r2, p)).toBe(false);
    },
  );

  // transparency-dev/merkle TestVerifyConsistency edge cases.
  it('handles equal sizes, the empty tree and time travel like the reference', () => {
    const root1 = Buffer.from("don't care 1");
    const root2 = Buffer.from("don't care 2");
    const cases: [number, number, Uint8Array, Uint8Array, Uint8Array[], boolean][] = [
      [0, 0, root1, root2, [], false],
      [1, 1, root1, root2, [], false],
      [0, 0, root1, root1, [], true],
      [0, 1, root1, root2, [], true],
      [1, 1, root2, root2, [], true],
      [1, 0, root1, root2, [], false],
      [2, 1, root1, root2, [], false],
      [1, 2, root1, root2, [], false],
      [0, 0, SHA256_EMPTY, root2, [], false],
      [1, 1, SHA256_EMPTY, root2, [], false],
      [0, 0, SHA256_EMPTY, SHA256_EMPTY, [SHA256_EMPTY], false],
      [0, 1, SHA256_EMPTY, SHA256_EMPTY, [SHA256_EMPTY], false],
      [1, 1, SHA256_EMPTY, SHA256_EMPTY, [SHA256_EMPTY], false],
    ];
    for (const [s1, s2, r1, r2, p, want] of cases) expect([s1, s2, verifyConsistency(s1, s2, r1, r2, p)]).toEqual([s1, s2, want]);
  });

  it('is empty from 0 and for equal sizes, and refuses a shrink', () => {
    expect(consistencyProof(0, 8, hashAt)).toEqual([]);
    expect(consistencyProof(5, 5, hashAt)).toEqual([]);
    expect(() => consistencyProof(6, 5, hashAt)).toThrow(RangeError);
  });

  it('lists the stored nodes a proof reads', () => {
    // transparency-dev/merkle TestConsistency: 5 → 7 is e, f, j, k.
    expect(consistencyProofNodes(5, 7)).toEqual([
      { level: 0, index: 4 },
      { level: 0, index: 5 },
      { level: 0, index: 6 },
      { level: 2, index: 0 },
    ]);
  });
});

describe('rangeHash', () => {
  it('equals the CT root for every prefix', () => {
    for (let n = 1; n <= 8; n++) expect(rangeHash(0, n, hashAt).equals(CT_ROOTS[n - 1])).toBe(true);
  });

  it('refuses an empty or inverted range', () => {
    expect(() => rangeHash(3, 3, hashAt)).toThrow(RangeError);
    expect(() => rangeHash(4, 3, hashAt)).toThrow(RangeError);
  });
});
