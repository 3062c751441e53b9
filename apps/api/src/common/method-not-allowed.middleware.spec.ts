import { describe, expect, it } from '@jest/globals';
import { match, pathToRegexp } from 'path-to-regexp';
import { methodRule, type RouteEntry } from './method-not-allowed.middleware.js';

const ROUTES: Array<[string, string[]]> = [
  ['/v1/cases', ['GET', 'HEAD', 'POST']],
  ['/v1/cases/:id', ['GET', 'HEAD']],
  ['/v1/cases/:id/assessment', ['PUT']],
  ['/v1/cases/:id/events', ['POST']],
  ['/v1/cases/export', ['GET', 'HEAD']],
  ['/v1/admin/tokens/:id', ['DELETE']],
  ['/v1/files{/*rest}', ['GET', 'HEAD']],
];

/** The rule as it was written first: every route's matcher in turn, first server wins. */
const reference = (method: string, path: string): string[] | undefined => {
  const allowed = new Set<string>();
  for (const [route, methods] of ROUTES) {
    if (!match(route, { decode: false })(path)) continue;
    if (methods.includes(method)) return undefined;
    for (const each of methods) allowed.add(each);
  }
  return allowed.size === 0 ? undefined : [...allowed].sort();
};

describe('methodRule', () => {
  const routes: RouteEntry[] = ROUTES.map(([path, methods]) => ({ pattern: pathToRegexp(path).regexp, methods: new Set(methods) }));
  const rule = methodRule(routes);
  const paths = ['/v1/cases', '/v1/cases/', '/V1/CASES', '/v1/cases/abc', '/v1/cases/export', '/v1/cases/abc/events', '/v1/cases/abc/events/x',
    '/v1/cases/a%2Fb/assessment', '/v1/admin/tokens/1', '/v1/files', '/v1/files/a/b', '/nowhere', '/'];
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'];

  it('answers as testing each route in turn does, for every method and path', () => {
    for (const path of paths) for (const method of methods) expect({ method, path, allowed: rule(method, path) }).toEqual({ method, path, allowed: reference(method, path) });
  });

  it('names the methods a known path serves', () => {
    expect(rule('DELETE', '/v1/cases/abc')).toEqual(['GET', 'HEAD']);
    expect(rule('GET', '/v1/cases/abc/events')).toEqual(['POST']);
    expect(rule('POST', '/nowhere')).toBeUndefined();
  });
});
