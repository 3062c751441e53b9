import { METHODS } from 'node:http';
import type { Application, NextFunction, Request, Response } from 'express';
import { pathToRegexp } from 'path-to-regexp';
import { methodNotAllowed } from '@app/problems';
import { sendProblem } from './problem.response.js';

export interface RouteEntry {
  /** The pattern Express matches the route with (path-to-regexp's, undecoded). */
  pattern: RegExp;
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
    return [{ pattern: pathToRegexp(route.path).regexp, methods }];
  });

/** One alternation of the patterns, anchored each: a path any of them matches. */
const anyOf = (patterns: RegExp[]): RegExp | undefined =>
  patterns.length === 0 ? undefined : new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');

/**
 * For a method and a path: undefined when the request goes on (a route serves the method
 * there, or no route knows the path), else the methods the path's routes serve. Each method's
 * routes are tested as one regular expression; only a refusal walks the routes one by one.
 */
export const methodRule = (routes: RouteEntry[]) => {
  const byMethod = new Map<string, RegExp | undefined>();
  const served = (method: string): RegExp | undefined => {
    if (!byMethod.has(method)) byMethod.set(method, anyOf(routes.filter((route) => route.methods.has(method)).map((route) => route.pattern)));
    return byMethod.get(method);
  };
  const known = anyOf(routes.map((route) => route.pattern));
  return (method: string, path: string): string[] | undefined => {
    // A method no route serves (an unknown verb) compiles nothing and is looked up like any other.
    if (METHODS.includes(method) && served(method)?.test(path)) return undefined;
    if (!known?.test(path)) return undefined;
    const allowed = new Set<string>();
    for (const route of routes) {
      if (!route.pattern.test(path)) continue;
      if (route.methods.has(method)) return undefined;
      for (const each of route.methods) allowed.add(each);
    }
    return allowed.size === 0 ? undefined : [...allowed].sort();
  };
};

/**
 * 405 with `Allow` to a method a known path does not serve, derived from the registered
 * routes. It runs before body parsing and authentication (SPEC.md's order).
 */
export const rejectUnservedMethods = (app: Application) => {
  let allowedFor: ReturnType<typeof methodRule> | undefined;
  return (request: Request, response: Response, next: NextFunction): void => {
    allowedFor ??= methodRule(routeTable(app));
    const allowed = allowedFor(request.method, request.path);
    if (allowed === undefined) return next();
    sendProblem(response, methodNotAllowed(request.method, allowed));
  };
};
