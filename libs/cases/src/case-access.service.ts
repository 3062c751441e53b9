import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseRepository, type CaseRow, type Db, type ReaderScope } from '@app/persistence';
import { forbidden, notFound } from '@app/problems';
import { Roles, type UserActor } from '@app/workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SPEC.md's object-level read rules; a case the caller may not read answers 404. */
@Injectable()
export class CaseAccessService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
  ) {}

  scopeOf(user: UserActor): ReaderScope {
    switch (user.role) {
      case Roles.regulator:
        return { kind: 'all' };
      case Roles.developer:
        return { kind: 'organisation', organisationId: user.organisationId ?? '' };
      case Roles.auditor:
        return { kind: 'auditor', auditorId: user.id };
      case Roles.admin:
        // Separation of duties: admins never read cases.
        throw forbidden('admins do not read or act on cases');
    }
  }

  async mayRead(user: UserActor, row: CaseRow, db: Db = this.dataSource): Promise<boolean> {
    switch (user.role) {
      case Roles.regulator:
        return true;
      case Roles.developer:
        return row.developerOrganisationId === user.organisationId;
      case Roles.auditor:
        return this.cases.wasAssigned(row.id, user.id, db);
      case Roles.admin:
        return false;
    }
  }

  /** The case, if the caller may read it; otherwise 404 whether or not it exists. */
  async readable(user: UserActor, caseId: string, db: Db = this.dataSource): Promise<CaseRow> {
    if (user.role === Roles.admin) throw forbidden('admins do not read or act on cases');
    if (!UUID.test(caseId)) throw notFound();
    const row = await this.cases.findById(caseId, db);
    if (!row || !(await this.mayRead(user, row, db))) throw notFound();
    return row;
  }
}
