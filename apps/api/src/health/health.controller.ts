import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiJson, PublicRoute } from '../common/openapi.decorators.js';
import { healthSchema } from './dto/health.responses.js';
import { HealthQuery } from './health.query.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly checks: HealthQuery) {}

  /** 200 when Postgres and Redis answer; 503 naming what is down. */
  @Get()
  @PublicRoute()
  @ApiOperation({
    operationId: 'getHealth',
    summary: '200 when Postgres and Redis answer; 503 naming what is down',
    description: 'No token. Pings Postgres and Redis (two seconds each): 200 with `status: ok` when both answer, 503 with `status: down` and a `detail` naming what is down. For load balancers and orchestrators.',
  })
  @ApiJson(200, healthSchema, 'both answer')
  @ApiJson(503, healthSchema, 'something is down')
  async health(@Res({ passthrough: true }) response: Response) {
    const { postgres, redis } = await this.checks.execute();
    const down = Object.entries({ postgres, redis }).filter(([, v]) => v === 'down').map(([k]) => k);
    response.status(down.length ? 503 : 200);
    return { status: down.length ? 'down' : 'ok', checks: { postgres, redis }, ...(down.length ? { detail: `${down.join(' and ')} down` } : {}) };
  }
}
