import { Injectable } from '@nestjs/common';
import { eventHash, type HistoryItem } from '@app/integrity';
import { CaseRepository, type CaseChanges, type CaseRow, type Db, type OutboxEntry } from '@app/persistence';
import { ProblemError } from '@app/problems';
import type { Actor, CaseState, HistoryEventType } from '@app/workflow';

/** One accepted write to a case, as its history row records it. */
export interface CaseStep {
  type: HistoryEventType;
  actor: Actor;
  toState: CaseState;
  at: string;
  /** The body without `type`, as hashed. */
  payload: Record<string, unknown>;
}

/**
 * The last writes of every step on a locked case, for the transition service and the case records
 * alike: the next hash-chained history row, its outbox rows and the case update (version + 1), in one statement.
 */
@Injectable()
export class CaseStepWriter {
  constructor(private readonly cases: CaseRepository) {}

  async save(row: CaseRow, step: CaseStep, changes: CaseChanges, outbox: OutboxEntry[], db: Db): Promise<CaseRow> {
    const item: Omit<HistoryItem, 'hash'> = {
      seq: row.lastSeq + 1,
      type: step.type,
      actor:
        step.actor === 'system' ? 'system' : { id: step.actor.id, role: step.actor.role, organisationId: step.actor.organisationId },
      fromState: row.state,
      toState: step.toState,
      at: step.at,
      payload: step.payload,
      prevHash: row.headHash,
    };
    const hash = eventHash(row.id, item);
    const updated = await this.cases.saveStep(row.id, row.version, { ...changes, headHash: hash, lastSeq: item.seq }, { ...item, hash }, outbox, db);
    if (!updated) {
      // Unreachable under the row lock; kept so a lost update can never pass silently.
      throw new ProblemError(409, 'version-conflict', 'Version conflict', 'the case changed during the write');
    }
    return updated;
  }
}
