import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCK_SPACES, advisoryXactLockIn, affected, deleteInBatches, type Db } from '../sql.util.js';

export interface WebhookRow {
  id: string;
  organisationId: string | null;
  url: string;
  events: string[] | null;
  createdAt: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  caseId: string;
  seq: number;
  eventType: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const HOOK = `id, organisation_id AS "organisationId", url, events, created_at AS "createdAt"`;
const DELIVERY_META = `d.id, d.webhook_id AS "webhookId", d.case_id AS "caseId", d.seq, d.event_type AS "eventType",
  d.status, d.attempts, d.last_status AS "lastStatus", d.last_error AS "lastError", d.created_at AS "createdAt",
  d.delivered_at AS "deliveredAt"`;

@Injectable()
export class WebhookRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Registers a webhook unless its organisation already has `limit` live ones (then null). Run in a
   * transaction: the lock makes one organisation's registrations count one after the other, so
   * concurrent ones cannot both take the last place.
   */
  async createWithinLimit(
    input: { organisationId: string | null; createdBy: string; url: string; events: string[] | null; secret: string },
    limit: number,
    db: Db,
  ): Promise<WebhookRow | null> {
    await advisoryXactLockIn(db, ADVISORY_LOCK_SPACES.webhooks, input.organisationId);
    const [row] = await db.query(
      `INSERT INTO webhooks (organisation_id, created_by, url, events, secret)
       SELECT $1, $2, $3, $4, $5
        WHERE (SELECT count(*) FROM webhooks WHERE organisation_id IS NOT DISTINCT FROM $1 AND deleted_at IS NULL) < $6
       RETURNING ${HOOK}`,
      [input.organisationId, input.createdBy, input.url, input.events, input.secret, limit],
    );
    return row ?? null;
  }

  async listForOrganisation(organisationId: string | null, db: Db = this.dataSource): Promise<WebhookRow[]> {
    return db.query(
      `SELECT ${HOOK} FROM webhooks WHERE organisation_id IS NOT DISTINCT FROM $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [organisationId],
    );
  }

  async delete(id: string, organisationId: string | null, db: Db = this.dataSource): Promise<boolean> {
    const result = await db.query(
      `UPDATE webhooks SET deleted_at = now() WHERE id = $1 AND organisation_id IS NOT DISTINCT FROM $2 AND deleted_at IS NULL`,
      [id, organisationId],
    );
    return affected(result) === 1;
  }

  /** Live webhooks of these organisations that subscribe to this event type. */
  async subscribers(organisationIds: string[], eventType: string, db: Db = this.dataSource): Promise<WebhookRow[]> {
    if (organisationIds.length === 0) return [];
    return db.query(
      `SELECT ${HOOK} FROM webhooks
        WHERE organisation_id = ANY($1::uuid[]) AND deleted_at IS NULL AND (events IS NULL OR $2 = ANY(events))`,
      [organisationIds, eventType],
    );
  }

  /** One delivery per (webhook, case, seq); returns the ids of the new ones. */
  async addDeliveries(
    rows: Array<{ webhookId: string; caseId: string; seq: number; eventType: string; payload: Record<string, unknown> }>,
    db: Db = this.dataSource,
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted: Array<{ id: string }> = await db.query(
      `INSERT INTO webhook_deliveries (webhook_id, case_id, seq, event_type, payload)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::jsonb[])
       ON CONFLICT (webhook_id, case_id, seq) DO NOTHING RETURNING id`,
      [
        rows.map((r) => r.webhookId),
        rows.map((r) => r.caseId),
        rows.map((r) => r.seq),
        rows.map((r) => r.eventType),
        rows.map((r) => JSON.stringify(r.payload)),
      ],
    );
    return inserted.map((r) => r.id);
  }

  /** The delivery with its target and secret, for the worker only. */
  async findForDelivery(id: string, db: Db = this.dataSource): Promise<(WebhookDeliveryRow & { url: string; secret: string; webhookDeleted: boolean }) | null> {
    const [row] = await db.query(
      `SELECT ${DELIVERY_META}, d.payload, w.url, w.secret, w.deleted_at IS NOT NULL AS "webhookDeleted"
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async recordAttempt(
    id: string,
    outcome: { status: 'pending' | 'delivered' | 'dead'; httpStatus: number | null; error: string | null },
    db: Db = this.dataSource,
  ): Promise<void> {
    await db.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, status = $2, last_status = $3, last_error = $4,
              delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
        WHERE id = $1 AND status = 'pending'`,
      [id, outcome.status, outcome.httpStatus, outcome.error],
    );
  }

  /** Delivery metadata for admins: never the payload. */
  async listDeliveries(status: string | undefined, after: [string, string] | null, limit: number, db: Db = this.dataSource) {
    return db.query(
      `SELECT ${DELIVERY_META}, w.url AS target, d.created_at::text AS "sortKey"
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE ($1::text IS NULL OR d.status = $1)
          AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /**
   * Deletes deliveries made more than `olderThanDays` ago that were delivered, `batch` at a time,
   * and returns how many. Pending ones are still being sent and dead ones wait for an operator;
   * a delivered one is only a receipt, and without this every event's payload stayed once per
   * webhook for ever. Never sent again: its fan-out's outbox row was acknowledged long before.
   */
  async pruneDelivered(olderThanDays: number, db: Db = this.dataSource, batch = 5000): Promise<number> {
    return deleteInBatches(db, 'webhook_deliveries', `status = 'delivered' AND created_at < now() - make_interval(days => $2::int)`, [olderThanDays], batch);
  }

  /** Puts a dead delivery back to pending with fresh attempts; false unless it was dead. */
  async revive(id: string, db: Db = this.dataSource): Promise<boolean> {
    const result = await db.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, last_error = NULL WHERE id = $1 AND status = 'dead'`,
      [id],
    );
    return affected(result) === 1;
  }
}
