import { describe, expect, it } from '@jest/globals';
import type { Db, LogEntryInsert, LogTreeState, StoredTile, TransparencyLogRepository } from '@app/persistence';
import { decodeEntryBundle, emptyRoot, leafHash, merkleRoot, tileHashesFromLeaves, tilesForSize, encodeTile } from '@app/tlog';
import { LogSequencer, logEntryBytes } from './log-sequencer.service.js';
import { LogTileStore } from './log-tile-store.service.js';

/** The repository's log statements over memory, so the sequencer and tile store run without Postgres. */
class MemoryLog {
  state: LogTreeState = { size: 0, root: emptyRoot(), legacyLogged: false };
  rows: LogEntryInsert[] = [];
  tileRows = new Map<string, StoredTile>();
  bundles = new Map<number, Buffer>();
  legacy: Array<{ id: string; document: Record<string, unknown> }> = [];
  /** Round trips an append made: lock, reads, writes. */
  statements = 0;

  async lockState() {
    this.statements++;
    return { ...this.state };
  }
  async updateState(state: LogTreeState) {
    if (state.size < this.state.size) throw new Error('shrink');
    this.state = state;
  }
  async insertEntries(entries: readonly LogEntryInsert[]) {
    for (const e of entries) {
      if (e.index !== this.rows.length) throw new Error('gap');
      this.rows.push(e);
    }
  }
  async entries(start: number, end: number) {
    return this.rows.slice(start, end).map((r) => r.entry);
  }
  async tiles(coords: ReadonlyArray<{ level: number; index: number }>) {
    this.statements++;
    const found = new Map<string, StoredTile>();
    for (const c of coords) {
      const t = this.tileRows.get(`${c.level}/${c.index}`);
      if (t) found.set(`${c.level}/${c.index}`, t);
    }
    return found;
  }
  async upsertTiles(tiles: readonly StoredTile[]) {
    for (const t of tiles) {
      const old = this.tileRows.get(`${t.level}/${t.index}`);
      if (old && (t.width <= old.width || !t.data.subarray(0, old.data.length).equals(old.data))) throw new Error('tile rewrite');
      this.tileRows.set(`${t.level}/${t.index}`, t);
    }
  }
  async insertBundles(bundles: ReadonlyArray<{ index: number; data: Buffer }>) {
    for (const b of bundles) {
      if (this.bundles.has(b.index)) throw new Error('bundle rewrite');
      this.bundles.set(b.index, b.data);
    }
  }
  async writeAppend(append: { entries: readonly LogEntryInsert[]; tiles: readonly StoredTile[]; bundles: ReadonlyArray<{ index: number; data: Buffer }>; state: LogTreeState }) {
    this.statements++;
    await this.insertEntries(append.entries);
    await this.upsertTiles(append.tiles);
    await this.insertBundles(append.bundles);
    await this.updateState(append.state);
  }
  async bundle(index: number) {
    return this.bundles.get(index) ?? null;
  }
  async unloggedRecords() {
    return this.legacy.filter((r) => !this.rows.some((row) => row.recordId === r.id));
  }
}

const setup = () => {
  const memory = new MemoryLog();
  const repo = memory as unknown as TransparencyLogRepository;
  const tiles = new LogTileStore({} as never, repo);
  return { memory, tiles, sut: new LogSequencer(repo) };
};
const db = {} as Db;
const entry = (n: number) => logEntryBytes({ kind: 'test', n });

describe(LogSequencer.name, () => {
  it('integrates batches of any size into the tiles, bundles and root RFC 6962 and C2SP define', async () => {
    const { memory, tiles, sut } = setup();
    const all: Buffer[] = [];
    for (const batch of [1, 1, 253, 1, 1, 300, 511, 1, 2000]) {
      const bytes = Array.from({ length: batch }, (_, i) => entry(all.length + i));
      const result = await sut.append(db, bytes.map((b) => ({ kind: 'test', bytes: b })));
      all.push(...bytes);
      const leaves = all.map((b) => leafHash(b));
      expect(result.size).toBe(all.length);
      expect(result.root.equals(merkleRoot(leaves))).toBe(true);
      for (const coord of tilesForSize(all.length)) {
        const served = await tiles.tile(coord, all.length, db);
        expect(served?.equals(encodeTile(tileHashesFromLeaves(coord, (i) => leaves[i]!)))).toBe(true);
      }
    }
    expect(memory.state.size).toBe(all.length);
    const lastFull = Math.floor(all.length / 256) - 1;
    expect(decodeEntryBundle(memory.bundles.get(lastFull)!, 256).map((b) => b.toString())).toEqual(all.slice(lastFull * 256, lastFull * 256 + 256).map((b) => b.toString()));
    // A partial bundle of an older size is a prefix of today's.
    expect(decodeEntryBundle((await tiles.bundle(0, 3, all.length, db))!, 3)).toEqual(all.slice(0, 3));
    expect(await tiles.bundle(Math.floor(all.length / 256) + 1, 1, all.length, db)).toBeNull();
  });

  it('logs records published before the log first, in order, once', async () => {
    const { memory, sut } = setup();
    memory.legacy = [
      { id: 'a', document: { id: 'a' } },
      { id: 'b', document: { id: 'b' } },
    ];
    const result = await sut.append(db, [{ kind: 'record', bytes: entry(0), recordId: 'c' }]);
    expect(result).toMatchObject({ firstIndex: 2, size: 3 });
    expect(memory.rows.map((r) => [r.kind, r.recordId])).toEqual([
      ['legacy-record', 'a'],
      ['legacy-record', 'b'],
      ['record', 'c'],
    ]);
    expect(JSON.parse(memory.rows[0]!.entry.toString())).toEqual({ kind: 'legacy-record', record: { id: 'a' } });
    await expect(sut.append(db, [])).resolves.toMatchObject({ size: 3 });
    expect(memory.rows).toHaveLength(3);
  });

  it('appends with three round trips under the lock: the lock, one read of the tiles, one write', async () => {
    const { memory, sut } = setup();
    await sut.append(db, Array.from({ length: 300 }, (_, i) => ({ kind: 'test', bytes: entry(i) })));
    for (const batch of [1, 7, 2]) {
      memory.statements = 0;
      const before = memory.state.size;
      await sut.append(db, Array.from({ length: batch }, (_, i) => ({ kind: 'test', bytes: entry(before + i) })));
      expect(memory.statements).toBe(3);
    }
  });

  it('refuses an entry over 65,535 bytes before touching the log', async () => {
    const { memory, sut } = setup();
    await expect(sut.append(db, [{ kind: 'test', bytes: Buffer.alloc(65_536) }])).rejects.toThrow(/at most 65535 bytes/);
    expect(memory.rows).toEqual([]);
  });
});
