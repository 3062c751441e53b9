import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { iso, type Db } from '../sql.util.js';

/** The integrated tree: its size and RFC 6962 root. */
export interface LogTreeState {
  size: number;
  root: Buffer;
  legacyLogged: boolean;
}

/** One entry to append, with its leaf hash and (for `record` and `legacy-record` entries) the record it logs. */
export interface LogEntryInsert {
  index: number;
  kind: string;
  entry: Buffer;
  leafHash: Buffer;
  recordId: string | null;
}

export interface LogCheckpointRow {
  size: number;
  root: Buffer;
  note: string;
  keyId: string;
  createdAt: string;
}

export interface StoredTile {
  level: number;
  index: number;
  width: number;
  data: Buffer;
}

const tileKey = (level: number, index: number): string => `${level}/${index}`;

/** Every SQL statement of the registry's transparency log: tree state, entries, tiles, bundles, checkpoints. */
@Injectable()
export class TransparencyLogRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The tree state, locked FOR UPDATE until the transaction ends: appenders queue here. */
  async lockState(db: Db): Promise<LogTreeState> {
    const [row] = await db.query(`SELECT size, root, legacy_logged AS "legacyLogged" FROM registry_log_state WHERE id FOR UPDATE`);
    return { size: Number(row.size), root: row.root as Buffer, legacyLogged: row.legacyLogged as boolean };
  }

  async state(db: Db = this.dataSource): Promise<LogTreeState> {
    const [row] = await db.query(`SELECT size, root, legacy_logged AS "legacyLogged" FROM registry_log_state WHERE id`);
    return { size: Number(row.size), root: row.root as Buffer, legacyLogged: row.legacyLogged as boolean };
  }

  async updateState(state: LogTreeState, db: Db): Promise<void> {
    await db.query(`UPDATE registry_log_state SET size = $1, root = $2, legacy_logged = $3 WHERE id`, [state.size, state.root, state.legacyLogged]);
  }

  async insertEntries(entries: readonly LogEntryInsert[], db: Db): Promise<void> {
    // Batches keep each statement well under Postgres' bind-parameter limit.
    for (let at = 0; at < entries.length; at += 2000) {
      const batch = entries.slice(at, at + 2000);
      await db.query(
        `INSERT INTO registry_log_entries (idx, kind, entry, leaf_hash, record_id)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[], $5::uuid[])`,
        [batch.map((e) => e.index), batch.map((e) => e.kind), batch.map((e) => e.entry), batch.map((e) => e.leafHash), batch.map((e) => e.recordId)],
      );
    }
  }

  /**
   * An append's writes in one round trip: its entries, the tiles that grew, the bundles that filled
   * and the new tree state. An append too large for one statement (a backfill) is written in batches.
   */
  async writeAppend(
    append: { entries: readonly LogEntryInsert[]; tiles: readonly StoredTile[]; bundles: ReadonlyArray<{ index: number; data: Buffer }>; state: LogTreeState },
    db: Db,
  ): Promise<void> {
    const { entries, tiles, bundles, state } = append;
    if (entries.length > 2000 || tiles.length > 1000 || bundles.length > 500) {
      await this.insertEntries(entries, db);
      await this.upsertTiles(tiles, db);
      await this.insertBundles(bundles, db);
      await this.updateState(state, db);
      return;
    }
    await db.query(
      `WITH entries AS (
         INSERT INTO registry_log_entries (idx, kind, entry, leaf_hash, record_id)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[], $5::uuid[]) RETURNING 1
       ), tiles AS (
         INSERT INTO registry_log_tiles (level, idx, width, data)
         SELECT * FROM unnest($6::int[], $7::bigint[], $8::int[], $9::bytea[])
         ON CONFLICT (level, idx) DO UPDATE SET width = EXCLUDED.width, data = EXCLUDED.data RETURNING 1
       ), bundles AS (
         INSERT INTO registry_log_bundles (idx, data) SELECT * FROM unnest($10::bigint[], $11::bytea[]) RETURNING 1
       )
       UPDATE registry_log_state SET size = $12, root = $13, legacy_logged = $14 WHERE id`,
      [
        entries.map((e) => e.index),
        entries.map((e) => e.kind),
        entries.map((e) => e.entry),
        entries.map((e) => e.leafHash),
        entries.map((e) => e.recordId),
        tiles.map((t) => t.level),
        tiles.map((t) => t.index),
        tiles.map((t) => t.width),
        tiles.map((t) => t.data),
        bundles.map((b) => b.index),
        bundles.map((b) => b.data),
        state.size,
        state.root,
        state.legacyLogged,
      ],
    );
  }

  /** Entries `[start, end)` in index order. */
  async entries(start: number, end: number, db: Db = this.dataSource): Promise<Buffer[]> {
    const rows = await db.query(`SELECT entry FROM registry_log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, [start, end]);
    return rows.map((r: { entry: Buffer }) => r.entry);
  }

  /** Stored tiles by (level, index), at whatever width they were last written. */
  async tiles(coords: ReadonlyArray<{ level: number; index: number }>, db: Db = this.dataSource): Promise<Map<string, StoredTile>> {
    const found = new Map<string, StoredTile>();
    if (coords.length === 0) return found;
    const rows = await db.query(
      `SELECT t.level, t.idx, t.width, t.data FROM registry_log_tiles t
         JOIN unnest($1::int[], $2::bigint[]) AS w(level, idx) ON w.level = t.level AND w.idx = t.idx`,
      [coords.map((c) => c.level), coords.map((c) => c.index)],
    );
    for (const r of rows as Array<{ level: number; idx: string; width: number; data: Buffer }>) {
      found.set(tileKey(r.level, Number(r.idx)), { level: r.level, index: Number(r.idx), width: r.width, data: r.data });
    }
    return found;
  }

  /** Writes tiles, widening partial ones in place (a trigger checks the old hashes stay a prefix). */
  async upsertTiles(tiles: readonly StoredTile[], db: Db): Promise<void> {
    for (let at = 0; at < tiles.length; at += 1000) {
      const batch = tiles.slice(at, at + 1000);
      await db.query(
        `INSERT INTO registry_log_tiles (level, idx, width, data)
         SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::bytea[])
         ON CONFLICT (level, idx) DO UPDATE SET width = EXCLUDED.width, data = EXCLUDED.data`,
        [batch.map((t) => t.level), batch.map((t) => t.index), batch.map((t) => t.width), batch.map((t) => t.data)],
      );
    }
  }

  async insertBundles(bundles: ReadonlyArray<{ index: number; data: Buffer }>, db: Db): Promise<void> {
    for (let at = 0; at < bundles.length; at += 500) {
      const batch = bundles.slice(at, at + 500);
      await db.query(`INSERT INTO registry_log_bundles (idx, data) SELECT * FROM unnest($1::bigint[], $2::bytea[])`, [
        batch.map((b) => b.index),
        batch.map((b) => b.data),
      ]);
    }
  }

  async bundle(index: number, db: Db = this.dataSource): Promise<Buffer | null> {
    const [row] = await db.query(`SELECT data FROM registry_log_bundles WHERE idx = $1`, [index]);
    return (row?.data as Buffer | undefined) ?? null;
  }

  /** Records published before the log, in publication order, that are not logged yet. */
  async unloggedRecords(db: Db): Promise<Array<{ id: string; document: Record<string, unknown> }>> {
    return db.query(
      `SELECT r.id, r.document FROM registry_records r
        WHERE NOT (r.document ? 'kind') AND NOT EXISTS (SELECT 1 FROM registry_log_entries e WHERE e.record_id = r.id)
        ORDER BY r.published_at, r.id`,
    );
  }

  async recordExists(recordId: string, db: Db = this.dataSource): Promise<boolean> {
    return (await db.query(`SELECT 1 FROM registry_records WHERE id = $1`, [recordId])).length > 0;
  }

  async logIndexOfRecord(recordId: string, db: Db = this.dataSource): Promise<number | null> {
    const [row] = await db.query(`SELECT idx FROM registry_log_entries WHERE record_id = $1`, [recordId]);
    return row ? Number(row.idx) : null;
  }

  /** Takes the checkpoint lock (a row lock on nothing else): signers queue here, appenders do not wait. */
  async lockCheckpointing(db: Db, key: bigint): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [key.toString()]);
  }

  async latestCheckpoint(db: Db = this.dataSource): Promise<LogCheckpointRow | null> {
    const [row] = await db.query(
      `SELECT size, root, note, key_id AS "keyId", created_at AS "createdAt" FROM registry_log_checkpoints ORDER BY size DESC LIMIT 1`,
    );
    return row ? { size: Number(row.size), root: row.root, note: row.note, keyId: row.keyId, createdAt: iso(row.createdAt)! } : null;
  }

  /** Milliseconds since the latest checkpoint by the database clock, null when there is none. */
  async msSinceLatestCheckpoint(db: Db): Promise<number | null> {
    const [row] = await db.query(`SELECT extract(epoch FROM now() - max(created_at)) * 1000 AS ms FROM registry_log_checkpoints`);
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  /**
   * The tree state beside the latest checkpoint, in one snapshot and without a lock: whether a
   * checkpoint is due at all (its size and root, and milliseconds since it by the database clock).
   */
  async stateAndLatestCheckpoint(db: Db = this.dataSource): Promise<{ state: LogTreeState; latest: { size: number; root: Buffer; ms: number } | null }> {
    const [row] = await db.query(
      `SELECT s.size, s.root, s.legacy_logged AS "legacyLogged", c.size AS "checkpointSize", c.root AS "checkpointRoot",
              extract(epoch FROM now() - c.created_at) * 1000 AS ms
         FROM registry_log_state s
         LEFT JOIN LATERAL (SELECT size, root, created_at FROM registry_log_checkpoints ORDER BY size DESC LIMIT 1) c ON true
        WHERE s.id`,
    );
    return {
      state: { size: Number(row.size), root: row.root as Buffer, legacyLogged: row.legacyLogged as boolean },
      latest: row.checkpointSize === null ? null : { size: Number(row.checkpointSize), root: row.checkpointRoot as Buffer, ms: Number(row.ms) },
    };
  }

  async insertCheckpoint(checkpoint: { size: number; root: Buffer; note: string; keyId: string }, db: Db): Promise<void> {
    await db.query(`INSERT INTO registry_log_checkpoints (size, root, note, key_id) VALUES ($1, $2, $3, $4)`, [
      checkpoint.size,
      checkpoint.root,
      checkpoint.note,
      checkpoint.keyId,
    ]);
  }

  async text(recordId: string, sha256: string, db: Db = this.dataSource): Promise<string | null> {
    const [row] = await db.query(`SELECT text FROM registry_record_texts WHERE record_id = $1 AND sha256 = $2`, [recordId, sha256]);
    return (row?.text as string | undefined) ?? null;
  }
}
