import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { CallerSlots } from '@app/http';
import { reportFailed, reportsBusy, shuttingDown, tooManyAtOnce } from '@app/problems';
import type { CaseReport } from './case-report.js';

/** What the api asks its report process, and what the process answers. */
export interface RenderRequest {
  id: number;
  report: CaseReport;
}
export type RenderAnswer = { id: number; pdf: Uint8Array } | { id: number; error: string };

export interface ReportRendererOptions {
  /** The built process entry (report.process.js). */
  processFile: string;
  /** Reports that may wait while one is drawn; one more is refused with 503. */
  maxWaiting: number;
  /** Reports one caller may have drawn or waiting at once; one more is refused with 429. */
  perCaller: number;
  /** A report still drawing after this long is abandoned and its process replaced. */
  timeoutMs: number;
  /** The report process's heap: a report that needs more fails alone, the api does not. */
  maxHeapMb: number;
}

export const REPORT_RENDERER_DEFAULTS = { maxWaiting: 32, perCaller: 8, timeoutMs: 60_000, maxHeapMb: 512 } as const;

/**
 * Where the process entry is: beside this module once built; when the api runs from its TypeScript
 * sources (the e2e tests), in the build under the project root, where processes run from.
 */
export const reportProcessFile = (): string => {
  const beside = fileURLToPath(new URL('./report.process.js', import.meta.url));
  return existsSync(beside) ? beside : resolve(process.cwd(), 'dist/libs/reports/src/report.process.js');
};

/** How much of a report process's standard error is kept, for the cause of its failure. */
const STDERR_KEPT = 4096;

/** How a process that ran out of heap ends: V8 aborts it. */
const outOfMemory = (code: number | null, signal: NodeJS.Signals | null) => signal === 'SIGABRT' || code === 134;

interface Job {
  id: number;
  report: CaseReport;
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
}

/**
 * Draws model reports in one child process beside the api: a report costs 50–100 ms of CPU (the
 * first of a process several hundred), which on the event loop held every other request of the
 * api back, and a report that runs out of heap ends only that process (a worker thread out of heap
 * could abort the whole api). One at a time, in order. A caller may have `perCaller` reports taken
 * at once (then 429), and at most `maxWaiting` wait (then 503 `reports-busy`), both with
 * Retry-After, so a burst of report requests cannot queue without end. A process that dies or
 * overruns `timeoutMs` fails its report alone and is replaced for the next.
 */
export class ReportRenderer {
  private child: ChildProcess | null = null;
  private drawing: (Job & { timer: NodeJS.Timeout }) | null = null;
  private readonly waiting: Job[] = [];
  /** Reports taken and not yet answered: the one being drawn and `maxWaiting` more. */
  private readonly slots: CallerSlots;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ReportRendererOptions) {
    this.slots = new CallerSlots(
      { perCaller: options.perCaller, total: options.maxWaiting + 1 },
      { perCaller: (limit) => tooManyAtOnce('model reports being drawn or waiting', limit), total: (inHand) => reportsBusy(inHand - 1) },
    );
  }

  /** Reports taken and not yet answered: the one being drawn and those waiting. */
  get backlog(): number {
    return this.slots.inHand;
  }

  /**
   * The report's PDF bytes. `caller` (a user id) may have `perCaller` reports taken at once, so one
   * caller's burst is refused with 429 before it can fill the queue that every caller shares.
   */
  render(report: CaseReport, caller: string): Promise<Buffer> {
    if (this.closed) return Promise.reject(shuttingDown('the model report was not drawn'));
    let release: () => void;
    try {
      release = this.slots.take(caller);
    } catch (refusal) {
      return Promise.reject(refusal as Error);
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, report, resolve: (pdf) => (release(), resolve(pdf)), reject: (error) => (release(), reject(error)) });
      this.next();
    });
  }

  /** Refuses what waits and ends the process. */
  async close(): Promise<void> {
    this.closed = true;
    const refusal = () => shuttingDown('the model report was not drawn');
    for (const job of this.waiting.splice(0)) job.reject(refusal());
    this.fail(refusal());
    const child = this.child;
    this.child = null;
    if (child) await ended(child);
  }

  /** Nest's shutdown hook, for the api that provides it. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private next(): void {
    if (this.drawing || this.closed) return;
    const job = this.waiting.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      this.fail(reportFailed(`the model report took longer than ${this.options.timeoutMs} ms to draw`));
      if (this.child) this.replace(this.child);
    }, this.options.timeoutMs);
    this.drawing = { ...job, timer };
    try {
      (this.child ?? this.start()).send({ id: job.id, report: job.report } satisfies RenderRequest);
    } catch (error) {
      // A report that cannot be sent (a value structured clone refuses) or a process that cannot start fails alone.
      this.fail(reportFailed('the model report could not be sent to its process', error));
      this.next();
    }
  }

  private start(): ChildProcess {
    const child = fork(this.options.processFile, [], {
      execArgv: [`--max-old-space-size=${this.options.maxHeapMb}`],
      // Structured clone, so the PDF's bytes arrive as bytes; no secret of the api's environment.
      serialization: 'advanced',
      env: {},
      // Its standard error is the cause of its failure (V8's out-of-heap report), logged with it, not
      // the api's own: a test runner reading the api's for "heap out of memory" would think the api died.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
    // An idle report process does not keep the api alive.
    child.unref();
    child.channel?.unref();
    (child.stderr as Socket).unref();
    child.on('message', (answer: RenderAnswer) => {
      const job = this.drawing;
      if (child !== this.child || job?.id !== answer.id) return;
      clearTimeout(job.timer);
      this.drawing = null;
      if ('pdf' in answer) job.resolve(Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength));
      else job.reject(reportFailed('the model report could not be drawn', answer.error));
      this.next();
    });
    // The process could not start, or could not be sent to: the report fails, the next gets a new process.
    child.on('error', (error) => {
      if (child !== this.child) return;
      this.fail(reportFailed('the report process failed', error));
      this.replace(child);
    });
    // Out of heap (V8 aborts it), killed, or a crash: the report fails alone.
    child.on('exit', (code, signal) => {
      if (child !== this.child) return;
      const detail = outOfMemory(code, signal) ? 'the report process ran out of memory drawing the model report' : `the report process exited (${signal ?? `code ${code}`})`;
      this.fail(reportFailed(detail, stderr.trim() || undefined));
      this.replace(child);
    });
    this.child = child;
    return child;
  }

  private fail(error: Error): void {
    const job = this.drawing;
    if (!job) return;
    clearTimeout(job.timer);
    this.drawing = null;
    job.reject(error);
  }

  private replace(child: ChildProcess): void {
    if (this.child === child) this.child = null;
    void ended(child);
    this.next();
  }
}

/** Kills a report process (if it still runs) and resolves once it has exited. */
const ended = (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
};
