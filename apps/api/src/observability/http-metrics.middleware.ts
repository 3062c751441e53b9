import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service.js';

/** Counts and times every request by its route pattern (never the raw path, which holds ids). */
export const httpMetrics = (metrics: MetricsService) => (request: Request, response: Response, next: NextFunction) => {
  const stop = metrics.httpDuration.startTimer();
  response.on('finish', () => {
    const route = (request.route?.path as string | undefined) ?? 'unmatched';
    stop({ method: request.method, route });
    metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
  });
  next();
};
