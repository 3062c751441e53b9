import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth';
import { ApiJson } from '../common/openapi.decorators.js';
import { healthSchema } from './dto/health.responses.js';
import { HealthQuery } from './health.query.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly checks: HealthQuery) {}

  /** 200 when Postgres and Redis answer; 503 naming what is down. */
  @Get()
  @Public()
  @ApiOperation({ operationId: 'getHealth', summary: '200 when Postgres and Redis answer; 503 naming what is down' })
  @ApiJson(200, healthSchema, 'both answer')
  @ApiJson(503, healthSchema, 'something is down')
  async health(@Res({ passthrough: true }) response: Response) {
    const { postgres, redis } = await this.checks.execute();
    const down = Object.entries({ postgres, redis }).filter(([, v]) => v === 'down').map(([k]) => k);
    response.status(down.length ? 503 : 200);
    return { status: down.length ? 'down' : 'ok', checks: { postgres, redis }, ...(down.length ? { detail: `${down.join(' and ')} down` } : {}) };
  }
}
