import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

/**
 * Who a step's notification goes to, as tables (libs/workflow's NOTIFICATION_AUDIENCE): the parties
 * by the state entered, or by event type for a step that stays in its state, and the reason each
 * party's inbox row gives.
 */
export interface FanOutAudience {
  actsNext: Readonly<Record<string, readonly string[]>>;
  self: Readonly<Record<string, readonly string[] | undefined>>;
  reasons: Readonly<Record<string, string>>;
  /** The outbox kind of a webhook delivery's job. */
  deliveryKind: string;
}

/** One step to fan out, and the outbox row its fan-out acknowledges (null: none). */
export interface FanOutStep {
  caseId: string;
  seq: number;
  outboxId: string | null;
}

/**
 * The notification fan-out in one statement, for one step or a batch of them: reads each step, its
 * audience (the developer organisation's users, the assigned auditors, the regulators; never the
 * actor) and the live webhooks of the organisations involved (developer, every firm ever assigned,
 * regulators) taking this event type; writes inbox rows, webhook deliveries and their outbox rows;
 * and acknowledges the steps' own outbox rows. One statement is atomic, and each row is unique per
 * step, so a fan-out that runs twice adds nothing.
 */
@Injectable()
export class NotificationFanoutRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Returns how many inbox rows and deliveries were new; `outboxId` (the job's row) is marked processed. */
  async fanOut(
    caseId: string,
    seq: number,
    audience: FanOutAudience,
    outboxId: string | null,
    db: Db = this.dataSource,
  ): Promise<{ notified: number; deliveries: number }> {
    return this.fanOutMany([{ caseId, seq, outboxId }], audience, db);
  }

  /** The fan-out of many steps in one statement (the steps as arrays, unnested), all or nothing. */
  async fanOutMany(steps: readonly FanOutStep[], audience: FanOutAudience, db: Db = this.dataSource): Promise<{ notified: number; deliveries: number }> {
    if (steps.length === 0) return { notified: 0, deliveries: 0 };
    const [row] = await db.query(
      `WITH job AS (
         SELECT DISTINCT j.case_id, j.seq FROM unnest($1::uuid[], $2::int[]) AS j(case_id, seq)
       ), step AS (
         SELECT e.case_id, e.seq, e.type, e.from_state, e.to_state, e.hash, e.actor->>'id' AS actor_id,
                to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
                c.developer_organisation_id AS developer_id, c.context->'assignments' AS assignments,
                CASE WHEN e.from_state = e.to_state THEN $3::jsonb -> e.type ELSE $4::jsonb -> e.to_state END AS parties
           FROM job JOIN case_events e ON e.case_id = job.case_id AND e.seq = job.seq JOIN cases c ON c.id = e.case_id
       ), party AS (
         SELECT step.case_id, step.seq, p.name, p.rank
           FROM step, jsonb_array_elements_text(coalesce(step.parties, '[]')) WITH ORDINALITY AS p(name, rank)
       ), candidate AS (
         SELECT party.case_id, party.seq, u.id::text AS user_id, party.rank, party.name
           FROM party JOIN step USING (case_id, seq) JOIN users u ON u.organisation_id = step.developer_id
          WHERE party.name = 'developer'
         UNION ALL
         SELECT party.case_id, party.seq, a->>'auditorId', party.rank, party.name
           FROM party JOIN step USING (case_id, seq), jsonb_array_elements(coalesce(step.assignments, '[]')) a
          WHERE party.name = 'assigned_auditors'
         UNION ALL
         SELECT party.case_id, party.seq, u.id::text, party.rank, party.name FROM party, users u
          WHERE party.name = 'regulators' AND u.role = 'regulator'
       ), recipient AS (
         -- Each user once per step, with the reason of the first party that named them.
         SELECT DISTINCT ON (c.case_id, c.seq, c.user_id) c.case_id, c.seq, c.user_id::uuid AS user_id, $5::jsonb ->> c.name AS reason
           FROM candidate c JOIN step USING (case_id, seq) WHERE c.user_id IS DISTINCT FROM step.actor_id
          ORDER BY c.case_id, c.seq, c.user_id, c.rank
       ), notified AS (
         INSERT INTO notifications (user_id, case_id, seq, event_type, to_state, reason)
         SELECT r.user_id, step.case_id, step.seq, step.type, step.to_state, r.reason FROM recipient r JOIN step USING (case_id, seq)
         ON CONFLICT (user_id, case_id, seq) DO NOTHING RETURNING id
       ), delivered AS (
         INSERT INTO webhook_deliveries (webhook_id, case_id, seq, event_type, payload)
         SELECT w.id, step.case_id, step.seq, step.type,
                jsonb_build_object('type', 'case.event', 'timestamp', step.at, 'data', jsonb_build_object(
                  'caseId', step.case_id, 'seq', step.seq, 'event', step.type, 'fromState', step.from_state,
                  'toState', step.to_state, 'at', step.at, 'hash', step.hash))
           FROM step JOIN webhooks w
             ON w.deleted_at IS NULL AND (w.events IS NULL OR step.type = ANY(w.events))
            AND (w.organisation_id = step.developer_id
                 OR w.organisation_id IN (SELECT audit_firm_id FROM assignments WHERE case_id = step.case_id)
                 OR w.organisation_id IN (SELECT id FROM organisations WHERE kind = 'regulator'))
         ON CONFLICT (webhook_id, case_id, seq) DO NOTHING RETURNING id, case_id
       ), relayed AS (
         INSERT INTO outbox (case_id, kind, payload)
         SELECT case_id, $6::text, jsonb_build_object('deliveryId', id) FROM delivered RETURNING 1
       ), acknowledged AS (
         UPDATE outbox SET processed_at = now() WHERE id = ANY($7::uuid[]) AND processed_at IS NULL RETURNING 1
       )
       SELECT (SELECT count(*) FROM notified)::int AS notified, (SELECT count(*) FROM relayed)::int AS deliveries,
              (SELECT count(*) FROM acknowledged)::int AS acknowledged`,
      [
        steps.map((s) => s.caseId),
        steps.map((s) => s.seq),
        JSON.stringify(audience.self),
        JSON.stringify(audience.actsNext),
        JSON.stringify(audience.reasons),
        audience.deliveryKind,
        steps.flatMap((s) => (s.outboxId ? [s.outboxId] : [])),
      ],
    );
    return { notified: row.notified, deliveries: row.deliveries };
  }
}
