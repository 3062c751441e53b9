import type { LookupAddress } from 'node:dns';
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pinnedLookup } from './pinned-lookup.util.js';

const ask = (lookup: ReturnType<typeof pinnedLookup>, options: Parameters<typeof lookup>[1]) =>
  new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
    lookup('hooks.example.test', options, (error, address, family) => resolve({ error, address, family })),
  );

describe(pinnedLookup.name, () => {
  const checked = [
    { address: '2606:4700::1111', family: 6 },
    { address: '93.184.216.34', family: 4 },
  ];
  const sut = pinnedLookup(checked);

  it('answers {all: true} with every checked address, as Node 20 expects', async () => {
    await expect(ask(sut, { all: true })).resolves.toEqual({ error: null, address: checked, family: undefined });
  });

  it('answers a single-address lookup with the first checked address', async () => {
    await expect(ask(sut, {})).resolves.toEqual({ error: null, address: '2606:4700::1111', family: 6 });
  });

  it('keeps to the family asked for, and fails when no checked address has it', async () => {
    await expect(ask(sut, { family: 4 })).resolves.toEqual({ error: null, address: '93.184.216.34', family: 4 });
    await expect(ask(sut, { family: 'IPv4', all: true })).resolves.toMatchObject({ address: [checked[1]] });
    const none = await ask(pinnedLookup([checked[1]!]), { family: 6 });
    expect(none.error?.code).toBe('ENOTFOUND');
  });

  describe('with http.request', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => res.writeHead(200, { 'x-host': req.headers.host ?? '' }).end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('connects a host name to the checked address on this Node', async () => {
      const response = await new Promise<{ status?: number; host: unknown }>((resolve, reject) => {
        const req = request(`http://hooks.example.test:${port}/`, { lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]) }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, host: res.headers['x-host'] }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(response).toEqual({ status: 200, host: `hooks.example.test:${port}` });
    });
  });
});
