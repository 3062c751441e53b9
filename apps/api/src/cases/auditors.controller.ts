import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentUser } from '@app/auth';
import { parseQuery } from '@app/http';
import { AssignableAuditorsQuery, auditorsQuerySchema } from '@app/cases';
import { Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { auditorsSchema } from './dto/case.responses.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/auditors')
@AllowRoles(Roles.regulator)
export class AuditorsController {
  constructor(private readonly auditors: AssignableAuditorsQuery) {}

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
    return this.auditors.execute(user, parseQuery(auditorsQuerySchema, query));
  }
}
