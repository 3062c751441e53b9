import type { NextFunction, Request, Response } from 'express';
import type { OutboxWake } from '@app/queue';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write answered with success has committed whatever outbox rows it added: the workers' relays
 * are told at once. A write that added none costs one empty claim; a lost announcement, latency only.
 */
export const announceCommittedWrites = (wake: OutboxWake) => (request: Request, response: Response, next: NextFunction) => {
  if (!READS.has(request.method))
    response.on('finish', () => {
      if (response.statusCode < 300) wake.announce();
    });
  next();
};
