import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OutboxRepository, whenReachable } from '@app/persistence';
import { JobNames, type JobDataMap } from '@app/queue';
import { HeadsEntryService, LogCheckpointSigner, RegistryPublisherService } from '@app/registry';
import { outboxIdOf, type InlineHandler, type JobHandler } from './job-handler.js';

/**
 * Builds a case's public registry record as of one history seq, signs and stores it (once per case
 * and seq). A stored record acknowledges its outbox row in the statement that stores it; a job that
 * stores nothing acknowledges on its own. The relay runs it for the rows it claims; the job is for
 * a run that failed there.
 */
@Injectable()
export class RegistryRecordProcessor implements InlineHandler<typeof JobNames.publishRecord> {
  readonly jobName = JobNames.publishRecord;
  readonly acknowledges = true;

  constructor(
    private readonly publisher: RegistryPublisherService,
    private readonly outbox: OutboxRepository,
  ) {}

  handle(data: JobDataMap[typeof JobNames.publishRecord], job: Job) {
    return this.run(data, outboxIdOf(job));
  }

  async run(data: JobDataMap[typeof JobNames.publishRecord], outboxId: string | null) {
    const outcome = await this.publisher.publish(data.caseId, data.seq, outboxId);
    if (!outcome.acknowledged && outboxId) await this.outbox.markProcessed(outboxId);
    return outcome;
  }
}

/** Signs a transparency-log checkpoint when the tree grew (RegistryCheckpointLoop does so on its own clock). */
@Injectable()
export class RegistryCheckpointProcessor implements JobHandler<typeof JobNames.signCheckpoint> {
  readonly jobName = JobNames.signCheckpoint;

  constructor(private readonly publisher: RegistryPublisherService) {}

  async handle() {
    return this.publisher.signCheckpoint();
  }
}

/**
 * Keeps the log's checkpoint fresh: polls every tenth of REGISTRY_CHECKPOINT_MS and signs when the
 * tree grew and a second has passed since the last checkpoint. Logs records published before the
 * transparency log first. Several workers may run it: the signer's lock and the database keep one
 * checkpoint per size.
 */
@Injectable()
export class RegistryCheckpointLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RegistryCheckpointLoop.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: RegistryPublisherService,
    private readonly signer: LogCheckpointSigner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await whenReachable('logging records published before the log', () => this.publisher.logLegacyRecords());
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const poll = Math.max(10, Math.floor(this.config.REGISTRY_CHECKPOINT_MS / 10));
    let next = poll;
    try {
      const { waitMs } = await this.signer.signIfGrown();
      if (waitMs !== undefined) next = Math.min(poll, waitMs);
    } catch (error) {
      this.logger.error({ err: error }, 'registry checkpoint failed');
    }
    this.schedule(next);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/** How often the heads loop looks: a quarter of REGISTRY_HEADS_MS, so an entry is at most that late. */
export const headsPollMs = (config: Pick<AppConfig, 'REGISTRY_HEADS_MS'>): number => Math.max(100, Math.floor(config.REGISTRY_HEADS_MS / 4));

/**
 * Logs a `heads` entry when due: polls every quarter of REGISTRY_HEADS_MS; HeadsEntryService
 * decides in Postgres (under a row lock, by the database clock), so several workers, or a run
 * that finds nothing due, change nothing.
 */
@Injectable()
export class RegistryHeadsLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RegistryHeadsLoop.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly heads: HeadsEntryService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.heads.appendIfDue();
    } catch (error) {
      this.logger.error({ err: error }, 'registry heads entry failed');
    }
    this.schedule(headsPollMs(this.config));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
