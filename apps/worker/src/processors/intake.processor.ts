import { Injectable } from '@nestjs/common';
import { SystemEventsUseCase } from '@app/cases';
import { JobNames, type JobDataMap } from '@app/queue';
import type { Job } from 'bullmq';
import { outboxIdOf, type JobHandler } from './job-handler.js';

/** Screens a submitted revision against the case's pinned policy pack, acknowledging in its transaction. */
@Injectable()
export class IntakeProcessor implements JobHandler<typeof JobNames.screenRevision> {
  readonly jobName = JobNames.screenRevision;
  readonly addsOutboxRows = true;
  readonly acknowledges = true;

  constructor(private readonly systemEvents: SystemEventsUseCase) {}

  async handle(data: JobDataMap[typeof JobNames.screenRevision], job: Job) {
    return this.systemEvents.screenRevision(data.caseId, data.revision, outboxIdOf(job));
  }
}
