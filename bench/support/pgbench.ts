import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { dropDatabase, ensureDatabase } from '@app/persistence';
import { machineBusyMs } from './cpu.js';

export interface PgbenchResult {
  tps: number;
  clients: number;
  durationS: number;
  /** Share of the machine's CPU used while pgbench ran (pgbench and Postgres included). */
  machineBusyPercent: number;
}

/** pgbench from PATH, else from the Debian cluster's bin directory. */
const pgbenchBinary = (): string => {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`;
  const debian = ['17', '16', '15', '14'].map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`).find((p) => existsSync(p));
  if (!debian) throw new Error('pgbench not found on PATH or in /usr/lib/postgresql/*/bin');
  return debian;
};

const run = (binary: string, args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench ${args.join(' ')} exited ${code}: ${err.slice(-500)}`))));
  });

/**
 * The reference point: pgbench's TPC-B-like load (`-i -s 10`, then `-c 16 -j 2 -T <s>`) on its
 * own database beside the bench's, dropped afterwards. Same server, same settings, same machine.
 */
export const runPgbench = async (databaseBaseUrl: string, durationS: number, clients = 16): Promise<PgbenchResult> => {
  const url = new URL(databaseBaseUrl);
  url.pathname = `/clearance_pgbench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const target = url.toString();
  const binary = pgbenchBinary();
  await ensureDatabase(target);
  try {
    await run(binary, ['-i', '-s', '10', '-q', target]);
    const before = machineBusyMs();
    const started = performance.now();
    const out = await run(binary, ['-c', String(clients), '-j', '2', '-T', String(durationS), target]);
    const elapsedMs = performance.now() - started;
    const busy = machineBusyMs() - before;
    const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
    if (!match) throw new Error(`pgbench printed no tps: ${out.slice(-500)}`);
    return { tps: Number(match[1]), clients, durationS, machineBusyPercent: (100 * busy) / (elapsedMs * os.cpus().length) };
  } finally {
    await dropDatabase(target).catch((error: unknown) => process.stderr.write(`bench: drop pgbench database failed: ${String(error)}\n`));
  }
};
