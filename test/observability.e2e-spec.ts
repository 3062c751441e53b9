import { beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { currentTestEnvironment } from '@app/testing';
import { useSuite } from './support/suite.js';

describe('observability: health, metrics and the queue dashboard', () => {
  const suite = useSuite();
  beforeAll(async () => {
    await suite.driver.submitThroughIntake(await suite.driver.create());
  });

  it('reports Postgres and Redis separately', async () => {
    const response = await suite.stack.http.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
  });

  it('exposes transitions by event, the outbox backlog and failed jobs in Prometheus format', async () => {
    // /metrics answers to the metrics token or an admin (test/http-hardening.e2e-spec.ts covers the refusals).
    const response = await fetch(`${suite.stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${currentTestEnvironment().adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^clearance_transitions_total\{event="SUBMIT"\} [1-9]\d*$/m);
    expect(text).toMatch(/^clearance_transitions_total\{event="INTAKE_PASSED"\} [1-9]\d*$/m);
    expect(text).toMatch(/^clearance_outbox_backlog \d+$/m);
    expect(text).toMatch(/^clearance_reports_backlog 0$/m);
    expect(text).toMatch(/^clearance_jobs_failed\{queue="intake"\} \d+$/m);
    expect(text).toMatch(/^clearance_http_requests_total\{method="POST",route="\/v1\/cases\/:id\/events",status="200"\} \d+$/m);
  });

  it('opens the BullMQ dashboard to the admin only, by bearer or Basic password', async () => {
    const admin = currentTestEnvironment().adminToken;
    const anonymous = await fetch(`${suite.stack.baseUrl}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(`${suite.stack.baseUrl}/admin/queues`, { headers: { authorization: `Bearer ${suite.world.regulator.token}` } })).status).toBe(403);
    const bearer = await fetch(`${suite.stack.baseUrl}/admin/queues`, { headers: { authorization: `Bearer ${admin}` } });
    expect(bearer.status).toBe(200);
    expect(await bearer.text()).toContain('<html');
    const basic = Buffer.from(`admin:${admin}`).toString('base64');
    const api = await fetch(`${suite.stack.baseUrl}/admin/queues/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['deadlines', 'intake', 'lineage', 'notifications', 'registry']);
  });
});

describe('observability: on a large database, transitions are counted by a read summary', () => {
  // Every database counts as large here; a summary is refreshed no sooner than an hour after it was computed.
  const suite = useSuite({ worker: false, env: { SUMMARY_MIN_CASES: '0', SUMMARY_REFRESH_SECONDS: '3600' } });
  const submitted = async (): Promise<number> => {
    const response = await fetch(`${suite.stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${currentTestEnvironment().adminToken}` } });
    expect(response.status).toBe(200);
    return Number(/^clearance_transitions_total\{event="SUBMIT"\} (\d+)$/m.exec(await response.text())?.[1] ?? 0);
  };

  it('serves the stored count instead of reading the whole history at every scrape', async () => {
    await suite.driver.fireOk(suite.world.developer, await suite.driver.create(), 'SUBMIT');
    const first = await submitted();
    expect(first).toBeGreaterThan(0);
    await suite.driver.fireOk(suite.world.developer, await suite.driver.create(), 'SUBMIT');
    // The history holds one SUBMIT more; the scrape answers from the summary its first scrape stored.
    const db = suite.stack.api.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM case_events WHERE type = 'SUBMIT'`);
    expect(n).toBe(first + 1);
    expect(await submitted()).toBe(first);
    expect(await db.query(`SELECT key FROM read_summaries WHERE key = 'transitions-by-event'`)).toEqual([{ key: 'transitions-by-event' }]);
  });
});
