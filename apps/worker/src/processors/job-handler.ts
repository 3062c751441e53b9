import type { Job } from 'bullmq';
import type { JobDataMap, JobName } from '@app/queue';

/** One handler per job name; the worker refuses to start when a job has none or two. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(data: JobDataMap[N], job: Job, token?: string): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
