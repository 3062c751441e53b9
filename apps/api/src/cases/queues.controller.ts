import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@app/auth';
import { parseQuery } from '@app/http';
import { ListCasesQuery, queueQuerySchema } from '@app/cases';
import { notFound } from '@app/problems';
import { Roles } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { casePageSchema, queueSummarySchema } from './dto/case.responses.js';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
@AllowRoles(Roles.regulator)
export class QueuesController {
  constructor(private readonly cases: ListCasesQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'listQueues',
    summary: 'One queue per non-final state, plus overdue: [{name, count, oldestAt}]',
    description: 'Regulator. A bare array: one queue per non-final state, named as the state, plus `overdue`, each with its count and the oldest entry time.',
  })
  @ApiJson(200, queueSummarySchema)
  @ApiProblems(401, 403)
  async summary() {
    return this.cases.queueSummary();
  }

  @Get(':name')
  @ApiOperation({
    operationId: 'getQueue',
    summary: 'A queue’s cases, oldest first by time in state (overdue: by due time)',
    description: 'Regulator. The cases of one queue, oldest first by the time they entered the state (`overdue`: earliest due first). Keyset paginated.',
  })
  @ApiParam({ name: 'name', description: 'a non-final state, or `overdue`; any other name is 404' })
  @ApiQueryFrom(queueQuerySchema)
  @ApiJson(200, casePageSchema)
  @ApiProblems(400, 401, 403, 404)
  async queue(@Param('name') name: string, @Query() query: unknown) {
    if (!this.cases.isQueueName(name)) throw notFound(`no queue named ${name}`);
    return this.cases.queue(name, parseQuery(queueQuerySchema, query));
  }
}
