import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { StatsRepository, iso } from '@app/persistence';
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

/**
 * The regulator's dashboard over a window: cases by current state (those created before
 * `to`), time in state (median and p90 of the stays overlapping the window) by developer
 * organisation and by the weights' release level, and deadlines breached in the window.
 */
@Injectable()
export class GetStatsQuery {
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
    return this.summaries.read(days === 0 ? 'stats:all' : `stats:${days}d`, async (stored) =>
      this.compute({ from: days === 0 ? undefined : new Date(Date.now() - days * DAY_MS).toISOString() }, stored),
    );
  }

  /** `fromStays`: the stays come from the incrementally kept tables (same answer, a fraction of the cost at scale). */
  private async compute(query: StatsQuery, fromStays = false) {
    const from = query.from ? new Date(query.from).toISOString() : null;
    const to = query.to ? new Date(query.to).toISOString() : null;
    const rows = fromStays ? await this.stats.summaryFromStays({ from, to }, FINAL_STATES) : await this.stats.summary({ from, to }, FINAL_STATES);
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

export type StatsView = Awaited<ReturnType<GetStatsQuery['execute']>>['body'];
