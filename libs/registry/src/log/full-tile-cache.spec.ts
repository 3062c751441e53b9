import { describe, expect, it } from '@jest/globals';
import { FullTileCache } from './full-tile-cache.js';

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

describe('FullTileCache', () => {
  it('answers what it holds and nothing else', () => {
    const sut = new FullTileCache(100);
    sut.set('tile/0/000', bytes(10, 7));
    expect(sut.get('tile/0/000')).toEqual(bytes(10, 7));
    expect(sut.get('tile/0/001')).toBeUndefined();
  });

  it('drops the least recently used first once over its budget', () => {
    const sut = new FullTileCache(30);
    sut.set('a', bytes(10));
    sut.set('b', bytes(10));
    sut.set('c', bytes(10));
    sut.get('a'); // now b is the least recently used
    sut.set('d', bytes(10));
    expect([sut.get('a'), sut.get('b'), sut.get('c'), sut.get('d')].map((b) => b !== undefined)).toEqual([true, false, true, true]);
    expect(sut.size).toBe(3);
  });

  it('keeps the first bytes stored under a path and refuses one larger than its budget', () => {
    const sut = new FullTileCache(16);
    sut.set('a', bytes(8, 1));
    sut.set('a', bytes(8, 2));
    expect(sut.get('a')).toEqual(bytes(8, 1));
    sut.set('huge', bytes(17));
    expect(sut.get('huge')).toBeUndefined();
    expect(sut.get('a')).toEqual(bytes(8, 1));
  });
});
