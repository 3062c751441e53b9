import { Buffer } from 'node:buffer';
import { TILE_WIDTH } from './tile-path.util.js';

/** C2SP bundles prefix each entry with a big-endian uint16 length. */
export const MAX_ENTRY_BYTES = 0xffff;

/** An entry bundle: 1 to 256 entries, each prefixed by its big-endian uint16 length. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw new RangeError('a bundle holds 1 to 256 entries');
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry is at most ${MAX_ENTRY_BYTES} bytes`);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, entry);
  }
  return Buffer.concat(parts);
}

/** The entries of a bundle; `width`, when given, is the number it must hold. Truncation throws. */
export function decodeEntryBundle(bytes: Uint8Array, width?: number): Buffer[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: Buffer[] = [];
  let at = 0;
  while (at < view.length) {
    if (at + 2 > view.length) throw new RangeError('entry bundle ends inside a length prefix');
    const length = view.readUInt16BE(at);
    if (at + 2 + length > view.length) throw new RangeError('entry bundle ends inside an entry');
    entries.push(Buffer.from(view.subarray(at + 2, at + 2 + length)));
    at += 2 + length;
    if (entries.length > TILE_WIDTH) throw new RangeError('an entry bundle holds at most 256 entries');
  }
  if (entries.length === 0) throw new RangeError('an entry bundle holds at least one entry');
  if (width !== undefined && entries.length !== width) throw new RangeError(`bundle holds ${entries.length} entries, expected ${width}`);
  return entries;
}
