import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth';
import { ApiProblems } from '../common/openapi.decorators.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text format, for the metrics token or an admin (the global guard steps aside for its own). */
  @Get()
  @Public()
  @UseGuards(MetricsAccessGuard)
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus text format',
    description: 'Bearer `METRICS_TOKEN` (when set) or an admin\'s token. The Prometheus text exposition format. HTTP counts and latencies are this process\'s; counts that span api and worker processes (transitions, backlog, deadline lateness, failed jobs) are read from Postgres and Redis at scrape time, so any replica reports the whole system.',
  })
  @ApiProblems(401, 403)
  @ApiResponse({ status: 200, description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.end(await this.metrics.registry.metrics());
  }
}
