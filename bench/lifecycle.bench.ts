/**
 * Lifecycle benchmark: concurrent clients drive cases from creation to release over HTTP
 * against a real api and worker (child processes) on a private database and Redis prefix.
 *
 *   npm run bench                       phases of 8 and 32 clients, 20 s each
 *   npm run bench -- --duration=10 --clients=4,8,32 --warmup=3
 *
 * A transition is an accepted client write (case creation, assessment PUT, event);
 * the worker's intake and the client's polling for it are reported apart. Intake is given twice:
 * as the client sees it (SUBMIT answered → a poll sees awaiting_assignment, so it includes up to
 * one poll interval and a poll's own latency) and as the case's history records it (SUBMIT's `at`
 * → INTAKE_PASSED's `at`, both the Postgres clock when the step read the case).
 * Options (flag or environment): --duration / BENCH_DURATION_S, --clients / BENCH_CLIENTS,
 * --warmup / BENCH_WARMUP_S, --poll-ms / BENCH_POLL_MS, --relay-ms / BENCH_RELAY_INTERVAL_MS,
 * --api-flags / BENCH_API_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * --worker-flags / BENCH_WORKER_NODE_FLAGS (the same for the worker),
 * --pgbench-s / BENCH_PGBENCH_S (20; 0 skips the pgbench reference run),
 * --apis / BENCH_APIS and --workers / BENCH_WORKERS (processes of each, default 1; clients are
 * spread over the apis round-robin, so one against two processes can be compared),
 * BENCH_DATABASE_BASE_URL, BENCH_REDIS_URL (loopback only).
 */
import http from 'node:http';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { HttpClient, lowTierAssessment, nodeHttpTransport, sha256Of, type HttpResponse } from '@app/testing';
import { cpuDelta, type CpuSnapshot } from './support/cpu.js';
import { assertLoopback, option } from './support/options.js';
import { runPgbench, type PgbenchResult } from './support/pgbench.js';
import { BenchStack } from './support/stack.js';
import { Samples, fmt } from './support/stats.js';
import { onApi, seedCasts, type Cast } from './support/world.js';

const WRITE_KINDS = ['create', 'assessment', 'SUBMIT', 'ASSIGN_AUDITOR', 'APPROVE', 'RECORD_RELEASE'] as const;
type WriteKind = (typeof WRITE_KINDS)[number];
const INTAKE_TIMEOUT_MS = 30_000;
/** Any fixed SHA-256 will do: the bench releases the weights it declared. */
const CHECKPOINT_SHA256 = sha256Of('bench weights');


