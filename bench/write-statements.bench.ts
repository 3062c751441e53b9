/**
 * Statements per write, by kind: one client drives `--cases` lifecycles one request at a time
 * against the bench stack (api and worker as children) and reads the api's statement counter
 * after each request settles. Deterministic, unlike CPU or throughput on a shared machine.
 *
 *   npx nest build && node dist/bench/write-statements.bench.js --cases=3
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { HttpClient, lowTierAssessment, nodeHttpTransport, sha256Of, type HttpResponse } from '@app/testing';
import { assertLoopback, option } from './support/options.js';
import { BenchStack } from './support/stack.js';
import { seedCasts } from './support/world.js';

const CHECKPOINT_SHA256 = sha256Of('bench weights');
const cases = Number(option('cases', 'BENCH_CASES', '3'));
const databaseBaseUrl = process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The counter file is written every 200 ms. */
const SETTLE_MS = 450;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const main = async (): Promise<void> => {
  assertLoopback(databaseBaseUrl, redisUrl);
  const stack = new BenchStack({ databaseBaseUrl, redisUrl, relayIntervalMs: 1000, apiNodeFlags: option('api-flags', 'BENCH_API_NODE_FLAGS', '').split(' ').filter(Boolean), workerNodeFlags: [] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const counts = new Map<string, number[]>();
  try {
    await stack.start();
    const admin = new HttpClient(`http://127.0.0.1:${stack.port}`, stack.adminToken, nodeHttpTransport(agent));
    const [{ developer, auditor, regulator }] = await seedCasts(admin, 1);
    /** Sends one request and records the api's statements for it. */
    const counted = async (kind: string, send: () => Promise<HttpResponse<any>>): Promise<any> => {
      await sleep(SETTLE_MS);
      const before = stack.statementSnapshot().api;
      const response = await send();
      if (response.status >= 300) throw new Error(`${kind}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
      await sleep(SETTLE_MS);
      const list = counts.get(kind) ?? [];
      list.push(stack.statementSnapshot().api - before);
      counts.set(kind, list);
      return response.body;
    };
    for (let i = 0; i < cases; i++) {
      const created = await counted('create', () =>
        developer.http.post('/v1/cases', { model: { name: `bench-${randomUUID()}`, version: '1.0', checkpointSha256: CHECKPOINT_SHA256 } }),
      );
      const id: string = created.id;
      await counted('PUT assessment', () => developer.http.put(`/v1/cases/${id}/assessment`, lowTierAssessment()));
      await counted('SUBMIT', () => developer.http.post(`/v1/cases/${id}/events`, { type: 'SUBMIT' }));
      let view: any;
      for (;;) {
        await sleep(50);
        view = await counted('GET case', () => developer.http.get(`/v1/cases/${id}`));
        if (view.state === 'awaiting_assignment') break;
      }
      await counted('ASSIGN_AUDITOR', () => regulator.http.post(`/v1/cases/${id}/events`, { type: 'ASSIGN_AUDITOR', auditorId: auditor.id }));
      await counted('APPROVE', () =>
        auditor.http.post(`/v1/cases/${id}/events`, {
          type: 'APPROVE',
          revisionHash: view.revisionHash,
          opinion: 'unmodified',
          assurance: 'reasonable',
          conditions: [],
        }),
      );
      // Every other case releases with an Idempotency-Key: the keyed path keeps its transaction.
      const keyed = i % 2 === 1;
      await counted(keyed ? 'RECORD_RELEASE (keyed)' : 'RECORD_RELEASE', () =>
        developer.http.post(
          `/v1/cases/${id}/events`,
          {
            type: 'RECORD_RELEASE',
            components: [
              { component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: CHECKPOINT_SHA256 },
              { component: 'inference_code', release: 'open', location: 'https://example.org/code' },
            ],
          },
          keyed ? { 'Idempotency-Key': randomUUID() } : {},
        ),
      );
    }
    console.log('api statements per request (each run; the first case warms caches):');
    for (const [kind, list] of counts) console.log(`  ${kind.padEnd(28)} ${list.join(' ')}`);
  } finally {
    agent.destroy();
    await stack.stop();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`write-statements failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
