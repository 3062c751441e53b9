import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@app/auth';
import { ListCasesUseCase } from '@app/cases';
import { notFound } from '@app/problems';
import { Roles } from '@app/workflow';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
@AllowRoles(Roles.regulator)
export class QueuesController {
  constructor(private readonly cases: ListCasesUseCase) {}

  @Get()
  @ApiOperation({ summary: 'One queue per non-final state, plus overdue: [{name, count, oldestAt}]' })
  async summary() {
    return this.cases.queueSummary();
  }

  @Get(':name')
  @ApiOperation({ summary: 'A queue’s cases, oldest first by time in state (overdue: by due time)' })
  async queue(@Param('name') name: string, @Query() query: unknown) {
    if (!this.cases.isQueueName(name)) throw notFound(`no queue named ${name}`);
    return this.cases.queue(name, query);
  }
}
