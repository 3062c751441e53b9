/**
 * Read latency at scale: every queue, the case list with each filter (as regulator, developer
 * and auditor), `/v1/stats` and the regulator dashboard's requests, one at a time (so the figure
 * is the request's own latency, not queueing), against a database filled by `npm run seed:scale`.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/clearance_scale npm run bench:scale -- --tokens=seed-scale-tokens.json
 *
 * Starts one api child process on that database (migrating it first) with its own Redis prefix;
 * prints p50, p99 and max per request and flags those over the target (--target-ms, default 20).
 * Options: --requests (samples per request, default 200), --warmup (default 20), --tokens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from '@app/migrations';
import { migrateDatabase } from '@app/persistence';
import { assertLoopback, option } from './support/options.js';
import { Samples, fmt } from './support/stats.js';
import { machineBusyMs } from './support/cpu.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const settings = {
  databaseUrl: process.env.DATABASE_URL ?? '',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  tokens: option('tokens', 'BENCH_TOKENS', 'seed-scale-tokens.json'),
  requests: Number(option('requests', 'BENCH_REQUESTS', '200')),
  warmup: Number(option('warmup', 'BENCH_WARMUP', '20')),
  targetMs: Number(option('target-ms', 'BENCH_TARGET_MS', '20')),
  only: option('only', 'BENCH_ONLY', ''),
};

interface SeededUser {
  id: string;
  role: string;
  organisationId: string;
  token: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const get = (port: number, path: string, token: string): Promise<{ status: number; body: string; ms: number }> =>
  new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.get({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });

const freePort = async (): Promise<number> => {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
};

const startApi = async (port: number): Promise<ChildProcess> => {
  const child = spawn(process.execPath, [`${DIST}apps/api/src/main.js`], {
    env: {
      ...process.env,
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      REDIS_PREFIX: `clearance-bench-scale-${randomBytes(4).toString('hex')}`,
      ADMIN_TOKEN: `bench-admin-${randomBytes(16).toString('hex')}`,
      LOG_LEVEL: 'warn',
      PORT: String(port),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    if (child.exitCode !== null) throw new Error('the api exited before answering /health');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the api did not answer /health within 60 s');
};

const main = async () => {
  if (!settings.databaseUrl) throw new Error('DATABASE_URL names the seeded database');
  assertLoopback(settings.databaseUrl, settings.redisUrl);
  const users = (JSON.parse(readFileSync(settings.tokens, 'utf8')) as { users: SeededUser[] }).users;
  const regulator = users.find((u) => u.role === 'regulator')!;
  const developer = users.find((u) => u.role === 'developer')!;
  const auditor = users.find((u) => u.role === 'auditor')!;
  await migrateDatabase(settings.databaseUrl, MIGRATIONS);
  const port = await freePort();
  const api = await startApi(port);
  try {
    const day = 86_400_000;
    const since = (days: number) => encodeURIComponent(new Date(Date.now() - days * day).toISOString());
    const queues = JSON.parse((await get(port, '/v1/queues', regulator.token)).body) as Array<{ name: string; count: number }>;
    // A second page: the keyset must hold past the first one.
    const firstPage = JSON.parse((await get(port, '/v1/queues/in_audit?limit=50', regulator.token)).body) as { nextCursor: string | null };
    const requests: Array<[string, string, string]> = [
      // The floor on this machine now: authentication and one indexed read, whatever the database's size.
      ['baseline: GET /v1/me', '/v1/me', regulator.token],
      ['dashboard: queues', '/v1/queues', regulator.token],
      ['dashboard: stats (all time)', '/v1/stats', regulator.token],
      ...[7, 30, 90].map((d): [string, string, string] => [`dashboard: stats (last ${d} days)`, `/v1/stats?from=${since(d)}`, regulator.token]),
      ...queues.map((q): [string, string, string] => [`queue ${q.name} (${q.count})`, `/v1/queues/${q.name}`, regulator.token]),
      ['queue in_audit, page 2', `/v1/queues/in_audit?cursor=${encodeURIComponent(firstPage.nextCursor ?? '')}`, regulator.token],
      // The dashboard's queue page asks for 200 rows at a time.
      ['dashboard: queue in_audit, 200 rows', '/v1/queues/in_audit?limit=200', regulator.token],
      ['dashboard: queue overdue, 200 rows', '/v1/queues/overdue?limit=200', regulator.token],
      ['cases (regulator)', '/v1/cases', regulator.token],
      ['cases ?state=in_audit', '/v1/cases?state=in_audit', regulator.token],
      ['cases ?state=released', '/v1/cases?state=released', regulator.token],
      ['cases ?tier=critical', '/v1/cases?tier=critical', regulator.token],
      ['cases ?developerOrganisationId', `/v1/cases?developerOrganisationId=${developer.organisationId}`, regulator.token],
      ['cases ?overdue=true', '/v1/cases?overdue=true', regulator.token],
      ['cases ?overdue=false', '/v1/cases?overdue=false', regulator.token],
      ['cases ?sort=deadline', '/v1/cases?sort=deadline', regulator.token],
      ['cases ?state=in_audit&sort=deadline', '/v1/cases?state=in_audit&sort=deadline', regulator.token],
      ['cases ?tier=high&overdue=true', '/v1/cases?tier=high&overdue=true', regulator.token],
      ['cases (developer)', '/v1/cases', developer.token],
      ['cases (developer) ?state=draft', '/v1/cases?state=draft', developer.token],
      ['cases (developer) ?sort=deadline', '/v1/cases?sort=deadline', developer.token],
      ['cases (auditor)', '/v1/cases', auditor.token],
      ['cases (auditor) ?state=in_audit', '/v1/cases?state=in_audit', auditor.token],
      ['cases (auditor) ?sort=deadline', '/v1/cases?sort=deadline', auditor.token],
      ['cases (auditor) ?overdue=true', '/v1/cases?overdue=true', auditor.token],
    ];
    const selected = settings.only ? requests.filter(([name]) => name.includes(settings.only)) : requests;
    const cpuStart = machineBusyMs();
    const wallStart = Date.now();
    const rows: string[] = [];
    let over = 0;
    process.stdout.write(`bench:scale: ${selected.length} requests × ${settings.requests} (after ${settings.warmup} warm-up), one at a time\n`);
    for (const [name, path, token] of selected) {
      const samples = new Samples();
      for (let i = 0; i < settings.warmup + settings.requests; i++) {
        const { status, body, ms } = await get(port, path, token);
        if (status !== 200) throw new Error(`${name}: ${status} ${body.slice(0, 300)}`);
        if (i >= settings.warmup) samples.add(ms);
      }
      const p99 = samples.percentile(99);
      if (p99 > settings.targetMs) over++;
      const line = `${name.padEnd(44)} p50 ${fmt(samples.percentile(50)).padStart(7)}  p99 ${fmt(p99).padStart(7)}  max ${fmt(samples.max()).padStart(7)} ms${p99 > settings.targetMs ? '  OVER' : ''}`;
      rows.push(line);
      process.stdout.write(`${line}\n`);
    }
    const wallMs = Date.now() - wallStart;
    const busy = (100 * (machineBusyMs() - cpuStart)) / (wallMs * os.cpus().length);
    process.stdout.write(`bench:scale: ${over} of ${selected.length} over ${settings.targetMs} ms at p99; machine busy ${busy.toFixed(0)} % of ${os.cpus().length} cores (this bench and the api included)\n`);
  } finally {
    api.kill('SIGTERM');
    await once(api, 'exit');
    agent.destroy();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench:scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
