import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { decodeEntryBundle, encodeEntryBundle, MAX_ENTRY_BYTES } from './entry-bundle.util.js';
import { leafHash, merkleRoot } from './merkle-hash.util.js';
import { rangeHash } from './subtree-hash.util.js';
import { decodeTile, encodeTile, hashAtFromTiles, tileForNode, tileHashesFromLeaves, tileRoot } from './tile-data.util.js';
import { tilesForSize } from './tile-layout.util.js';
import { CT_LEAVES, CT_ROOTS } from './testing/ct-vectors.fixture.js';

const leaves = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

describe('tile bytes', () => {
  it('concatenates hashes and splits them back', () => {
    const hashes = leaves(3);
    const bytes = encodeTile(hashes);
    expect(bytes).toHaveLength(96);
    expect(decodeTile(bytes, 3)).toEqual(hashes);
    expect(() => decodeTile(bytes, 4)).toThrow(RangeError);
    expect(() => decodeTile(bytes.subarray(0, 95))).toThrow(RangeError);
    expect(() => decodeTile(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodeTile([])).toThrow(RangeError);
    expect(() => encodeTile(leaves(257))).toThrow(RangeError);
  });

  it('makes a level-1 hash the MTH of a full level-0 tile', () => {
    const hashes = leaves(512 + 3);
    const [first, second] = tileHashesFromLeaves({ level: 1, index: 0, width: 2 }, (i) => hashes[i]);
    expect(first.equals(merkleRoot(hashes.slice(0, 256)))).toBe(true);
    expect(second.equals(merkleRoot(hashes.slice(256, 512)))).toBe(true);
    // The same hash from the full level-0 tile, as a log computes it when the tile fills.
    expect(tileRoot(encodeTile(hashes.slice(256, 512))).equals(second)).toBe(true);
    expect(() => tileRoot(encodeTile(hashes.slice(0, 255)))).toThrow(RangeError);
  });

  it('gives the CT roots from a partial level-0 tile', () => {
    const hashes = CT_LEAVES.map(leafHash);
    for (let size = 1; size <= 8; size++) {
      const hashAt = hashAtFromTiles(size, (tile) => encodeTile(tileHashesFromLeaves(tile, (i) => hashes[i])));
      expect(rangeHash(0, size, hashAt).equals(CT_ROOTS[size - 1])).toBe(true);
    }
  });

  it('reads a node from the tile that holds it, and refuses one the tree lacks', () => {
    expect(tileForNode(70000, 9, 3)).toEqual({ tile: { level: 1, index: 0, width: 256 }, offset: 6, count: 2 });
    expect(tileForNode(70000, 16, 0)).toEqual({ tile: { level: 2, index: 0, width: 1 }, offset: 0, count: 1 });
    expect(() => tileForNode(70000, 17, 0)).toThrow(RangeError);
    expect(() => tileForNode(10, 0, 10)).toThrow(RangeError);
  });

  it('computes the root of a three-level tree from its tiles', () => {
    const size = 65536 + 300;
    const hashes = leaves(size);
    const store = new Map(tilesForSize(size).map((t) => [`${t.level}/${t.index}`, encodeTile(tileHashesFromLeaves(t, (i) => hashes[i]))]));
    const hashAt = hashAtFromTiles(size, (t) => store.get(`${t.level}/${t.index}`) ?? Buffer.alloc(0));
    expect(rangeHash(0, size, hashAt).equals(merkleRoot(hashes))).toBe(true);
  });
});

describe('entry bundles', () => {
  it('prefixes each entry with its big-endian uint16 length', () => {
    const bundle = encodeEntryBundle([Buffer.from('ab'), Buffer.alloc(0), Buffer.from('xyz')]);
    expect(bundle.toString('hex')).toBe('00026162' + '0000' + '000378797a');
    expect(decodeEntryBundle(bundle, 3).map((e) => e.toString())).toEqual(['ab', '', 'xyz']);
  });

  it('takes an entry of 65,535 bytes and refuses one of 65,536', () => {
    const largest = Buffer.alloc(MAX_ENTRY_BYTES, 7);
    expect(decodeEntryBundle(encodeEntryBundle([largest]))[0].equals(largest)).toBe(true);
    expect(() => encodeEntryBundle([Buffer.alloc(MAX_ENTRY_BYTES + 1)])).toThrow(RangeError);
  });

  it('refuses truncated, empty, oversized or miscounted bundles', () => {
    const bundle = encodeEntryBundle([Buffer.from('abc')]);
    expect(() => decodeEntryBundle(bundle.subarray(0, 4))).toThrow(RangeError);
    expect(() => decodeEntryBundle(bundle.subarray(0, 1))).toThrow(RangeError);
    expect(() => decodeEntryBundle(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => decodeEntryBundle(bundle, 2)).toThrow(RangeError);
    expect(() => decodeEntryBundle(Buffer.alloc(2 * 257))).toThrow(RangeError);
    expect(() => encodeEntryBundle([])).toThrow(RangeError);
  });
});
