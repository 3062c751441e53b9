import { Injectable } from '@nestjs/common';
import { SystemEventsUseCase } from '@app/cases';
import { JobNames, type JobDataMap } from '@app/queue';
import type { Job } from 'bullmq';
import { outboxIdOf, type InlineHandler } from './job-handler.js';

/**
 * Screens a submitted revision against the case's pinned policy pack, acknowledging in its
 * transaction. The relay runs it for the rows it claims; the job is for a run that failed there.
 */
@Injectable()
export class IntakeProcessor implements InlineHandler<typeof JobNames.screenRevision> {
  readonly jobName = JobNames.screenRevision;
  readonly addsOutboxRows = true;
  readonly acknowledges = true;

  constructor(private readonly systemEvents: SystemEventsUseCase) {}

  handle(data: JobDataMap[typeof JobNames.screenRevision], job: Job) {
    return this.run(data, outboxIdOf(job));
  }

  run(data: JobDataMap[typeof JobNames.screenRevision], outboxId: string | null) {
    return this.systemEvents.screenRevision(data.caseId, data.revision, outboxId);
  }
}
