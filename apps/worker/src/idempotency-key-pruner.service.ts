import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyRepository } from '@app/persistence';

/** How often a worker deletes expired Idempotency-Keys; each prune reads the table once. */
const PRUNE_EVERY_MS = 3600_000;

/**
 * Deletes Idempotency-Keys past their 24 hours, soon after the worker starts and then hourly.
 * Every worker prunes; the batches skip rows another has locked. A failure is logged, and the
 * next hour tries again.
 */
@Injectable()
export class IdempotencyKeyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPruner.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
    void this.prune();
  }

  /** One prune (or the one already running); answers how many keys it deleted, 0 on failure. */
  prune(): Promise<number> {
    this.running ??= this.keys
      .prune(this.dataSource.manager)
      .then((deleted) => {
        if (deleted) this.logger.log({ rows: deleted }, 'Idempotency-Keys past their 24 hours deleted');
        return deleted;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'pruning Idempotency-Keys failed; the next hour tries again');
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
