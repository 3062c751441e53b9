import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { parseConfig } from '@app/config';
import type { WebhookRepository } from '@app/persistence';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookTargetService, type HostResolver } from './webhook-target.service.js';

// Names that the system resolver does not know: only the test's resolver can answer them.
const DNS: Record<string, LookupAddress[]> = {
  'hooks.example.test': [{ address: '127.0.0.1', family: 4 }],
  'mixed.example.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
};

describe(WebhookDeliveryService.name, () => {
  let server: Server;
  let port: number;
  const received: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const setup = (url: string, allowPrivate: boolean) => {
    const config = parseConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: String(allowPrivate), WEBHOOK_TIMEOUT_MS: '2000' });
    const delivery = {
      id: 'delivery-1',
      status: 'pending',
      attempts: 0,
      webhookDeleted: false,
      url,
      secret: 'whsec_dGVzdA==',
      payload: { type: 'case.event' },
    };
    const webhooks = {
      findForDelivery: jest.fn(async () => delivery),
      recordAttempt: jest.fn(async (_id: string, _outcome: unknown) => undefined),
    };
    const resolver: HostResolver = async (host) => DNS[host] ?? [];
    const sut = new WebhookDeliveryService(config, webhooks as unknown as WebhookRepository, new WebhookTargetService(config, resolver));
    return { sut, webhooks };
  };

  it('delivers to a host name through the addresses it was checked at', async () => {
    const { sut, webhooks } = setup(`http://hooks.example.test:${port}/hooks`, true);
    await expect(sut.attempt('delivery-1')).resolves.toBe('delivered');
    expect(received).toEqual([expect.objectContaining({ host: `hooks.example.test:${port}`, 'webhook-id': 'delivery-1' })]);
    expect(webhooks.recordAttempt).toHaveBeenCalledWith('delivery-1', { status: 'delivered', httpStatus: 204, error: null });
  });

  it.each([
    ['an IPv4-mapped loopback literal', 'http://[::ffff:127.0.0.1]:PORT/hooks'],
    ['an IPv4-compatible loopback literal', 'http://[::127.0.0.1]:PORT/hooks'],
    ['the unspecified address', 'http://[::]:PORT/hooks'],
    ['a decimal loopback', 'http://2130706433:PORT/hooks'],
    ['a host name with one private address', 'http://mixed.example.test:PORT/hooks'],
  ])('refuses %s at delivery, without connecting, and keeps a dead letter', async (_what, url) => {
    const { sut, webhooks } = setup(url.replace('PORT', String(port)), false);
    await expect(sut.attempt('delivery-1')).resolves.toBe('dead');
    expect(received).toEqual([]);
    expect(webhooks.recordAttempt).toHaveBeenCalledWith('delivery-1', {
      status: 'dead',
      httpStatus: null,
      error: expect.stringContaining('not globally routable'),
    });
  });
});
