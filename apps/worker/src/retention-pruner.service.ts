import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyRepository, WebhookRepository } from '@app/persistence';

/** How often a worker prunes; each prune reads the tables' expired ranges once. */
const PRUNE_EVERY_MS = 3600_000;

/** Delivered webhook deliveries are kept this long, as receipts an admin can list, then deleted. */
export const DELIVERED_RETENTION_DAYS = 30;

/**
 * Deletes what is past its retention, soon after the worker starts and then hourly:
 * Idempotency-Keys past their 24 hours (SPEC.md) and webhook deliveries delivered more than
 * DELIVERED_RETENTION_DAYS ago. (The relay prunes its own outbox rows.) Every worker prunes; the
 * batches skip rows another has locked. A failure is logged, and the next hour tries again.
 */
@Injectable()
export class RetentionPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPruner.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<{ idempotencyKeys: number; deliveries: number }> | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
    private readonly webhooks: WebhookRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
    void this.prune();
  }

  /** One prune (or the one already running): how many rows of each it deleted. */
  prune(): Promise<{ idempotencyKeys: number; deliveries: number }> {
    this.running ??= Promise.all([
      this.pruneOne('Idempotency-Keys past their 24 hours', () => this.keys.prune(this.dataSource.manager)),
      this.pruneOne(`webhook deliveries delivered more than ${DELIVERED_RETENTION_DAYS} days ago`, () => this.webhooks.pruneDelivered(DELIVERED_RETENTION_DAYS)),
    ])
      .then(([idempotencyKeys, deliveries]) => ({ idempotencyKeys, deliveries }))
      .finally(() => (this.running = null));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async pruneOne(what: string, prune: () => Promise<number>): Promise<number> {
    try {
      const deleted = await prune();
      if (deleted) this.logger.log({ rows: deleted }, `${what} deleted`);
      return deleted;
    } catch (error) {
      this.logger.warn({ err: error }, `pruning ${what} failed; the next hour tries again`);
      return 0;
    }
  }
}
