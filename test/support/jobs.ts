import type { Job } from 'bullmq';
import { JOB_QUEUE, JobNames, JobQueues, type JobName } from '@app/queue';
import { waitFor } from '@app/testing';
import type { TestStack } from './stack.js';

/** The completed jobs of one name, as BullMQ keeps them (DEFAULT_JOB_OPTIONS keeps completed jobs for an hour). */
export const completedJobs = async (stack: TestStack, name: JobName): Promise<Job[]> => {
  const queue = stack.api.get(JobQueues).queue(JOB_QUEUE[name]);
  return (await queue.getJobs(['completed'])).filter((job) => job.name === name);
};

/**
 * Waits for a deadline sweep that the worker took at or after `since` (ms since the epoch) to complete,
 * so a test that then asserts "nothing fired" fails when the sweep never ran. Returns that sweep's job.
 */
// CI on a loaded machine once saw no sweep complete within 10 s of a 500 ms schedule (cause not pinned down yet):
// the wait is generous, and still fails when the sweep never runs.
export const sweepCompletedSince = async (stack: TestStack, since: number, timeoutMs = 40_000): Promise<Job> => {
  const sweeps = await waitFor(
    async () => (await completedJobs(stack, JobNames.sweepDeadlines)).filter((job) => (job.processedOn ?? 0) >= since),
    (jobs) => jobs.length > 0,
    { timeoutMs, intervalMs: 100, what: `a deadline sweep taken after ${new Date(since).toISOString()}` },
  );
  return sweeps[0]!;
};

/** Waits for the fire-deadline job of one deadline to complete; returns its result ('fired', 'not-open' or 'stale'). */
export const deadlineJobResult = async (stack: TestStack, deadlineId: string, timeoutMs = 10_000): Promise<unknown> => {
  const [job] = await waitFor(
    async () => (await completedJobs(stack, JobNames.fireDeadline)).filter((j) => (j.data as { deadlineId?: string }).deadlineId === deadlineId),
    (jobs) => jobs.length > 0,
    { timeoutMs, intervalMs: 100, what: `the fire-deadline job of deadline ${deadlineId}` },
  );
  return job!.returnvalue;
};