const settings = {
  durationS: Number(option('duration', 'BENCH_DURATION_S', '20')),
  warmupS: Number(option('warmup', 'BENCH_WARMUP_S', '5')),
  clients: option('clients', 'BENCH_CLIENTS', '8,32').split(',').map(Number),
  pollMs: Number(option('poll-ms', 'BENCH_POLL_MS', '20')),
  relayMs: Number(option('relay-ms', 'BENCH_RELAY_INTERVAL_MS', '1000')),
  /** pgbench's run before the lifecycle phases, for the ratio; 0 skips it. */
  pgbenchS: Number(option('pgbench-s', 'BENCH_PGBENCH_S', '20')),
  apiFlags: option('api-flags', 'BENCH_API_NODE_FLAGS', '').split(' ').filter(Boolean),
  workerFlags: option('worker-flags', 'BENCH_WORKER_NODE_FLAGS', '').split(' ').filter(Boolean),
  apis: Number(option('apis', 'BENCH_APIS', '1')),
  workers: Number(option('workers', 'BENCH_WORKERS', '1')),
  databaseBaseUrl: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

const checkSettings = (): void => {
  assertLoopback(settings.databaseBaseUrl, settings.redisUrl);
  if (!(settings.durationS > 0 && settings.durationS <= 3600)) throw new Error('--duration must be 1 to 3600 seconds');
  if (!(settings.warmupS >= 0 && settings.warmupS <= 600)) throw new Error('--warmup must be 0 to 600 seconds');
  if (!settings.clients.every((c) => Number.isInteger(c) && c >= 1 && c <= 256)) throw new Error('--clients must list 1 to 256');
  if (!(settings.pollMs >= 1 && settings.relayMs >= 10)) throw new Error('--poll-ms must be ≥ 1 and --relay-ms ≥ 10');
  if (!(settings.pgbenchS >= 0 && settings.pgbenchS <= 600)) throw new Error('--pgbench-s must be 0 to 600 seconds');
  for (const [name, n] of [['apis', settings.apis], ['workers', settings.workers]] as const)
    if (!(Number.isInteger(n) && n >= 1 && n <= 16)) throw new Error(`--${name} must be 1 to 16`);
};

class Stop extends Error {}

interface PhaseResult {
  name: string;
  clients: number;
  elapsedS: number;
  writes: Samples;
  byKind: Map<WriteKind, Samples>;
  intake: Samples;
  /** SUBMIT → INTAKE_PASSED by the history's own timestamps, for the cases whose intake the phase saw. */
  intakeInHistory: Samples;
  polls: Samples;
  lifecycles: number;
  errors: number;
  firstErrors: string[];
  /** CPU milliseconds each group used during the phase. */
  cpu: CpuSnapshot;
  /** Statements the api and the worker sent to Postgres during the phase. */
  statements: { api: number; worker: number };
}

let aborted = false;

/** Runs `clients` loops of full lifecycles until the deadline; each loop owns one cast. */
const runPhase = async (stack: BenchStack, name: string, casts: Cast[], clients: number, durationS: number): Promise<PhaseResult> => {
  const result: PhaseResult = {
    name,
    clients,
    elapsedS: 0,
    writes: new Samples(),
    byKind: new Map(WRITE_KINDS.map((k) => [k, new Samples()])),
    intake: new Samples(),
    intakeInHistory: new Samples(),
    polls: new Samples(),
    lifecycles: 0,
    errors: 0,
    firstErrors: [],
    cpu: {},
    statements: { api: 0, worker: 0 },
  };
  const cpuBefore = await stack.cpuSnapshot();
  const statementsBefore = stack.statementSnapshot();
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const screened: string[] = [];
  const live = () => !aborted && performance.now() < deadline;

  const error = (message: string) => {
    result.errors++;
    if (result.firstErrors.length < 5) result.firstErrors.push(message);
  };
  /** One client write: counted and timed when accepted, an error otherwise. */
  const write = async (kind: WriteKind, send: () => Promise<HttpResponse<any>>, expectState?: string): Promise<any> => {
    if (!live()) throw new Stop();
    const response = await send();
    if (response.status >= 300) throw new Error(`${kind}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    result.writes.add(response.ms);
    result.byKind.get(kind)!.add(response.ms);
    if (expectState && response.body?.state !== expectState) throw new Error(`${kind}: state ${response.body?.state}, expected ${expectState}`);
    return response.body;
  };

  const lifecycle = async ({ developer, auditor, regulator }: Cast): Promise<void> => {
    const created = await write('create', () =>
      developer.http.post('/v1/cases', { model: { name: `bench-${randomUUID()}`, version: '1.0', checkpointSha256: CHECKPOINT_SHA256 } }),
    );
    const caseId: string = created.id;
    await write('assessment', () => developer.http.put(`/v1/cases/${caseId}/assessment`, lowTierAssessment()));
    await write('SUBMIT', () => developer.http.post(`/v1/cases/${caseId}/events`, { type: 'SUBMIT' }), 'intake');
    const submitted = performance.now();
    let view: any;
    for (;;) {
      if (!live()) throw new Stop();
      if (performance.now() - submitted > INTAKE_TIMEOUT_MS) throw new Error(`intake: not done within ${INTAKE_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, settings.pollMs));
      const polled: HttpResponse<any> = await developer.http.get(`/v1/cases/${caseId}`);
      result.polls.add(polled.ms);
      if (polled.status !== 200) throw new Error(`poll: ${polled.status}`);
      if (polled.body.state === 'awaiting_assignment') {
        view = polled.body;
        break;
      }
      if (polled.body.state !== 'intake') throw new Error(`intake: state ${polled.body.state}, expected awaiting_assignment`);
    }
    result.intake.add(performance.now() - submitted);
    screened.push(caseId);
    await write('ASSIGN_AUDITOR', () => regulator.http.post(`/v1/cases/${caseId}/events`, { type: 'ASSIGN_AUDITOR', auditorId: auditor.id }), 'in_audit');
    await write(
      'APPROVE',
      () =>
        auditor.http.post(`/v1/cases/${caseId}/events`, {
          type: 'APPROVE',
          revisionHash: view.revisionHash,
          opinion: 'unmodified',
          assurance: 'reasonable',
          conditions: [],
        }),
      'cleared',
    );
    await write(
      'RECORD_RELEASE',
      () =>
        developer.http.post(`/v1/cases/${caseId}/events`, {
          type: 'RECORD_RELEASE',
          components: [
            { component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: CHECKPOINT_SHA256 },
            { component: 'inference_code', release: 'open', location: 'https://example.org/code' },
          ],
        }),
      'released',
    );
    result.lifecycles++;
  };

  const client = async (cast: Cast): Promise<void> => {
    while (live()) {
      try {
        await lifecycle(cast);
      } catch (caught) {
        if (caught instanceof Stop) return;
        error(caught instanceof Error ? caught.message : String(caught));
      }
    }
  };
  await Promise.all(casts.slice(0, clients).map((cast) => client(cast)));
  result.elapsedS = (performance.now() - started) / 1000;
  result.cpu = cpuDelta(cpuBefore, await stack.cpuSnapshot());
  // The counters are written every 200 ms: wait for the phase's last ones.
  await new Promise((resolve) => setTimeout(resolve, 250));
  const statementsAfter = stack.statementSnapshot();
  result.statements = { api: statementsAfter.api - statementsBefore.api, worker: statementsAfter.worker - statementsBefore.worker };
  // Read after the phase, so the measurement adds no load to it.
  for (const ms of await stack.intakeMs(screened)) result.intakeInHistory.add(ms);
  return result;
};

