import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OutboxRepository } from '@app/persistence';
import { JOB_QUEUE, JobNames, JobQueues, OutboxWake, QueueNames, createRedis, type JobName } from '@app/queue';
import { JOB_HANDLERS, outboxIdOf, type JobHandler } from './processors/job-handler.js';

/** Every job name must have exactly one handler, or the worker does not start. */
export const indexHandlers = (handlers: JobHandler[]): Map<JobName, JobHandler> => {
  const index = new Map<JobName, JobHandler>();
  for (const handler of handlers) {
    if (index.has(handler.jobName)) throw new Error(`job ${handler.jobName} has two handlers`);
    index.set(handler.jobName, handler);
  }
  const missing = Object.values(JobNames).filter((name) => !index.has(name));
  if (missing.length) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
  return index;
};

/** One BullMQ worker per queue, dispatching by job name. */
@Injectable()
export class JobWorkersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobWorkersService.name);
  private readonly handlers: Map<JobName, JobHandler>;
  private workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private schedulerTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueues,
    private readonly outbox: OutboxRepository,
    private readonly wake: OutboxWake,
  ) {
    this.handlers = indexHandlers(handlers);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.workers = Object.values(QueueNames).map((queue) => {
      const connection = createRedis(this.config.REDIS_URL);
      this.connections.push(connection);
      const worker = new Worker(queue, (job: Job, token?: string) => this.dispatch(job, token), {
        connection,
        prefix: this.config.REDIS_PREFIX,
        concurrency: queue === QueueNames.deadlines ? 4 : 8,
        // Jobs are short database steps: a killed worker's jobs are taken over within seconds.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      });
      worker.on('failed', (job, error) => {
        this.logger.warn({ queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed');
        // Out of attempts: acknowledge, so the relay does not send it again; the failure stays in BullMQ.
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void this.acknowledge(job);
      });
      worker.on('error', (error) => this.logger.warn({ queue, err: error }, 'worker error'));
      return worker;
    });
    await this.scheduleSweep();
    // A flushed Redis forgets the scheduler too: upserting it again is idempotent.
    this.schedulerTimer = setInterval(() => void this.scheduleSweep().catch(() => undefined), this.config.DEADLINE_SWEEP_MS);
  }

  private async scheduleSweep() {
    await this.queues
      .queue(JOB_QUEUE[JobNames.sweepDeadlines])
      .upsertJobScheduler('deadline-sweep', { every: this.config.DEADLINE_SWEEP_MS }, { name: JobNames.sweepDeadlines, data: {} });
  }

  private async dispatch(job: Job, token?: string): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const result = await handler.handle(job.data as never, job, token);
    if (!handler.acknowledges) await this.acknowledge(job);
    if (handler.addsOutboxRows) this.wake.announce();
    return result;
  }

  /** Marks a relayed job's outbox row processed, so the relay does not send it again. */
  private async acknowledge(job: Job): Promise<void> {
    const outboxId = outboxIdOf(job);
    if (outboxId) await this.outbox.markProcessed(outboxId).catch((error: unknown) => this.logger.warn({ jobId: job.id, err: error }, 'acknowledge failed'));
  }

  /** Stop taking jobs and let running ones finish, before queues and connections close. */
  async onApplicationShutdown(): Promise<void> {
    if (this.schedulerTimer) clearInterval(this.schedulerTimer);
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
