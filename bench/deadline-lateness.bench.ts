/**
 * Deadline lateness: how long after its due time each deadline fires (Postgres clock, due to
 * fired), over many deadlines coming due together, against a real api and worker.
 *
 *   npm run bench:deadlines                       200 cases, assignment deadlines of 10 s
 *   npm run bench:deadlines -- --cases=500 --due-s=15
 *
 * Each case is submitted and passes intake, which opens its assignment deadline; nobody assigns
 * an auditor, so every deadline escalates. Lateness = deadlines.fired_at − deadlines.due_at.
 * Options (flag or environment): --cases / BENCH_CASES, --due-s / BENCH_DUE_S,
 * --relay-ms / BENCH_RELAY_INTERVAL_MS (product default 1000; the relay is woken by NOTIFY), BENCH_DATABASE_BASE_URL, BENCH_REDIS_URL (loopback only).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { MetricsRepository, createDataSource } from '@app/persistence';
import { HttpClient, expectOk, lowTierAssessment, nodeHttpTransport, sha256Of } from '@app/testing';
import { DeadlineKinds } from '@app/workflow';
import { assertLoopback, option } from './support/options.js';
import { BenchStack } from './support/stack.js';
import { seedCasts } from './support/world.js';

const settings = {
  cases: Number(option('cases', 'BENCH_CASES', '200')),
  dueS: Number(option('due-s', 'BENCH_DUE_S', '10')),
  relayMs: Number(option('relay-ms', 'BENCH_RELAY_INTERVAL_MS', '1000')),
  databaseBaseUrl: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};
const CONCURRENCY = 16;

const main = async (): Promise<void> => {
  assertLoopback(settings.databaseBaseUrl, settings.redisUrl);
  if (!(Number.isInteger(settings.cases) && settings.cases >= 1 && settings.cases <= 5000)) throw new Error('--cases must be 1 to 5000');
  if (!(settings.dueS >= 1 && settings.dueS <= 600)) throw new Error('--due-s must be 1 to 600');
  const stack = new BenchStack({
    databaseBaseUrl: settings.databaseBaseUrl,
    redisUrl: settings.redisUrl,
    relayIntervalMs: settings.relayMs,
    apiNodeFlags: [],
    workerNodeFlags: [],
  });
  const onSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
  try {
    await stack.start();
    const admin = new HttpClient(`http://127.0.0.1:${stack.port}`, stack.adminToken, nodeHttpTransport(agent));
    const [cast] = await seedCasts(admin, 1);
    const base = expectOk(await cast!.developer.http.get('/v1/policy-packs/caip-2025/versions/1'));
    const packId = `lateness-${randomUUID().slice(0, 8)}`;
    expectOk(
      await admin.post('/v1/admin/policy-packs', {
        ...base,
        id: packId,
        version: '1',
        title: 'deadline lateness bench',
        deadlines: { ...base.deadlines, assignment: `PT${settings.dueS}S` },
      }),
    );
    const developer = new HttpClient(`http://127.0.0.1:${stack.port}`, cast!.developer.token, nodeHttpTransport(agent));
    console.log(`bench: submitting ${settings.cases} cases whose assignment deadlines fall due ${settings.dueS} s after intake`);
    let next = 0;
    const submitOne = async () => {
      while (next < settings.cases) {
        next++;
        const created = expectOk(
          await developer.post('/v1/cases', {
            model: { name: `late-${randomUUID().slice(0, 8)}`, version: '1', checkpointSha256: sha256Of('weights') },
            policyPack: `${packId}@1`,
          }),
        );
        expectOk(await developer.put(`/v1/cases/${created.id}/assessment`, lowTierAssessment()));
        expectOk(await developer.post(`/v1/cases/${created.id}/events`, { type: 'SUBMIT' }));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, submitOne));

    const db = await createDataSource(stack.databaseUrl, [], 1).initialize();
    const metrics = new MetricsRepository(db);
    try {
      const deadline = Date.now() + (settings.dueS + 120) * 1000;
      for (;;) {
        const progress = await metrics.deadlineProgress(DeadlineKinds.assignment);
        if (progress.open === settings.cases && progress.fired === settings.cases) break;
        if (Date.now() > deadline) throw new Error(`only ${progress.fired} of ${settings.cases} deadlines fired in time`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const r = await metrics.deadlineLateness({ kind: DeadlineKinds.assignment });
      const ms = (seconds: number | null) => (Number(seconds) * 1000).toFixed(1);
      console.log('\n| deadlines | early | p50 ms | p99 ms | max ms | min ms |');
      console.log('|---|---|---|---|---|---|');
      console.log(`| ${r.count} | ${r.early} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.min)} |`);
      if (r.early > 0) process.exitCode = 1;
    } finally {
      await db.destroy();
    }
  } finally {
    agent.destroy();
    await stack.stop();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
