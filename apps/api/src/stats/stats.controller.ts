import { Controller, Get, Query } from '@nestjs/common';
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
    description: 'Regulator. Over the window `from`–`to` (RFC 3339; default: everything up to now): cases by state, time in state (median and p90) by developer organisation and by the release level of the weights, and deadline breaches.',
  })
  @ApiQueryFrom(statsQuerySchema)
  @ApiJson(200, statsSchema)
  @ApiProblems(400, 401, 403)
  async get(@Query() query: unknown) {
    return this.stats.execute(parseQuery(statsQuerySchema, query));
  }
}
