import { Injectable } from '@nestjs/common';
import { JobNames, type JobDataMap } from '@app/queue';
import { RegistryPublisherService } from '@app/registry';
import type { JobHandler } from './job-handler.js';

/** Builds a case's public registry record as of one history seq, signs and stores it (once per case and seq). */
@Injectable()
export class RegistryRecordProcessor implements JobHandler<typeof JobNames.publishRecord> {
  readonly jobName = JobNames.publishRecord;

  constructor(private readonly publisher: RegistryPublisherService) {}

  async handle(data: JobDataMap[typeof JobNames.publishRecord]) {
    return this.publisher.publish(data.caseId, data.seq);
  }
}

/** Signs a checkpoint over every case chain head, skipped when none changed since the last one. */
@Injectable()
export class RegistryCheckpointProcessor implements JobHandler<typeof JobNames.signCheckpoint> {
  readonly jobName = JobNames.signCheckpoint;

  constructor(private readonly publisher: RegistryPublisherService) {}

  async handle() {
    return this.publisher.signCheckpoint();
  }
}
