import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { within } from '@app/http';
import { DEFAULT_JOB_OPTIONS, JOB_QUEUE, QueueNames, type JobDataMap, type JobName, type QueueName } from './queues.js';
import { REDIS, createRedis } from './redis-connection.js';
import { OutboxWake } from './outbox-wake.js';

/**
 * How long adding jobs waits for Redis. A Redis that froze with its connection open (a paused host,
 * a stalled disk) still reads as ready, and an add without a bound held the relay, and every intake
 * claimed after it, until Redis woke.
 */
export const ADD_TIMEOUT_MS = 2_000;

/** One job to add: its name, data and options. */
export interface JobToAdd<N extends JobName = JobName> {
  name: N;
  data: JobDataMap[N];
  options?: JobsOptions;
}

/** Producers for every queue, sharing one connection; jobs are added only through `add` and `addBulk`. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly logger = new Logger(JobQueues.name);
  private readonly queues: Map<QueueName, Queue>;
  /** The connection was ready once: from then on, not ready means Redis was lost. */
  private connected = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (redis.status === 'ready') this.connected = true;
    else redis.once('ready', () => (this.connected = true));
    this.queues = new Map(
      Object.values(QueueNames).map((name) => {
        const queue = new Queue(name, { connection: redis, prefix: config.REDIS_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS });
        // Redis down is reported by /health; the log gets one line per error, not a stack on stderr.
        queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
        return [name, queue];
      }),
    );
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async add<N extends JobName>(name: N, data: JobDataMap[N], options: JobsOptions = {}): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, data, options);
  }

  /**
   * Adds jobs with one Redis round trip per queue, in order within each queue. Resolves to the
   * jobs whose queue refused them (Redis down), so the caller can send them again. Once Redis was
   * reached, a lost connection refuses the jobs at once instead of queueing the commands until it
   * is back, so the caller (the relay) is not held while Redis is down; a Redis that does not answer
   * within ADD_TIMEOUT_MS refuses them too. Such an add may still land when Redis wakes, beside the
   * one sent again: a deadline's job has one id, and every handler is idempotent in Postgres.
   */
  async addBulk<T extends JobToAdd>(jobs: readonly T[]): Promise<T[]> {
    if (jobs.length === 0) return [];
    if (this.connected && this.redis.status !== 'ready') {
      this.logger.warn(`Redis ${this.redis.status}: ${jobs.length} job(s) not added`);
      return [...jobs];
    }
    const byQueue = new Map<QueueName, T[]>();
    for (const job of jobs) {
      const queue = JOB_QUEUE[job.name];
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
    }
    const refused: T[] = [];
    await Promise.all(
      [...byQueue].map(async ([queue, list]) => {
        try {
          await within(
            this.queue(queue).addBulk(list.map((job) => ({ name: job.name, data: job.data, opts: job.options }))),
            ADD_TIMEOUT_MS,
            'Redis did not answer',
          );
        } catch (error) {
          this.logger.warn(`queue ${queue}: ${list.length} job(s) not added: ${error instanceof Error ? error.message : String(error)}`);
          refused.push(...list);
        }
      }),
    );
    return refused;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRedis(config.REDIS_URL),
    },
    JobQueues,
    OutboxWake,
  ],
  exports: [REDIS, JobQueues, OutboxWake],
})
export class QueueModule {}
