/**
 * Nest's HTTP adapters side by side: the server CPU per request of Express (what Clearance runs) and
 * Fastify for one app shape — a global guard reading the bearer header, ~60 routes with path
 * parameters, a JSON body in and a case-sized JSON view (~3 kB) out, half reads and half writes —
 * with no database, so what differs is the adapter alone.
 *
 * The Fastify adapter is not a dependency of Clearance: install it beside the build to run this,
 * without saving it:
 *
 *   npm i --no-save @nestjs/platform-fastify@12.5.0
 *   node bench/http-adapters.mjs [seconds=8] [clients=32] [rounds=3]
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

async function serve(adapterName, port) {
  const { Controller, Post, Get, Body, Param, Module, Injectable, HttpCode } = await import('@nestjs/common');
  const { NestFactory, APP_GUARD } = await import('@nestjs/core');
  const view = {
    id: '9b2f0c9e-8a55-4a44-9d7e-2b1e3c1f4a10',
    state: 'in_audit',
    version: 7,
    history: Array.from({ length: 12 }, (_, seq) => ({ seq, type: 'SUBMIT', at: new Date().toISOString(), actor: { id: 'x'.repeat(36), role: 'developer' }, hash: 'a'.repeat(64) })),
    assessment: { components: Array.from({ length: 8 }, (_, i) => ({ component: `c${i}`, release: 'open', notes: 'n'.repeat(60) })) },
  };
  // Plain JavaScript: decorators applied as functions.
  class Bearer {
    canActivate(context) {
      return (context.switchToHttp().getRequest().headers.authorization ?? '').startsWith('Bearer ');
    }
  }
  Injectable()(Bearer);
  class Cases {
    async event(id, body) {
      await new Promise((resolve) => setImmediate(resolve));
      return { ...view, id, lastEvent: body.type };
    }
    async get(id) {
      await new Promise((resolve) => setImmediate(resolve));
      return { ...view, id };
    }
    cpu() {
      return process.cpuUsage();
    }
  }
  const method = (name) => [Cases.prototype, name, Object.getOwnPropertyDescriptor(Cases.prototype, name)];
  Controller('v1')(Cases);
  Post('cases/:id/events')(...method('event'));
  HttpCode(200)(...method('event'));
  Param('id')(Cases.prototype, 'event', 0);
  Body()(Cases.prototype, 'event', 1);
  Get('cases/:id')(...method('get'));
  Param('id')(Cases.prototype, 'get', 0);
  Get('cpu')(...method('cpu'));
  for (let i = 0; i < 60; i++) {
    Cases.prototype[`other${i}`] = () => ({});
    Get(`other${i}/:id/items`)(...method(`other${i}`));
  }
  class AppModule {}
  Module({ controllers: [Cases], providers: [{ provide: APP_GUARD, useClass: Bearer }] })(AppModule);
  const adapter =
    adapterName === 'fastify'
      ? new (await import('@nestjs/platform-fastify')).FastifyAdapter({ bodyLimit: 1 << 20 })
      : new (await import('@nestjs/platform-express')).ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(port, '127.0.0.1');
  process.send('ready');
}

async function measure(adapterName, seconds, clients) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = fork(SELF, ['--serve', adapterName, String(port)]);
  await new Promise((resolve, reject) => server.once('message', resolve).once('exit', reject));
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  const body = JSON.stringify({ type: 'APPROVE', revisionHash: 'a'.repeat(64), opinion: 'unmodified', assurance: 'reasonable', conditions: [] });
  const load = async (ms) => {
    let requests = 0;
    const end = Date.now() + ms;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < end) {
          const response = requests % 2 ? await fetch(`${base}/v1/cases/c1/events`, { method: 'POST', headers, body }) : await fetch(`${base}/v1/cases/c1`, { headers });
          await response.arrayBuffer();
          requests++;
        }
      }),
    );
    return requests;
  };
  const cpu = async () => (await fetch(`${base}/v1/cpu`, { headers })).json();
  await load(3000);
  const before = await cpu();
  const requests = await load(seconds * 1000);
  const after = await cpu();
  server.kill();
  const cpuUs = after.user + after.system - before.user - before.system;
  return { adapter: adapterName, 'requests/s': Math.round(requests / seconds), 'server CPU µs per request': Math.round(cpuUs / requests) };
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], Number(process.argv[4]));
} else {
  const [seconds = 8, clients = 32, rounds = 3] = process.argv.slice(2).map(Number);
  const rows = [];
  for (let round = 0; round < rounds; round++) for (const adapter of ['express', 'fastify']) rows.push(await measure(adapter, seconds, clients));
  console.table(rows);
}
