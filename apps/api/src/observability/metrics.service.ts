import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ReadSummariesService } from '@app/cases';
import { TokenCache } from '@app/auth';
import { within } from '@app/http';
import { MetricsRepository, PoolClient } from '@app/persistence';
import { JobQueues } from '@app/queue';
import { ReportRenderer } from '@app/reports';
import { SlowReaders } from '../common/slow-readers.js';
import { UploadsInFlight } from '../common/upload-slots.interceptor.js';

/**
 * How long a scrape waits for each Postgres or Redis read before it reports the value as unknown
 * (the metrics are collected at once, so a scrape takes about this long at worst).
 */
const SCRAPE_READ_MS = 2000;

/** A read at scrape time, or null when it failed or did not answer in time: a scrape never fails for it. */
const atScrape = <T>(read: () => Promise<T>): Promise<T | null> => within(read(), SCRAPE_READ_MS).catch(() => null);

/**
 * Prometheus metrics. Counts that span api and worker processes (transitions, backlog,
 * deadline lateness, failed jobs) are read from Postgres and Redis at scrape time, so any
 * api replica reports the whole system. Counting transitions reads the whole history: on a large
 * database (SUMMARY_MIN_CASES) it is a read summary, refreshed in the background like the statistics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;

  constructor(
    private readonly counts: MetricsRepository,
    private readonly queues: JobQueues,
    private readonly summaries: ReadSummariesService,
    private readonly reports: ReportRenderer,
    private readonly uploads: UploadsInFlight,
    private readonly slowReaders: SlowReaders,
    private readonly tokens: TokenCache,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'clearance_api_' });
    this.httpRequests = new Counter({
      name: 'clearance_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'clearance_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    const metrics = this.counts;
    const readSummaries = this.summaries;
    new Gauge({
      name: 'clearance_transitions_total',
      help: 'Accepted case events (transitions and self-transitions) by event type, system events included',
      labelNames: ['event'],
      registers: [this.registry],
      async collect() {
        const counts = await atScrape(() => readSummaries.read('transitions-by-event', () => metrics.eventCounts()));
        this.reset();
        for (const row of counts?.body ?? []) this.set({ event: row.type }, row.n);
      },
    });
    this.gauge('clearance_database_up', 'Whether Postgres answered this scrape within two seconds (1) or not (0)', async () => ((await atScrape(() => metrics.ping())) === null ? 0 : 1));
    this.gauge('clearance_outbox_backlog', 'Outbox rows not yet delivered to the job queue (-1 when Postgres does not answer)', async () => (await atScrape(() => metrics.outboxBacklog())) ?? -1);
    new Gauge({
      name: 'clearance_deadline_lateness_seconds',
      help: 'Deadline lateness (fired minus due) over the last 24 hours',
      labelNames: ['quantile'],
      registers: [this.registry],
      async collect() {
        const row = await atScrape(() => metrics.deadlineLateness({ firedWithin: '24 hours' }));
        this.reset();
        for (const quantile of ['p50', 'p99', 'max'] as const) {
          const value = row?.[quantile] ?? null;
          if (value !== null) this.set({ quantile: quantile === 'max' ? '1' : quantile === 'p50' ? '0.5' : '0.99' }, value);
        }
      },
    });
    this.gauge(
      'clearance_reports_backlog',
      'PDF model reports this api process has taken and not yet answered (one drawn at a time; 8 per caller, then 429; past 32 waiting, 503)',
      () => this.reports.backlog,
    );
    this.gauge(
      'clearance_uploads_in_flight',
      'Evidence uploads this api process is reading or storing (8 per caller, then 429; 16 in all, then 503)',
      () => this.uploads.inHand,
    );
    this.gauge(
      'clearance_answers_queued_bytes',
      'Bytes of answers this api process holds for clients that have not yet taken them (past ANSWERS_QUEUED_MAX_MB the longest-waiting are disconnected)',
      () => this.slowReaders.queuedBytes,
    );
    this.counter('clearance_slow_readers_closed_total', 'Connections this api process closed because their clients did not take their answers', () => this.slowReaders.closed);
    this.counter(
      'clearance_database_connections_ended_total',
      'Database connections this api process ended because Postgres went silent under a query (their requests answered 503)',
      () => PoolClient.ended,
    );
    this.gauge(
      'clearance_token_revocations_heard',
      'Whether this api process hears token revocations (1), and so caches tokens, or looks every token up in Postgres (0)',
      () => (this.tokens.isActive ? 1 : 0),
    );
    const jobQueues = this.queues;
    new Gauge({
      name: 'clearance_jobs_failed',
      help: 'Failed jobs kept by each queue (-1 when Redis does not answer)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          jobQueues.all().map(async (queue) => {
            const counts = await atScrape(() => queue.getJobCounts('failed'));
            this.set({ queue: queue.name }, counts ? (counts.failed ?? 0) : -1);
          }),
        );
      },
    });
  }

  /** A counter of a total this process keeps itself, read at scrape time. */
  private counter(name: string, help: string, read: () => number): void {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const total = read();
        this.inc(total - seen);
        seen = total;
      },
    });
  }

  /** A gauge of one value, read at scrape time. */
  private gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
