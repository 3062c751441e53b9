import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '@app/auth';
import { pingDatabase } from '@app/persistence';
import { REDIS } from '@app/queue';
import { ApiJson } from '../common/openapi.decorators.js';
import { healthSchema } from './dto/health.responses.js';

const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** 200 when Postgres and Redis answer; 503 naming what is down. */
  @Get()
  @Public()
  @ApiOperation({ operationId: 'getHealth', summary: '200 when Postgres and Redis answer; 503 naming what is down' })
  @ApiJson(200, healthSchema, 'both answer')
  @ApiJson(503, healthSchema, 'something is down')
  async health(@Res({ passthrough: true }) response: Response) {
    const [postgres, redis] = await Promise.all([
      within(pingDatabase(this.dataSource), 2000).then(() => 'up' as const, () => 'down' as const),
      within(this.redis.ping(), 2000).then(() => 'up' as const, () => 'down' as const),
    ]);
    const down = Object.entries({ postgres, redis }).filter(([, v]) => v === 'down').map(([k]) => k);
    response.status(down.length ? 503 : 200);
    return { status: down.length ? 'down' : 'ok', checks: { postgres, redis }, ...(down.length ? { detail: `${down.join(' and ')} down` } : {}) };
  }
}
