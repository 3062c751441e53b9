import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@app/auth';
import { parseQuery } from '@app/http';
import { GetStatsQuery, statsQuerySchema } from '@app/cases';
import { Roles } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { statsSchema } from './dto/stats.responses.js';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
@AllowRoles(Roles.regulator)
export class StatsController {
  constructor(private readonly stats: GetStatsQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'getStats',
    summary: 'Cases by state; time in state (median, p90) by developer organisation and by weights release; deadline breaches',
    description: 'Regulator. Over the window `from`–`to` (RFC 3339; default: everything up to now): cases by state, time in state (median and p90) by developer organisation and by the release level of the weights, and deadline breaches. On a large installation the dashboard\'s windows (no `to`; no `from`, or `from` a whole number of days ago) are served from a summary refreshed in the background: `from` and `to` then name the summary\'s window and the `Age` header its age in seconds.',
  })
  @ApiQueryFrom(statsQuerySchema)
  @ApiJson(200, statsSchema)
  @ApiProblems(400, 401, 403)
  async get(@Query() query: unknown, @Res({ passthrough: true }) response: Response) {
    const { body, ageSeconds, json } = await this.stats.execute(parseQuery(statsQuerySchema, query));
    response.setHeader('Age', String(ageSeconds));
    if (json === null) return body;
    // A stored summary's JSON, serialised once per refresh: stringifying its half megabyte per request was most of the request.
    response.type('application/json');
    return json;
  }
}