const report = (results: PhaseResult[], pgbench: PgbenchResult | null): void => {
  const rows = results.map((r) => ({
    phase: r.name,
    clients: r.clients,
    'seconds': r.elapsedS.toFixed(1),
    transitions: r.writes.count,
    'transitions/s': (r.writes.count / r.elapsedS).toFixed(1),
    'p50 ms': fmt(r.writes.percentile(50)),
    'p99 ms': fmt(r.writes.percentile(99)),
    'max ms': fmt(r.writes.max()),
    'intake p50': fmt(r.intake.percentile(50)),
    'intake p99': fmt(r.intake.percentile(99)),
    'history p50': fmt(r.intakeInHistory.percentile(50)),
    'history p99': fmt(r.intakeInHistory.percentile(99)),
    polls: r.polls.count,
    'poll p50': fmt(r.polls.percentile(50)),
    lifecycles: r.lifecycles,
    errors: r.errors,
  }));
  console.log(
    '\nClient writes (transitions), intake (SUBMIT answered → awaiting_assignment seen by a poll; history: SUBMIT → INTAKE_PASSED by their `at`) and polling:',
  );
  console.table(rows);
  console.log('p50 / p99 ms by write kind:');
  console.table(
    results.map((r) => ({
      phase: r.name,
      ...Object.fromEntries(WRITE_KINDS.map((k) => [k, `${fmt(r.byKind.get(k)!.percentile(50))} / ${fmt(r.byKind.get(k)!.percentile(99))}`])),
    })),
  );
  console.log('CPU per transition (ms; all processes\' CPU during the phase ÷ transitions) and machine load:');
  console.table(
    results.map((r) => {
      const { machine = 0, ...groups } = r.cpu;
      const ours = Object.values(groups).reduce((a, b) => a + b, 0);
      const perTransition = (ms: number) => (r.writes.count ? (ms / r.writes.count).toFixed(2) : '-');
      return {
        phase: r.name,
        ...Object.fromEntries(Object.entries(groups).map(([group, ms]) => [group, perTransition(ms)])),
        'all bench processes': perTransition(ours),
        'machine busy %': ((100 * machine) / (r.elapsedS * 1000 * os.cpus().length)).toFixed(0),
        'others %': ((100 * Math.max(0, machine - ours)) / (r.elapsedS * 1000 * os.cpus().length)).toFixed(0),
      };
    }),
  );
  console.log('Statements sent to Postgres (api per request, writes and polls; worker per transition):');
  console.table(
    results.map((r) => ({
      phase: r.name,
      'api statements': r.statements.api,
      'api requests': r.writes.count + r.polls.count,
      'api per request': (r.statements.api / Math.max(1, r.writes.count + r.polls.count)).toFixed(2),
      'worker per transition': (r.statements.worker / Math.max(1, r.writes.count)).toFixed(2),
    })),
  );
  for (const r of results) for (const message of r.firstErrors) console.log(`error in ${r.name}: ${message}`);
  const at = (clients: number) => results.find((r) => r.name.startsWith('measure') && r.clients === clients);
  const at32 = at(32);
  const at8 = at(8);
  const othersPercent = (r: PhaseResult) => {
    const { machine = 0, ...groups } = r.cpu;
    const ours = Object.values(groups).reduce((a, b) => a + b, 0);
    return (100 * Math.max(0, machine - ours)) / (r.elapsedS * 1000 * os.cpus().length);
  };
  /** The issue's figure: api, worker and Postgres CPU (not the load generator) per accepted write. */
  const serverCpuPerTransition = (r: PhaseResult) => ((r.cpu.api ?? 0) + (r.cpu.worker ?? 0) + (r.cpu.postgres ?? 0)) / Math.max(1, r.writes.count);
  console.log('\nSummary:');
  if (pgbench) {
    console.log(
      `  pgbench -c ${pgbench.clients} -j 2 -T ${pgbench.durationS} (scale 10): ${pgbench.tps.toFixed(0)} TPS, machine busy ${pgbench.machineBusyPercent.toFixed(0)} %`,
    );
  }
  if (at32) {
    const tps = at32.writes.count / at32.elapsedS;
    const ratio = pgbench ? tps / pgbench.tps : Number.NaN;
    console.log(
      `  32 clients: ${tps.toFixed(1)} transitions/s` +
        (pgbench ? `, ratio to pgbench ${ratio.toFixed(3)} (target ≥ 0.25 → ${ratio >= 0.25 ? 'met' : 'missed'})` : ' (pgbench skipped: no ratio)') +
        `; CPU per transition (api + worker + Postgres) ${serverCpuPerTransition(at32).toFixed(2)} ms (target ≤ 3 → ${serverCpuPerTransition(at32) <= 3 ? 'met' : 'missed'}); others ${othersPercent(at32).toFixed(0)} %`,
    );
  }
  if (at8) {
    const p99 = at8.writes.percentile(99);
    const intake99 = at8.intakeInHistory.percentile(99);
    console.log(
      `  8 clients: p99 ${fmt(p99)} ms (target ≤ 100 → ${p99 <= 100 ? 'met' : 'missed'}), ` +
        `intake p99 ${fmt(intake99)} ms by the history (target < 50 → ${intake99 < 50 ? 'met' : 'missed'}), ${fmt(at8.intake.percentile(99))} ms as a client polling every ${settings.pollMs} ms saw it; ` +
        `CPU per transition ${serverCpuPerTransition(at8).toFixed(2)} ms; others ${othersPercent(at8).toFixed(0)} %`,
    );
  }
  console.log('  (others % is CPU used by processes outside the bench during the phase: figures under load are lower than the machine can give.)');
};

