import { describe, expect, it } from '@jest/globals';
import { JobNames, type JobName } from '@app/queue';
import { indexHandlers } from './job-workers.service.js';
import type { JobHandler } from './processors/job-handler.js';

const handler = (jobName: JobName): JobHandler => ({ jobName, handle: async () => undefined });

describe(indexHandlers.name, () => {
  const all = Object.values(JobNames).map(handler);

  it('indexes one handler per job', () => {
    expect([...indexHandlers(all).keys()].sort()).toEqual(Object.values(JobNames).sort());
  });

  it('refuses to start when a job has no handler', () => {
    expect(() => indexHandlers(all.slice(1))).toThrow(/no handler for job/);
  });

  it('refuses to start when a job has two handlers', () => {
    expect(() => indexHandlers([...all, handler(JobNames.screenRevision)])).toThrow(/two handlers/);
  });
});
