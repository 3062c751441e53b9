/**
 * Soak of faults: two api and two worker processes against a Postgres cluster and a Redis of the
 * soak's own, an open-loop client writing at a fixed rate across both apis, and a chaos loop
 * that SIGKILLs an api or a worker and starts it again, restarts Redis (losing every key),
 * flushes it once, freezes it (SIGSTOP, then SIGCONT), and restarts and freezes Postgres. At the end it checks, through the
 * API, that nothing acknowledged was lost or duplicated (see bench/support/soak-checks.ts).
 *
 *   npm run soak                        10 minutes at 6 writes/s
 *   npm run soak -- --minutes=2 --rate=6 --seed=7
 *
 * Exits 1 naming every check that failed. Needs initdb (run through `runuser -u postgres` as
 * root) and redis-server on this machine; nothing outside its own temporary directory is touched.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { HttpClient, adminSeeder, expectOk } from '@app/testing';
import { option } from './support/options.js';
import { checkCases, checkOutboxDrains, checkRecovery, checkRefusals, checkServerErrors, CheckpointWatcher, type CheckResult, type Outage } from './support/soak-checks.js';
import { SoakClient, type Cast } from './support/soak-client.js';
import { AppProcess } from './support/soak-fleet.js';
import { PostgresCluster, RedisServer, freePort, sleep, waitUntil } from './support/soak-services.js';

const settings = {
  minutes: Number(option('minutes', 'SOAK_MINUTES', '10')),
  rate: Number(option('rate', 'SOAK_RATE', '6')),
  seed: Number(option('seed', 'SOAK_SEED', String(Date.now() % 100_000))),
  recoveryLimitMs: 5000,
};

/** mulberry32: the chaos schedule is reproducible from --seed. */
const random = (() => {
  let state = settings.seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const between = (min: number, max: number) => min + random() * (max - min);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

type Fault = 'kill-api' | 'kill-worker' | 'restart-redis' | 'flushall-redis' | 'freeze-redis' | 'restart-postgres' | 'freeze-postgres';
// Every kind comes early, so that even a short soak injects each; then processes die most often.
const OPENING: Fault[] = ['kill-api', 'kill-worker', 'restart-redis', 'kill-api', 'restart-postgres', 'kill-worker', 'flushall-redis', 'freeze-postgres', 'freeze-redis'];
const LATER: Fault[] = ['kill-api', 'kill-api', 'kill-worker', 'kill-worker', 'restart-redis', 'freeze-redis', 'restart-postgres', 'freeze-postgres'];
/**
 * The processes' bound on a silent database: a frozen Postgres is given up (503) after at most
 * twice this, well within a freeze, so the soak sees what a long hang does.
 */
const CONNECT_TIMEOUT_MS = 2000;

const log = (line: string) => process.stdout.write(`soak ${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** Freezes Postgres or Redis for `ms`, saying for how long. */
const frozen = (engine: { freeze(ms: number): Promise<void> }, ms: number): Promise<void> => {
  log(`  frozen for ${Math.round(ms)} ms`);
  return engine.freeze(ms);
};

/** Stops what the soak started; set once the services exist, so an interrupt leaves no server behind. */
let teardown: (() => Promise<void>) | null = null;

const main = async (): Promise<number> => {
  if (!(settings.minutes > 0 && settings.minutes <= 24 * 60)) throw new Error('--minutes must be above 0 and at most a day');
  if (!(settings.rate > 0 && settings.rate <= 200)) throw new Error('--rate must be above 0 and at most 200 writes/s');
  log(`${settings.minutes} min at ${settings.rate} writes/s, chaos seed ${settings.seed}; ${os.cpus().length} CPUs, Node ${process.version}`);

  const postgres = await PostgresCluster.create();
  const redis = await RedisServer.create();
  const processes: AppProcess[] = [];
  const cleanup = async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await redis.stop();
    postgres.remove();
  };
  teardown = cleanup;
  try {
    log(`postgres on 127.0.0.1:${postgres.port}, redis on 127.0.0.1:${redis.port}`);
    const adminToken = `soak-admin-${randomBytes(16).toString('hex')}`;
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'soak',
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      // Deadlines whose jobs a flush lost fire within the settle time below (30 s in production). Work a
      // killed worker had claimed (an intake it was running) comes back after the relay's own lease
      // (RUN_LEASE_MS, 10 s), as in production.
      DEADLINE_SWEEP_MS: '2000',
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    };
    const migrate = spawnSync(process.execPath, [fileURLToPath(new URL('../migrations/run.js', import.meta.url))], { env, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr || migrate.stdout}`);

    for (const n of [1, 2]) processes.push(new AppProcess(`api-${n}`, 'api', env, await freePort()));
    for (const n of [1, 2]) processes.push(new AppProcess(`worker-${n}`, 'worker', env));
    await Promise.all(processes.map((p) => p.start()));
    const apis = processes.filter((p) => p.role === 'api');
    const bases = () => apis.map((p) => p.baseUrl);
    log(`api on ${bases().join(', ')}; two workers`);

    const admin = new HttpClient(apis[0].baseUrl, adminToken);
    const { organisation, member } = adminSeeder(admin, { emailDomain: 'soak.example.org' });
    const cast: Cast = {
      developer: await member(await organisation('Soak lab', 'developer'), 'developer', 'developer'),
      auditor: await member(await organisation('Soak audit firm', 'audit_firm'), 'auditor', 'auditor'),
      regulator: await member(await organisation('Soak regulator', 'regulator'), 'regulator', 'regulator'),
    };
    // caip-2025@1 with a five-second assignment clock, so deadlines come due during the chaos.
    const base = expectOk(await admin.as(cast.developer.token).get('/v1/policy-packs/caip-2025/versions/1'), 'read caip-2025');
    const packId = `soak-${randomBytes(4).toString('hex')}`;
    expectOk(
      await admin.post('/v1/admin/policy-packs', {
        id: packId,
        version: '1',
        title: 'caip-2025 with a five-second assignment clock',
        domains: base.domains,
        cannotRuleOutCountsAs: base.cannotRuleOutCountsAs,
        tiers: base.tiers,
        deadlines: { ...base.deadlines, assignment: 'PT5S' },
      }),
      'publish pack',
    );

    const client = new SoakClient(bases, cast, `${packId}@1`);
    const watcher = new CheckpointWatcher(bases);
    watcher.start();
    const durationMs = settings.minutes * 60_000;
    const started = Date.now();
    const end = started + durationMs;
    // Faults stop early enough for the last restarts to settle before the client stops.
    const chaosEnd = end - Math.min(20_000, durationMs / 4);
    const faults: Record<Fault, number> = { 'kill-api': 0, 'kill-worker': 0, 'restart-redis': 0, 'flushall-redis': 0, 'freeze-redis': 0, 'restart-postgres': 0, 'freeze-postgres': 0 };

    // Processes restart in the background, so faults keep coming while a slow start runs; one api
    // always stays up (the client's retries need somewhere to go) and nothing is killed twice at once.
    const restarts = new Set<Promise<void>>();
    const lastAt: Partial<Record<Fault, number>> = {};
    const chaosErrors: string[] = [];
    const postgresOutages: Outage[] = [];
    /** A killed process is started again, as a supervisor would, however long its start takes. */
    const startAgain = async (victim: AppProcess): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await victim.start();
        } catch (error) {
          await victim.kill('SIGKILL');
          if (attempt === 3) {
            chaosErrors.push(`${victim.name} did not start again: ${(error as Error).message}`);
            return;
          }
        }
      }
    };
    const chaos = (async () => {
      let turn = 0;
      for (;;) {
        await sleep(between(2000, 5000));
        if (Date.now() >= chaosEnd) break;
        let fault = turn < OPENING.length ? OPENING[turn] : pick(LATER);
        turn++;
        // Postgres and Redis each get time to recover before their next fault.
        const last = lastAt[fault] ?? 0;
        if (fault !== 'kill-api' && fault !== 'kill-worker' && fault !== 'flushall-redis' && Date.now() - last < 15_000) fault = 'kill-worker';
        lastAt[fault] = Date.now();
        if (fault === 'kill-api' || fault === 'kill-worker') {
          const role = fault === 'kill-api' ? 'api' : 'worker';
          const peers = processes.filter((p) => p.role === role);
          if (peers.some((p) => !p.running)) continue;
          const victim = pick(peers);
          faults[fault]++;
          log(`fault: ${fault} (${victim.name})`);
          await victim.kill('SIGKILL');
          const restart = sleep(between(300, 1500)).then(() => startAgain(victim));
          restarts.add(restart);
          void restart.finally(() => restarts.delete(restart));
          continue;
        }
        faults[fault]++;
        log(`fault: ${fault}`);
        if (fault === 'restart-redis') await redis.restart(between(300, 1500));
        else if (fault === 'freeze-redis') await frozen(redis, between(3000, 6000));
        else if (fault === 'flushall-redis') redis.flushAll();
        else {
          const from = performance.now();
          if (fault === 'restart-postgres') await postgres.restart(between(300, 1500));
          else await frozen(postgres, between(2 * CONNECT_TIMEOUT_MS, 4 * CONNECT_TIMEOUT_MS));
          postgresOutages.push({ from, to: performance.now() });
        }
      }
      await Promise.all(restarts);
    })();
    const progress = setInterval(() => {
      const acked = client.ledger.filter((e) => e.outcome === 'acked').length;
      log(`${Math.round((Date.now() - started) / 1000)} s of ${durationMs / 1000}: ${client.started} lifecycles, ${acked} writes acknowledged, ${client.writesInFlight} in flight`);
    }, 15_000);
    await client.run(settings.rate, () => Date.now() >= end);
    await chaos;
    clearInterval(progress);
    log('client stopped; waiting for the system to settle');

    // Everything restarted must be up, then the held deadlines fire and the outbox drains.
    for (const p of processes) if (!p.running) await startAgain(p);
    await waitUntil('an api did not answer', async () => (await fetch(`${apis[0].baseUrl}/health`).catch(() => null))?.status === 200, 60_000);
    const deadlineGraceMs = 15_000;
    await sleep(5000 + deadlineGraceMs);
    await watcher.stop();
    const checks: CheckResult[] = [
      await checkOutboxDrains(apis[0].baseUrl, adminToken, 60_000),
      checkRefusals(client.ledger),
      checkServerErrors(client.serverErrors),
      checkRecovery(client.ledger, settings.recoveryLimitMs, postgresOutages),
      ...(await checkCases(apis[0].baseUrl, cast.regulator, cast.developer, client.ledger, client.heldForDeadline, deadlineGraceMs)),
      await watcher.check(apis[0].baseUrl),
    ];
    const unexpected = [...chaosErrors, ...processes.flatMap((p) => p.unexpectedExits)];
    checks.push({ name: 'no process died unless killed', ok: unexpected.length === 0, detail: unexpected.length ? unexpected.slice(0, 3).join('; ') : `${processes.reduce((n, p) => n + p.starts, 0)} starts` });

    const acked = client.ledger.filter((e) => e.outcome === 'acked').length;
    const lost = client.ledger.filter((e) => e.outcome === 'lost').length;
    log(`faults injected: ${Object.entries(faults).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log(`writes: ${client.ledger.length} sent, ${acked} acknowledged, ${client.ledger.filter((e) => e.lostAt !== null).length} lost an answer on some attempt, ${lost} never acknowledged`);
    for (const check of checks) log(`${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail}`);
    const failed = checks.filter((c) => !c.ok);
    log(failed.length ? `${failed.length} checks failed` : 'every check passed');
    return failed.length ? 1 : 0;
  } finally {
    await cleanup();
  }
};

let exiting = false;
const interrupt = () => {
  if (exiting) return;
  exiting = true;
  process.stderr.write('\nsoak: interrupted; stopping its processes, Redis and Postgres\n');
  void (teardown?.() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
