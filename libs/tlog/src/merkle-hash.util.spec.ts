import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { emptyRoot, leafHash, merkleRoot, nodeHash, splitPoint } from './merkle-hash.util.js';
import { CT_LEAVES, CT_ROOTS } from './testing/ct-vectors.fixture.js';

describe('RFC 6962 hashing', () => {
  // transparency-dev/merkle rfc6962/rfc6962_test.go
  it('hashes the empty tree, an empty leaf, a leaf and a node like the published vectors', () => {
    expect(emptyRoot().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(leafHash(Buffer.from('L123456')).toString('hex')).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(nodeHash(Buffer.from('N123'), Buffer.from('N456')).toString('hex')).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('keeps leaves and nodes apart and depends on order', () => {
    const a = leafHash(Buffer.from('Hello'));
    const b = leafHash(Buffer.from('World'));
    expect(nodeHash(a, b).equals(leafHash(Buffer.concat([a, b])))).toBe(false);
    expect(nodeHash(a, b).equals(nodeHash(b, a))).toBe(false);
  });

  it('computes the CT roots for sizes 1 to 8', () => {
    const hashes = CT_LEAVES.map(leafHash);
    for (let n = 1; n <= 8; n++) {
      expect(merkleRoot(hashes.slice(0, n)).toString('hex')).toBe(CT_ROOTS[n - 1].toString('hex'));
    }
    expect(merkleRoot([]).equals(emptyRoot())).toBe(true);
  });

  it('splits at the largest power of two smaller than n', () => {
    expect([2, 3, 4, 5, 8, 9, 70000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 65536]);
    expect(() => splitPoint(1)).toThrow(RangeError);
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => merkleRoot([Buffer.alloc(31)])).toThrow(RangeError);
  });
});
