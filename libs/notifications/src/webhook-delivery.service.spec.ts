import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { parseConfig } from '@app/config';
import type { WebhookRepository } from '@app/persistence';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import type { HostResolver } from './host-resolver.util.js';
import { WebhookTargetService } from './webhook-target.service.js';

// Names that the system resolver does not know: only the test's resolver can answer them.
const NEVER_ANSWERS = 'silent.example.test';
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

  const setup = (url: string, allowPrivate: boolean, timeoutMs = 2000) => {
    const config = parseConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: String(allowPrivate), WEBHOOK_TIMEOUT_MS: String(timeoutMs) });
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
    const resolver: HostResolver = (host) => (host === NEVER_ANSWERS ? new Promise(() => undefined) : Promise.resolve(DNS[host] ?? []));
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

  it('ends the attempt within WEBHOOK_TIMEOUT_MS when the host name never resolves, and retries it', async () => {
    const { sut, webhooks } = setup(`http://${NEVER_ANSWERS}:${port}/hooks`, true, 500);
    const started = Date.now();
    await expect(sut.attempt('delivery-1')).resolves.toBe('retry');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(webhooks.recordAttempt).toHaveBeenCalledWith('delivery-1', { status: 'pending', httpStatus: null, error: `${NEVER_ANSWERS} did not resolve within 500 ms` });
    expect(received).toEqual([]);
  });

  describe('a receiver that never finishes answering', () => {
    // Each writes a byte every 50 ms, well inside a socket's idle timeout, for as long as it is let.
    let slow: Server;
    let slowPort: number;
    const trickle = (res: { write: (chunk: string) => boolean; destroyed: boolean }, text: string) => {
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(text[i % text.length]!);
        i++;
      }, 50);
    };
    beforeAll(async () => {
      slow = createServer((req, res) => {
        req.resume();
        const socket = res.socket!;
        if (req.url === '/headers') {
          // The status line and headers, one byte at a time, never ending.
          trickle({ write: (chunk) => socket.write(chunk), get destroyed() { return socket.destroyed; } }, 'HTTP/1.1 200 OK\r\nx-slow: ' + 'a'.repeat(10_000));
        } else if (req.url === '/body') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          trickle(res, 'still here ');
        } else {
          // An endless body as fast as the socket takes it, after a refusal.
          res.writeHead(500, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          const pump = () => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          pump();
        }
      });
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      slowPort = (slow.address() as { port: number }).port;
    });
    afterAll(() => {
      slow.closeAllConnections();
      return new Promise<void>((resolve) => slow.close(() => resolve()));
    });

    it.each([
      ['trickles its status line and headers', '/headers', 'retry', null, 'no answer within 500 ms'],
      ['answers 2xx and trickles its body', '/body', 'delivered', 200, null],
      ['answers 500 with an endless body', '/flood', 'retry', 500, 'HTTP 500'],
    ])('%s: the attempt ends within WEBHOOK_TIMEOUT_MS, so the receiver cannot hold a delivery slot', async (_what, path, outcome, httpStatus, error) => {
      const { sut, webhooks } = setup(`http://127.0.0.1:${slowPort}${path}`, true, 500);
      const started = Date.now();
      await expect(sut.attempt('delivery-1')).resolves.toBe(outcome);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(webhooks.recordAttempt).toHaveBeenCalledWith('delivery-1', { status: outcome === 'delivered' ? 'delivered' : 'pending', httpStatus, error });
    });
  });
});
