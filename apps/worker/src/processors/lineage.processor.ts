import { Injectable } from '@nestjs/common';
import { SystemEventsUseCase } from '@app/cases';
import { JobNames, type JobDataMap } from '@app/queue';
import type { JobHandler } from './job-handler.js';

/** A model version's case was held, revoked or sent to reassessment: its descendants follow. */
@Injectable()
export class LineageProcessor implements JobHandler<typeof JobNames.baseModelFlagged> {
  readonly jobName = JobNames.baseModelFlagged;
  readonly addsOutboxRows = true;

  constructor(private readonly systemEvents: SystemEventsUseCase) {}

  async handle(data: JobDataMap[typeof JobNames.baseModelFlagged]) {
    return { moved: await this.systemEvents.baseModelFlagged(data.modelVersionId) };
  }
}
