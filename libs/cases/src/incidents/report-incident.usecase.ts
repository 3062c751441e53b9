import { Injectable } from '@nestjs/common';
import { DeadlineRepository, IncidentRepository, type CaseRow, type Db, type IncidentRow, type LockedCase } from '@app/persistence';
import { incidentClocks, type IncidentCategory } from '@app/policy';
import { forbidden } from '@app/problems';
import { CaseRecordEvents, Roles, type UserActor } from '@app/workflow';
import { PolicyPackService } from '../policy-pack.service.js';
import { CaseEffectsService } from '../transition/case-effects.service.js';
import { CaseRecordService } from '../transition/case-record.service.js';
import { notReleased } from './incident-problems.js';
import type { ReportIncidentCommand } from './incident.schemas.js';

/**
 * `POST /v1/cases/:id/incidents`: the case's developer or a regulator reports an incident on a case
 * once released. The report is due `awareAt` + the pinned pack's clock for the category; a late one is
 * marked, never refused. The report opens the incident's final-report deadline.
 */
@Injectable()
export class ReportIncidentUseCase {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly packs: PolicyPackService,
    private readonly records: CaseRecordService,
    private readonly effects: CaseEffectsService,
  ) {}

  async execute(
    locked: LockedCase,
    command: ReportIncidentCommand,
    user: UserActor,
    ifMatch: number | undefined,
    db: Db,
  ): Promise<{ row: CaseRow; incident: IncidentRow }> {
    const { row, now } = locked;
    // Readers only reach here: a developer reader is of the case's organisation; auditors never report.
    if (user.role !== Roles.developer && user.role !== Roles.regulator) throw forbidden('only the case’s developer or a regulator reports an incident');
    await this.records.checkVersion({ locked, actor: user, type: CaseRecordEvents.INCIDENT_REPORTED, payload: {}, ifMatch }, db);
    if (!row.releasedAt) throw notReleased();

    const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
    const clocks = incidentClocks(pack, command.category as IncidentCategory);
    const occurredAt = new Date(command.occurredAt).toISOString();
    const awareAt = new Date(command.awareAt).toISOString();
    const incident = await this.incidents.insert(
      { caseId: row.id, category: command.category, summary: command.summary, occurredAt, awareAt, reportedBy: user.id, ...clocks },
      now,
      db,
    );
    const deadline = await this.deadlines.openForIncident(row.id, incident.id, now, clocks.finalReportMs, db);
    const updated = await this.records.record(
      {
        locked,
        actor: user,
        type: CaseRecordEvents.INCIDENT_REPORTED,
        payload: { incidentId: incident.id, category: command.category, summary: command.summary, occurredAt, awareAt },
      },
      this.effects.deadlineJobs(row.id, deadline.id, deadline.dueAt, now),
      db,
    );
    return { row: updated, incident };
  }
}
