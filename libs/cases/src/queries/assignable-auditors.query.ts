import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ConflictRepository, UserRepository, type AuditorRow } from '@app/persistence';
import { CaseEvents, acceptsEvent, guardFailures, type UserActor } from '@app/workflow';
import { CaseAccessService } from './case-access.service.js';

export const auditorsQuerySchema = z.strictObject({ caseId: z.string().optional() });

const auditorView = (a: AuditorRow) => ({
  id: a.id,
  email: a.email,
  displayName: a.displayName,
  organisationId: a.organisationId,
  organisationName: a.organisationName,
});

/**
 * `GET /v1/auditors`: every auditor and, for a case, whether ASSIGN_AUDITOR would accept each and why
 * not. It asks the machine's own guards (`guardFailures`) with the facts the transition would gather,
 * so the answer cannot drift from what firing the event decides.
 */
@Injectable()
export class AssignableAuditorsQuery {
  constructor(
    private readonly access: CaseAccessService,
    private readonly users: UserRepository,
    private readonly conflicts: ConflictRepository,
  ) {}

  async execute(user: UserActor, q: z.infer<typeof auditorsQuerySchema>) {
    const auditors = await this.users.listAuditors();
    if (!q.caseId) return { items: auditors.map(auditorView), nextCursor: null };
    const row = await this.access.readable(user, q.caseId);
    const conflicted = await this.conflicts.conflictedAuditors(row.developerOrganisationId, auditors.map((a) => a.id));
    const stateAccepts = acceptsEvent(row.workflowVersion, row.state, CaseEvents.ASSIGN_AUDITOR);
    return {
      items: auditors.map((a) => {
        const reasons = stateAccepts
          ? guardFailures(row.state, row.context, {
              type: CaseEvents.ASSIGN_AUDITOR,
              payload: { auditorId: a.id },
              facts: {
                actor: user,
                candidate: { id: a.id, role: a.role, organisationId: a.organisationId, conflicted: conflicted.has(a.id) },
              },
            })
          : [{ rule: 'state-accepts', message: `${row.state} does not accept ${CaseEvents.ASSIGN_AUDITOR}` }];
        return { ...auditorView(a), assignable: reasons.length === 0, reasons };
      }),
      nextCursor: null,
    };
  }
}
