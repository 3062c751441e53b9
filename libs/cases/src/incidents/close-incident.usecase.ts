import { Injectable } from '@nestjs/common';
import { DeadlineRepository, IncidentRepository, type CaseRow, type Db, type IncidentRow, type LockedCase } from '@app/persistence';
import { CaseRecordEvents, type UserActor } from '@app/workflow';
import { CaseRecordService } from '../transition/case-record.service.js';
import { incidentClosed } from './incident-problems.js';
import type { CloseIncidentCommand } from './incident.schemas.js';

/** `POST /v1/incidents/:id/close`: a regulator closes an open incident with a note; its deadline closes with it. */
@Injectable()
export class CloseIncidentUseCase {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly records: CaseRecordService,
  ) {}

  async execute(
    locked: LockedCase,
    incident: IncidentRow,
    command: CloseIncidentCommand,
    user: UserActor,
    ifMatch: number | undefined,
    db: Db,
  ): Promise<CaseRow> {
    const record = { locked, actor: user, type: CaseRecordEvents.INCIDENT_CLOSED, ifMatch };
    await this.records.checkVersion({ ...record, payload: {} }, db);
    if (incident.status !== 'open') throw incidentClosed();
    await this.incidents.close(incident.id, user.id, command.note, locked.now, db);
    await this.deadlines.closeForIncident(incident.id, locked.now, db);
    return this.records.record({ ...record, payload: { incidentId: incident.id, note: command.note } }, [], db);
  }
}
