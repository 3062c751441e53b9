import { assertSafeIndex } from './bytes.util.js';
import { TILE_WIDTH, type TileCoord } from './tile-path.util.js';

/** The tiles of one level for a tree size: how many are full, and the partial one's width (0: none). */
export type TileLevel = { level: number; fullTiles: number; partialWidth: number };

/** Hashes at tile level L in a tree of `size` leaves: floor(size / 256^L). */
export function hashesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The width of tile `index` at `level` in a tree of `size` leaves: 0 when it does not exist yet. */
export function tileWidth(size: number, level: number, index: number): number {
  const width = hashesAtLevel(size, level) - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, width));
}

/**
 * Every level with at least one hash for a tree of `size` leaves. A tree of 70,000 has 273 full
 * level-0 tiles and one of width 112, one full level-1 tile and one of width 17, and one level-2
 * tile of width 1 (C2SP tlog-tiles).
 */
export function tileLevels(size: number): TileLevel[] {
  assertSafeIndex(size, 'tree size');
  const levels: TileLevel[] = [];
  for (let level = 0; hashesAtLevel(size, level) > 0; level++) {
    const count = hashesAtLevel(size, level);
    levels.push({ level, fullTiles: Math.floor(count / TILE_WIDTH), partialWidth: count % TILE_WIDTH });
  }
  return levels;
}

/** Every tile, full and partial, of a tree of `size` leaves, level by level. */
export function tilesForSize(size: number): TileCoord[] {
  return tileLevels(size).flatMap(({ level, fullTiles, partialWidth }) => {
    const tiles: TileCoord[] = Array.from({ length: fullTiles }, (_, index) => ({ level, index, width: TILE_WIDTH }));
    if (partialWidth > 0) tiles.push({ level, index: fullTiles, width: partialWidth });
    return tiles;
  });
}

/** The tiles a log must write when it grows from `oldSize` to `newSize`: new ones, and wider ones. */
export function newTiles(oldSize: number, newSize: number): TileCoord[] {
  assertSafeIndex(oldSize, 'old tree size');
  assertSafeIndex(newSize, 'new tree size');
  if (newSize < oldSize) throw new RangeError('a log never shrinks');
  const tiles: TileCoord[] = [];
  for (let level = 0; hashesAtLevel(newSize, level) > 0; level++) {
    const first = Math.floor(hashesAtLevel(oldSize, level) / TILE_WIDTH);
    const last = Math.ceil(hashesAtLevel(newSize, level) / TILE_WIDTH);
    for (let index = first; index < last; index++) {
      const width = tileWidth(newSize, level, index);
      if (width > tileWidth(oldSize, level, index)) tiles.push({ level, index, width });
    }
  }
  return tiles;
}
