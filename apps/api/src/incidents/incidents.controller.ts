import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowRoles, CurrentUser } from '@app/auth';
import {
  CaseAccessService,
  CloseIncidentUseCase,
  IncidentAccessService,
  IncidentsQuery,
  MAX_INCIDENT_UPDATES,
  ReportIncidentUseCase,
  UpdateIncidentUseCase,
  closeIncidentSchema,
  incidentUpdateSchema,
  listIncidentsQuerySchema,
  reportIncidentSchema,
} from '@app/cases';
import { parseBody, parseQuery } from '@app/http';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { Roles, type UserActor } from '@app/workflow';
import { IdempotencyService } from '../common/idempotency.service.js';
import { etagOf, parseIfMatch, send } from '../common/http.util.js';
import { ApiJson, ApiProblems, ApiQueryFrom, IdempotencyKey, IfMatch, openApiSchema, WriteProblems } from '../common/openapi.decorators.js';
import { incidentPageSchema, incidentViewSchema } from './dto/incident.responses.js';


/**
 * Incidents after release (SPEC "Incidents"). Every write is a row in the case's history and bumps
 * the case's version: the ETag of every answer here is the case's.
 */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class IncidentsController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly incidentAccess: IncidentAccessService,
    private readonly incidents: IncidentsQuery,
    private readonly report: ReportIncidentUseCase,
    private readonly update: UpdateIncidentUseCase,
    private readonly close: CloseIncidentUseCase,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('cases/:id/incidents')
  @AllowRoles(Roles.developer, Roles.regulator)
  @ApiOperation({
    operationId: 'reportIncident',
    summary: 'Report an incident on a case once released',
    description:
      'The case’s developer or a regulator, on a case once released (`releasedAt` set; else 409 `not-released`); anyone else who may not read the case gets 404. `reportDueAt` is `awareAt` plus the pinned pack’s clock for the category (defaults P2D, P5D, P10D, P15D, P15D); a late report is marked `reportedLate`, never refused. The report opens the final-report deadline (`finalReportDueAt`, default P60D) and is an `INCIDENT_REPORTED` row in the case’s history. 201 with the incident and the case’s new `ETag`. Honours `Idempotency-Key`.',
  })
  @ApiBody({ schema: openApiSchema(reportIncidentSchema, 'input') })
  @IfMatch
  @IdempotencyKey
  @ApiJson(201, incidentViewSchema, 'the incident; ETag is the case’s new version')
  @WriteProblems
  async reportIncident(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const command = parseBody(reportIncidentSchema, body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
      const locked = await this.access.lockReadable(user, id, db);
      const { row, incident } = await this.report.execute(locked, command, user, parseIfMatch(request), db);
      return { status: 201, body: await this.incidents.view(incident, db), etag: etagOf(row.version) };
    });
    response.setHeader('Location', `/v1/incidents/${(result.body as { id: string }).id}`);
    return send(response, result);
  }

  @Get('incidents')
  @ApiOperation({
    operationId: 'listIncidents',
    summary: 'Incidents of the cases the caller may read, newest reported first',
    description:
      'Developers, auditors and regulators: incidents of the cases the caller may read (a developer its organisation’s, an auditor those they are or were assigned to, a regulator every case), optionally by `status` and `caseId` (filters only narrow). Newest reported first; keyset paginated.',
  })
  @ApiQueryFrom(listIncidentsQuerySchema)
  @ApiJson(200, incidentPageSchema)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: unknown, @CurrentUser() user: UserActor) {
    return this.incidents.list(this.access.scopeOf(user), parseQuery(listIncidentsQuerySchema, query));
  }

  @Get('incidents/:id')
  @ApiOperation({
    operationId: 'getIncident',
    summary: 'One incident with its updates and final-report deadline',
    description: 'Readers of the incident’s case; anyone else gets 404. `ETag` is the case’s version, for `If-Match` on the next write.',
  })
  @ApiJson(200, incidentViewSchema)
  @ApiProblems(401, 403, 404)
  async get(@Param('id') id: string, @CurrentUser() user: UserActor, @Res({ passthrough: true }) response: Response) {
    const { incident, row } = await this.incidentAccess.readable(user, id);
    response.setHeader('ETag', etagOf(row.version));
    return this.incidents.view(incident);
  }

  @Post('incidents/:id/updates')
  @AllowRoles(Roles.developer)
  @ApiOperation({
    operationId: 'updateIncident',
    summary: 'Add an update to an open incident; `final: true` is the final report',
    description:
      'The case’s developer, on an open incident (a closed one is 409 `incident-closed`). An `INCIDENT_UPDATED` row in the case’s history; `final: true` records the final report and closes its deadline. ' +
      `An incident takes at most ${MAX_INCIDENT_UPDATES} updates; past them only its first final report is taken, and anything else is 409 \`too-many-incident-updates\`. ` +
      '201 with the incident and the case’s new `ETag`. Honours `Idempotency-Key`.',
  })
  @ApiBody({ schema: openApiSchema(incidentUpdateSchema, 'input') })
  @IfMatch
  @IdempotencyKey
  @ApiJson(201, incidentViewSchema, 'the incident; ETag is the case’s new version')
  @WriteProblems
  async addUpdate(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.incidentAccess.readable(user, id);
    const command = parseBody(incidentUpdateSchema, body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
      const { locked, incident } = await this.incidentAccess.lockReadable(user, id, db);
      const row = await this.update.execute(locked, incident, command, user, parseIfMatch(request), db);
      return { status: 201, body: await this.incidents.viewById(incident.id, db), etag: etagOf(row.version) };
    });
    return send(response, result);
  }

  @Post('incidents/:id/close')
  @HttpCode(200)
  @AllowRoles(Roles.regulator)
  @ApiOperation({
    operationId: 'closeIncident',
    summary: 'Close an open incident with a note',
    description:
      'Regulator, on an open incident (a closed one is 409 `incident-closed`). Closes its final-report deadline; an `INCIDENT_CLOSED` row in the case’s history. To require reassessment or revoke, fire the event on the case. 200 with the incident and the case’s new `ETag`. Honours `Idempotency-Key`.',
  })
  @ApiBody({ schema: openApiSchema(closeIncidentSchema, 'input') })
  @IfMatch
  @IdempotencyKey
  @ApiJson(200, incidentViewSchema, 'the incident; ETag is the case’s new version')
  @WriteProblems
  async closeIncident(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.incidentAccess.readable(user, id);
    const command = parseBody(closeIncidentSchema, body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
      const { locked, incident } = await this.incidentAccess.lockReadable(user, id, db);
      const row = await this.close.execute(locked, incident, command, user, parseIfMatch(request), db);
      return { status: 200, body: await this.incidents.viewById(incident.id, db), etag: etagOf(row.version) };
    });
    return send(response, result);
  }
}
