import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

/** The heads tree as of the latest `heads` entry (`entry` null before the first). */
export interface CaseHeadsState {
  count: number;
  root: Buffer;
  entry: { at: string; logIndex: number } | null;
  /** Milliseconds since the latest entry by the database clock, null before the first. */
  msSinceEntry: number | null;
  /** The database clock, truncated to milliseconds. */
  now: string;
}

/** A case whose head moved past its leaf (or that has no leaf yet: `position` null). */
export interface CaseHeadChange {
  caseId: string;
  seq: number;
  hash: string;
  position: number | null;
}

export interface CaseHeadLeaf {
  caseId: string;
  position: number;
  seq: number;
  hash: string;
}

export interface CaseHeadsNode {
  level: number;
  index: number;
  hash: Buffer;
}

const nodeKey = (level: number, index: number): string => `${level}/${index}`;

/** Every SQL statement of the heads tree: the queue of changed heads, leaves, nodes and the latest entry. */
@Injectable()
export class CaseHeadsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private async readState(db: Db, lock: boolean): Promise<CaseHeadsState> {
    const [row] = await db.query(
      `SELECT count, root, entry_at AS "entryAt", log_index AS "logIndex",
              extract(epoch FROM now() - appended_at) * 1000 AS ms, date_trunc('milliseconds', now()) AS now
         FROM case_heads_state WHERE id ${lock ? 'FOR UPDATE' : ''}`,
    );
    return {
      count: Number(row.count),
      root: row.root as Buffer,
      entry: row.entryAt === null ? null : { at: row.entryAt as string, logIndex: Number(row.logIndex) },
      msSinceEntry: row.ms === null ? null : Number(row.ms),
      now: (row.now as Date).toISOString(),
    };
  }

  /** The state row locked FOR UPDATE until the transaction ends: heads jobs queue here. */
  async lockState(db: Db): Promise<CaseHeadsState> {
    return this.readState(db, true);
  }

  async state(db: Db = this.dataSource): Promise<CaseHeadsState> {
    return this.readState(db, false);
  }

  async updateState(state: { count: number; root: Buffer; at: string; logIndex: number }, db: Db): Promise<void> {
    await db.query(`UPDATE case_heads_state SET count = $1, root = $2, entry_at = $3, log_index = $4, appended_at = now() WHERE id`, [
      state.count,
      state.root,
      state.at,
      state.logIndex,
    ]);
  }

  /** Whether any case's history grew since the latest heads entry. */
  async hasChanges(db: Db = this.dataSource): Promise<boolean> {
    return (await db.query(`SELECT 1 FROM case_heads_changes LIMIT 1`)).length > 0;
  }

  /**
   * Takes every queued head (deleting what it returns, so a head queued meanwhile waits for the
   * next run) and answers, per case, the newest one that is past the case's leaf: cases with a
   * leaf first by position, then new cases in creation order.
   */
  async takeChanges(db: Db): Promise<CaseHeadChange[]> {
    const rows: Array<{ caseId: string; seq: number; hash: string; position: string | null }> = await db.query(
      `WITH taken AS (DELETE FROM case_heads_changes RETURNING case_id, seq, hash),
            latest AS (SELECT DISTINCT ON (case_id) case_id, seq, hash FROM taken ORDER BY case_id, seq DESC)
       SELECT l.case_id AS "caseId", l.seq, l.hash, h.position
         FROM latest l
         JOIN cases c ON c.id = l.case_id
         LEFT JOIN case_heads_leaves h ON h.case_id = l.case_id
        WHERE h.seq IS NULL OR h.seq < l.seq
        ORDER BY h.position NULLS LAST, c.created_at, c.id`,
    );
    return rows.map((r) => ({ caseId: r.caseId, seq: r.seq, hash: r.hash, position: r.position === null ? null : Number(r.position) }));
  }

  async upsertLeaves(leaves: readonly CaseHeadLeaf[], db: Db): Promise<void> {
    for (let at = 0; at < leaves.length; at += 5000) {
      const batch = leaves.slice(at, at + 5000);
      await db.query(
        `INSERT INTO case_heads_leaves (case_id, position, seq, hash)
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::text[])
         ON CONFLICT (case_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`,
        [batch.map((l) => l.caseId), batch.map((l) => l.position), batch.map((l) => l.seq), batch.map((l) => l.hash)],
      );
    }
  }

  async leaf(caseId: string, db: Db = this.dataSource): Promise<CaseHeadLeaf | null> {
    const [row] = await db.query(`SELECT case_id AS "caseId", position, seq, hash FROM case_heads_leaves WHERE case_id = $1`, [caseId]);
    return row ? { caseId: row.caseId, position: Number(row.position), seq: row.seq, hash: row.hash } : null;
  }

  /** Stored nodes by `level/index`. */
  async nodes(ids: ReadonlyArray<{ level: number; index: number }>, db: Db = this.dataSource): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (let at = 0; at < ids.length; at += 10_000) {
      const batch = ids.slice(at, at + 10_000);
      const rows: Array<{ level: number; idx: string; hash: Buffer }> = await db.query(
        `SELECT n.level, n.idx, n.hash FROM case_heads_nodes n
           JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON w.level = n.level AND w.idx = n.idx`,
        [batch.map((n) => n.level), batch.map((n) => n.index)],
      );
      for (const r of rows) found.set(nodeKey(r.level, Number(r.idx)), r.hash);
    }
    return found;
  }

  async upsertNodes(nodes: readonly CaseHeadsNode[], db: Db): Promise<void> {
    for (let at = 0; at < nodes.length; at += 10_000) {
      const batch = nodes.slice(at, at + 10_000);
      await db.query(
        `INSERT INTO case_heads_nodes (level, idx, hash)
         SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
         ON CONFLICT (level, idx) DO UPDATE SET hash = EXCLUDED.hash`,
        [batch.map((n) => n.level), batch.map((n) => n.index), batch.map((n) => n.hash)],
      );
    }
  }
}
