import { METHODS } from 'node:http';
import type { Application, NextFunction, Request, Response } from 'express';
import { match, type MatchFunction } from 'path-to-regexp';
import { methodNotAllowed } from '@app/problems';
import { sendProblem } from './problem.response.js';

interface RouteEntry {
  matches: MatchFunction<object>;
  methods: Set<string>;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * The endpoints registered on Express, read once they exist (at the first request). A route
 * bound to every method is how Nest attaches middleware (the logger's `{/*splat}`), not an
 * endpoint: it serves no method of its own, so it is left out.
 */
const routeTable = (app: Application): RouteEntry[] =>
  ((app as unknown as { router: { stack: RouterLayer[] } }).router.stack ?? []).flatMap(({ route }) => {
    if (!route || typeof route.path !== 'string') return [];
    const methods = new Set(Object.keys(route.methods).filter((name) => route.methods[name]).map((name) => name.toUpperCase()));
    if (methods.has('_ALL') || METHODS.every((method) => methods.has(method))) return [];
    // Express answers HEAD with the GET handler.
    if (methods.has('GET')) methods.add('HEAD');
    return [{ matches: match(route.path, { decode: false }), methods }];
  });

/**
 * 405 with `Allow` to a method a known path does not serve, derived from the registered
 * routes. It runs before body parsing and authentication (SPEC.md's order).
 */
export const rejectUnservedMethods = (app: Application) => {
  let routes: RouteEntry[] | undefined;
  return (request: Request, response: Response, next: NextFunction): void => {
    routes ??= routeTable(app);
    const allowed = new Set<string>();
    for (const route of routes) {
      if (!route.matches(request.path)) continue;
      if (route.methods.has(request.method)) return next();
      for (const method of route.methods) allowed.add(method);
    }
    if (allowed.size === 0) return next();
    sendProblem(response, methodNotAllowed(request.method, [...allowed].sort()));
  };
};
