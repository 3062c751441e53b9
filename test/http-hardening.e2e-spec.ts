import http from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { currentTestEnvironment, HttpClient, nodeHttpTransport, outcomeOf, waitFor, type AnyResponse } from '@app/testing';
import { startRedis } from './support/processes.js';
import { startStack } from './support/stack.js';
import { useSuite } from './support/suite.js';

const METRICS_TOKEN = 'metrics-scraper-token-of-the-hardening-suite';
const LIMIT = 60;

const expectProblem = (response: AnyResponse, status: number, slug: string) => {
  expect(outcomeOf(response)).toBe(`${status} /problems/${slug}`);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
};

/** A client whose requests come from another loopback address, so each test counts its own failures. */
const from = (baseUrl: string, address: string, token?: string) =>
  new HttpClient(baseUrl, token, nodeHttpTransport(new http.Agent({ keepAlive: false, localAddress: address } as http.AgentOptions)));

const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` });

describe('HTTP hardening: security headers, 401/405/415, the wrong-token limiter and /metrics', () => {
  const suite = useSuite({ worker: false, env: { METRICS_TOKEN } });
  const admin = () => currentTestEnvironment().adminToken;

  it('sends CSP, nosniff and no-referrer on the web app, the docs, the queue dashboard and the API', async () => {
    const http = suite.stack.http;
    const responses = {
      '/': await http.offSchema('GET', '/', undefined, { accept: 'text/html' }),
      '/docs': await http.offSchema('GET', '/docs', undefined, { accept: 'text/html' }),
      '/admin/queues': await http.offSchema('GET', '/admin/queues', undefined, { authorization: `Bearer ${admin()}`, accept: 'text/html' }),
      '/admin/queues (401)': await http.offSchema('GET', '/admin/queues'),
      '/v1/me': await suite.world.developer.http.get('/v1/me'),
      '/v1/me (401)': await http.get('/v1/me'),
      '/v1/public/keys': await http.get('/v1/public/keys'),
      '/v1/nothing-here (404)': await http.offSchema('GET', '/v1/nothing-here'),
    };
    expect(responses['/docs'].status).toBe(200);
    expect(responses['/admin/queues'].status).toBe(200);
    expect(responses['/v1/me'].status).toBe(200);
    for (const [where, response] of Object.entries(responses)) {
      const csp = response.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      expect({ where, frameAncestors: directives['frame-ancestors'] }).toEqual({ where, frameAncestors: ["'none'"] });
      expect({ where, scriptSrc: directives['script-src'] }).toEqual({ where, scriptSrc: ["'self'"] });
      expect({ where, objectSrc: directives['object-src'] }).toEqual({ where, objectSrc: ["'none'"] });
      expect({ where, nosniff: response.headers.get('x-content-type-options') }).toEqual({ where, nosniff: 'nosniff' });
      expect({ where, referrer: response.headers.get('referrer-policy') }).toEqual({ where, referrer: 'no-referrer' });
      expect({ where, frame: response.headers.get('x-frame-options') }).toEqual({ where, frame: 'DENY' });
    }
  });

  it('keeps idle connections open longer than clients keep theirs, so a reused socket is never reset', async () => {
    // CI saw "read ECONNRESET" on a GET: Node's default 5 s is barely above fetch's own 4 s.
    const response = await suite.stack.http.get('/health');
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('answers 401 with a Bearer challenge to a missing or unknown token', async () => {
    const client = from(suite.stack.baseUrl, '127.0.0.11');
    for (const response of [await client.get('/v1/me'), await client.as('not-a-real-token').get('/v1/me')]) {
      expectProblem(response, 401, 'unauthenticated');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
  });

  it('answers 405 with the served methods in Allow to a known path, before authentication', async () => {
    const anonymous = from(suite.stack.baseUrl, '127.0.0.12');
    const id = '00000000-0000-4000-8000-000000000000';
    // Methods the schema does not list on these paths.
    const cases = await anonymous.offSchema('DELETE', '/v1/cases');
    expectProblem(cases, 405, 'method-not-allowed');
    expect(cases.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
    const events = await anonymous.as('not-a-real-token').offSchema('GET', `/v1/cases/${id}/events`);
    expectProblem(events, 405, 'method-not-allowed');
    expect(events.headers.get('allow')).toBe('POST');
    const me = await suite.world.developer.http.offSchema('PUT', '/v1/me', {});
    expectProblem(me, 405, 'method-not-allowed');
    expect(me.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD']);
    expectProblem(await anonymous.offSchema('DELETE', '/v1/no-such-route'), 404, 'not-found');
  });

  it('keeps the queue dashboard read-only: writes are 405 and change nothing', async () => {
    const headers = { authorization: `Bearer ${admin()}` };
    // The dashboard is outside the api's schema; a body-less PUT, as the dashboard's pause button sends.
    const pause = await suite.stack.http.offSchema('PUT', '/admin/queues/api/queues/intake/pause', undefined, headers);
    expectProblem(pause, 405, 'method-not-allowed');
    expect(pause.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD']);
    expectProblem(await suite.stack.http.offSchema('PUT', '/admin/queues/api/queues/intake/pause'), 405, 'method-not-allowed');
    const queues = await suite.stack.http.offSchema('GET', '/admin/queues/api/queues', undefined, headers);
    expect(queues.status).toBe(200);
    expect(queues.body).toMatchObject({ queues: expect.arrayContaining([expect.objectContaining({ name: 'intake', isPaused: false, readOnlyMode: true })]) });
  });

  it('answers 415 to a JSON route given another media type, and 413 and malformed, before authentication', async () => {
    const anonymous = from(suite.stack.baseUrl, '127.0.0.13');
    for (const client of [anonymous, anonymous.as('not-a-real-token'), suite.world.developer.http]) {
      const text = await client.raw('POST', '/v1/cases', 'model=m&version=1', { 'content-type': 'text/plain' });
      expectProblem(text, 415, 'unsupported-media-type');
      const form = await client.raw('POST', '/v1/cases', 'model=m&version=1', { 'content-type': 'application/x-www-form-urlencoded' });
      expectProblem(form, 415, 'unsupported-media-type');
      expectProblem(await client.raw('PUT', `/v1/cases/00000000-0000-4000-8000-000000000000/assessment`, '<xml/>', { 'content-type': 'application/xml' }), 415, 'unsupported-media-type');
    }
    expectProblem(await anonymous.raw('POST', '/v1/cases', '{"model":', { 'content-type': 'application/json' }), 400, 'malformed');
    const big = JSON.stringify({ model: { name: 'x'.repeat(1024 * 1024 + 10), version: '1' } });
    expectProblem(await anonymous.raw('POST', '/v1/cases', big, { 'content-type': 'application/json' }), 413, 'payload-too-large');
    // A body-less POST is not a media type problem: it reaches authentication.
    expectProblem(await anonymous.raw('POST', '/v1/cases', ''), 401, 'unauthenticated');
  });

  it('answers 413 before authentication to an evidence upload declaring more than 25 MiB and its multipart framing', async () => {
    const anonymous = from(suite.stack.baseUrl, '127.0.0.14');
    const limit = 25 * 1024 * 1024 + 64 * 1024;
    const body = new Uint8Array(limit + 1).fill(0x61);
    const multipart = { 'content-type': 'multipart/form-data; boundary=x' };
    const caseId = '00000000-0000-4000-8000-000000000000';
    for (const client of [anonymous, anonymous.as('not-a-real-token'), suite.world.developer.http])
      expectProblem(await client.raw('POST', `/v1/cases/${caseId}/evidence`, body, multipart), 413, 'payload-too-large');
    // At the limit the body is left to the route, after authentication.
    expectProblem(await anonymous.as('not-a-real-token').raw('POST', `/v1/cases/${caseId}/evidence`, body.subarray(1), multipart), 401, 'unauthenticated');
  });

  it('answers 429 with Retry-After to the 61st wrong token (bearer or dashboard password) from one address, on any replica', async () => {
    const second = await startStack({ worker: false, env: { METRICS_TOKEN } });
    try {
      const address = '127.0.0.21';
      const replicas = [from(suite.stack.baseUrl, address), from(second.baseUrl, address)];
      // Half the failures as wrong bearer tokens on the API, half as wrong dashboard passwords, across two api processes.
      for (let i = 0; i < LIMIT; i++) {
        const client = replicas[i % 2]!;
        const response = i < LIMIT / 2 ? await client.as(`wrong-${i}`).get('/v1/me') : await client.offSchema('GET', '/admin/queues', undefined, basic(`wrong-${i}`));
        expect({ i, status: response.status }).toEqual({ i, status: 401 });
      }
      // A missing token is not a failure and is not limited.
      expectProblem(await replicas[0]!.get('/v1/me'), 401, 'unauthenticated');

      for (const response of [
        await replicas[0]!.as('wrong-61').get('/v1/me'),
        await replicas[1]!.as('wrong-62').get('/v1/cases'),
        await replicas[1]!.offSchema('GET', '/admin/queues', undefined, basic('wrong-63')),
        await replicas[0]!.as('wrong-64').get('/metrics'),
      ]) {
        expectProblem(response, 429, 'too-many-requests');
        const retryAfter = Number(response.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      }
      // A valid token from the same address is never limited.
      const member = from(suite.stack.baseUrl, address, suite.world.developer.token);
      expect((await member.get('/v1/me')).status).toBe(200);
      expect((await replicas[1]!.offSchema('GET', '/admin/queues', undefined, basic(admin()))).status).toBe(200);
      // Another address is not limited.
      expectProblem(await from(suite.stack.baseUrl, '127.0.0.22', 'wrong').get('/v1/me'), 401, 'unauthenticated');
    } finally {
      await second.close();
    }
  });

  it('limits by the address X-Forwarded-For names only behind a proxy TRUST_PROXY names; otherwise the header changes nothing', async () => {
    /** `count` wrong tokens through `client`, each naming `forwardedFor`; returns the statuses. */
    const wrongTokens = async (client: HttpClient, forwardedFor: (i: number) => string, count: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) statuses.push((await client.as(`wrong-${i}`).offSchema('GET', '/v1/me', undefined, { 'x-forwarded-for': forwardedFor(i) })).status);
      return statuses;
    };
    // No proxy configured (the suite's api): a client naming a new address each time is still one address.
    expect(await wrongTokens(from(suite.stack.baseUrl, '127.0.0.51'), (i) => `203.0.113.${i}`, LIMIT + 1)).toEqual([...Array(LIMIT).fill(401), 429]);

    const proxied = await startStack({ worker: false, env: { TRUST_PROXY: 'loopback' } });
    try {
      // Behind the proxy (any loopback address here), each client it forwards counts on its own.
      const proxy = from(proxied.baseUrl, '127.0.0.52');
      expect(await wrongTokens(proxy, () => '198.51.100.7', LIMIT + 1)).toEqual([...Array(LIMIT).fill(401), 429]);
      expect(await wrongTokens(proxy, () => '198.51.100.8', 1)).toEqual([401]);
      // A client that prepends an address of its choosing is still known by the address the proxy added.
      expect(await wrongTokens(proxy, () => '198.51.100.9, 198.51.100.7', 1)).toEqual([429]);
    } finally {
      await proxied.close();
    }
  });

  it('fails open while Redis is stopped or unreachable, and limits again once it answers', async () => {
    let redis = await startRedis();
    const stack = await startStack({ worker: false, env: { REDIS_URL: redis.url } });
    /** `count` wrong tokens from one address: every one a 401 within seconds, and a valid token still works. */
    const expectFailsOpen = async (address: string, count: number) => {
      const client = from(stack.baseUrl, address);
      for (let i = 0; i < count; i++) {
        const response = await client.as(`wrong-${i}`).get('/v1/me');
        expect({ i, status: response.status, prompt: response.ms < 5000 }).toEqual({ i, status: 401, prompt: true });
      }
      expect((await from(stack.baseUrl, address, suite.world.developer.token).get('/v1/me')).status).toBe(200);
    };
    try {
      // Connected but not answering (a stopped process keeps its socket open): each wrong token waits out the limiter's timeout.
      redis.child.kill('SIGSTOP');
      await expectFailsOpen('127.0.0.31', 5);
      redis.child.kill('SIGCONT');
      // Gone: the connection is down and reconnecting.
      await redis.stop();
      await waitFor(async () => (await stack.http.get('/health')).body.checks.redis, (state) => state === 'down', { what: 'redis down' });
      await expectFailsOpen('127.0.0.32', LIMIT + 5);
      // Back: failures count again.
      redis = await startRedis(redis.port);
      await waitFor(async () => (await stack.http.get('/health')).body.checks.redis, (state) => state === 'up', { what: 'redis up' });
      const client = from(stack.baseUrl, '127.0.0.33');
      for (let i = 0; i < LIMIT; i++) expect((await client.as(`wrong-${i}`).get('/v1/me')).status).toBe(401);
      expectProblem(await client.as('wrong-61').get('/v1/me'), 429, 'too-many-requests');
    } finally {
      redis.child.kill('SIGCONT');
      await stack.close();
      await redis.stop();
    }
  }, 90_000);

  it('serves /metrics to the metrics token and to admins only', async () => {
    const client = from(suite.stack.baseUrl, '127.0.0.41');
    const anonymous = await client.get('/metrics');
    expectProblem(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expectProblem(await client.as('not-the-metrics-token').get('/metrics'), 401, 'unauthenticated');
    expectProblem(await client.as(suite.world.regulator.token).get('/metrics'), 403, 'forbidden');
    for (const token of [METRICS_TOKEN, admin()]) {
      const response = await client.as(token).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(response.body).toMatch(/^clearance_outbox_backlog \d+$/m);
    }
  });
});
