import { pbkdf2 } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHostResolver } from './host-resolver.util.js';

const A = 1;
const AAAA = 28;
const NOERROR = 0;
const SERVFAIL = 2;
const NXDOMAIN = 3;

type Zone = Record<string, { [A]?: string[]; [AAAA]?: string[]; rcode?: Partial<Record<typeof A | typeof AAAA, number>> }>;

const ZONE: Zone = {
  'public.example.test': { [A]: ['93.184.216.34'], [AAAA]: ['2606:4700::1111'] },
  'v4only.example.test': { [A]: ['8.8.8.8'] },
  'half.example.test': { [A]: ['8.8.8.8'], rcode: { [AAAA]: SERVFAIL } },
};

const ipv4Bytes = (address: string) => Buffer.from(address.split('.').map(Number));
const ipv6Bytes = (address: string) => {
  const [head = [], tail = []] = address.split('::').map((part) => (part ? part.split(':') : []));
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return Buffer.concat(groups.map((group) => Buffer.from(group.padStart(4, '0'), 'hex')));
};

/** A DNS server on 127.0.0.1 that answers ZONE over UDP, or, when silent, receives and never answers. */
const dnsServer = async (silent: boolean) => {
  const socket: Socket = createSocket('udp4');
  const asked: string[] = [];
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    for (let length = query[offset]!; length > 0; length = query[offset]!) {
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(offset + 1) as typeof A | typeof AAAA;
    asked.push(name);
    if (silent) return;
    const entry = ZONE[name];
    const rcode = entry ? (entry.rcode?.[type] ?? NOERROR) : NXDOMAIN;
    const addresses = rcode === NOERROR ? (entry?.[type] ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const question = query.subarray(12, offset + 5);
    const answers = addresses.map((address) => {
      const data = type === A ? ipv4Bytes(address) : ipv6Bytes(address);
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0); // the question's name
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4);
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(data.length, 10);
      return Buffer.concat([record, data]);
    });
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${socket.address().port}`, asked, close: () => new Promise<void>((resolve) => socket.close(resolve)) };
};

describe(createHostResolver.name, () => {
  let answering: Awaited<ReturnType<typeof dnsServer>>;
  let silent: Awaited<ReturnType<typeof dnsServer>>;
  beforeAll(async () => {
    [answering, silent] = await Promise.all([dnsServer(false), dnsServer(true)]);
  });
  afterAll(() => Promise.all([answering.close(), silent.close()]));

  const resolve = (host: string, server = answering.server, signal = new AbortController().signal) => createHostResolver([server])(host, signal);

  it('answers the addresses of both families', async () => {
    await expect(resolve('public.example.test')).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
  });

  it('answers one family when the other has no address', async () => {
    await expect(resolve('v4only.example.test')).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });

  it('fails a name that does not exist', async () => {
    await expect(resolve('missing.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('fails when one family fails: an address could hide in the half not seen', async () => {
    await expect(resolve('half.example.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('answers localhost and the names under it with the loopback addresses, without asking DNS', async () => {
    const before = answering.asked.length;
    for (const host of ['localhost', 'hooks.localhost'])
      await expect(resolve(host)).resolves.toEqual([
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
    expect(answering.asked.length).toBe(before);
  });

  it('cancels a lookup whose server never answers as soon as its signal aborts, holding no thread meanwhile', async () => {
    const deadline = new AbortController();
    const started = performance.now();
    // More hanging lookups than libuv has threads (4): getaddrinfo would take every one of them.
    const hanging = Array.from({ length: 8 }, (_, i) => resolve(`slow-${i}.example.test`, silent.server, deadline.signal).catch((error: NodeJS.ErrnoException) => error));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(silent.asked.length).toBeGreaterThanOrEqual(8);
    // Work that needs the thread pool goes on meanwhile.
    await Promise.all(Array.from({ length: 4 }, () => promisify(pbkdf2)('secret', 'salt', 1, 32, 'sha256')));
    expect(performance.now() - started).toBeLessThan(1000);
    deadline.abort();
    const outcomes = await Promise.all(hanging);
    expect(outcomes.map((outcome) => (outcome as NodeJS.ErrnoException).code)).toEqual(Array(8).fill('ECANCELLED'));
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('fails at once when its signal has already aborted', async () => {
    const before = silent.asked.length;
    await expect(resolve('late.example.test', silent.server, AbortSignal.abort())).rejects.toThrow();
    expect(silent.asked.length).toBe(before);
  });
});
