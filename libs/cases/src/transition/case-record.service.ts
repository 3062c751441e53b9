import { Injectable } from '@nestjs/common';
import type { CaseRow, Db, LockedCase, OutboxEntry } from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import { versionConflict } from '@app/problems';
import type { Actor, CaseEventType, CaseRecordEventType } from '@app/workflow';
import { AllowedEventsService } from '../allowed-events.service.js';
import { CaseStepWriter } from './case-step-writer.service.js';

export interface CaseRecordCommand {
  /** The case as the caller locked it (`lockWithNow` / `lockReadable`) in this transaction. */
  locked: LockedCase;
  actor: Actor;
  type: CaseRecordEventType | CaseEventType;
  payload: Record<string, unknown>;
  /** The If-Match version, when the client sent one. */
  ifMatch?: number;
}

/**
 * The case's other write path, beside the transition service: a history row that keeps the case's
 * state (incidents and their escalations), recorded without the workflow machine so every
 * definition version takes it. Same chain, outbox and version as a transition (CaseStepWriter).
 */
@Injectable()
export class CaseRecordService {
  constructor(
    private readonly steps: CaseStepWriter,
    private readonly allowed: AllowedEventsService,
  ) {}

  /** 409 `version-conflict` when If-Match is stale: call before the record's own checks write anything. */
  async checkVersion({ locked: { row }, actor, ifMatch }: CaseRecordCommand, db: Db): Promise<void> {
    if (ifMatch !== undefined && ifMatch !== row.version)
      throw versionConflict(row.version, { state: row.state, allowedEvents: await this.allowed.forRow(row, actor, db) });
  }

  /** Appends the history row (from and to the current state), the notification and `outbox`, and bumps the version. */
  async record(command: CaseRecordCommand, outbox: OutboxEntry[], db: Db): Promise<CaseRow> {
    await this.checkVersion(command, db);
    const { row, now } = command.locked;
    const entries: OutboxEntry[] = [
      { caseId: row.id, kind: OutboxKinds.notify, payload: { caseId: row.id, seq: row.lastSeq + 1 } },
      ...outbox,
    ];
    return this.steps.save(row, { type: command.type, actor: command.actor, toState: row.state, at: now, payload: command.payload }, {}, entries, db);
  }
}
