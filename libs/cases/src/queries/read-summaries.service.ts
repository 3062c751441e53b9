import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ReadSummaryRepository } from '@app/persistence';

export interface Summarised<T> {
  body: T;
  /** Seconds since `body` was computed: 0 when computed for this request. */
  ageSeconds: number;
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

  constructor(
    private readonly summaries: ReadSummaryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async read<T>(key: string, compute: () => Promise<T>): Promise<Summarised<T>> {
    if (!(await this.isLarge())) return { body: await compute(), ageSeconds: 0 };
    const stored = await this.summaries.get<T>(key);
    if (stored === null || stored.body === null) {
      // Nothing to serve yet: this request waits for the first computation.
      const body = await this.refresh(key, compute, true);
      if (body !== undefined) return { body, ageSeconds: 0 };
      return { body: await compute(), ageSeconds: 0 };
    }
    if (stored.ageSeconds > this.config.SUMMARY_REFRESH_SECONDS) void this.refresh(key, compute, false);
    return { body: stored.body, ageSeconds: Math.max(0, Math.floor(stored.ageSeconds)) };
  }

  /** Computes and stores `key` when this replica gets the lease; undefined when another replica holds it. */
  private refresh<T>(key: string, compute: () => Promise<T>, wait: boolean): Promise<T | undefined> {
    const inFlight = this.running.get(key) as Promise<T | undefined> | undefined;
    if (inFlight) return inFlight;
    const work = (async () => {
      // A lease a few refresh periods long: a replica that died mid-way is replaced, a slow one is not raced.
      if (!wait && !(await this.summaries.lease(key, 5 * this.config.SUMMARY_REFRESH_SECONDS))) return undefined;
      const startedAt = await this.summaries.now();
      try {
        const body = await compute();
        await this.summaries.put(key, body, startedAt);
        return body;
      } catch (error) {
        await this.summaries.release(key).catch(() => undefined);
        if (wait) throw error;
        this.logger.warn(`refreshing the ${key} summary failed: ${String(error)}`);
        return undefined;
      }
    })().finally(() => this.running.delete(key));
    this.running.set(key, work);
    return work;
  }

  private async isLarge(): Promise<boolean> {
    if (this.config.SUMMARY_MIN_CASES === 0) return true;
    if (this.large && Date.now() - this.large.at < MODE_TTL_MS) return this.large.value;
    const value = (await this.summaries.estimatedCases()) >= this.config.SUMMARY_MIN_CASES;
    this.large = { value, at: Date.now() };
    return value;
  }
}
