import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OPERATOR_LOG_CHAIN_ID, eventHash, type EventActor } from '@app/integrity';
import { OperatorLogRepository, dbNow } from '@app/persistence';
import type { OperatorLogType } from './operator-log-types.js';

/** What an admin action appends: never a secret in `payload`. */
export interface OperatorLogEntry {
  type: OperatorLogType;
  /** The admin `{id, role, organisationId}`, or `"system"` for what the api does at start. */
  actor: EventActor;
  payload: Record<string, unknown>;
}

/**
 * Appends to the operator log inside the caller's transaction, so the row commits or rolls back
 * with the action it records. The head row is locked FOR UPDATE: appends are serialised, and the
 * chain is hashed exactly like case history with `caseId` = "operator-log".
 */
@Injectable()
export class OperatorLogService {
  constructor(private readonly log: OperatorLogRepository) {}

  async append(db: EntityManager, entry: OperatorLogEntry): Promise<{ seq: number; hash: string }> {
    const head = await this.log.lockHead(db);
    const actor: EventActor =
      entry.actor === 'system' ? 'system' : { id: entry.actor.id, role: entry.actor.role, organisationId: entry.actor.organisationId };
    const item = {
      seq: head.lastSeq + 1,
      type: entry.type,
      actor,
      fromState: null,
      toState: null,
      at: await dbNow(db),
      payload: entry.payload,
      prevHash: head.headHash,
    };
    const hash = eventHash(OPERATOR_LOG_CHAIN_ID, item);
    await this.log.append({ ...item, hash }, db);
    return { seq: item.seq, hash };
  }
}
