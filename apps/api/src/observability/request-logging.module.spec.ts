import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { apiLogger, requestLogger } from './request-logging.module.js';

/** Serves one request through the request logger at `level`; answers the JSON lines written. */
const logOfOneRequest = async (level: 'info' | 'warn', answer: (log: { error(bindings: object, message: string): void }) => number) => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const middleware = requestLogger(apiLogger(level, destination));
  const server = createServer((request, response) =>
    middleware(request, response, () => {
      response.statusCode = answer((request as unknown as { log: { error(bindings: object, message: string): void } }).log);
      response.end('{}');
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const sent = httpRequest({ port, host: '127.0.0.1', path: '/v1/cases/abc?x=1', headers: { authorization: 'Bearer clr_secret', cookie: 'c=secret' } }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    sent.on('error', reject);
    sent.end();
  });
  server.close();
  await once(server, 'close');
  await new Promise((resolve) => setImmediate(resolve));
  return lines;
};

describe('request logging', () => {
  it('writes a line per request with its id, method, url, status and duration, and never a token', async () => {
    const lines = await logOfOneRequest('info', () => 201);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 30,
      service: 'api',
      msg: 'request completed',
      req: { id: expect.any(Number), method: 'GET', url: '/v1/cases/abc?x=1', remoteAddress: '127.0.0.1' },
      res: { statusCode: 201 },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('binds the request to a log made while answering (a 500), and writes no request line below info', async () => {
    const lines = await logOfOneRequest('warn', (log) => {
      log.error({ context: 'ProblemFilter' }, 'boom');
      return 500;
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, service: 'api', context: 'ProblemFilter', msg: 'boom', req: expect.objectContaining({ method: 'GET', url: '/v1/cases/abc?x=1' }) }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
