/**
 * Serving log tiles: one built api process (`dist/apps/api/src/main.js`) over a fresh database
 * whose log holds full tiles, loaded by `wrk` (Debian package `wrk`) in its own process, or by a
 * keep-alive node client in a child process when wrk is missing. Reports requests/s for a full
 * level-0 tile and a full entry bundle, and the CPU the api and the machine used meanwhile.
 *
 *   npm run bench:tiles                           512 entries, 10 s per path, 64 connections
 *   npm run bench:tiles -- --seconds=20 --connections=128
 *
 * Options (flag or environment): --seconds / BENCH_SECONDS, --connections / BENCH_CONNECTIONS,
 * --entries / BENCH_ENTRIES, BENCH_DATABASE_BASE_URL and BENCH_REDIS_URL (loopback only).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '@app/config';
import { MIGRATIONS } from '@app/migrations';
import { RegistryRepository, TransparencyLogRepository, createDataSource, dropDatabase, migrateDatabase } from '@app/persistence';
import { LogCheckpointSigner, LogSequencer, RegistrySigningKeyService, logEntryBytes } from '@app/registry';
import { machineBusyMs, processCpuMs } from './support/cpu.js';
import { assertLoopback, option } from './support/options.js';

const settings = {
  seconds: Number(option('seconds', 'BENCH_SECONDS', '10')),
  connections: Number(option('connections', 'BENCH_CONNECTIONS', '64')),
  entries: Number(option('entries', 'BENCH_ENTRIES', '512')),
  databaseBaseUrl: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};
const API_ENTRY = 'dist/apps/api/src/main.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** A keep-alive load generator in its own process, for machines without wrk: prints requests/s. */
const NODE_LOADER = `
const http = require('node:http');
const [url, connections, seconds] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const end = Date.now() + Number(seconds) * 1000;
let done = 0, failed = 0;
const loop = () => new Promise((resolve) => {
  const next = () => {
    if (Date.now() > end) return resolve();
    http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => { res.statusCode === 200 ? done++ : failed++; next(); }); }).on('error', () => { failed++; next(); });
  };
  next();
});
Promise.all(Array.from({ length: Number(connections) }, loop)).then(() => { console.log(JSON.stringify({ rps: done / Number(seconds), failed })); agent.destroy(); });
`;

const load = (url: string): Promise<{ rps: number; detail: string }> =>
  new Promise((resolve, reject) => {
    const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
    const child = wrk
      ? spawn('wrk', ['-t2', `-c${settings.connections}`, `-d${settings.seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn(process.execPath, ['-e', NODE_LOADER, url, String(settings.connections), String(settings.seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      if (wrk) {
        const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
        const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
        const p99 = /99%\s+(\S+)/.exec(out)?.[1];
        resolve({ rps, detail: `wrk, p99 latency ${p99 ?? '?'}${non2xx ? `, ${non2xx} non-2xx` : ''}` });
      } else {
        const { rps, failed } = JSON.parse(out) as { rps: number; failed: number };
        resolve({ rps, detail: `node keep-alive client${failed ? `, ${failed} failed` : ''}` });
      }
    });
  });

const main = async (): Promise<void> => {
  assertLoopback(settings.databaseBaseUrl, settings.redisUrl);
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: npm run bench:tiles builds first`);
  const url = new URL(settings.databaseBaseUrl);
  url.pathname = `/clearance_bench_tiles_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl, MIGRATIONS);
  const dataSource = await createDataSource(databaseUrl, [], 2).initialize();
  const config = parseConfig({ DATABASE_URL: databaseUrl });
  const log = new TransparencyLogRepository(dataSource);
  const sequencer = new LogSequencer(log);
  const signer = new LogCheckpointSigner(dataSource, config, log, new RegistrySigningKeyService(dataSource, config, new RegistryRepository(dataSource)));
  const port = await freePort();
  const api = spawn(process.execPath, [API_ENTRY], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      REDIS_URL: settings.redisUrl,
      REDIS_PREFIX: `bench-tiles-${randomBytes(4).toString('hex')}`,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const entries = Array.from({ length: settings.entries }, (_, i) => ({ kind: 'bench', bytes: logEntryBytes({ kind: 'bench', i, pad: 'r'.repeat(1400) }) }));
    await dataSource.transaction((db) => sequencer.append(db, entries));
    await signer.signIfGrown();
    const base = `http://127.0.0.1:${port}/v1/public/log`;
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${base}/checkpoint`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > deadline) throw new Error('the api did not answer within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const path of ['tile/0/000', 'tile/entries/000']) {
      const probe = await fetch(`${base}/${path}`);
      const bytes = (await probe.arrayBuffer()).byteLength;
      if (probe.status !== 200) throw new Error(`${path}: ${probe.status}`);
      const cpu = { api: processCpuMs(api.pid!), machine: machineBusyMs(), at: performance.now() };
      const result = await load(`${base}/${path}`);
      const wall = performance.now() - cpu.at;
      const apiCpu = ((processCpuMs(api.pid!) - cpu.api) / wall) * 100;
      const machineCpu = ((machineBusyMs() - cpu.machine) / wall) * 100;
      console.log(
        `${path} (${bytes} bytes): ${Math.round(result.rps)} requests/s over ${settings.seconds} s, ${settings.connections} connections (${result.detail}); ` +
          `api CPU ${machineCpu ? `${apiCpu.toFixed(0)}% of one core, machine busy ${machineCpu.toFixed(0)}% of one core` : 'unknown'}`,
      );
    }
    console.log(`machine load average during the run: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(', ')}`);
  } finally {
    await new Promise<void>((resolve) => {
      if (api.exitCode !== null) return resolve();
      api.once('exit', () => resolve());
      api.kill('SIGTERM');
    });
    await dataSource.destroy();
    await dropDatabase(databaseUrl);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
