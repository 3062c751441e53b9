import { assertSafeIndex } from './bytes.util.js';

/** Hashes in a full tile, and entries in a full entry bundle (C2SP tlog-tiles). */
export const TILE_WIDTH = 256;
/** Merkle levels a tile spans: tile level L holds the hashes at Merkle level 8·L. */
export const TILE_HEIGHT = 8;
export const MAX_TILE_LEVEL = 63;

/** One tile: `width` is 256 for a full tile, 1 to 255 for a partial one. */
export type TileCoord = { level: number; index: number; width: number };

/** What a `tile/…` path names: a hash tile or an entry bundle. */
export type ParsedTilePath =
  | { kind: 'hashes'; level: number; index: number; width: number }
  | { kind: 'entries'; index: number; width: number };

/** C2SP path encoding of a tile index: 3-digit groups, all but the last prefixed with x (1234067 → x001/x234/067). */
export function encodeTileIndex(index: number): string {
  assertSafeIndex(index, 'tile index');
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

function widthSuffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError('tile width must be 1 to 256');
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/** `tile/<L>/<N>[.p/<W>]` */
export function tilePath({ level, index, width }: TileCoord): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) throw new RangeError('tile level must be 0 to 63');
  return `tile/${level}/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/** `tile/entries/<N>[.p/<W>]` */
export function entryBundlePath(index: number, width: number): string {
  return `tile/entries/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

const PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a tile or entry bundle path, or returns null. Only the canonical spelling is accepted:
 * no leading zero in L or W, no leading x000 group in N, L at most 63, W from 1 to 255.
 */
export function parseTilePath(path: string): ParsedTilePath | null {
  const match = PATH.exec(path);
  if (!match) return null;
  const [, levelText, indexText, widthText] = match;
  const index = Number(indexText.replaceAll('x', '').replaceAll('/', ''));
  if (!Number.isSafeInteger(index) || encodeTileIndex(index) !== indexText) return null;
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) return null;
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) return null;
  return { kind: 'hashes', level, index, width };
}
