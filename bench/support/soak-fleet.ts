import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './soak-services.js';

/** dist/bench/support → dist/ */
const DIST = fileURLToPath(new URL('../../', import.meta.url));

export type Role = 'api' | 'worker';

/**
 * One api or worker slot: a child process that the chaos loop may SIGKILL and start again.
 * An api keeps its port across restarts, so clients know where to retry.
 */
/** Children still running when the soak exits, however it exits, are killed with it. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class AppProcess {
  private child: ChildProcess | null = null;
  starts = 0;
  /** Exits that neither the soak nor the chaos loop asked for. */
  unexpectedExits: string[] = [];
  private expectingExit = false;

  constructor(
    readonly name: string,
    readonly role: Role,
    private readonly env: NodeJS.ProcessEnv,
    readonly port?: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const entry = this.role === 'api' ? 'apps/api/src/main.js' : 'apps/worker/src/main.js';
    const env = { ...this.env, ...(this.port ? { PORT: String(this.port) } : {}) };
    const child = spawn(process.execPath, [`${DIST}${entry}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    // Enough of stderr to hold a crash's whole stack and the error's fields after it.
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-16_000)));
    child.once('exit', (code, signal) => {
      if (!this.expectingExit) this.unexpectedExits.push(`${this.name} exited (code ${code}, signal ${signal}): ${stderr.trim().slice(-4000)}`);
    });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.expectingExit = false;
    this.starts++;
    if (this.role === 'api') {
      await waitUntil(`${this.name} did not answer /health`, async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited while starting: ${stderr.trim().slice(-500)}`);
        return fetch(`${this.baseUrl}/health`)
          .then((r) => r.status === 200)
          .catch(() => false);
      }, 120_000);
    }
  }

  /** SIGKILL: no shutdown hook runs, requests in flight die with it. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectingExit = true;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }
}
