import { Buffer } from 'node:buffer';
import { HASH_SIZE } from './bytes.util.js';
import { merkleRoot } from './merkle-hash.util.js';
import type { HashAt } from './subtree-hash.util.js';
import { tileWidth } from './tile-layout.util.js';
import { TILE_HEIGHT, TILE_WIDTH, type TileCoord } from './tile-path.util.js';

/** Tile bytes: the 1 to 256 hashes concatenated. */
export function encodeTile(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH) throw new RangeError('a tile holds 1 to 256 hashes');
  if (hashes.some((hash) => hash.length !== HASH_SIZE)) throw new RangeError('a tile hash must be 32 bytes');
  return Buffer.concat(hashes);
}

/** The hashes of tile bytes; `width`, when given, is the number the tile must hold. */
export function decodeTile(bytes: Uint8Array, width?: number): Buffer[] {
  const count = bytes.length / HASH_SIZE;
  if (!Number.isInteger(count) || count < 1 || count > TILE_WIDTH) throw new RangeError('tile bytes must be 1 to 256 hashes');
  if (width !== undefined && count !== width) throw new RangeError(`tile holds ${count} hashes, expected ${width}`);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: count }, (_, i) => Buffer.from(view.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
}

/**
 * The hash one level up that a full tile makes: the MTH of its 256 hashes. A log appends it to
 * the tile above when a tile fills; a partial tile is never hashed upward.
 */
export function tileRoot(fullTile: Uint8Array): Buffer {
  return merkleRoot(decodeTile(fullTile, TILE_WIDTH));
}

/**
 * The hashes of tile `coord` computed from level-0 (leaf) hashes: a level-L hash is the MTH of
 * the 256 level-(L-1) hashes of one full tile below, so it covers 256^L leaves.
 */
export function tileHashesFromLeaves(coord: TileCoord, leafHashAt: (index: number) => Uint8Array): Buffer[] {
  const hashAtLevel = (level: number, index: number): Buffer => {
    if (level === 0) {
      const hash = leafHashAt(index);
      if (hash.length !== HASH_SIZE) throw new RangeError(`leaf hash ${index} is not 32 bytes`);
      return Buffer.from(hash);
    }
    return merkleRoot(Array.from({ length: TILE_WIDTH }, (_, i) => hashAtLevel(level - 1, index * TILE_WIDTH + i)));
  };
  return Array.from({ length: coord.width }, (_, i) => hashAtLevel(coord.level, coord.index * TILE_WIDTH + i));
}

/** Where a Merkle node is read from in the tiles: a run of hashes inside one tile. */
export function tileForNode(size: number, level: number, index: number): { tile: TileCoord; offset: number; count: number } {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level % TILE_HEIGHT);
  const first = index * count;
  const tileIndex = Math.floor(first / TILE_WIDTH);
  const width = tileWidth(size, tileLevel, tileIndex);
  const offset = first % TILE_WIDTH;
  if (!Number.isSafeInteger(first) || first < 0 || offset + count > width) {
    throw new RangeError(`node (${level}, ${index}) is not in a tree of size ${size}`);
  }
  return { tile: { level: tileLevel, index: tileIndex, width }, offset, count };
}

/**
 * A `HashAt` answering from the tiles of a tree of `size` leaves: a node is the MTH of the
 * run of tile hashes below it, so any proof can be computed from tiles alone.
 */
export function hashAtFromTiles(size: number, readTile: (tile: TileCoord) => Uint8Array): HashAt {
  return (level, index) => {
    const { tile, offset, count } = tileForNode(size, level, index);
    return merkleRoot(decodeTile(readTile(tile), tile.width).slice(offset, offset + count));
  };
}
