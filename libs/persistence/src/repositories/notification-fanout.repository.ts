import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HistoryItem } from '@app/integrity';
import type { Db } from '../sql.util.js';

/** One step as the fan-out needs it: the history item, the case's parties and the webhooks to call. */
export interface FanOutSource {
  item: Omit<HistoryItem, 'payload' | 'prevHash'>;
  developerOrganisationId: string;
  /** Currently assigned auditors, from the case's context. */
  assignedAuditorIds: string[];
  developerUserIds: string[];
  regulatorIds: string[];
  /** Live webhooks of the involved organisations (developer, every firm ever assigned, regulators) taking this event type. */
  webhookIds: string[];
}

/**
 * The notification fan-out's IO, one round trip each way: a read of the step with its audience
 * and subscribers, and one statement writing inbox rows, webhook deliveries and their outbox rows.
 * A single statement is atomic, and each row is unique per step, so a fan-out that runs twice adds nothing.
 */
@Injectable()
export class NotificationFanoutRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async source(caseId: string, seq: number, db: Db = this.dataSource): Promise<FanOutSource | null> {
    const [row] = await db.query(
      `SELECT e.seq, e.type, e.actor, e.from_state AS "fromState", e.to_state AS "toState", e.at, e.hash,
              c.developer_organisation_id AS "developerOrganisationId",
              ARRAY(SELECT a->>'auditorId' FROM jsonb_array_elements(c.context->'assignments') a) AS "assignedAuditorIds",
              ARRAY(SELECT u.id FROM users u WHERE u.organisation_id = c.developer_organisation_id) AS "developerUserIds",
              ARRAY(SELECT u.id FROM users u WHERE u.role = 'regulator') AS "regulatorIds",
              ARRAY(SELECT w.id FROM webhooks w
                     WHERE w.deleted_at IS NULL AND (w.events IS NULL OR e.type = ANY(w.events))
                       AND (w.organisation_id = c.developer_organisation_id
                            OR w.organisation_id IN (SELECT audit_firm_id FROM assignments WHERE case_id = c.id)
                            OR w.organisation_id IN (SELECT id FROM organisations WHERE kind = 'regulator'))) AS "webhookIds"
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.case_id = $1 AND e.seq = $2`,
      [caseId, seq],
    );
    if (!row) return null;
    const { developerOrganisationId, assignedAuditorIds, developerUserIds, regulatorIds, webhookIds, ...item } = row;
    return {
      item: { ...item, at: new Date(item.at).toISOString() },
      developerOrganisationId,
      assignedAuditorIds,
      developerUserIds,
      regulatorIds,
      webhookIds,
    };
  }

  /** Inbox rows, deliveries and one outbox row per new delivery; returns how many of each were new. */
  async record(
    input: {
      caseId: string;
      seq: number;
      eventType: string;
      toState: string;
      recipients: Array<{ userId: string; reason: string }>;
      webhookIds: string[];
      deliveryPayload: Record<string, unknown>;
      outboxKind: string;
    },
    db: Db = this.dataSource,
  ): Promise<{ notified: number; deliveries: number }> {
    const [row] = await db.query(
      `WITH notified AS (
         INSERT INTO notifications (user_id, case_id, seq, event_type, to_state, reason)
         SELECT r.user_id, $1::uuid, $2::int, $3::text, $4::text, r.reason FROM unnest($5::uuid[], $6::text[]) AS r(user_id, reason)
         ON CONFLICT (user_id, case_id, seq) DO NOTHING RETURNING id
       ), delivered AS (
         INSERT INTO webhook_deliveries (webhook_id, case_id, seq, event_type, payload)
         SELECT w, $1::uuid, $2::int, $3::text, $7::jsonb FROM unnest($8::uuid[]) AS w
         ON CONFLICT (webhook_id, case_id, seq) DO NOTHING RETURNING id
       ), relayed AS (
         INSERT INTO outbox (case_id, kind, payload)
         SELECT $1::uuid, $9::text, jsonb_build_object('deliveryId', id) FROM delivered RETURNING 1
       )
       SELECT (SELECT count(*) FROM notified)::int AS notified, (SELECT count(*) FROM relayed)::int AS deliveries`,
      [
        input.caseId,
        input.seq,
        input.eventType,
        input.toState,
        input.recipients.map((r) => r.userId),
        input.recipients.map((r) => r.reason),
        JSON.stringify(input.deliveryPayload),
        input.webhookIds,
        input.outboxKind,
      ],
    );
    return row;
  }
}
