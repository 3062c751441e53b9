import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Optional bounds of a statistics window; null is unbounded on that side. */
export interface StatsWindow {
  from: string | null;
  to: string | null;
}

export interface TimeInStateRow {
  state: string;
  developerOrganisationId: string | null;
  developerOrganisationName: string | null;
  release: string | null;
  stays: number;
  medianSeconds: number;
  p90Seconds: number;
}

export interface StatsRows {
  now: Date;
  casesByState: Array<{ state: string; count: number }>;
  timeInState: TimeInStateRow[];
  deadlineBreaches: Array<{ kind: string; count: number; stillOpen: number }>;
}

const CASES_BY_STATE_SQL = `SELECT state, count(*)::int AS count FROM cases
  WHERE $1::timestamptz IS NULL OR created_at < $1 GROUP BY state`;

/**
 * Stays: a case enters a state at its creation (the state its first event left, or its
 * current one) and at each event that changes the state; the stay ends at the next such
 * event, or now. Self-transitions continue the stay. Stays in a final state ($3) never end
 * and are left out. Grouped by developer organisation and by the weights' release level in
 * the current assessment (`withheld` when model_parameters is not listed).
 */
const TIME_IN_STATE_SQL = `
WITH entries AS (
  SELECT c.id AS case_id, 0 AS seq, COALESCE(f.from_state, c.state) AS state, c.created_at AS started_at
    FROM cases c LEFT JOIN case_events f ON f.case_id = c.id AND f.seq = 1
  UNION ALL
  SELECT case_id, seq, to_state, at FROM case_events WHERE to_state <> from_state
), stays AS (
  SELECT case_id, state, started_at,
         COALESCE(lead(started_at) OVER (PARTITION BY case_id ORDER BY seq), now()) AS ended_at
    FROM entries
), spans AS (
  -- Clocks of concurrent transactions may order two events' times against their seq.
  SELECT case_id, state, GREATEST(0, extract(epoch FROM ended_at - started_at))::float8 AS seconds
    FROM stays
   WHERE ($1::timestamptz IS NULL OR ended_at > $1)
     AND ($2::timestamptz IS NULL OR started_at < $2)
     AND NOT (state = ANY($3::text[]))
)
SELECT s.state, o.id AS "developerOrganisationId", o.name AS "developerOrganisationName", w.release,
       count(*)::int AS stays,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.seconds) AS "medianSeconds",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s.seconds) AS "p90Seconds"
  FROM spans s
  JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.developer_organisation_id
  CROSS JOIN LATERAL (
    SELECT COALESCE(
      (SELECT x->>'release'
         FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.assessment->'components') = 'array'
                                        THEN c.assessment->'components' ELSE '[]'::jsonb END) x
        WHERE x->>'component' = 'model_parameters' LIMIT 1),
      'withheld') AS release) w
 GROUP BY GROUPING SETS ((s.state, o.id, o.name), (s.state, w.release))
 ORDER BY s.state, o.name, o.id, w.release`;

/**
 * A deadline is breached when its due time passed while it was open and running: it fired
 * or escalated, or it is still open (or was closed late) and was not paused before it fell due.
 */
const DEADLINE_BREACHES_SQL = `SELECT kind, count(*)::int AS count, (count(*) FILTER (WHERE closed_at IS NULL))::int AS "stillOpen"
  FROM deadlines
 WHERE due_at <= now()
   AND ($1::timestamptz IS NULL OR due_at >= $1)
   AND ($2::timestamptz IS NULL OR due_at < $2)
   AND (fired_at IS NOT NULL OR escalated_at IS NOT NULL
        OR ((closed_at IS NULL OR closed_at > due_at) AND (paused_at IS NULL OR paused_at > due_at)))
 GROUP BY kind`;

/** The regulator's statistics: raw SQL over cases, the history table and deadlines. */
@Injectable()
export class StatsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** One snapshot (REPEATABLE READ), so the three parts and `now` agree. */
  async summary(window: StatsWindow, finalStates: readonly string[]): Promise<StatsRows> {
    return this.dataSource.transaction('REPEATABLE READ', async (db) => {
      const [clock] = (await db.query(`SELECT date_trunc('milliseconds', now()) AS now`)) as Array<{ now: Date }>;
      const casesByState = await db.query(CASES_BY_STATE_SQL, [window.to]);
      const timeInState = await db.query(TIME_IN_STATE_SQL, [window.from, window.to, [...finalStates]]);
      const deadlineBreaches = await db.query(DEADLINE_BREACHES_SQL, [window.from, window.to]);
      return { now: clock!.now, casesByState, timeInState, deadlineBreaches };
    });
  }
}
