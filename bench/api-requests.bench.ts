/**
 * The api's CPU per request, by kind, for a fixed number of requests: unlike the lifecycle
 * bench's CPU per transition, it does not move with latency (a slower run polls more per
 * transition). Runs the same stack as the lifecycle bench (an api and a worker as children).
 *
 *   node dist/bench/api-requests.bench.js --requests=200 --rounds=5 --clients=4
 *
 * Each kind runs `rounds` times; the least CPU per request of its rounds is the figure to
 * compare (other load on a shared machine only ever adds CPU time), the median beside it.
 * Phases, each over the same cases: create (POST /v1/cases), assessment (PUT), read
 * (GET /v1/cases/:id, what the lifecycle's polls send), SUBMIT (POST …/events), unknown
 * (GET of a case id that does not exist: 404 problem+json).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { HttpClient, lowTierAssessment, nodeHttpTransport, sha256Of, type HttpResponse } from '@app/testing';
import { cpuDelta } from './support/cpu.js';
import { assertLoopback, option } from './support/options.js';
import { BenchStack } from './support/stack.js';
import { onApi, seedCasts } from './support/world.js';

const settings = {
  requests: Number(option('requests', 'BENCH_REQUESTS', '200')),
  rounds: Number(option('rounds', 'BENCH_ROUNDS', '5')),
  clients: Number(option('clients', 'BENCH_CLIENTS', '4')),
  apiFlags: option('api-flags', 'BENCH_API_NODE_FLAGS', '').split(' ').filter(Boolean),
  databaseBaseUrl: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** Sends `count` requests, `clients` at a time; each must answer `status`. */
const drive = async (count: number, clients: number, send: (i: number) => Promise<HttpResponse<unknown>>, status: number): Promise<void> => {
  let next = 0;
  const client = async () => {
    for (let i = next++; i < count; i = next++) {
      const response = await send(i);
      if (response.status !== status) throw new Error(`request ${i}: ${response.status} (wanted ${status}): ${JSON.stringify(response.body)}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
};

const main = async (): Promise<void> => {
  assertLoopback(settings.databaseBaseUrl, settings.redisUrl);
  if (!(settings.requests >= 10 && settings.requests <= 100_000)) throw new Error('--requests must be 10 to 100000');
  if (!(settings.clients >= 1 && settings.clients <= 64)) throw new Error('--clients must be 1 to 64');
  if (!(settings.rounds >= 1 && settings.rounds <= 100)) throw new Error('--rounds must be 1 to 100');
  const stack = new BenchStack({
    databaseBaseUrl: settings.databaseBaseUrl,
    redisUrl: settings.redisUrl,
    relayIntervalMs: 1000,
    apiNodeFlags: settings.apiFlags,
    workerNodeFlags: [],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.clients + 4 });
  try {
    await stack.start();
    const transport = nodeHttpTransport(agent);
    const admin = new HttpClient(`http://127.0.0.1:${stack.port}`, stack.adminToken, transport);
    const [cast] = await seedCasts(admin, 1);
    const developer = onApi(cast!, `http://127.0.0.1:${stack.port}`, transport).developer.http;
    const n = settings.requests;
    const ids: string[] = [];
    const phases: Array<[string, (i: number) => Promise<HttpResponse<unknown>>, number]> = [
      ['create', async (i) => {
        const created = await developer.post('/v1/cases', { model: { name: `bench-${randomUUID()}`, version: '1.0', checkpointSha256: sha256Of('w') } });
        ids[i] = (created.body as { id: string }).id;
        return created;
      }, 201],
      ['assessment', (i) => developer.put(`/v1/cases/${ids[i]}/assessment`, lowTierAssessment()), 200],
      ['read', (i) => developer.get(`/v1/cases/${ids[i]}`), 200],
      ['SUBMIT', (i) => developer.post(`/v1/cases/${ids[i]}/events`, { type: 'SUBMIT' }), 200],
      ['unknown', () => developer.get(`/v1/cases/${randomUUID()}`), 404],
    ];
    // A short warm-up of each kind, on cases of its own, so the JIT has seen every path.
    const warm = Math.min(50, n);
    for (const [, send, status] of phases) await drive(warm, settings.clients, send, status);
    ids.length = 0;
    const rows: Array<Record<string, string | number>> = [];
    for (const [kind, send, status] of phases) {
      const perRequest: number[] = [];
      const others: number[] = [];
      for (let round = 0; round < settings.rounds; round++) {
        const offset = round * n;
        const before = await stack.cpuSnapshot();
        const started = performance.now();
        await drive(n, settings.clients, (i) => send(offset + i), status);
        const elapsed = performance.now() - started;
        const used = cpuDelta(before, await stack.cpuSnapshot());
        perRequest.push(used.api! / n);
        others.push((100 * Math.max(0, used.machine! - used.api! - used.worker! - used.postgres! - used.bench!)) / (elapsed * cpus().length));
      }
      const sorted = [...perRequest].sort((a, b) => a - b);
      rows.push({
        kind,
        requests: `${settings.rounds} × ${n}`,
        'api CPU ms per request, least': sorted[0]!.toFixed(3),
        median: sorted[Math.floor(sorted.length / 2)]!.toFixed(3),
        'others %': `${Math.min(...others).toFixed(0)}–${Math.max(...others).toFixed(0)}`,
      });
    }
    console.table(rows);
  } finally {
    agent.destroy();
    await stack.stop();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
