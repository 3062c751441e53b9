import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../common/openapi.decorators.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text format. */
  @Get()
  @PublicRoute()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus text format',
    description: 'No token. The Prometheus text exposition format. HTTP counts and latencies are this process\'s; counts that span api and worker processes (transitions, backlog, deadline lateness, failed jobs) are read from Postgres and Redis at scrape time, so any replica reports the whole system.',
  })
  @ApiResponse({ status: 200, description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.end(await this.metrics.registry.metrics());
  }
}
