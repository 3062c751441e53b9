import { describe, it, expect } from '@jest/globals';
import { encodeTileIndex, entryBundlePath, parseTilePath, tilePath } from './tile-path.util.js';

describe('tile paths', () => {
  it('encodes N in 3-digit groups, x before all but the last', () => {
    // c2sp.org/tlog-tiles, then golang.org/x/mod sumdb/tlog tlog_test.go tilePaths.
    expect(encodeTileIndex(1234067)).toBe('x001/x234/067');
    expect(encodeTileIndex(123456078)).toBe('x123/x456/078');
    expect(encodeTileIndex(3057500)).toBe('x003/x057/500');
    expect(encodeTileIndex(0)).toBe('000');
    expect(encodeTileIndex(1)).toBe('001');
    expect(encodeTileIndex(1000)).toBe('x001/000');
    expect(() => encodeTileIndex(-1)).toThrow(RangeError);
  });

  it('writes full and partial tile and bundle paths', () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, index: 1, width: 17 })).toBe('tile/2/001.p/17');
    expect(entryBundlePath(3057500, 112)).toBe('tile/entries/x003/x057/500.p/112');
    expect(() => tilePath({ level: 64, index: 0, width: 1 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 0, width: 0 })).toThrow(RangeError);
  });

  it('parses what it writes', () => {
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ kind: 'hashes', level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('tile/63/x123/x456/078.p/2')).toEqual({ kind: 'hashes', level: 63, index: 123456078, width: 2 });
    expect(parseTilePath('tile/entries/000.p/255')).toEqual({ kind: 'entries', index: 0, width: 255 });
    expect(parseTilePath('tile/entries/x001/000')).toEqual({ kind: 'entries', index: 1000, width: 256 });
  });

  it.each([
    'tile/0/x000/001', // leading zero group
    'tile/0/x001/x000', // last group without x is required
    'tile/00/001', // leading zero in L
    'tile/01/001',
    'tile/64/001', // L above 63
    'tile/-1/001',
    'tile/0/001.p/0', // W outside 1..255
    'tile/0/001.p/256',
    'tile/0/001.p/05', // leading zero in W
    'tile/0/1', // not 3 digits
    'tile/0/0001',
    'tile/0/123/456/078', // groups without x (golang.org/x/mod tilePaths)
    'tile/0/001/',
    'tile/0/001.p/',
    'tile/data/001',
    '/tile/0/001',
    'tile/entries/001.p/1/extra',
  ])('refuses %s', (path) => {
    expect(parseTilePath(path)).toBeNull();
  });
});
