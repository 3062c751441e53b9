import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { deadlineWrites, type CaseRow, type Db, type OutboxEntry, type StepWrite } from '@app/persistence';
import { OutboxKinds, deadlineJobHorizonMs } from '@app/queue';
import type { CaseContext, Effect, EventFacts } from '@app/workflow';
import { PolicyPackService } from '../policy-pack.service.js';

/** A step's effects: deadline writes of its step statement and the outbox rows saved with it. */
export interface StepEffects {
  outbox: OutboxEntry[];
  writes: StepWrite[];
}

/**
 * Turns the effects a step returned into deadline writes and outbox entries, both saved with the
 * step in one statement (CaseStepRepository.write). A deadline's job is queued with the step only
 * if it is due within the horizon; the sweep queues the others when they come near.
 */
@Injectable()
export class CaseEffectsService {
  private readonly horizonMs: number;

  constructor(
    private readonly packs: PolicyPackService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.horizonMs = deadlineJobHorizonMs(config);
  }

  /** `db` serves only a policy pack not yet cached. */
  async apply(row: CaseRow, context: CaseContext, effects: Effect[], facts: EventFacts, at: string, db: Db): Promise<StepEffects> {
    // Every step tells whoever must act next; the worker fans it out to inboxes and webhooks.
    const outbox: OutboxEntry[] = [
      { caseId: row.id, kind: OutboxKinds.notify, payload: { caseId: row.id, seq: row.lastSeq + 1 } },
    ];
    const writes: StepWrite[] = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'openDeadline': {
          const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
          // Chosen here so the deadline job's outbox row can name it in the same statement.
          const id = randomUUID();
          const dueAt = new Date(Date.parse(at) + this.packs.deadlineMs(pack, effect.kind));
          writes.push(deadlineWrites.open(id, effect.kind, at, dueAt.toISOString()));
          outbox.push(...this.deadlineJobs(row.id, id, dueAt, at));
          break;
        }
        case 'closeDeadline':
          writes.push(deadlineWrites.close(effect.kind, at));
          break;
        case 'pauseDeadline':
          writes.push(deadlineWrites.pause(effect.kind, at));
          break;
        case 'resumeDeadline':
          writes.push(deadlineWrites.resume(effect.kind, at, OutboxKinds.deadline, this.horizonMs));
          break;
        case 'escalateDeadline':
          if (facts.deadline) writes.push(deadlineWrites.escalate(facts.deadline.id, at));
          break;
        case 'requestIntake':
          outbox.push({ caseId: row.id, kind: OutboxKinds.intake, payload: { caseId: row.id, revision: context.revision } });
          break;
      }
    }
    return { outbox, writes };
  }

  /** The outbox entry of a deadline's job when the deadline, opened at `at`, is due within the horizon; none otherwise. */
  deadlineJobs(caseId: string, deadlineId: string, dueAt: Date, at: string): OutboxEntry[] {
    return +dueAt - Date.parse(at) <= this.horizonMs ? [deadlineJob(caseId, deadlineId, dueAt)] : [];
  }
}

/** The outbox entry that schedules a deadline's BullMQ delayed job. */
const deadlineJob = (caseId: string, deadlineId: string, dueAt: Date): OutboxEntry => ({
  caseId,
  kind: OutboxKinds.deadline,
  payload: { caseId, deadlineId, dueAt: new Date(dueAt).toISOString() },
});
