import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { generateWebhookSecret, verifyWebhook } from '@app/notifications';
import { WebhookRepository } from '@app/persistence';
import { waitFor, waitForOk, expectProblem } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver that answers `failWith` to the first `failures` requests. */
const receiver = async () => {
  const received: Received[] = [];
  const state = { failures: 0, failWith: 500 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (state.failures > 0) {
        state.failures--;
        res.writeHead(state.failWith).end();
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hooks`, received, state, close: () => new Promise((r) => server.close(r)) };
};

describe('notifications and webhooks', () => {
  let hook: Awaited<ReturnType<typeof receiver>>;

  const suite = useSuite({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' } });
  beforeAll(async () => {
    hook = await receiver();
  });
  afterAll(async () => hook?.close());

  it('notifies whoever must act next in their inbox, which they can mark read', async () => {
    const caseId = await suite.driver.create();
    await suite.driver.submitThroughIntake(caseId);
    const inbox = await waitForOk(
      () => suite.world.regulator.http.get('/v1/notifications'),
      (body) => body.items.some((n) => n.caseId === caseId),
      { what: 'a regulator notification' },
    );
    const notification = inbox.items.find((n) => n.caseId === caseId)!;
    expect(notification).toMatchObject({ eventType: 'INTAKE_PASSED', toState: 'awaiting_assignment', readAt: null });

    const read = expectOk(await suite.world.regulator.http.post(`/v1/notifications/${notification.id}/read`));
    expect(read.readAt).toEqual(expect.any(String));
    expect((await suite.world.developer.http.post(`/v1/notifications/${notification.id}/read`)).status).toBe(404);
    const unread = expectOk(await suite.world.regulator.http.get('/v1/notifications?unread=true'));
    expect(unread.items.map((n) => n.id)).not.toContain(notification.id);
  });

  it('delivers signed Standard Webhooks to the organisation’s endpoint', async () => {
    const created = expectOk(await suite.world.developer.http.post('/v1/webhooks', { url: hook.url }));
    expect(created.secret).toMatch(/^whsec_/);
    const listed = expectOk(await suite.world.developer.http.get('/v1/webhooks'));
    expect(listed.items).toEqual([expect.objectContaining({ id: created.id, url: hook.url })]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const caseId = await suite.driver.create();
    await suite.driver.submitThroughIntake(caseId);
    const deliveries = await waitFor(
      async () => hook.received.filter((r) => r.body.includes(caseId)),
      (found) => found.length >= 2,
      { what: 'two webhook deliveries' },
    );
    for (const delivery of deliveries) {
      const headers = {
        id: String(delivery.headers['webhook-id']),
        timestamp: String(delivery.headers['webhook-timestamp']),
        signature: String(delivery.headers['webhook-signature']),
      };
      expect(headers.signature).toMatch(/^v1,/);
      expect(verifyWebhook(created.secret, headers, delivery.body)).toBe(true);
      expect(verifyWebhook(created.secret, headers, `${delivery.body} `)).toBe(false);
    }
    const events = deliveries.map((d) => JSON.parse(d.body).data.event);
    expect(events).toEqual(expect.arrayContaining(['SUBMIT', 'INTAKE_PASSED']));
    expectOk(await suite.world.developer.http.delete(`/v1/webhooks/${created.id}`));
  });

  it('retries a failing endpoint, keeps a dead letter after the last attempt, and redelivers it on request', async () => {
    const created = expectOk(await suite.world.auditorB.http.post('/v1/webhooks', { url: hook.url, events: ['ASSIGN_AUDITOR'] }));
    hook.state.failures = 100;
    const caseId = await suite.driver.create();
    await suite.driver.submitThroughIntake(caseId);
    await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorB.id });

    const dead = await waitForOk(
      () => suite.world.admin.get('/v1/admin/webhook-deliveries?status=dead'),
      (body) => body.items.some((d) => d.webhookId === created.id),
      { what: 'a dead letter', timeoutMs: 15_000 },
    );
    const letter = dead.items.find((d) => d.webhookId === created.id)!;
    expect(letter).toMatchObject({ status: 'dead', attempts: 3, lastStatus: 500, eventType: 'ASSIGN_AUDITOR', target: hook.url });
    expect(letter).not.toHaveProperty('payload');
    expect(hook.received.filter((r) => r.body.includes(caseId))).toHaveLength(3);

    hook.state.failures = 0;
    expect((await suite.world.admin.post(`/v1/admin/webhook-deliveries/${letter.id}/redeliver`)).status).toBe(202);
    await waitForOk(
      () => suite.world.admin.get('/v1/admin/webhook-deliveries?status=delivered'),
      (body) => body.items.some((d) => d.id === letter.id),
      { what: 'the redelivery' },
    );
    expect((await suite.world.admin.post(`/v1/admin/webhook-deliveries/${letter.id}/redeliver`)).status).toBe(404);
  });
});

describe('webhook targets', () => {
  const suite = useSuite({ worker: false });

  it.each(['http://127.0.0.1:8080/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.8/x', 'ftp://example.org/x'])(
    'refuses %s unless private targets are allowed',
    async (url) => {
      const response = await suite.world.developer.http.post('/v1/webhooks', { url });
      expect(response.status).toBe(400);
      expect(expectProblem(response, 400).errors).toEqual([{ path: '$.url', message: expect.any(String) }]);
    },
  );

  it('keeps an organisation to 20 webhooks, counting concurrent registrations one at a time', async () => {
    const { auditorC, auditorB } = suite.world;
    // A public address, never called: this suite runs no worker.
    const url = 'https://93.184.215.14/hook';
    const register = () => auditorC.http.post('/v1/webhooks', { url, events: ['REVOKE'] });
    for (let n = 0; n < 15; n++) expectOk(await register());
    const racing = await Promise.all(Array.from({ length: 10 }, () => register()));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(5);
    for (const refused of racing.filter((r) => r.status !== 201)) {
      expect(expectProblem(refused, 409)).toMatchObject({
        type: '/problems/too-many-webhooks',
        detail: 'an organisation has at most 20 webhooks; delete one first',
      });
    }
    const listed = expectOk(await auditorC.http.get('/v1/webhooks')).items;
    expect(listed).toHaveLength(20);

    // A deleted webhook frees its place; another organisation has places of its own.
    expect((await auditorC.http.delete(`/v1/webhooks/${listed[0]!.id}`)).status).toBe(204);
    expectOk(await register());
    expectProblem(await register(), 409);
    expectOk(await auditorB.http.post('/v1/webhooks', { url, events: ['REVOKE'] }));
  });

  it('gives the last place to one of two registrations racing for it', async () => {
    const { auditorA } = suite.world;
    const url = 'https://93.184.215.14/hook';
    for (let n = 0; n < 19; n++) expectOk(await auditorA.http.post('/v1/webhooks', { url }));
    const webhooks = suite.stack.api.get(WebhookRepository);
    const dataSource = suite.stack.api.get(DataSource);
    const input = () => ({ organisationId: auditorA.organisationId, createdBy: auditorA.id, url, events: null, secret: generateWebhookSecret() });

    // The first takes the 20th place and holds its transaction open while the second counts.
    let commitFirst!: () => void;
    const held = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstTook!: () => void;
    const took = new Promise<void>((resolve) => (firstTook = resolve));
    const first = dataSource.transaction(async (db) => {
      const row = await webhooks.createWithinLimit(input(), 20, db);
      firstTook();
      await held;
      return row;
    });
    await took;
    const second = dataSource.transaction((db) => webhooks.createWithinLimit(input(), 20, db));
    await new Promise((resolve) => setTimeout(resolve, 200));
    commitFirst();
    expect(await first).not.toBeNull();
    expect(await second).toBeNull();
    expect(expectOk(await auditorA.http.get('/v1/webhooks')).items).toHaveLength(20);
  });

  it('is closed to admins', async () => {
    expect((await suite.world.admin.post('/v1/webhooks', { url: 'https://example.org/x' })).status).toBe(403);
  });
});
