import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { NotificationFanoutService } from '@app/notifications';
import { OutboxRepository, type OutboxLeases, type OutboxRow } from '@app/persistence';
import {
  DEFAULT_JOB_OPTIONS,
  JobNames,
  JobQueues,
  OUTBOX_JOB,
  OutboxKinds,
  OutboxWake,
  deadlineJobId,
  webhookJobOptions,
  type JobDataMap,
  type JobToAdd,
  type OutboxKind,
} from '@app/queue';
import { IntakeProcessor } from './processors/intake.processor.js';
import type { InlineHandler } from './processors/job-handler.js';
import { RegistryRecordProcessor } from './processors/registry.processor.js';

const BATCH = 200;

/**
 * A row the relay runs itself (intake, a registry record, a notification fan-out) is acknowledged
 * within milliseconds; one still unacknowledged after this long was claimed by a worker that died
 * (or whose run hangs), and another relay runs it again, idempotently: a submitted case does not
 * wait OUTBOX_LEASE_MS in intake because a worker was killed.
 */
export const RUN_LEASE_MS = 10_000;

/** Acknowledged outbox rows are kept this long (to see what was sent), then deleted. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600_000;

/** How often a relay prunes; each prune reads the outbox table once. */
const PRUNE_EVERY_MS = 3600_000;

/** How many claimed rows the relay runs at once, across batches (a BullMQ worker ran 8 jobs of a queue at once). */
export const INLINE_CONCURRENCY = 8;

/**
 * A row whose run in the relay failed becomes a BullMQ job delayed by the first backoff step, as
 * if BullMQ had run it and it failed once.
 */
const backoffMs = (): number => {
  const backoff = DEFAULT_JOB_OPTIONS.backoff;
  return typeof backoff === 'object' ? (backoff.delay ?? 0) : (backoff ?? 0);
};

