import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '@app/migrations';
import { MetricsRepository, createDataSource, dropDatabase, migrateDatabase } from '@app/persistence';
import { machineBusyMs, processCpuMs, type CpuSnapshot } from './cpu.js';

export interface StackOptions {
  databaseBaseUrl: string;
  redisUrl: string;
  relayIntervalMs: number;
  /** Extra node flags for the api child, e.g. `--cpu-prof`. */
  apiNodeFlags: string[];
  workerNodeFlags: string[];
  /** How many api and worker processes to start (default one each): replicas of a deployment. */
  apis?: number;
  workers?: number;
}

/** dist/bench/support → dist/ */
const DIST = fileURLToPath(new URL('../../', import.meta.url));

export const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
};

// The children exit cleanly on SIGUSR2 so that --cpu-prof writes its profile (a signal death would not).
const EXIT_ON_SIGUSR2 = `data:text/javascript,process.once('SIGUSR2',()=>process.exit(0))`;

type Role = 'api' | 'worker';

/**
 * A private database and Redis prefix, the api and worker processes as children (one of each
 * unless `apis` / `workers` say more); `stop` removes them all.
 */
export class BenchStack {
  readonly databaseUrl: string;
  readonly redisPrefix: string;
  readonly adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  /** Each api process's port, in start order. */
  ports: number[] = [];
  private readonly children: Array<{ role: Role; name: string; child: ChildProcess }> = [];
  private stopping: Promise<void> | null = null;
  /** For CPU accounting: which Postgres processes serve this database. */
  private monitor: DataSource | null = null;

  constructor(private readonly options: StackOptions) {
    const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const url = new URL(options.databaseBaseUrl);
    url.pathname = `/clearance_bench_${suffix}`;
    this.databaseUrl = url.toString();
    this.redisPrefix = `clearance-bench-${suffix}`;
  }

  /** The first api's port. */
  get port(): number {
    return this.ports[0] ?? 0;
  }

  /** One base URL per api process. */
  get apiUrls(): string[] {
    return this.ports.map((port) => `http://127.0.0.1:${port}`);
  }

  async start(): Promise<void> {
    await migrateDatabase(this.databaseUrl, MIGRATIONS);
    const env = {
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.options.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      ADMIN_TOKEN: this.adminToken,
      LOG_LEVEL: 'warn',
      RELAY_INTERVAL_MS: String(this.options.relayIntervalMs),
    };
    for (let i = 0; i < (this.options.apis ?? 1); i++) {
      const port = await freePort();
      this.ports.push(port);
      this.spawn('api', 'apps/api/src/main.js', this.options.apiNodeFlags, { ...env, PORT: String(port) });
    }
    for (const port of this.ports) await this.waitForHealth(port);
    for (let i = 0; i < (this.options.workers ?? 1); i++) this.spawn('worker', 'apps/worker/src/main.js', this.options.workerNodeFlags, env);
    this.monitor = await createDataSource(this.databaseUrl, [], 1).initialize();
  }

  /**
   * CPU milliseconds used so far by the api processes, the worker processes (each group summed), this database's Postgres backends
   * (with the shared WAL writer, checkpointer and background writer), this process, and the whole machine.
   */
  async cpuSnapshot(): Promise<CpuSnapshot> {
    // After an interrupt the monitor is closed: report no Postgres processes rather than fail.
    const pids = await new MetricsRepository(this.monitor!).backendPids().catch(() => [] as number[]);
    const own = process.cpuUsage();
    return {
      api: this.cpuOf('api'),
      worker: this.cpuOf('worker'),
      postgres: pids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
      bench: (own.user + own.system) / 1000,
      machine: machineBusyMs(),
    };
  }

  /**
   * For each case, the milliseconds from its last SUBMIT to the intake step after it, by the
   * history's `at` (the Postgres clock when each step read the case); cases not yet screened are left out.
   */
  async intakeMs(caseIds: string[]): Promise<number[]> {
    if (caseIds.length === 0) return [];
    const rows: Array<{ ms: number }> = await this.monitor!.query(
      `SELECT extract(epoch FROM i.at - s.at)::float8 * 1000 AS ms
         FROM unnest($1::uuid[]) AS k(case_id)
         JOIN LATERAL (SELECT e.seq, e.at FROM case_events e WHERE e.case_id = k.case_id AND e.type = 'SUBMIT' ORDER BY e.seq DESC LIMIT 1) s ON true
         JOIN case_events i ON i.case_id = k.case_id AND i.seq = s.seq + 1 AND i.type IN ('INTAKE_PASSED', 'INTAKE_FAILED')`,
      [caseIds],
    );
    return rows.map((row) => row.ms);
  }

  private cpuOf(role: Role): number {
    return this.children.filter((c) => c.role === role).reduce((sum, c) => sum + processCpuMs(c.child.pid ?? 0), 0);
  }

  /** Statements each group of children has sent to Postgres so far (written by statement-counter.js; lags ≤ 200 ms). */
  statementSnapshot(): { api: number; worker: number } {
    const read = (name: string) => {
      try {
        return Number(readFileSync(this.statementFile(name), 'utf8')) || 0;
      } catch {
        return 0;
      }
    };
    const sum = (role: Role) => this.children.filter((c) => c.role === role).reduce((total, c) => total + read(c.name), 0);
    return { api: sum('api'), worker: sum('worker') };
  }

  private statementFile(name: string): string {
    return `${os.tmpdir()}/${this.redisPrefix}-${name}.statements`;
  }

  private spawn(role: Role, entry: string, flags: string[], env: NodeJS.ProcessEnv): void {
    const name = `${role}-${this.children.filter((c) => c.role === role).length}`;
    const counter = `${DIST}bench/support/statement-counter.js`;
    const child = spawn(process.execPath, ['--import', EXIT_ON_SIGUSR2, '--import', counter, ...flags, `${DIST}${entry}`], {
      env: { ...env, BENCH_STATEMENT_FILE: this.statementFile(name) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code, signal) => {
      if (!this.stopping) process.stderr.write(`bench: ${name} exited early (code ${code}, signal ${signal})\n`);
    });
    this.children.push({ role, name, child });
  }

  private async waitForHealth(port: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return;
      if (this.children.some((c) => c.child.exitCode !== null)) throw new Error('an api exited before answering /health');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the api did not answer /health within 30 s');
  }

  /** Idempotent: stops the children, drops the database, deletes the Redis keys. */
  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    await this.monitor?.destroy().catch(() => undefined);
    await Promise.all(this.children.map((c) => stopChild(c.child)));
    for (const { name } of this.children) rmSync(this.statementFile(name), { force: true });
    await dropDatabase(this.databaseUrl).catch((error: unknown) => process.stderr.write(`bench: drop database failed: ${String(error)}\n`));
    await deleteKeys(this.options.redisUrl, this.redisPrefix).catch((error: unknown) =>
      process.stderr.write(`bench: Redis cleanup failed: ${String(error)}\n`),
    );
  }
}

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGUSR2');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
};

const deleteKeys = async (redisUrl: string, prefix: string): Promise<void> => {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    // SCAN terminates when the cursor returns to 0; the bound guards against a misbehaving server.
    for (let round = 0; round < 1_000_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
};
