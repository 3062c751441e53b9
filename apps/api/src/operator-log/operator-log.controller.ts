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
    description: 'Regulators only. Each row is hashed like case history with `caseId` = "operator-log"; payloads never hold a secret.',
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
    description: 'Regulators only. `firstBadSeq` names the first row that is wrong or missing; null when valid.',
  })
  @ApiJson(200, chainVerificationSchema, 'firstBadSeq is null when valid')
  @ApiProblems(401, 403)
  async verify() {
    return this.log.verify();
  }
}
