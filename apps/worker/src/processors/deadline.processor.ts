import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { SystemEventsUseCase } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DeadlineRepository } from '@app/persistence';
import { JobNames, JobQueues, deadlineJobHorizonMs, deadlineJobId, type JobDataMap, type JobToAdd } from '@app/queue';
import type { JobHandler } from './job-handler.js';

/** Fires a deadline when Postgres says it is due; an early job is delayed again, never applied. */
@Injectable()
export class DeadlineProcessor implements JobHandler<typeof JobNames.fireDeadline> {
  readonly jobName = JobNames.fireDeadline;
  readonly addsOutboxRows = true;

  constructor(
    private readonly deadlines: DeadlineRepository,
    private readonly systemEvents: SystemEventsUseCase,
  ) {}

  async handle(data: JobDataMap[typeof JobNames.fireDeadline], job: Job, token?: string) {
    const row = await this.deadlines.timeToFire(data.deadlineId);
    if (!row?.live) return 'not-open';
    if (row.remainingMs > 0) {
      await job.moveToDelayed(Date.now() + Math.ceil(row.remainingMs), token);
      throw new DelayedError();
    }
    return (await this.systemEvents.fireDeadline(data.caseId, data.deadlineId)) ? 'fired' : 'stale';
  }
}

/** Jobs queued per Redis round trip by the sweep. */
const QUEUE_PAGE = 500;

/**
 * Fires due deadlines whose jobs Redis lost (each firing holds its case, so a race fires once), then
 * queues the jobs of the deadlines due within the horizon (deadlineJobHorizonMs): a step queues one
 * only for a deadline due that soon. A job already queued for the same deadline and due time is
 * kept (one job id); a job Redis refuses is queued by the next sweep, or the deadline is fired by one.
 */
@Injectable()
export class DeadlineSweepProcessor implements JobHandler<typeof JobNames.sweepDeadlines> {
  readonly jobName = JobNames.sweepDeadlines;
  readonly addsOutboxRows = true;
  private readonly logger = new Logger(DeadlineSweepProcessor.name);
  private readonly horizonMs: number;

  constructor(
    private readonly systemEvents: SystemEventsUseCase,
    private readonly deadlines: DeadlineRepository,
    private readonly queues: JobQueues,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.horizonMs = deadlineJobHorizonMs(config);
  }

  async handle() {
    const fired = await this.systemEvents.sweepDueDeadlines();
    return { fired, queued: await this.queueNear() };
  }

  private async queueNear(): Promise<number> {
    let queued = 0;
    for (let after = null as { dueAt: Date; id: string } | null; ; ) {
      const page = await this.deadlines.dueWithin(this.horizonMs, QUEUE_PAGE, after);
      const jobs: JobToAdd<typeof JobNames.fireDeadline>[] = page.map((d) => ({
        name: JobNames.fireDeadline,
        data: { caseId: d.caseId, deadlineId: d.id, dueAt: d.dueAt.toISOString() },
        options: { jobId: deadlineJobId(d.id, d.dueAt), delay: Math.max(0, Math.ceil(d.remainingMs)) },
      }));
      const refused = await this.queues.addBulk(jobs);
      if (refused.length) this.logger.warn({ jobs: refused.length }, 'deadline jobs not queued; the next sweep queues or fires them');
      queued += jobs.length - refused.length;
      if (page.length < QUEUE_PAGE) return queued;
      after = page.at(-1)!;
    }
  }
}
