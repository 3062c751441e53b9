import { Injectable } from '@nestjs/common';
import { DeadlineRepository, type CaseRow, type Db, type OutboxEntry } from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import type { CaseContext, Effect, EventFacts } from '@app/workflow';
import { PolicyPackService } from '../policy-pack.service.js';

/**
 * Turns the effects a step returned into deadline rows, in the step's transaction, and the outbox
 * entries that the caller saves with the step (CaseRepository.saveStep).
 */
@Injectable()
export class CaseEffectsService {
  constructor(
    private readonly deadlines: DeadlineRepository,
    private readonly packs: PolicyPackService,
  ) {}

  async apply(row: CaseRow, context: CaseContext, effects: Effect[], facts: EventFacts, at: string, db: Db): Promise<OutboxEntry[]> {
    // Every step tells whoever must act next; the worker fans it out to inboxes and webhooks.
    const entries: OutboxEntry[] = [
      { caseId: row.id, kind: OutboxKinds.notify, payload: { caseId: row.id, seq: row.lastSeq + 1 } },
    ];
    for (const effect of effects) {
      switch (effect.type) {
        case 'openDeadline': {
          const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
          const deadline = await this.deadlines.open(row.id, effect.kind, at, this.packs.deadlineMs(pack, effect.kind), db);
          entries.push(deadlineJob(row.id, deadline.id, deadline.dueAt));
          break;
        }
        case 'closeDeadline':
          await this.deadlines.close(row.id, effect.kind, at, db);
          break;
        case 'pauseDeadline':
          await this.deadlines.pause(row.id, effect.kind, at, db);
          break;
        case 'resumeDeadline':
          for (const deadline of await this.deadlines.resume(row.id, effect.kind, at, db))
            entries.push(deadlineJob(row.id, deadline.id, deadline.dueAt));
          break;
        case 'escalateDeadline':
          if (facts.deadline) await this.deadlines.escalate(facts.deadline.id, at, db);
          break;
        case 'requestIntake':
          entries.push({ caseId: row.id, kind: OutboxKinds.intake, payload: { caseId: row.id, revision: context.revision } });
          break;
      }
    }
    return entries;
  }
}

/** The outbox entry that schedules a deadline's BullMQ delayed job. */
export const deadlineJob = (caseId: string, deadlineId: string, dueAt: Date): OutboxEntry => ({
  caseId,
  kind: OutboxKinds.deadline,
  payload: { caseId, deadlineId, dueAt: new Date(dueAt).toISOString() },
});
