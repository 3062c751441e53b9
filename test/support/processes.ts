import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import type { AppConfig } from '@app/config';
import { withApplicationName } from '@app/persistence';
import type { Suite } from './suite.js';

export const WORKER_ENTRY = 'dist/apps/worker/src/main.js';
export const API_ENTRY = 'dist/apps/api/src/main.js';

/** A worker in its own process (built by `npm test`), so a test can SIGKILL it. */
export const spawnWorker = (config: AppConfig, env: Record<string, string> = {}): ChildProcess => {
  if (!existsSync(WORKER_ENTRY)) throw new Error(`${WORKER_ENTRY} is missing: run through npm test, which builds first`);
  return spawn(process.execPath, [WORKER_ENTRY], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      RELAY_INTERVAL_MS: '25',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
};

/** An api in its own process on a free port (built by `npm test`), answering /health before it resolves; a test can SIGKILL it. */
export const spawnApi = async (config: AppConfig, env: Record<string, string> = {}): Promise<{ child: ChildProcess; baseUrl: string }> => {
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run through npm test, which builds first`);
  const port = await freePort();
  const child = spawn(process.execPath, [API_ENTRY], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      ADMIN_TOKEN: config.ADMIN_TOKEN ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${baseUrl}/health`).then((r) => r.status === 200, () => false);
    if (up) return { child, baseUrl };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the api child did not answer /health within 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const stopProcess = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** A private redis-server on a free port, for tests that flush or stop Redis. */
export const startRedis = async (port?: number) => {
  const chosen = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = spawn('redis-cli', ['-p', String(chosen), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      probe.stdout.on('data', (d: Buffer) => (out += d.toString()));
      probe.on('exit', () => resolve(out.includes('PONG')));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port: chosen, url: `redis://127.0.0.1:${chosen}`, child, stop: () => stopProcess(child, 'SIGKILL') };
};

export interface ApiProcess {
  child: ChildProcess;
  baseUrl: string;
}

export interface ApiProcesses {
  /** The api processes, in the order of their names. */
  apis: ApiProcess[];
  /** A plain client on the suite's database, for the test's own SQL. */
  db: pg.Client;
}

/**
 * Api processes beside a suite's stack, one per name, each connecting to Postgres under its name
 * (so a test can see in pg_stat_activity which process waits on what), with an optional worker
 * process started with `worker` as its environment; all are SIGKILLed after the suite.
 */
export const useApiProcesses = (suite: Suite, names: string[], options: { worker?: Record<string, string> } = {}): ApiProcesses => {
  const processes = { apis: [], db: null } as unknown as ApiProcesses;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    const config = suite.stack.config;
    const started = await Promise.allSettled(names.map((name) => spawnApi(config, { DATABASE_URL: withApplicationName(config.DATABASE_URL, name) })));
    // One that did not start must not leave the others running after the suite (jest would wait on them).
    for (const result of started) if (result.status === 'fulfilled') children.push(result.value.child);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    processes.apis = started.map((result) => (result as PromiseFulfilledResult<ApiProcess>).value);
    if (options.worker) children.push(spawnWorker(config, options.worker));
    processes.db = new pg.Client({ connectionString: config.DATABASE_URL });
    await processes.db.connect();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGKILL')));
    await processes.db?.end();
  });
  return processes;
};
