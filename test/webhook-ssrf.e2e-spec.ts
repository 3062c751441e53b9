import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { generateWebhookSecret } from '@app/notifications';
import { WebhookRepository } from '@app/persistence';
import { expectProblem, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/** Ways of writing a loopback, link-local, private or unspecified address that a URL lets through, and a name for one. */
const REFUSED_FORMS = [
  'http://[::ffff:127.0.0.1]:PORT/x', // IPv4-mapped loopback
  'http://[::ffff:169.254.169.254]:PORT/x', // IPv4-mapped cloud metadata
  'http://[::ffff:0a00:0001]:PORT/x', // IPv4-mapped 10.0.0.1, in hex
  'http://[::127.0.0.1]:PORT/x', // IPv4-compatible loopback
  'http://[64:ff9b::7f00:1]:PORT/x', // NAT64 of 127.0.0.1
  'http://[2002:7f00:1::]:PORT/x', // 6to4 of 127.0.0.1
  'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:PORT/x', // Teredo, client 127.0.0.1 (public server 65.54.227.120)
  'http://[::]:PORT/x',
  'http://0.0.0.0:PORT/x',
  'http://2130706433:PORT/x', // 127.0.0.1 in decimal
  'http://0x7f.1:PORT/x', // 127.0.0.1 in hex, two parts
  'http://017700000001:PORT/x', // 127.0.0.1 in octal
  'http://localhost:PORT/x', // RFC 6761: loopback, without asking DNS
  'http://hooks.localhost:PORT/x', // and every name under it
];

/** The same forms carrying public addresses: the judgement is on the carried address, not the form. */
const ACCEPTED_FORMS = [
  'http://8.8.8.8/x',
  'http://[2606:4700::1111]/x',
  'http://[::ffff:8.8.8.8]/x',
  'http://[64:ff9b::808:808]/x',
  'http://[2002:808:808::1]/x',
];

const withPort = (form: string, port: number) => form.replace('PORT', String(port));

/** A listener on 127.0.0.1 that records whatever reaches it. */
const listener = async () => {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, received, close: () => new Promise((resolve) => server.close(resolve)) };
};

describe('webhook targets at registration', () => {
  const suite = useSuite({ worker: false });

  it.each(REFUSED_FORMS.map((form) => withPort(form, 18080)))('refuses %s', async (url) => {
    const response = await suite.world.developer.http.post('/v1/webhooks', { url });
    expect(response.status).toBe(400);
    expect(expectProblem(response, 400).errors).toEqual([{ path: '$.url', message: expect.stringContaining('not globally routable') }]);
  });

  it.each(ACCEPTED_FORMS)('accepts %s, which carries a public address', async (url) => {
    const created = expectOk(await suite.world.developer.http.post('/v1/webhooks', { url }));
    expect(created).toMatchObject({ id: expect.any(String), url });
  });
});

describe('webhook targets at delivery', () => {
  const suite = useSuite({ env: { WEBHOOK_MAX_ATTEMPTS: '2', WEBHOOK_BACKOFF_MS: '50', WEBHOOK_TIMEOUT_MS: '1000' } });
  let sink: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    sink = await listener();
  });
  afterAll(async () => sink?.close());

  it('refuses a stored target on a private address without connecting to it', async () => {
    // Rows written directly, as if registered while private targets were allowed.
    const webhooks = suite.stack.api.get(WebhookRepository);
    const developer = suite.world.developer;
    const hooks = await Promise.all(
      REFUSED_FORMS.map((form) =>
        suite.stack.api.get(DataSource).transaction((db) =>
          webhooks.createWithinLimit(
            { organisationId: developer.organisationId, createdBy: developer.id, url: withPort(form, sink.port), events: ['SUBMIT'], secret: generateWebhookSecret() },
            // Far above the product's bound: these rows stand for registrations made before it.
            1_000,
            db,
          ),
        ),
      ),
    );
    const ids = new Set(hooks.map((hook) => hook!.id));

    const caseId = await suite.driver.create();
    await suite.driver.submitThroughIntake(caseId);
    const settled = await waitFor(
      async () => {
        const page = expectOk(await suite.world.admin.get('/v1/admin/webhook-deliveries?limit=200'));
        return (page.items as Array<{ webhookId: string; caseId: string; status: string }>).filter(
          (d) => ids.has(d.webhookId) && d.caseId === caseId && d.status !== 'pending',
        );
      },
      (found) => found.length === hooks.length,
      { what: 'every delivery to a private target to settle', timeoutMs: 20_000 },
    );
    expect(sink.received).toEqual([]);
    for (const letter of settled)
      expect(letter).toMatchObject({ status: 'dead', attempts: 1, lastStatus: null, lastError: expect.stringContaining('not globally routable') });
  });
});

describe('webhook delivery to a host name', () => {
  const suite = useSuite({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_MAX_ATTEMPTS: '2', WEBHOOK_BACKOFF_MS: '50' } });
  let sink: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    sink = await listener();
  });
  afterAll(async () => sink?.close());

  it('resolves the name, checks its addresses and connects to one of them', async () => {
    const url = `http://localhost:${sink.port}/hooks`;
    expectOk(await suite.world.developer.http.post('/v1/webhooks', { url, events: ['SUBMIT'] }));
    const caseId = await suite.driver.create();
    await suite.driver.submitThroughIntake(caseId);
    const [delivery] = await waitFor(
      async () => sink.received.filter((r) => r.body.includes(caseId)),
      (found) => found.length > 0,
      { what: 'a delivery to localhost' },
    );
    expect(delivery!.headers.host).toBe(`localhost:${sink.port}`);
    expect(JSON.parse(delivery!.body).data).toMatchObject({ caseId, event: 'SUBMIT' });
  });
});
