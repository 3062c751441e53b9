import type { Job } from 'bullmq';
import { isUuid } from '@app/http';
import type { JobDataMap, JobName } from '@app/queue';

/** One handler per job name; the worker refuses to start when a job has none or two. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  /**
   * The handler marks the job's outbox row processed itself, in every outcome, within the
   * statement or transaction that does its work; the worker then sends no acknowledgement of its own.
   */
  readonly acknowledges?: boolean;
  /** The handler may commit outbox rows (a step's): the worker announces them when it returns. */
  readonly addsOutboxRows?: boolean;
  handle(data: JobDataMap[N], job: Job, token?: string): Promise<unknown>;
}

/**
 * A handler the outbox relay runs itself for a claimed row of its kind, without a BullMQ job
 * (docs/decisions.md, "Intake and registry records run in the relay"). `run` does what `handle`
 * does for a relayed job, acknowledging the row in its own write; it throws when the job failed,
 * and the relay then hands the row to BullMQ for the retries a job would have had.
 */
export interface InlineHandler<N extends JobName = JobName> extends JobHandler<N> {
  run(data: JobDataMap[N], outboxId: string | null): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/** Relayed jobs carry their outbox row's id; other jobs (the sweep, checkpoints) have no row to acknowledge. */
export const outboxIdOf = (job: Pick<Job, 'id'>): string | null => (job.id && isUuid(job.id) ? job.id : null);
