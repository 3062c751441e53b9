import { Buffer } from 'node:buffer';
import type pg from 'pg';
import type { MisbehaviourKind } from './misbehaviour.util.js';

/** The latest tree cosigned for an origin, as locked for one submission. */
export interface CosignedLog {
  size: number;
  rootHash: Buffer;
  checkpoint: string | null;
}

/** An alert as written: the evidence a regulator needs to check the claim without the witness. */
export interface AlertInput {
  origin: string;
  kind: MisbehaviourKind;
  detail: string;
  cosignedSize: number;
  cosignedCheckpoint: string | null;
  submittedOldSize: number;
  submittedCheckpoint: string;
  submittedProof: string[];
  submittedSha256: string;
}

/** The witness schema's IO: its key, the per-origin row locked for each submission, the cosigned trees and the alerts. */
export class WitnessRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The stored cosigning key, storing `generated` first when there is none (two witnesses starting together keep one). */
  async signingKey(generated: () => string): Promise<string> {
    const existing = await this.pool.query<{ pem: string }>('SELECT private_key_pem AS pem FROM witness.signing_keys WHERE id = 1');
    if (existing.rows[0]) return existing.rows[0].pem;
    await this.pool.query('INSERT INTO witness.signing_keys (id, private_key_pem) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [generated()]);
    const stored = await this.pool.query<{ pem: string }>('SELECT private_key_pem AS pem FROM witness.signing_keys WHERE id = 1');
    return stored.rows[0]!.pem;
  }

  /** Runs `work` in a transaction holding the row lock of `origin` (created at size 0 when new), so submissions for one log serialise. */
  async withLockedLog<T>(origin: string, work: (log: CosignedLog, tx: WitnessTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO witness.logs (origin, tree_size, root_hash) VALUES ($1, 0, $2) ON CONFLICT (origin) DO NOTHING', [origin, Buffer.alloc(0)]);
      const { rows } = await client.query<{ size: string; rootHash: Buffer; checkpoint: string | null }>(
        'SELECT tree_size AS size, root_hash AS "rootHash", checkpoint FROM witness.logs WHERE origin = $1 FOR UPDATE',
        [origin],
      );
      const row = rows[0]!;
      const result = await work({ size: Number(row.size), rootHash: row.rootHash, checkpoint: row.checkpoint }, new WitnessTransaction(client, origin));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}

/** What one submission may do while it holds its origin's row lock. */
export class WitnessTransaction {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly origin: string,
  ) {}

  /** The root the witness cosigned at `size` for this origin, if it ever did. */
  async cosignedRootAt(size: number): Promise<Buffer | null> {
    const { rows } = await this.client.query<{ rootHash: Buffer }>(
      'SELECT root_hash AS "rootHash" FROM witness.cosigned_trees WHERE origin = $1 AND tree_size = $2',
      [this.origin, size],
    );
    return rows[0]?.rootHash ?? null;
  }

  /** Records the new latest tree (the caller checked it extends the locked one) and keeps it in the cosigned history. */
  async recordCosigned(size: number, rootHash: Uint8Array, checkpoint: string): Promise<void> {
    await this.client.query('UPDATE witness.logs SET tree_size = $2, root_hash = $3, checkpoint = $4, updated_at = now() WHERE origin = $1', [
      this.origin,
      size,
      Buffer.from(rootHash),
      checkpoint,
    ]);
    await this.client.query(
      'INSERT INTO witness.cosigned_trees (origin, tree_size, root_hash) VALUES ($1, $2, $3) ON CONFLICT (origin, tree_size) DO NOTHING',
      [this.origin, size, Buffer.from(rootHash)],
    );
  }

  /** Records an alert, or counts one more occurrence of the same one; true when it is new. */
  async recordAlert(alert: AlertInput): Promise<{ id: string; created: boolean }> {
    const { rows } = await this.client.query<{ id: string; created: boolean }>(
      `INSERT INTO witness.alerts (origin, kind, detail, cosigned_size, cosigned_checkpoint, submitted_old_size, submitted_checkpoint, submitted_proof, submitted_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (origin, kind, submitted_sha256)
       DO UPDATE SET occurrences = witness.alerts.occurrences + 1, last_seen_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        alert.origin,
        alert.kind,
        alert.detail,
        alert.cosignedSize,
        alert.cosignedCheckpoint,
        alert.submittedOldSize,
        alert.submittedCheckpoint,
        alert.submittedProof,
        alert.submittedSha256,
      ],
    );
    return rows[0]!;
  }
}
