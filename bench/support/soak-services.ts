import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './stack.js';

export { freePort };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(100);
  }
};

/** The newest PostgreSQL server binaries Debian installed (initdb is not on PATH there). */
const postgresBin = (): string => {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(path.join(root, version, 'bin', 'initdb'))) return path.join(root, version, 'bin');
  return ''; // on PATH
};

/**
 * A PostgreSQL cluster of the soak's own (`initdb` on a free port in a temporary directory), so the
 * chaos loop can restart it without touching the machine's server. initdb refuses to run as
 * root, so as root the cluster belongs to the `postgres` user and its commands run through runuser.
 */
export class PostgresCluster {
  readonly port: number;
  private readonly dir: string;
  private readonly bin = postgresBin();
  private readonly asRoot = process.getuid?.() === 0;

  private constructor(port: number) {
    this.port = port;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'clearance-soak-pg-'));
  }

  static async create(): Promise<PostgresCluster> {
    const cluster = new PostgresCluster(await freePort());
    if (cluster.asRoot) {
      const postgres = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (postgres.status !== 0) throw new Error('running as root needs a postgres user to own the soak cluster');
      chownSync(cluster.dir, Number(postgres.stdout.trim()), Number(gid.stdout.trim()));
      chmodSync(cluster.dir, 0o700);
    }
    // However the soak ends, its server does not outlive it.
    process.on('exit', () => cluster.remove());
    cluster.run('initdb', ['-D', cluster.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/clearance_soak`;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c max_connections=200`;
    await this.runAsync('pg_ctl', ['-D', this.data, '-o', options, '-l', path.join(this.dir, 'log'), '-w', '-t', '60', 'start']);
    await waitUntil('postgres did not accept connections', () => listening(this.port));
  }

  /** Fast shutdown (aborts open transactions, as a failover would), then start again. */
  async restart(downMs: number): Promise<void> {
    await this.runAsync('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
    await sleep(downMs);
    await this.start();
  }

  /**
   * Stops every process of the cluster (SIGSTOP) for `ms`, then lets them go on: a server that hangs
   * with its connections open (a stalled disk, a paused virtual machine). The kernel still takes
   * connections and acknowledges queries; nothing answers them.
   */
  async freeze(ms: number): Promise<void> {
    // The postmaster first, so it forks no backend that the list below would miss.
    const postmaster = Number(readFileSync(path.join(this.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGSTOP');
    const children = childrenOf(postmaster);
    try {
      for (const pid of children) process.kill(pid, 'SIGSTOP');
      await sleep(ms);
    } finally {
      for (const pid of [...children, postmaster]) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // Gone already.
        }
      }
    }
  }

  /** Synchronous, so that it also runs from an exit handler. */
  remove(): void {
    if (!existsSync(this.dir)) return;
    if (existsSync(path.join(this.data, 'postmaster.pid'))) this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop'], false);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(command: string, args: string[], check = true): void {
    const [file, argv] = this.commandLine(command, args);
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (check && result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error}`);
  }

  /**
   * Not spawnSync: a stop or start waits seconds for the server, and a synchronous one froze the
   * soak's own client meanwhile, so that answers that had arrived were timed as if seconds late.
   */
  private async runAsync(command: string, args: string[]): Promise<void> {
    const [file, argv] = this.commandLine(command, args);
    await promisify(execFile)(file, argv, { encoding: 'utf8' }).catch((error: { stderr?: string; stdout?: string; message: string }) => {
      throw new Error(`${command} ${args.join(' ')} failed: ${error.stderr || error.stdout || error.message}`);
    });
  }

  private commandLine(command: string, args: string[]): [string, string[]] {
    const binary = this.bin ? path.join(this.bin, command) : command;
    return this.asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  }
}

/** The processes whose parent is `pid` (`/proc/<pid>/stat`: the parent's id follows the name in parentheses). */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);

/** A redis-server of the soak's own, keeping nothing on disk: a restart loses every key, as FLUSHALL does. */
export class RedisServer {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async create(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    process.on('exit', () => server.child?.kill('SIGKILL'));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil('redis-server did not accept connections', () => listening(this.port));
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async restart(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }

  /** Stops redis-server (SIGSTOP) for `ms`, then lets it go on: its connections stay open and nothing answers. */
  async freeze(ms: number): Promise<void> {
    const child = this.child;
    child?.kill('SIGSTOP');
    try {
      await sleep(ms);
    } finally {
      child?.kill('SIGCONT');
    }
  }

  /** FLUSHALL without a restart: every queue, job and key gone while the processes stay connected. */
  flushAll(): void {
    const result = spawnSync('redis-cli', ['-p', String(this.port), 'FLUSHALL'], { encoding: 'utf8' });
    if (result.status !== 0 || !result.stdout.includes('OK')) throw new Error(`FLUSHALL failed: ${result.stderr || result.stdout}`);
  }
}
