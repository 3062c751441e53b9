import { Injectable } from '@nestjs/common';
import { canonicalJson } from '@app/integrity';
import { TransparencyLogRepository, type Db, type LogEntryInsert, type StoredTile } from '@app/persistence';
import {
  HASH_SIZE,
  MAX_ENTRY_BYTES,
  TILE_WIDTH,
  encodeEntryBundle,
  encodeTile,
  hashAtFromTiles,
  hashesAtLevel,
  leafHash,
  newTiles,
  rangeHash,
  rangeNodes,
  tileForNode,
  tileRoot,
  type TileCoord,
} from '@app/tlog';

/** One entry to append: its kind, its bytes (the JCS of the entry object) and the record it logs, if any. */
export interface LogEntryInput {
  kind: string;
  bytes: Buffer;
  recordId?: string | null;
}

export class LogEntryTooLargeError extends Error {}

const key = (level: number, index: number): string => `${level}/${index}`;

/** The JCS bytes of a log entry object. */
export const logEntryBytes = (entry: { readonly kind: string; readonly [field: string]: unknown }): Buffer => Buffer.from(canonicalJson(entry), 'utf8');

/** A record published before the log, as SPEC logs it. */
const legacyEntry = (record: Record<string, unknown>) => ({ kind: 'legacy-record', record });

/**
 * Appends entries to the log and integrates them, in the caller's transaction, under a row lock
 * on the tree state (Tessera's PostgreSQL driver): assigns indices, stores the entries and their
 * leaf hashes, the tiles that grew, the bundles that filled, and the new size and root. Two
 * appenders queue on the lock, so indices never collide and the tree never forks.
 */
@Injectable()
export class LogSequencer {
  constructor(private readonly log: TransparencyLogRepository) {}

  /**
   * Appends `entries` in order; records published before the log are logged first. Returns the first
   * index and the new size. Under the lock: one read of every tile the append widens or the new root
   * needs, and one statement writing entries, tiles, bundles and the tree state.
   */
  async append(db: Db, entries: readonly LogEntryInput[]): Promise<{ firstIndex: number; size: number; root: Buffer }> {
    for (const entry of entries) {
      if (entry.bytes.length > MAX_ENTRY_BYTES) throw new LogEntryTooLargeError(`a log entry is at most ${MAX_ENTRY_BYTES} bytes, got ${entry.bytes.length}`);
    }
    const state = await this.log.lockState(db);
    const all: LogEntryInput[] = [];
    if (!state.legacyLogged) {
      for (const record of await this.log.unloggedRecords(db)) {
        all.push({ kind: 'legacy-record', bytes: logEntryBytes(legacyEntry(record.document)), recordId: record.id });
      }
    }
    const legacy = all.length;
    all.push(...entries);
    if (all.length === 0) return { firstIndex: state.size, size: state.size, root: state.root };

    const oldSize = state.size;
    const rows: LogEntryInsert[] = all.map((entry, i) => ({
      index: oldSize + i,
      kind: entry.kind,
      entry: entry.bytes,
      leafHash: leafHash(entry.bytes),
      recordId: entry.recordId ?? null,
    }));
    const size = oldSize + rows.length;
    const coords = newTiles(oldSize, size);
    const growing = new Set(coords.map((c) => key(c.level, c.index)));
    // The root's nodes lie in tiles this append writes, or in full tiles written before it.
    const rootNodes = rangeNodes(0, size);
    const rootTiles = rootNodes.map((n) => tileForNode(size, n.level, n.index).tile).filter((t) => !growing.has(key(t.level, t.index)));
    const stored = await this.log.tiles([...coords, ...rootTiles].map((c) => ({ level: c.level, index: c.index })), db);

    const tiles = this.integrate(oldSize, rows, coords, stored);
    const bundles = await this.bundles(db, oldSize, size, rows);
    const readTile = (tile: TileCoord): Buffer => {
      const found = tiles.get(key(tile.level, tile.index)) ?? stored.get(key(tile.level, tile.index));
      if (!found || found.width < tile.width) throw new Error(`registry log tile ${key(tile.level, tile.index)} is missing or too narrow`);
      return found.data.subarray(0, tile.width * HASH_SIZE);
    };
    const root = rangeHash(0, size, hashAtFromTiles(size, readTile));
    await this.log.writeAppend({ entries: rows, tiles: [...tiles.values()], bundles, state: { size, root, legacyLogged: true } }, db);
    return { firstIndex: oldSize + legacy, size, root };
  }

  /** The tiles that grew from `oldSize` by `rows`, from the `previous` partial tiles that widen. */
  private integrate(oldSize: number, rows: readonly LogEntryInsert[], coords: readonly TileCoord[], previous: ReadonlyMap<string, StoredTile>): Map<string, StoredTile> {
    const written = new Map<string, StoredTile>();
    for (const coord of coords) {
      const first = coord.index * TILE_WIDTH;
      const known = Math.max(0, Math.min(coord.width, hashesAtLevel(oldSize, coord.level) - first));
      const hashes: Buffer[] = [];
      const old = previous.get(key(coord.level, coord.index));
      for (let i = 0; i < known; i++) hashes.push(old!.data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
      for (let i = known; i < coord.width; i++) {
        const at = first + i;
        if (coord.level === 0) hashes.push(rows[at - oldSize]!.leafHash);
        else {
          // A new hash one level up is the root of a tile below that filled in this append.
          const below = written.get(key(coord.level - 1, at));
          if (!below || below.width !== TILE_WIDTH) throw new Error(`tile ${key(coord.level - 1, at)} should have filled`);
          hashes.push(tileRoot(below.data));
        }
      }
      written.set(key(coord.level, coord.index), { ...coord, data: encodeTile(hashes) });
    }
    return written;
  }

  /** The entry bundles that filled from `oldSize` to `size`. */
  private async bundles(db: Db, oldSize: number, size: number, rows: readonly LogEntryInsert[]): Promise<Array<{ index: number; data: Buffer }>> {
    const bundles: Array<{ index: number; data: Buffer }> = [];
    for (let index = Math.floor(oldSize / TILE_WIDTH); index < Math.floor(size / TILE_WIDTH); index++) {
      const start = index * TILE_WIDTH;
      const stored = start < oldSize ? await this.log.entries(start, oldSize, db) : [];
      const fresh = rows.slice(Math.max(0, start - oldSize), start + TILE_WIDTH - oldSize).map((r) => r.entry);
      bundles.push({ index, data: encodeEntryBundle([...stored, ...fresh]) });
    }
    return bundles;
  }
}