/**
 * Delivers outbox rows to BullMQ at least once (jobId = outbox id), then marks them sent; the
 * notification rows (one per accepted step) are not queued but fanned out here, a claimed batch in
 * one statement that also acknowledges them (docs/decisions.md, "The notification fan-out runs in
 * the relay"), and the intake and registry-record rows are run here by their processors, a failed
 * run handed to BullMQ ("Intake and registry records run in the relay"). Rows are claimed with
 * SKIP LOCKED, so several workers relay side by side. The relay runs when a process announces
 * committed rows (OutboxWake: the api after a write, this worker after a job or a run that wrote a
 * step) and, as a safety net for a lost announcement and for jobs Redis lost, every RELAY_INTERVAL_MS.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** A notification arrived while a batch was running: run again as soon as it ends. */
  private woken = false;
  private started = false;
  private stopped = false;
  /** The handlers the relay runs itself, by outbox kind. */
  private readonly inline: Map<string, InlineHandler>;
  private readonly leases: OutboxLeases;
  /** Claimed rows to run, waiting for a lane. */
  private readonly waiting: OutboxRow[] = [];
  /** The lanes running rows, at most INLINE_CONCURRENCY; each ends when no row waits. */
  private readonly lanes = new Set<Promise<void>>();
  /** The fan-out of the last claimed batch's notification rows, running beside the next claim. */
  private fanning: Promise<void> = Promise.resolve();
  private lastPruneAt = 0;
  private pruning: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueues,
    private readonly fanout: NotificationFanoutService,
    intake: IntakeProcessor,
    registry: RegistryRecordProcessor,
    private readonly wake: OutboxWake,
  ) {
    this.inline = new Map<string, InlineHandler>([
      [OutboxKinds.intake, intake],
      [OutboxKinds.registryRecord, registry],
    ]);
    this.leases = { runMs: RUN_LEASE_MS, runKinds: [OutboxKinds.notify, ...this.inline.keys()], jobMs: config.OUTBOX_LEASE_MS };
  }

  onApplicationBootstrap(): void {
    this.started = true;
    this.wake.listen(() => this.wakeUp());
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.settled();
    await this.pruning;
  }

  /** Resolves when every claimed row the relay runs or fans out itself has run (or been handed to BullMQ). */
  async settled(): Promise<void> {
    while (this.lanes.size) await Promise.all([...this.lanes]);
    await this.fanning;
  }

  /** Runs the relay now, or right after the batch in flight (also called by this worker's jobs, which commit outbox rows). */
  wakeUp(): void {
    // A relay that was never started (one a test runs by hand) must not start polling on its own.
    if (this.stopped || !this.started) return;
    if (this.running) this.woken = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.woken = false;
      this.running = this.relayAll()
        .then((sent) => {
          this.running = null;
          this.schedule(sent >= BATCH || this.woken ? 0 : this.config.RELAY_INTERVAL_MS);
        })
        .catch((error: unknown) => {
          this.running = null;
          this.logger.warn({ err: error }, 'outbox relay failed; retrying');
          this.schedule(Math.max(1000, this.config.RELAY_INTERVAL_MS));
        });
    }, delay);
  }

  /**
   * One batch; returns how many rows were claimed. The claim is one autocommit statement that marks
   * the rows sent, and no lock is held while Redis is called or a row is run: a processor
   * acknowledging its row never waits on the relay. Rows whose jobs Redis refused are unclaimed, so
   * the next run sends them again; a relay killed between claim and add (or fan-out, or a run)
   * leaves them to the lease (and deadlines to the sweep). The intake and registry-record rows are
   * run by lanes beside the relay, so the next batch is not held back by them; it is claimed only
   * once every row of this one has started. The notification rows are fanned out beside the next
   * claim too; settled() waits for the fan-out as for the lanes.
   */
  async relayAll(): Promise<number> {
    while (this.waiting.length) await Promise.race(this.lanes);
    const rows = await this.outbox.claim(BATCH, this.leases);
    this.pruneIfDue();
    const lost = rows.filter((r) => r.resent).length;
    if (lost) this.logger.warn({ rows: lost }, 'sending again jobs that were never acknowledged');
    const notify = rows.filter((row) => row.kind === OutboxKinds.notify);
    this.runInline(rows.filter((row) => this.inline.has(row.kind)));
    const jobs = this.jobs(rows.filter((row) => row.kind !== OutboxKinds.notify && !this.inline.has(row.kind)));
    // One fan-out at a time, and not awaited here: the next claim (an intake committed meanwhile)
    // runs while this batch is fanned out, instead of after a fan-out's round trip.
    await this.fanning;
    this.fanning = this.fanOut(notify).catch((error: unknown) => this.leftToLease(notify.map((row) => row.id), error));
    const refused = await this.queues.addBulk(jobs);
    if (refused.length) {
      await this.outbox.unclaim(refused.map((job) => job.id));
      throw new Error(`${refused.length} outbox row(s) not relayed; they will be sent again`);
    }
    return rows.length;
  }

  /**
   * Deletes the rows acknowledged more than OUTBOX_RETENTION_MS ago, at most once an hour, beside
   * the relay (never holding a batch back). A failure is logged; the next hour tries again.
   */
  private pruneIfDue(): void {
    // A relay a test runs by hand (never started) leaves the table alone.
    if (!this.started || this.stopped || this.pruning || Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    this.pruning = this.outbox
      .prune(OUTBOX_RETENTION_MS)
      .then((deleted) => {
        if (deleted) this.logger.log({ rows: deleted }, 'acknowledged outbox rows past their retention deleted');
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'pruning the outbox failed; the next hour tries again'))
      .finally(() => (this.pruning = null));
  }

  /** Queues claimed rows for the lanes, starting lanes up to INLINE_CONCURRENCY. */
  private runInline(rows: OutboxRow[]): void {
    this.waiting.push(...rows);
    while (this.lanes.size < INLINE_CONCURRENCY && this.waiting.length) {
      const lane: Promise<void> = this.lane().finally(() => this.lanes.delete(lane));
      this.lanes.add(lane);
    }
  }

  private async lane(): Promise<void> {
    for (let row = this.waiting.shift(); row; row = this.waiting.shift()) await this.runOne(row);
  }

  /**
   * Runs one row with the processor BullMQ would have called; the run acknowledges the row in its
   * own write. A failed run is logged as BullMQ's worker logs a failed job and handed to BullMQ, for
   * the attempts and backoff its job would have had; if Redis refuses it, the row is unclaimed and
   * the next batch runs it again; if even that fails, the lease brings it back. Never rejects.
   */
  private async runOne(row: OutboxRow): Promise<void> {
    const handler = this.inline.get(row.kind)!;
    try {
      await handler.run(row.payload as never, row.id);
      // The run wrote a step, whose outbox rows this relay sends next.
      if (handler.addsOutboxRows) this.wakeUp();
      return;
    } catch (error) {
      this.logger.warn({ job: handler.jobName, outboxId: row.id, err: error }, 'job run in the relay failed; handed to BullMQ to retry');
    }
    try {
      const refused = await this.queues.addBulk(this.jobs([row], backoffMs()));
      if (refused.length === 0) return;
      await this.outbox.unclaim([row.id]);
      this.logger.warn({ outboxId: row.id }, 'failed run not handed to BullMQ; it will be run again');
    } catch (error) {
      this.logger.error({ outboxId: row.id, err: error }, 'failed run neither handed to BullMQ nor unclaimed; the lease sends it again');
    }
  }

  private jobs(rows: OutboxRow[], minDelay = 0): (JobToAdd & { id: string })[] {
    return rows.flatMap((row) => {
      const job = this.job(row, minDelay);
      return job ? [{ ...job, id: row.id }] : [];
    });
  }

  /**
   * Fans the claimed notification rows out in one statement that acknowledges them. If it fails,
   * row by row, so one bad row does not hold back the others; a row that fails on its own too is
   * left claimed and unacknowledged, and the lease brings it back (a repeat writes nothing).
   */
  private async fanOut(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const steps = rows.map((row) => {
      const data = row.payload as JobDataMap[typeof JobNames.notifyTransition];
      return { caseId: data.caseId, seq: data.seq, outboxId: row.id };
    });
    try {
      await this.fannedOut(steps);
      return;
    } catch (error) {
      if (steps.length === 1) return this.leftToLease(steps.map((s) => s.outboxId), error);
      this.logger.warn({ err: error, rows: steps.length }, 'batched fan-out failed; fanning out row by row');
    }
    const failed: string[] = [];
    let firstError: unknown;
    for (const step of steps) {
      try {
        await this.fannedOut([step]);
      } catch (error) {
        failed.push(step.outboxId);
        firstError ??= error;
      }
    }
    if (failed.length) this.leftToLease(failed, firstError);
  }

  /** Webhook deliveries are outbox rows of their own: the relay runs again at once to send them. */
  private async fannedOut(steps: Parameters<NotificationFanoutService['fanOutMany']>[0]): Promise<void> {
    const { deliveries } = await this.fanout.fanOutMany(steps);
    if (deliveries > 0) this.wakeUp();
  }

  private leftToLease(outboxIds: string[], error: unknown): void {
    this.logger.error({ err: error, outboxIds }, 'notification fan-out failed; the lease sends these rows again');
  }

  private job(row: OutboxRow, minDelay = 0): JobToAdd | null {
    const jobName = OUTBOX_JOB[row.kind as OutboxKind];
    // Left sent but unacknowledged: the lease brings it back, and the log says so each time.
    if (!jobName) {
      this.logger.error({ outboxId: row.id, kind: row.kind }, 'outbox row of unknown kind not relayed');
      return null;
    }
    const retries = row.kind === OutboxKinds.webhookDelivery ? webhookJobOptions(this.config) : {};
    if (row.kind === OutboxKinds.deadline) {
      // The sweep may queue the same deadline's job: one id, one job.
      const { deadlineId, dueAt } = row.payload as JobDataMap[typeof JobNames.fireDeadline];
      return { name: jobName, data: row.payload as never, options: { jobId: deadlineJobId(deadlineId, dueAt), delay: Math.max(minDelay, Date.parse(dueAt) - Date.now()) } };
    }
    return { name: jobName, data: row.payload as never, options: { jobId: row.id, delay: minDelay, ...retries } };
  }
}
