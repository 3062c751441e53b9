import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllowRoles, CurrentUser } from '@app/auth';
import { CaseAccessService, parseQuery } from '@app/cases';
import { ConflictRepository, UserRepository } from '@app/persistence';
import { CaseEvents, Roles, acceptsEvent, guardFailures, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { auditorsSchema } from './dto/case.responses.js';

const auditorsQuerySchema = z.strictObject({ caseId: z.string().optional() });

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/auditors')
@AllowRoles(Roles.regulator)
export class AuditorsController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly users: UserRepository,
    private readonly conflicts: ConflictRepository,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditors',
    summary: 'Auditors, and for a case whether ASSIGN_AUDITOR would accept each and why not',
    description: 'Regulator. Every auditor; with `caseId`, each also says whether `ASSIGN_AUDITOR` would accept them for that case now (`assignable`) and, if not, the guards\' `reasons` (conflict of interest, a firm already assigned, the state). One page: `nextCursor` is always null.',
  })
  @ApiQueryFrom(auditorsQuerySchema)
  @ApiJson(200, auditorsSchema)
  @ApiProblems(400, 401, 403, 404)
  async list(@Query() query: unknown, @CurrentUser() user: UserActor) {
    const q = parseQuery(auditorsQuerySchema, query);
    const auditors = await this.users.listAuditors();
    const base = (a: (typeof auditors)[number]) => ({
      id: a.id,
      email: a.email,
      displayName: a.displayName,
      organisationId: a.organisationId,
      organisationName: a.organisationName,
    });
    if (!q.caseId) return { items: auditors.map(base), nextCursor: null };
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
        return { ...base(a), assignable: reasons.length === 0, reasons };
      }),
      nextCursor: null,
    };
  }
}
