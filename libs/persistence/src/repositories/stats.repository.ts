import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

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

/** The weights' release level in a case's (`c`) current assessment; `withheld` when model_parameters is not listed. */
const RELEASE = `COALESCE(
      (SELECT x->>'release'
         FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.assessment->'components') = 'array'
                                        THEN c.assessment->'components' ELSE '[]'::jsonb END) x
        WHERE x->>'component' = 'model_parameters' LIMIT 1),
      'withheld')`;

/**
 * Groups spans (case_id, state, seconds) by developer organisation and by the weights' release;
 * `joins` bring in the organisation `o` and whatever `release` (an expression) is read from.
 */
const spansGroupedBy = (joins: string, release: string) => `SELECT s.state, o.id AS "developerOrganisationId", o.name AS "developerOrganisationName", ${release} AS release,
       count(*)::int AS stays,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.seconds) AS "medianSeconds",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s.seconds) AS "p90Seconds"
  FROM spans s
  ${joins}
 GROUP BY GROUPING SETS ((s.state, o.id, o.name), (s.state, ${release}))
 ORDER BY s.state, o.name, o.id, ${release}`;

/** Spans grouped by the case's organisation and its current assessment's release. */
const spansGrouped = spansGroupedBy(
  `JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.developer_organisation_id
  CROSS JOIN LATERAL (SELECT ${RELEASE} AS release) w`,
  'w.release',
);

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
${spansGrouped}`;

/**
 * The same stays as TIME_IN_STATE_SQL, read from the tables that CATCH_UP_STAYS_SQL keeps: the
 * completed stays as stored, and each case's open stay (its mark) ending now; grouped by the
 * organisation and release the marks hold, as of the snapshot (the cases are not read).
 */
const TIME_IN_STATE_FROM_STAYS_SQL = `
WITH spans AS (
  SELECT case_id, state, GREATEST(0, extract(epoch FROM ended_at - started_at))::float8 AS seconds
    FROM case_stays
   WHERE ($1::timestamptz IS NULL OR ended_at > $1)
     AND ($2::timestamptz IS NULL OR started_at < $2)
     AND NOT (state = ANY($3::text[]))
  UNION ALL
  SELECT case_id, state, GREATEST(0, extract(epoch FROM now() - entered_at))::float8
    FROM case_stay_marks
   WHERE ($1::timestamptz IS NULL OR now() > $1)
     AND ($2::timestamptz IS NULL OR entered_at < $2)
     AND NOT (state = ANY($3::text[]))
)
${spansGroupedBy(
  `JOIN case_stay_marks m ON m.case_id = s.case_id
  JOIN organisations o ON o.id = m.developer_organisation_id`,
  'm.release',
)}`;

/**
 * Brings case_stays and case_stay_marks up to the snapshot: only the cases whose `version` moved
 * since their mark (every write of a case moves it; a new event also moves `last_seq`), or that
 * have none yet, are read, with their events after the mark's `last_seq`; their organisation and
 * release are taken again (an assessment may change without an event). The mark's
 * open stay (or, for a new case, the creation: the state its first event left, or its current one)
 * is the first entry; each later event that changes the state enters a new one and ends the one
 * before, which is stored; the last entry is the new mark. The first run reads the whole history.
 */
const CATCH_UP_STAYS_SQL = `
WITH changed AS (
  SELECT c.id, c.state, c.created_at, c.version, c.last_seq, c.developer_organisation_id, ${RELEASE} AS release,
         m.last_seq AS mark_seq, m.state AS mark_state, m.entered_at AS mark_at
    FROM cases c LEFT JOIN case_stay_marks m ON m.case_id = c.id
   WHERE m.case_id IS NULL OR c.version <> m.version
), entries AS (
  -- The first event is looked up only for a case without a mark (COALESCE stops at the first value).
  SELECT ch.id AS case_id, COALESCE(ch.mark_seq, 0) AS seq,
         COALESCE(ch.mark_state, (SELECT f.from_state FROM case_events f WHERE f.case_id = ch.id AND f.seq = 1), ch.state) AS state,
         COALESCE(ch.mark_at, ch.created_at) AS started_at
    FROM changed ch
  UNION ALL
  SELECT e.case_id, e.seq, e.to_state, e.at
    FROM changed ch JOIN case_events e ON e.case_id = ch.id AND e.seq > COALESCE(ch.mark_seq, 0) AND e.seq <= ch.last_seq
   WHERE e.to_state <> e.from_state
), stays AS (
  SELECT case_id, state, started_at, lead(started_at) OVER (PARTITION BY case_id ORDER BY seq) AS ended_at
    FROM entries
), stored AS (
  INSERT INTO case_stays (case_id, state, started_at, ended_at)
  SELECT case_id, state, started_at, ended_at FROM stays WHERE ended_at IS NOT NULL ORDER BY ended_at
  RETURNING 1
), marked AS (
  INSERT INTO case_stay_marks AS m (case_id, version, last_seq, state, entered_at, developer_organisation_id, release)
  SELECT s.case_id, ch.version, ch.last_seq, s.state, s.started_at, ch.developer_organisation_id, ch.release
    FROM stays s JOIN changed ch ON ch.id = s.case_id WHERE s.ended_at IS NULL
  ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, last_seq = excluded.last_seq, state = excluded.state,
    entered_at = excluded.entered_at, developer_organisation_id = excluded.developer_organisation_id, release = excluded.release
  RETURNING 1
)
SELECT (SELECT count(*) FROM stored)::int AS stays, (SELECT count(*) FROM marked)::int AS cases`;

/** Serialises the catch-ups of every replica, so that each one starts from the last one's marks. */
const STAYS_LOCK_KEY = '7305190466101151744';
const STAYS_LOCK_RETRY_MS = 200;

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

  /** One snapshot (REPEATABLE READ), so the three parts and `now` agree. Time in state from the whole history. */
  async summary(window: StatsWindow, finalStates: readonly string[]): Promise<StatsRows> {
    return this.dataSource.transaction('REPEATABLE READ', async (db) => this.read(db, TIME_IN_STATE_SQL, window, finalStates));
  }

  /**
   * The same answer as `summary`, with the stays read from case_stays and case_stay_marks after
   * bringing them up to this snapshot; for the refreshed summaries, where reading the whole history
   * per window cost seconds. Refreshes take turns (a session lock held from before the snapshot to
   * after the commit), so each one's snapshot sees the marks the one before it stored.
   */
  async summaryFromStays(window: StatsWindow, finalStates: readonly string[]): Promise<StatsRows & { caughtUp: { stays: number; cases: number } }> {
    const { windows, caughtUp } = await this.summariesFromStays([window], finalStates);
    return { ...windows[0]!, caughtUp };
  }

  /**
   * `summaryFromStays` for several windows in one snapshot: one catch-up for all of them (the
   * dashboard's four windows are refreshed together).
   */
  async summariesFromStays(
    windows: readonly StatsWindow[],
    finalStates: readonly string[],
  ): Promise<{ windows: StatsRows[]; caughtUp: { stays: number; cases: number } }> {
    const runner = await this.lockedRunner();
    try {
      try {
        await runner.startTransaction('REPEATABLE READ');
        try {
          // The first catch-up reads the whole history: sorts in memory rather than on disk. The
          // planner's estimates of the CTEs are far off (it expects every case to have changed):
          // compiling for them cost seconds of JIT on a catch-up that takes less.
          await runner.query(`SET LOCAL work_mem = '256MB'`);
          await runner.query(`SET LOCAL jit = off`);
          const [caughtUp] = (await runner.query(CATCH_UP_STAYS_SQL)) as Array<{ stays: number; cases: number }>;
          const rows: StatsRows[] = [];
          const casesByState = new Map<string | null, StatsRows['casesByState']>();
          for (const window of windows) rows.push(await this.read(runner.manager, TIME_IN_STATE_FROM_STAYS_SQL, window, finalStates, casesByState));
          await runner.commitTransaction();
          return { windows: rows, caughtUp: caughtUp! };
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        }
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [STAYS_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** A connection holding the stays' lock; while another holds it, none is kept from the pool. */
  private async lockedRunner(): Promise<QueryRunner> {
    for (;;) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        const [row] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [STAYS_LOCK_KEY])) as Array<{ locked: boolean }>;
        if (row!.locked) return runner;
      } catch (error) {
        await runner.release();
        throw error;
      }
      await runner.release();
      await new Promise((resolve) => setTimeout(resolve, STAYS_LOCK_RETRY_MS));
    }
  }

  /** `counted`: cases by state already read in this snapshot, by `to` (a scan of every case each). */
  private async read(
    db: Pick<EntityManager, 'query'>,
    timeInStateSql: string,
    window: StatsWindow,
    finalStates: readonly string[],
    counted = new Map<string | null, StatsRows['casesByState']>(),
  ): Promise<StatsRows> {
    const [clock] = (await db.query(`SELECT date_trunc('milliseconds', now()) AS now`)) as Array<{ now: Date }>;
    const casesByState: StatsRows['casesByState'] = counted.get(window.to) ?? (await db.query(CASES_BY_STATE_SQL, [window.to]));
    counted.set(window.to, casesByState);
    const timeInState = await db.query(timeInStateSql, [window.from, window.to, [...finalStates]]);
    const deadlineBreaches = await db.query(DEADLINE_BREACHES_SQL, [window.from, window.to]);
    return { now: clock!.now, casesByState, timeInState, deadlineBreaches };
  }
}
