import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { settlesWithin } from '@app/testing';
import { SlowReaders, type SlowReaderBounds } from './slow-readers.js';

const MiB = 1024 * 1024;
/** Far more than loopback's socket buffers take (a few MiB each way), so most of it stays queued in the process. */
const LARGE = 48 * MiB;

const BOUNDS: SlowReaderBounds = { graceMs: 300, bytesPerSecond: 32 * MiB, maxQueuedBytes: 1024 * MiB, checkEveryMs: 100 };

/** A server whose `/large` answers LARGE bytes, `/slow` answers after a while, and anything else a few bytes. */
const serve = async (bounds: SlowReaderBounds) => {
  const readers = new SlowReaders();
  const server: Server = createServer((request, response) => {
    if (request.url === '/large') return response.end(Buffer.alloc(LARGE, 120));
    if (request.url === '/slow') return void setTimeout(() => response.end('late'), 3 * bounds.graceMs);
    response.end('ok');
  });
  readers.watch(server, bounds);
  const closedOnServer: Array<Promise<void>> = [];
  server.on('connection', (socket: Socket) => closedOnServer.push(new Promise((resolve) => socket.once('close', () => resolve()))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { readers, server, port, closedOnServer };
};

/** A keep-alive client on a raw socket; `read: false` pauses it before any answer arrives, so it never reads. */
const client = async (port: number, { read }: { read: boolean }) => {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let received = 0;
  if (read) socket.on('data', (chunk: Buffer) => (received += chunk.length));
  else socket.pause();
  const ask = (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
  return { socket, ask, received: () => received };
};


describe(SlowReaders.name, () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const started = async (bounds = BOUNDS) => {
    const served = await serve(bounds);
    cleanup.push(() => new Promise((resolve) => served.server.close(resolve)));
    return served;
  };
  const connected = async (port: number, read: boolean) => {
    const made = await client(port, { read });
    cleanup.push(() => made.socket.destroy());
    return made;
  };

  it('closes a connection whose client does not read its answer, once the grace and the pace have run out', async () => {
    const { readers, port, closedOnServer } = await started();
    const idle = await connected(port, false);
    idle.ask('/large');
    await new Promise((resolve) => setTimeout(resolve, 2 * BOUNDS.checkEveryMs));
    expect(readers.queuedBytes).toBeGreaterThan(LARGE / 2);
    // 48 MiB at 32 MiB/s is 1.5 s, after 0.3 s of grace.
    const began = performance.now();
    expect(await settlesWithin(closedOnServer[0]!, 5000)).toBe(true);
    expect(performance.now() - began).toBeLessThan(3000);
    expect(readers.closed).toBe(1);
  });

  it('lets a client that reads at the pace take the whole answer', async () => {
    const { readers, port } = await started({ ...BOUNDS, bytesPerSecond: 4 * MiB });
    const reader = await connected(port, true);
    reader.ask('/large');
    const deadline = performance.now() + 10_000;
    while (reader.received() < LARGE && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reader.received()).toBeGreaterThan(LARGE);
    expect(readers.closed).toBe(0);
  });

  it('does not count a slow handler or an idle keep-alive connection against the client', async () => {
    const { readers, port, closedOnServer } = await started();
    const waiting = await connected(port, true);
    waiting.ask('/slow');
    const idle = await connected(port, true);
    idle.ask('/small');
    await new Promise((resolve) => setTimeout(resolve, 5 * BOUNDS.graceMs));
    expect(waiting.received()).toBeGreaterThan(0);
    expect(idle.received()).toBeGreaterThan(0);
    for (const closed of closedOnServer) expect(await settlesWithin(closed, 10)).toBe(false);
    expect(readers.closed).toBe(0);
  });

  it('past the bound on answers queued in all, closes the readers that have waited longest until the rest fit', async () => {
    // A pace no reader fails within the test: only the total bound can close them.
    const { readers, port, closedOnServer } = await started({ ...BOUNDS, graceMs: 60_000, maxQueuedBytes: 100 * MiB });
    for (let i = 0; i < 4; i++) {
      const idle = await connected(port, false);
      idle.ask('/large');
      // One check apart, so that their waits are ordered.
      await new Promise((resolve) => setTimeout(resolve, 2 * BOUNDS.checkEveryMs));
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * BOUNDS.checkEveryMs));
    const states = await Promise.all(closedOnServer.map((closed) => settlesWithin(closed, 10)));
    // Four of about 44 MiB each (48 less what the kernel took) fit 100 MiB only as two: the first two go.
    expect(states).toEqual([true, true, false, false]);
    expect(readers.closed).toBe(2);
    expect(readers.queuedBytes).toBeLessThanOrEqual(100 * MiB);
  });
});
