import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ReadSummaryRepository } from '@app/persistence';

export interface Summarised<T> {
  body: T;
  /** Seconds since `body` was computed: 0 when computed for this request. */
  ageSeconds: number;
  /** `body` as JSON, serialised once per stored body (null when computed for this request). */
  json: string | null;
}

/** How long the size estimate that picks the mode is trusted. */
const MODE_TTL_MS = 60_000;

/**
 * Reads that scan every case (queue counts, statistics) answered from a summary once the database is
 * large (SUMMARY_MIN_CASES by the planner's estimate): the stored body is served with its age, and one
 * replica at a time recomputes it in the background once it is older than SUMMARY_REFRESH_SECONDS.
 * Below the threshold every answer is computed for its request, as before, so small installations
 * and the tests see every write at once. See docs/decisions.md, "Read summaries at scale".
 */
@Injectable()
export class ReadSummariesService {
  private readonly logger = new Logger(ReadSummariesService.name);
  private large: { value: boolean; at: number } | null = null;
  private readonly running = new Map<string, Promise<unknown>>();
  /**
   * The last body read per key and its JSON, so a replica fetches, parses and serialises a large body
   * once per refresh, not per request (the statistics' body is half a megabyte at 1M cases).
   */
  private readonly bodies = new Map<string, { computedAt: string; body: unknown; json: string }>();

  constructor(
    private readonly summaries: ReadSummaryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `compute(stored)`: stored is true when the body is computed to be stored (a refresh), false when for one request. */
  async read<T>(key: string, compute: (stored: boolean) => Promise<T>): Promise<Summarised<T>> {
    if (!(await this.isLarge())) return { body: await compute(false), ageSeconds: 0, json: null };
    const stamp = await this.summaries.stamp(key);
    if (stamp === null || !stamp.ready) {
      // Nothing to serve yet: this request waits for the first computation.
      const body = await this.refresh(key, compute, true);
      return { body: body ?? (await compute(false)), ageSeconds: 0, json: null };
    }
    // Paced by what the stored body cost, as stored: a refresh takes a share of the database of at most 1/SUMMARY_REFRESH_PACE.
    const dueSeconds = Math.max(this.config.SUMMARY_REFRESH_SECONDS, (this.config.SUMMARY_REFRESH_PACE * stamp.costMs) / 1000);
    // In the background: a failure (the database restarting) is logged here, never left unhandled to end the process.
    if (stamp.ageSeconds > dueSeconds)
      this.refresh(key, compute, false, stamp.costMs).catch((error: unknown) => this.logger.warn(`refreshing the ${key} summary failed: ${String(error)}`));
    let held = this.bodies.get(key);
    if (held?.computedAt !== stamp.computedAt) {
      const stored = await this.summaries.body<T>(key);
      if (stored === null) return { body: await compute(false), ageSeconds: 0, json: null };
      held = { ...stored, json: JSON.stringify(stored.body) };
      this.bodies.set(key, held);
    }
    return { body: held.body as T, ageSeconds: Math.max(0, Math.floor(stamp.ageSeconds)), json: held.json };
  }

  /**
   * Stores a body computed along with another key's (the statistics windows are computed together),
   * stamped `computedAt` (when its snapshot was taken) and with the shared computation's cost, so
   * that its own refresh is due no sooner than the one it was computed with.
   */
  async store(key: string, body: unknown, computedAt: string, costMs: number): Promise<void> {
    const stored = await this.summaries.put(key, body, computedAt, costMs);
    this.bodies.set(key, { computedAt: stored, body, json: JSON.stringify(body) });
  }

  /** Computes and stores `key` when this replica gets the lease; undefined when another replica holds it. */
  private refresh<T>(key: string, compute: (stored: boolean) => Promise<T>, wait: boolean, lastCostMs = 0): Promise<T | undefined> {
    const inFlight = this.running.get(key) as Promise<T | undefined> | undefined;
    if (inFlight) return inFlight;
    const work = (async () => {
      // A lease a few refresh periods, or a few of the last computation's durations, long: a replica
      // that died mid-way is replaced, a slow one is not raced (the statistics took ~53 s at 1M cases).
      const leaseSeconds = Math.max(5 * this.config.SUMMARY_REFRESH_SECONDS, (3 * lastCostMs) / 1000);
      if (!wait && !(await this.summaries.lease(key, leaseSeconds))) return undefined;
      try {
        const startedAt = await this.summaries.now();
        const started = performance.now();
        const body = await compute(true);
        const computedAt = await this.summaries.put(key, body, startedAt, performance.now() - started);
        // This replica serves what it just computed without reading it back.
        this.bodies.set(key, { computedAt, body, json: JSON.stringify(body) });
        return body;
      } catch (error) {
        // A request that waits computes without the lease: ending it would end another replica's.
        if (wait) throw error;
        await this.summaries.release(key).catch(() => undefined);
        this.logger.warn(`refreshing the ${key} summary failed: ${String(error)}`);
        return undefined;
      }
    })().finally(() => this.running.delete(key));
    this.running.set(key, work);
    return work;
  }

  /** Whether the database is large enough (SUMMARY_MIN_CASES) for the summaries; re-estimated once a minute. */
  async isLarge(): Promise<boolean> {
    if (this.config.SUMMARY_MIN_CASES === 0) return true;
    if (this.large && Date.now() - this.large.at < MODE_TTL_MS) return this.large.value;
    const value = (await this.summaries.estimatedCases()) >= this.config.SUMMARY_MIN_CASES;
    this.large = { value, at: Date.now() };
    return value;
  }
}
