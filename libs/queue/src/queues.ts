import type { DefaultJobOptions } from 'bullmq';

/** Every queue, job and its data, declared once. Jobs carry ids; processors reload from Postgres. */
export const QueueNames = {
  intake: 'intake',
  deadlines: 'deadlines',
  lineage: 'lineage',
  notifications: 'notifications',
  registry: 'registry',
} as const;
export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

export const JobNames = {
  screenRevision: 'screen-revision',
  fireDeadline: 'fire-deadline',
  sweepDeadlines: 'sweep-deadlines',
  baseModelFlagged: 'base-model-flagged',
  notifyTransition: 'notify-transition',
  deliverWebhook: 'deliver-webhook',
  publishRecord: 'publish-registry-record',
  signCheckpoint: 'sign-registry-checkpoint',
} as const;
export type JobName = (typeof JobNames)[keyof typeof JobNames];

export interface JobDataMap {
  [JobNames.screenRevision]: { caseId: string; revision: number };
  [JobNames.fireDeadline]: { caseId: string; deadlineId: string; dueAt: string };
  [JobNames.sweepDeadlines]: Record<string, never>;
  [JobNames.baseModelFlagged]: { modelVersionId: string };
  [JobNames.notifyTransition]: { caseId: string; seq: number };
  [JobNames.deliverWebhook]: { deliveryId: string };
  [JobNames.publishRecord]: { caseId: string; seq: number };
  [JobNames.signCheckpoint]: Record<string, never>;
}

/** Which queue each job runs on. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobNames.screenRevision]: QueueNames.intake,
  [JobNames.fireDeadline]: QueueNames.deadlines,
  [JobNames.sweepDeadlines]: QueueNames.deadlines,
  [JobNames.baseModelFlagged]: QueueNames.lineage,
  [JobNames.notifyTransition]: QueueNames.notifications,
  [JobNames.deliverWebhook]: QueueNames.notifications,
  [JobNames.publishRecord]: QueueNames.registry,
  [JobNames.signCheckpoint]: QueueNames.registry,
};

/** Outbox row kinds, written by the transition service and relayed to BullMQ. */
export const OutboxKinds = {
  intake: 'intake',
  deadline: 'deadline',
  baseModelFlagged: 'base-model-flagged',
  notify: 'notify',
  webhookDelivery: 'webhook-delivery',
  registryRecord: 'registry-record',
} as const;
export type OutboxKind = (typeof OutboxKinds)[keyof typeof OutboxKinds];

export const OUTBOX_JOB: Record<OutboxKind, JobName> = {
  [OutboxKinds.intake]: JobNames.screenRevision,
  [OutboxKinds.deadline]: JobNames.fireDeadline,
  [OutboxKinds.baseModelFlagged]: JobNames.baseModelFlagged,
  [OutboxKinds.notify]: JobNames.notifyTransition,
  [OutboxKinds.webhookDelivery]: JobNames.deliverWebhook,
  [OutboxKinds.registryRecord]: JobNames.publishRecord,
};

/**
 * How far ahead of its due time a deadline gets its BullMQ delayed job. The sweep, every
 * DEADLINE_SWEEP_MS, queues the deadlines due within twice that, so each is queued at least one
 * period early; a step queues the job of a deadline it opens or resumes only if it is due that
 * soon. A deadline due in days costs Redis nothing until then, and most are closed before
 * (docs/decisions.md, "A deadline's job is queued when it comes near").
 */
export const deadlineJobHorizonMs = (config: { DEADLINE_SWEEP_MS: number }): number => 2 * config.DEADLINE_SWEEP_MS;

/** One job per deadline and due time, whoever queues it (a step's outbox row or the sweep): BullMQ keeps one. */
export const deadlineJobId = (deadlineId: string, dueAt: string | Date): string => `deadline-${deadlineId}-${new Date(dueAt).getTime()}`;

/** Attempts and backoff for every job; Postgres makes a re-run harmless. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Webhook deliveries retry on their own clock: as many attempts as the operator allows, doubling delays. */
export const webhookJobOptions = (config: { WEBHOOK_MAX_ATTEMPTS: number; WEBHOOK_BACKOFF_MS: number }) => ({
  attempts: config.WEBHOOK_MAX_ATTEMPTS,
  backoff: { type: 'exponential' as const, delay: config.WEBHOOK_BACKOFF_MS },
});
