import { Injectable } from '@nestjs/common';
import { RedactionRepository, type CaseRow, type Db, type LockedCase } from '@app/persistence';
import { ProblemError, forbidden } from '@app/problems';
import { CaseRecordEvents, Roles, type UserActor } from '@app/workflow';
import { CaseRecordService } from '../transition/case-record.service.js';
import type { AddRedactionCommand } from './redaction.schemas.js';

/** 409: a case withholds a path once; its first reason stands. */
export const alreadyRedacted = (path: string) =>
  new ProblemError(409, 'already-redacted', 'Already redacted', `the case's public records already withhold ${path}`);

/**
 * `POST /v1/cases/:id/redactions`: a regulator orders a field withheld from every public record of
 * the case published from now on (logged records never change). A REDACTION_ADDED row in the case's
 * history, beside the workflow machine like an incident.
 */
@Injectable()
export class AddRedactionUseCase {
  constructor(
    private readonly redactions: RedactionRepository,
    private readonly records: CaseRecordService,
  ) {}

  async execute(locked: LockedCase, command: AddRedactionCommand, user: UserActor, ifMatch: number | undefined, db: Db): Promise<{ row: CaseRow; seq: number }> {
    if (user.role !== Roles.regulator) throw forbidden('only a regulator withholds a field of public records');
    const type = CaseRecordEvents.REDACTION_ADDED;
    await this.records.checkVersion({ locked, actor: user, type, payload: {}, ifMatch }, db);
    const { row, now } = locked;
    const seq = row.lastSeq + 1;
    const added = await this.redactions.insert({ caseId: row.id, path: command.path, reason: command.reason, seq, addedBy: user.id, at: now }, db);
    if (!added) throw alreadyRedacted(command.path);
    const updated = await this.records.record({ locked, actor: user, type, payload: { path: command.path, reason: command.reason } }, [], db);
    return { row: updated, seq };
  }
}
