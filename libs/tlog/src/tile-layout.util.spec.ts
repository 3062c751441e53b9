import { describe, it, expect } from '@jest/globals';
import { newTiles, tileLevels, tilesForSize } from './tile-layout.util.js';

describe('tile layout', () => {
  it('matches the tlog-tiles example for a tree of 70,000', () => {
    expect(tileLevels(70000)).toEqual([
      { level: 0, fullTiles: 273, partialWidth: 112 },
      { level: 1, fullTiles: 1, partialWidth: 17 },
      { level: 2, fullTiles: 0, partialWidth: 1 },
    ]);
    const tiles = tilesForSize(70000);
    expect(tiles).toHaveLength(273 + 1 + 1 + 1 + 1);
    expect(tiles.filter((t) => t.level === 0 && t.width === 256)).toHaveLength(273);
    expect(tiles.filter((t) => t.width < 256)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  it('represents 256 leaves as one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tilesForSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(tilesForSize(0)).toEqual([]);
  });

  it('lists the tiles that growth creates or widens', () => {
    expect(newTiles(250, 260)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 0, index: 1, width: 4 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(newTiles(260, 260)).toEqual([]);
    expect(newTiles(0, 3)).toEqual([{ level: 0, index: 0, width: 3 }]);
    expect(() => newTiles(5, 4)).toThrow(RangeError);
  });

  it('writes, over any growth, exactly the tiles of the final size', () => {
    const written = new Map<string, number>();
    for (const [from, to] of [[0, 1], [1, 255], [255, 256], [256, 600], [600, 65537], [65537, 70000]]) {
      for (const t of newTiles(from, to)) written.set(`${t.level}/${t.index}`, t.width);
    }
    expect(new Map(tilesForSize(70000).map((t) => [`${t.level}/${t.index}`, t.width]))).toEqual(written);
  });
});
