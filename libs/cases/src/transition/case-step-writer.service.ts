import { Injectable } from '@nestjs/common';
import { eventHash, type HistoryItem } from '@app/integrity';
import { CaseStepRepository, type CaseChanges, type CaseRow, type Db, type ModelVersionRow, type OutboxEntry, type StepWrite, type StepWritten } from '@app/persistence';
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
 * The last writes of every step on a case, for the transition service and the case records alike:
 * the version-checked case update (version + 1), the next hash-chained history row, its outbox rows
 * and the step's other writes, in one statement (CaseStepRepository.write).
 */
@Injectable()
export class CaseStepWriter {
  constructor(private readonly steps: CaseStepRepository) {}

  /**
   * The updated case (with the case view's lists when `view` is given), or null (nothing written)
   * when `row.version` moved on: only possible without the row lock.
   */
  async trySave(
    row: CaseRow,
    step: CaseStep,
    changes: CaseChanges,
    outbox: OutboxEntry[],
    writes: StepWrite[],
    db: Db,
    view?: { model: ModelVersionRow | null },
  ): Promise<StepWritten | null> {
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
    return this.steps.write(row, { ...changes, headHash: hash, lastSeq: item.seq }, { ...item, hash }, outbox, writes, db, view);
  }

  /** `trySave` on a row this transaction holds locked. */
  async save(row: CaseRow, step: CaseStep, changes: CaseChanges, outbox: OutboxEntry[], db: Db, writes: StepWrite[] = []): Promise<CaseRow> {
    const updated = await this.trySave(row, step, changes, outbox, writes, db);
    // Unreachable under the row lock; kept so a lost update can never pass silently.
    if (!updated) throw new ProblemError(409, 'version-conflict', 'Version conflict', 'the case changed during the write');
    return updated.row;
  }
}
