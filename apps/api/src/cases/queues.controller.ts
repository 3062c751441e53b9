import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowRoles } from '@app/auth';
import { parseQuery } from '@app/http';
import { CASE_CSV_COLUMNS, INCIDENT_QUEUE_CSV_COLUMNS, INCIDENTS_QUEUE, IncidentsQuery, ListCasesQuery, incidentQueueQuerySchema, queueQuerySchema } from '@app/cases';
import { notFound } from '@app/problems';
import { Roles } from '@app/workflow';
import { ApiJson, ApiJsonOrCsv, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { casePageSchema, queueSummarySchema } from './dto/case.responses.js';
import { CSV_EXPORT_DESCRIPTION, csvFile, wantsCsv } from './csv-export.js';
import { incidentQueuePageSchema } from '../incidents/dto/incident.responses.js';

@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
@AllowRoles(Roles.regulator)
export class QueuesController {
  constructor(
    private readonly cases: ListCasesQuery,
    private readonly incidents: IncidentsQuery,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listQueues',
    summary: 'One queue per non-final state, plus overdue and incidents: [{name, count, oldestAt}]',
    description: 'Regulator. A bare array: one queue per non-final state, named as the state, plus `overdue` and `incidents` (open incidents; `oldestAt` is the earliest final-report due time), each with its count and the oldest entry time. On a large installation the state and overdue counts come from a summary refreshed in the background; the `Age` header gives its age in seconds.',
  })
  @ApiJson(200, queueSummarySchema)
  @ApiProblems(401, 403)
  async summary(@Res({ passthrough: true }) response: Response) {
    const { body, ageSeconds } = await this.cases.queueSummary();
    response.setHeader('Age', String(ageSeconds));
    return [...body, await this.incidents.queueSummary()];
  }

  // Declared before `:name`, which it would otherwise match.
  @Get(INCIDENTS_QUEUE)
  @ApiOperation({
    operationId: 'getIncidentQueue',
    summary: 'Open incidents, the final report due soonest first',
    description:
      'Regulator. Open incidents as `{incidentId, caseId, category, reportDueAt, finalReportDueAt}`, oldest due first (by `finalReportDueAt`, the clock still running). Keyset paginated. With `Accept: text/csv` the answer is a CSV download of every page of the queue, streamed.',
  })
  @ApiQueryFrom(incidentQueueQuerySchema)
  @ApiJsonOrCsv(incidentQueuePageSchema, CSV_EXPORT_DESCRIPTION)
  @ApiProblems(400, 401, 403)
  async incidentQueue(@Query() query: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const q = parseQuery(incidentQueueQuerySchema, query);
    response.vary('Accept');
    if (wantsCsv(request)) return csvFile(INCIDENT_QUEUE_CSV_COLUMNS, await this.incidents.allQueuePages(q), `queue-${INCIDENTS_QUEUE}`);
    return this.incidents.queue(q);
  }

  @Get(':name')
  @ApiOperation({
    operationId: 'getQueue',
    summary: 'A queue’s cases, oldest first by time in state (overdue: by due time)',
    description: 'Regulator. The cases of one queue, oldest first by the time they entered the state (`overdue`: earliest due first). Keyset paginated. With `Accept: text/csv` the answer is a CSV download of every page of the queue, streamed.',
  })
  @ApiParam({ name: 'name', description: 'a non-final state, or `overdue`; any other name is 404' })
  @ApiQueryFrom(queueQuerySchema)
  @ApiJsonOrCsv(casePageSchema, CSV_EXPORT_DESCRIPTION)
  @ApiProblems(400, 401, 403, 404)
  async queue(@Param('name') name: string, @Query() query: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (!this.cases.isQueueName(name)) throw notFound(`no queue named ${name}`);
    const q = parseQuery(queueQuerySchema, query);
    response.vary('Accept');
    if (wantsCsv(request)) return csvFile(CASE_CSV_COLUMNS, await this.cases.allQueuePages(name, q), `queue-${name}`);
    return this.cases.queue(name, q);
  }
}
