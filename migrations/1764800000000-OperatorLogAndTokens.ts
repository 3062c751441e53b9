import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from '@app/persistence';

/**
 * The operator log (every admin action, hash-chained like case history, append-only) with its
 * head row; token labels, creators, expiry, last use and the bootstrap mark; inbox items that
 * concern no case (TOKEN_ISSUED). Never edited once committed: add a new migration instead.
 */
export class OperatorLogAndTokens1764800000000 implements MigrationInterface {
  name = 'OperatorLogAndTokens1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operator_log (
        seq int PRIMARY KEY CHECK (seq > 0),
        type text NOT NULL,
        actor jsonb NOT NULL,
        at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await makeAppendOnly(q, 'operator_log');
    // One row: the chain head, locked FOR UPDATE by every append so appends are serialised.
    await q.query(`
      CREATE TABLE operator_log_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_seq int NOT NULL,
        head_hash text NOT NULL
      )`);
    await q.query(`INSERT INTO operator_log_head (id, last_seq, head_hash) VALUES (true, 0, repeat('0', 64))`);

    await q.query(`ALTER TABLE api_tokens ADD COLUMN label text`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN created_by uuid REFERENCES users (id)`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN bootstrap boolean NOT NULL DEFAULT false`);
    // Tokens issued before expiry existed get the default lifetime from now, so no client breaks at once.
    await q.query(`UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL`);
    // The bootstrap admin's first token was ADMIN_TOKEN's.
    await q.query(`
      UPDATE api_tokens SET bootstrap = true WHERE id = (
        SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE u.role = 'admin' AND u.email = 'admin@clearance.local' ORDER BY t.created_at, t.id LIMIT 1)`);
    await q.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC, id DESC)`);

    await q.query(`ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN seq DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN to_state DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_case_step CHECK ((case_id IS NULL) = (seq IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_case_step`);
    await q.query(`DELETE FROM notifications WHERE case_id IS NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN to_state SET NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN seq SET NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN case_id SET NOT NULL`);
    await q.query(`DROP INDEX api_tokens_user_idx`);
    for (const column of ['bootstrap', 'last_used_at', 'expires_at', 'created_by', 'label'])
      await q.query(`ALTER TABLE api_tokens DROP COLUMN ${column}`);
    await q.query(`DROP TABLE operator_log_head`);
    await dropAppendOnly(q, 'operator_log');
    await q.query(`DROP TABLE operator_log`);
  }
}
