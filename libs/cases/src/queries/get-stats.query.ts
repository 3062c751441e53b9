import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { StatsRepository, iso, type StatsRows } from '@app/persistence';
import { CASE_STATES, DEADLINE_KINDS, FINAL_STATES } from '@app/workflow';
import { ReadSummariesService } from './read-summaries.service.js';

const bound = z.iso.datetime({ offset: true, message: 'an RFC 3339 time with an offset or Z' });

export const statsQuerySchema = z
  .strictObject({ from: bound.optional(), to: bound.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    path: ['from'],
    message: 'must be before to',
  });

export type StatsQuery = z.infer<typeof statsQuerySchema>;

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

const DAY_MS = 86_400_000;
/** How far a `from` may be from a whole number of days before now and still be that trailing window. */
const TRAILING_SLACK_MS = 10 * 60_000;

/** 0 for no `from`; N when `from` is N whole days before now (the dashboard's windows); else undefined. */
const trailingDays = (from: string | undefined): number | undefined => {
  if (from === undefined) return 0;
  const span = Date.now() - Date.parse(from);
  const days = Math.round(span / DAY_MS);
  return days >= 1 && days <= 366 && Math.abs(span - days * DAY_MS) <= TRAILING_SLACK_MS ? days : undefined;
};

interface Durations {
  stays: number;
  medianSeconds: number;
  p90Seconds: number;
}

/** The body of GET /v1/stats. */
export interface StatsBody {
  from: string | null;
  to: string;
  casesByState: Array<{ state: string; count: number }>;
  timeInState: {
    byDeveloperOrganisation: Array<{ state: string; developerOrganisationId: string; developerOrganisationName: string } & Durations>;
    byWeightsRelease: Array<{ state: string; release: string } & Durations>;
  };
  deadlineBreaches: Array<{ kind: string; count: number; stillOpen: number }>;
}

/** The windows the regulator's dashboard shows: all time (0) and the last 7, 30 and 90 days. */
const DASHBOARD_DAYS = [0, 7, 30, 90];

const summaryKey = (days: number) => (days === 0 ? 'stats:all' : `stats:${days}d`);
const trailingFrom = (days: number) => (days === 0 ? undefined : new Date(Date.now() - days * DAY_MS).toISOString());

/**
 * The regulator's dashboard over a window: cases by current state (those created before
 * `to`), time in state (median and p90 of the stays overlapping the window) by developer
 * organisation and by the weights' release level, and deadlines breached in the window.
 */
@Injectable()
export class GetStatsQuery {
  /** The dashboard's windows being computed together, if they are. */
  private dashboard: Promise<{ bodies: Map<number, StatsBody>; costMs: number }> | null = null;

  constructor(
    private readonly stats: StatsRepository,
    private readonly summaries: ReadSummariesService,
  ) {}

  /**
   * At scale, the dashboard's windows (everything, or the last N days up to now) come from the
   * refreshed summary of that window, with its age; `from` and `to` then name the summary's own window.
   * Other windows are computed for the request.
   */
  async execute(query: StatsQuery) {
    const days = query.to === undefined ? trailingDays(query.from) : undefined;
    // Any other window is computed for the request; at scale from the kept stays too (the whole history took ~27 s at 1M cases).
    if (days === undefined) return { body: await this.compute(query, await this.summaries.isLarge()), ageSeconds: 0, json: null };
    return this.summaries.read(summaryKey(days), async (stored) =>
      stored && DASHBOARD_DAYS.includes(days) ? this.refreshDashboard(days) : this.compute({ from: trailingFrom(days) }, stored),
    );
  }

  /**
   * The dashboard's four windows in one snapshot and one catch-up of the stays: the body asked for is
   * returned to be stored by its refresh, the three others are stored here, so their refreshes are not
   * due. A refresh of another of them meanwhile joins the same computation.
   */
  private refreshDashboard(days: number): Promise<StatsBody> {
    this.dashboard ??= (async () => {
      const started = performance.now();
      const windows = DASHBOARD_DAYS.map((d) => ({ from: trailingFrom(d) ?? null, to: null }));
      const { windows: rows } = await this.stats.summariesFromStays(windows, FINAL_STATES);
      const bodies = new Map(DASHBOARD_DAYS.map((d, i) => [d, this.view(windows[i]!.from, null, rows[i]!)]));
      return { bodies, costMs: performance.now() - started };
    })().finally(() => (this.dashboard = null));
    const shared = this.dashboard;
    return shared.then(async ({ bodies, costMs }) => {
      for (const [d, body] of bodies) if (d !== days) await this.summaries.store(summaryKey(d), body, body.to, costMs);
      return bodies.get(days)!;
    });
  }

  /** `fromStays`: the stays come from the incrementally kept tables (same answer, a fraction of the cost at scale). */
  private async compute(query: StatsQuery, fromStays = false): Promise<StatsBody> {
    const from = query.from ? new Date(query.from).toISOString() : null;
    const to = query.to ? new Date(query.to).toISOString() : null;
    const rows = fromStays ? await this.stats.summaryFromStays({ from, to }, FINAL_STATES) : await this.stats.summary({ from, to }, FINAL_STATES);
    return this.view(from, to, rows);
  }

  private view(from: string | null, to: string | null, rows: StatsRows): StatsBody {
    const count = (state: string) => rows.casesByState.find((r) => r.state === state)?.count ?? 0;
    const durations = (r: (typeof rows.timeInState)[number]) => ({
      stays: r.stays,
      medianSeconds: round(r.medianSeconds),
      p90Seconds: round(r.p90Seconds),
    });
    return {
      from,
      to: to ?? iso(rows.now)!,
      casesByState: CASE_STATES.map((state) => ({ state, count: count(state) })),
      timeInState: {
        byDeveloperOrganisation: rows.timeInState
          .filter((r) => r.developerOrganisationId !== null)
          .map((r) => ({
            state: r.state,
            developerOrganisationId: r.developerOrganisationId!,
            developerOrganisationName: r.developerOrganisationName!,
            ...durations(r),
          })),
        byWeightsRelease: rows.timeInState
          .filter((r) => r.release !== null)
          .map((r) => ({ state: r.state, release: r.release!, ...durations(r) })),
      },
      deadlineBreaches: DEADLINE_KINDS.map((kind) => {
        const row = rows.deadlineBreaches.find((r) => r.kind === kind);
        return { kind, count: row?.count ?? 0, stillOpen: row?.stillOpen ?? 0 };
      }),
    };
  }
}

export type StatsView = StatsBody;
