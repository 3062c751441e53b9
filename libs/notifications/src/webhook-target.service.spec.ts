import type { LookupAddress } from 'node:dns';
import { describe, expect, it, jest } from '@jest/globals';
import { parseConfig } from '@app/config';
import type { HostResolver } from './host-resolver.util.js';
import { WebhookTargetError, WebhookTargetService } from './webhook-target.service.js';

const DNS: Record<string, LookupAddress[]> = {
  'public.example.test': [
    { address: '2606:4700::1111', family: 6 },
    { address: '93.184.216.34', family: 4 },
  ],
  'mixed.example.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '::ffff:a9fe:a9fe', family: 6 },
  ],
  'private-last.example.test': [
    { address: '8.8.8.8', family: 4 },
    { address: '8.8.4.4', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ],
  'empty.example.test': [],
  'garbage.example.test': [{ address: 'not-an-ip', family: 4 }],
};

const setup = (allowPrivate = false) => {
  const resolver = jest.fn<HostResolver>(async (host) => DNS[host] ?? []);
  const sut = new WebhookTargetService(parseConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: String(allowPrivate) }), resolver);
  return { sut, resolver };
};

describe(WebhookTargetService.name, () => {
  it('returns every address of a host name that resolves only to public addresses', async () => {
    const { sut } = setup();
    await expect(sut.resolve(sut.parse('https://public.example.test/hooks'))).resolves.toEqual(DNS['public.example.test']);
  });

  it.each(['mixed.example.test', 'private-last.example.test'])('refuses %s, one of whose addresses is private', async (host) => {
    const { sut } = setup();
    const refused = sut.resolve(sut.parse(`https://${host}/hooks`));
    await expect(refused).rejects.toBeInstanceOf(WebhookTargetError);
    await expect(refused).rejects.toThrow(/resolves to .*, which is not globally routable/);
  });

  it('names the address and the IPv4 address it carries', async () => {
    const { sut } = setup();
    await expect(sut.resolve(sut.parse('https://mixed.example.test/'))).rejects.toThrow(
      'mixed.example.test resolves to ::ffff:a9fe:a9fe, which is not globally routable (it carries 169.254.169.254, linkLocal)',
    );
  });

  it.each([
    ['http://[::ffff:127.0.0.1]:18080/x', '::ffff:7f00:1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://[2002:7f00:1::]/', '2002:7f00:1::'],
  ])('judges the literal of %s as the URL parser reads it, without DNS', async (raw, literal) => {
    const { sut, resolver } = setup();
    await expect(sut.resolve(sut.parse(raw))).rejects.toThrow(`${literal} is not globally routable`);
    expect(resolver).not.toHaveBeenCalled();
  });

  it('allows private addresses only when the operator allows them', async () => {
    const { sut } = setup(true);
    await expect(sut.resolve(sut.parse('https://mixed.example.test/'))).resolves.toHaveLength(2);
    await expect(sut.resolve(sut.parse('http://[::ffff:127.0.0.1]/'))).resolves.toEqual([{ address: '::ffff:7f00:1', family: 6 }]);
  });

  it('refuses a host that does not resolve, or resolves to something that is not an address', async () => {
    const { sut } = setup(true);
    await expect(sut.resolve(sut.parse('https://empty.example.test/'))).rejects.toThrow('does not resolve');
    await expect(sut.resolve(sut.parse('https://garbage.example.test/'))).rejects.toThrow('not an IP address');
  });

  it('fails a name that does not resolve within WEBHOOK_TIMEOUT_MS, and tells the resolver to stop', async () => {
    let signal: AbortSignal | undefined;
    const sut = new WebhookTargetService(parseConfig({ WEBHOOK_TIMEOUT_MS: '300' }), (_host, given) => {
      signal = given;
      return new Promise(() => undefined);
    });
    const started = performance.now();
    await expect(sut.resolve(sut.parse('https://silent.example.test/'))).rejects.toThrow('silent.example.test did not resolve within 300 ms');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
  });

  it.each(['not a url', 'ftp://example.org/x', 'https://user:pw@example.org/'])('refuses to parse %s', (raw) => {
    const { sut } = setup();
    expect(() => sut.parse(raw)).toThrow(WebhookTargetError);
  });
});
