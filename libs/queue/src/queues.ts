import type { DefaultJobOptions } from 'bullmq';

/** Every queue, job and its data, declared once. Jobs carry ids; processors reload from Postgres. */
export const QueueNames = {
  intake: 'intake',
  deadlines: 'deadlines',
  lineage: 'lineage',
} as const;
export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

export const JobNames = {
  screenRevision: 'screen-revision',
  fireDeadline: 'fire-deadline',
  sweepDeadlines: 'sweep-deadlines',
  baseModelFlagged: 'base-model-flagged',
} as const;
export type JobName = (typeof JobNames)[keyof typeof JobNames];

export interface JobDataMap {
  [JobNames.screenRevision]: { caseId: string; revision: number };
  [JobNames.fireDeadline]: { caseId: string; deadlineId: string; dueAt: string };
  [JobNames.sweepDeadlines]: Record<string, never>;
  [JobNames.baseModelFlagged]: { modelVersionId: string };
}

/** Which queue each job runs on. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobNames.screenRevision]: QueueNames.intake,
  [JobNames.fireDeadline]: QueueNames.deadlines,
  [JobNames.sweepDeadlines]: QueueNames.deadlines,
  [JobNames.baseModelFlagged]: QueueNames.lineage,
};

/** Outbox row kinds, written by the transition service and relayed to BullMQ. */
export const OutboxKinds = {
  intake: 'intake',
  deadline: 'deadline',
  baseModelFlagged: 'base-model-flagged',
} as const;
export type OutboxKind = (typeof OutboxKinds)[keyof typeof OutboxKinds];

export const OUTBOX_JOB: Record<OutboxKind, JobName> = {
  [OutboxKinds.intake]: JobNames.screenRevision,
  [OutboxKinds.deadline]: JobNames.fireDeadline,
  [OutboxKinds.baseModelFlagged]: JobNames.baseModelFlagged,
};

/** Attempts and backoff for every job; Postgres makes a re-run harmless. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** How often the sweep looks for deadlines Redis lost. */
export const DEADLINE_SWEEP_EVERY_MS = 30_000;
