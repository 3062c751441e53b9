import { Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { SystemEventsUseCase } from '@app/cases';
import { DeadlineRepository } from '@app/persistence';
import { JobNames, type JobDataMap } from '@app/queue';
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

/** Fires due deadlines whose jobs Redis lost; each firing holds its case, so a race fires once. */
@Injectable()
export class DeadlineSweepProcessor implements JobHandler<typeof JobNames.sweepDeadlines> {
  readonly jobName = JobNames.sweepDeadlines;
  readonly addsOutboxRows = true;

  constructor(private readonly systemEvents: SystemEventsUseCase) {}

  async handle() {
    return { fired: await this.systemEvents.sweepDueDeadlines() };
  }
}
