import { Injectable } from '@nestjs/common';
import { requireUuid } from '@app/http';
import { IncidentRepository, type CaseRow, type Db, type IncidentRow, type LockedCase } from '@app/persistence';
import { notFound } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { CaseAccessService } from '../queries/case-access.service.js';

/** An incident is read by its case's readers: anyone else gets 404, as for the case. */
@Injectable()
export class IncidentAccessService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly access: CaseAccessService,
  ) {}

  /** The incident and its case, if the caller may read the case; otherwise 404 whether or not it exists. */
  async readable(user: UserActor, id: string, db?: Db): Promise<{ incident: IncidentRow; row: CaseRow }> {
    const incident = await this.incidents.findById(requireUuid(id), db);
    if (!incident) {
      this.access.scopeOf(user); // admins: 403 before 404
      throw notFound();
    }
    return { incident, row: await this.access.readable(user, incident.caseId, db) };
  }

  /** For a write: locks the incident's case (the order every case write takes), then rereads the incident under the lock. */
  async lockReadable(user: UserActor, id: string, db: Db): Promise<{ locked: LockedCase; incident: IncidentRow }> {
    const found = await this.incidents.findById(requireUuid(id), db);
    if (!found) {
      this.access.scopeOf(user); // admins: 403 before 404
      throw notFound();
    }
    const locked = await this.access.lockReadable(user, found.caseId, db);
    const incident = (await this.incidents.findById(found.id, db))!;
    return { locked, incident };
  }
}