const main = async (): Promise<void> => {
  checkSettings();
  const maxClients = Math.max(...settings.clients);
  const stack = new BenchStack({
    databaseBaseUrl: settings.databaseBaseUrl,
    redisUrl: settings.redisUrl,
    relayIntervalMs: settings.relayMs,
    apiNodeFlags: settings.apiFlags,
    workerNodeFlags: settings.workerFlags,
    apis: settings.apis,
    workers: settings.workers,
  });
  const onSignal = () => {
    aborted = true;
    process.stderr.write('\nbench: interrupted; cleaning up\n');
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const agent = new http.Agent({ keepAlive: true, maxSockets: maxClients + 4 });
  try {
    console.log(
      `bench: ${os.cpus().length} CPUs, Node ${process.version}; ${settings.apis} api and ${settings.workers} worker process(es); phases ${settings.clients.join(', ')} clients × ${settings.durationS} s ` +
        `(warm-up ${settings.warmupS} s), poll every ${settings.pollMs} ms, relay every ${settings.relayMs} ms`,
    );
    let pgbench: PgbenchResult | null = null;
    if (settings.pgbenchS > 0) {
      console.log(`bench: pgbench -i -s 10, then -c 16 -j 2 -T ${settings.pgbenchS} on its own database…`);
      pgbench = await runPgbench(settings.databaseBaseUrl, settings.pgbenchS);
      console.log(`bench: pgbench ${pgbench.tps.toFixed(0)} TPS (machine busy ${pgbench.machineBusyPercent.toFixed(0)} %)`);
    }
    await stack.start();
    console.log(`bench: api on ${stack.ports.map((port) => `127.0.0.1:${port}`).join(', ')}, database ${new URL(stack.databaseUrl).pathname.slice(1)}, Redis prefix ${stack.redisPrefix}`);
    const admin = new HttpClient(`http://127.0.0.1:${stack.port}`, stack.adminToken, nodeHttpTransport(agent));
    // Client i talks to api i mod apis.
    const casts = (await seedCasts(admin, maxClients)).map((cast, i) => onApi(cast, stack.apiUrls[i % stack.apiUrls.length]!, nodeHttpTransport(agent)));
    const results: PhaseResult[] = [];
    if (settings.warmupS > 0 && !aborted) {
      const warm = await runPhase(stack, 'warm-up', casts, maxClients, settings.warmupS);
      console.log(`bench: warm-up done: ${warm.writes.count} transitions, ${warm.errors} errors`);
    }
    for (const clients of settings.clients) {
      if (aborted) break;
      // Let the worker drain the previous phase's intake before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const result = await runPhase(stack, `measure ${clients}`, casts, clients, settings.durationS);
      results.push(result);
      console.log(
        `bench: ${clients} clients: ${(result.writes.count / result.elapsedS).toFixed(1)} transitions/s, ` +
          `p50 ${fmt(result.writes.percentile(50))} ms, p99 ${fmt(result.writes.percentile(99))} ms, ${result.errors} errors`,
      );
    }
    if (!aborted) report(results, pgbench);
  } finally {
    agent.destroy();
    if (!aborted) await stack.stop();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
