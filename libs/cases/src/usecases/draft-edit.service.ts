import { Injectable } from '@nestjs/common';
import { CaseRepository, type CaseRow, type Db } from '@app/persistence';
import { forbidden, invalidTransition, notFound, versionConflict } from '@app/problems';
import { CaseStates, Roles, type CaseEventType, type CaseState, type UserActor } from '@app/workflow';
import { AllowedEventsService } from '../allowed-events.service.js';

/** States in which the developer edits the working assessment, model facts and evidence. */
export const EDITABLE_STATES: readonly CaseState[] = [CaseStates.draft, CaseStates.changes_requested];

/** Locks a case for a developer's edit, refusing in SPEC.md's order (403, 409 version, 409 state). */
@Injectable()
export class DraftEditService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly allowed: AllowedEventsService,
  ) {}

  async lockForEdit(caseId: string, user: UserActor, what: string, ifMatch: number | undefined, db: Db): Promise<CaseRow> {
    const row = await this.cases.lock(caseId, db);
    if (!row) throw notFound();
    await this.checkEdit(row, user, what, ifMatch, () => this.allowed.forRow(row, user, db));
    return row;
  }

  /** `lockForEdit`'s refusals on a row read without the lock (`allowedEvents` answers a 409's list). */
  async checkEdit(row: CaseRow, user: UserActor, what: string, ifMatch: number | undefined, allowedEvents: () => Promise<CaseEventType[]>): Promise<void> {
    if (user.role !== Roles.developer || user.organisationId !== row.developerOrganisationId)
      throw forbidden(`only the case's developer organisation may ${what}`);
    const status = async () => ({ state: row.state, allowedEvents: await allowedEvents() });
    if (ifMatch !== undefined && ifMatch !== row.version) throw versionConflict(row.version, await status());
    if (!EDITABLE_STATES.includes(row.state)) throw invalidTransition(`to ${what}`, await status());
  }
}
