import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@app/auth';
import { Roles } from '@app/workflow';
import { chainVerificationSchema } from '../cases/dto/case.responses.js';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { operatorLogPageSchema } from './dto/operator-log.responses.js';
import { OperatorLogQuery, operatorLogQuerySchema } from './operator-log.query.js';

@ApiTags('operator-log')
@ApiBearerAuth()
@Controller('v1/operator-log')
@AllowRoles(Roles.regulator)
export class OperatorLogController {
  constructor(private readonly log: OperatorLogQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'listOperatorLog',
    summary: 'Every admin action, hash-chained, ascending by seq',
    description:
      'Regulator. Each row `{seq, type, actor, fromState: null, toState: null, at, payload, prevHash, hash}` is hashed like case history with `caseId` = "operator-log"; `actor` is the admin, or `"system"` for what the api does at start (ADMIN_BOOTSTRAPPED, ADMIN_TOKEN_ROTATED). Payloads never hold a secret.',
  })
  @ApiQueryFrom(operatorLogQuerySchema)
  @ApiJson(200, operatorLogPageSchema)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: unknown) {
    return this.log.page(query);
  }

  @Get('verify')
  @ApiOperation({
    operationId: 'verifyOperatorLog',
    summary: 'Recompute the operator log chain and check it ends at the stored head',
    description: 'Regulator. `{valid, length, headHash, firstBadSeq}`: `firstBadSeq` names the first row that is wrong or missing, or null when the chain is valid and ends at the stored head.',
  })
  @ApiJson(200, chainVerificationSchema, 'firstBadSeq is null when valid')
  @ApiProblems(401, 403)
  async verify() {
    return this.log.verify();
  }
}
