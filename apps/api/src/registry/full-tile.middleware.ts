import type { NextFunction, Request, Response } from 'express';
import { IMMUTABLE_CACHE_CONTROL, type RegistryLogQuery } from '@app/registry';

/** Where the C2SP tile routes live; the middleware is mounted here. */
export const TILE_ROUTE_PREFIX = '/v1/public/log/tile';

/**
 * A full tile or entry bundle that the api already holds in memory is answered here, before
 * Nest's routing, guards and interceptors: log mirrors and verifiers fetch the same immutable
 * tiles over and over. Anything else (a miss, a partial tile, another method) goes on to the
 * controller, which answers and fills the cache. Security headers and metrics run before this.
 */
export const servedFullTiles =
  (log: RegistryLogQuery) =>
  (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const hit = log.cachedFullTile(`tile${request.path}`);
    if (!hit) return next();
    response.setHeader('Content-Type', 'application/octet-stream');
    response.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
    response.setHeader('Content-Length', hit.length);
    response.end(request.method === 'HEAD' ? undefined : hit);
  };
