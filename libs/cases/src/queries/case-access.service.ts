import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { requireUuid } from '@app/http';
import { CaseRepository, type CaseRow, type Db, type LockedCase, type ReaderScope, type StepRead, type StepReadNeeds } from '@app/persistence';
import { forbidden, notFound } from '@app/problems';
import { Roles, isAssigned, type UserActor } from '@app/workflow';

const ADMINS_REFUSED = 'admins do not read or act on cases';

/** SPEC.md's object-level read rules; a case the caller may not read answers 404. */
@Injectable()
export class CaseAccessService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
  ) {}

  // Separation of duties: admins never read cases.
  private refuseAdmin(user: UserActor): void {
    if (user.role === Roles.admin) throw forbidden(ADMINS_REFUSED);
  }

  scopeOf(user: UserActor): ReaderScope {
    switch (user.role) {
      case Roles.regulator:
        return { kind: 'all' };
      case Roles.developer:
        return { kind: 'organisation', organisationId: user.organisationId ?? '' };
      case Roles.auditor:
        return { kind: 'auditor', auditorId: user.id };
      case Roles.admin:
        throw forbidden(ADMINS_REFUSED);
    }
  }

  async mayRead(user: UserActor, row: CaseRow, db: Db = this.dataSource): Promise<boolean> {
    return readerRule(user, row, () => this.cases.wasAssigned(row.id, user.id, db));
  }

  /** The case, if the caller may read it; otherwise 404 whether or not it exists. */
  async readable(user: UserActor, caseId: string, db: Db = this.dataSource): Promise<CaseRow> {
    this.refuseAdmin(user);
    const row = await this.cases.findById(requireUuid(caseId), db);
    if (!row || !(await this.mayRead(user, row, db))) throw notFound();
    return row;
  }

  /**
   * `readable` as the first read of a write transaction: the same refusals, made on the row the
   * transaction locks (with the Postgres clock, for CaseTransitionService), so the case is read once.
   */
  async lockReadable(user: UserActor, caseId: string, db: Db): Promise<LockedCase> {
    this.refuseAdmin(user);
    const locked = await this.cases.lockWithNow(requireUuid(caseId), db);
    if (!locked || !(await this.mayRead(user, locked.row, db))) throw notFound();
    return locked;
  }

  /**
   * `readable`'s rules for a case step's one read (CaseStepRepository.read): the case id (404 when
   * malformed), what the read must fetch for the rule, and the rule on what it read.
   */
  stepReader(user: UserActor, caseId: string): { caseId: string; needs: StepReadNeeds; mayRead: (read: StepRead) => boolean } {
    this.refuseAdmin(user);
    const id = requireUuid(caseId);
    const mayRead = ({ row, reads }: StepRead): boolean => readerRule(user, row, () => reads.wasAssigned);
    return { caseId: id, needs: user.role === Roles.auditor ? { wasAssigned: user.id } : {}, mayRead };
  }
}

/**
 * Who reads a case (SPEC.md): regulators, its developer organisation, auditors it is or was assigned
 * to. A current assignee is in the case's context; `wasAssigned` is asked only of any other auditor.
 */
const readerRule = <T extends boolean | Promise<boolean>>(user: UserActor, row: CaseRow, wasAssigned: () => T): boolean | T => {
  switch (user.role) {
    case Roles.regulator:
      return true;
    case Roles.developer:
      return row.developerOrganisationId === user.organisationId;
    case Roles.auditor:
      return isAssigned(row.context, user.id) || wasAssigned();
    case Roles.admin:
      return false;
  }
};
