import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OutboxRepository, type OutboxRow } from '@app/persistence';
import { JobQueues, OUTBOX_JOB, OutboxKinds, webhookJobOptions, type OutboxKind } from '@app/queue';

const BATCH = 200;

/**
 * Delivers outbox rows to BullMQ at least once (jobId = outbox id), then marks them sent.
 * Rows are claimed with SKIP LOCKED, so several workers relay side by side.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueues,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayAll()
        .then((sent) => this.schedule(sent === BATCH ? 0 : this.config.RELAY_INTERVAL_MS))
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'outbox relay failed; retrying');
          this.schedule(Math.max(1000, this.config.RELAY_INTERVAL_MS));
        });
    }, delay);
  }

  /** One batch; returns how many rows were delivered. */
  async relayAll(): Promise<number> {
    return this.dataSource.transaction(async (db) => {
      const unsent = await this.outbox.claimUnsent(BATCH, db);
      const lost = unsent.length < BATCH ? await this.outbox.claimUnacknowledged(BATCH - unsent.length, this.config.OUTBOX_LEASE_MS, db) : [];
      if (lost.length) this.logger.warn({ rows: lost.length }, 'sending again jobs that were never acknowledged');
      const rows = [...unsent, ...lost];
      for (const row of rows) await this.deliver(row);
      await this.outbox.markSent(rows.map((r) => r.id), db);
      return rows.length;
    });
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const jobName = OUTBOX_JOB[row.kind as OutboxKind];
    if (!jobName) throw new Error(`outbox row ${row.id} has unknown kind ${row.kind}`);
    const delay = row.kind === OutboxKinds.deadline ? Math.max(0, Date.parse(String(row.payload.dueAt)) - Date.now()) : 0;
    const retries = row.kind === OutboxKinds.webhookDelivery ? webhookJobOptions(this.config) : {};
    await this.queues.add(jobName, row.payload as never, { jobId: row.id, delay, ...retries });
  }
}
