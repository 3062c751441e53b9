import { Injectable } from '@nestjs/common';
import { DeadlineRepository, IncidentRepository, type CaseRow, type Db, type IncidentRow, type LockedCase } from '@app/persistence';
import { CaseRecordEvents, type UserActor } from '@app/workflow';
import { CaseRecordService } from '../transition/case-record.service.js';
import { incidentClosed, tooManyIncidentUpdates } from './incident-problems.js';
import type { IncidentUpdateCommand } from './incident.schemas.js';

/**
 * The most updates an incident takes before its final report. Each is up to 20,000 characters in
 * the incident's answer and a row of the case's signed history: without a bound one developer
 * could grow both without end. Years of weekly updates fit.
 */
export const MAX_INCIDENT_UPDATES = 200;

/** `POST /v1/incidents/:id/updates`: the case's developer adds to an open incident; `final` is the final report and closes its deadline. */
@Injectable()
export class UpdateIncidentUseCase {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly records: CaseRecordService,
  ) {}

  async execute(
    locked: LockedCase,
    incident: IncidentRow,
    command: IncidentUpdateCommand,
    user: UserActor,
    ifMatch: number | undefined,
    db: Db,
  ): Promise<CaseRow> {
    const record = { locked, actor: user, type: CaseRecordEvents.INCIDENT_UPDATED, ifMatch };
    await this.records.checkVersion({ ...record, payload: {} }, db);
    if (incident.status !== 'open') throw incidentClosed();
    const added = await this.incidents.addUpdateWithinLimit(incident.id, user.id, command.text, command.final, locked.now, MAX_INCIDENT_UPDATES, db);
    if (!added) throw tooManyIncidentUpdates(MAX_INCIDENT_UPDATES);
    if (command.final) await this.deadlines.closeForIncident(incident.id, locked.now, db);
    return this.records.record({ ...record, payload: { incidentId: incident.id, text: command.text, final: command.final } }, [], db);
  }
}
