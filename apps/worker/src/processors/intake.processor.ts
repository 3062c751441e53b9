import { Injectable } from '@nestjs/common';
import { SystemEventsUseCase } from '@app/cases';
import { JobNames, type JobDataMap } from '@app/queue';
import type { JobHandler } from './job-handler.js';

/** Screens a submitted revision against the case's pinned policy pack. */
@Injectable()
export class IntakeProcessor implements JobHandler<typeof JobNames.screenRevision> {
  readonly jobName = JobNames.screenRevision;

  constructor(private readonly systemEvents: SystemEventsUseCase) {}

  async handle(data: JobDataMap[typeof JobNames.screenRevision]) {
    return this.systemEvents.screenRevision(data.caseId, data.revision);
  }
}
