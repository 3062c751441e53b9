import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CallerSlots } from '@app/http';
import { reportFailed, reportsBusy, shuttingDown, tooManyAtOnce } from '@app/problems';
import type { CaseReport } from './case-report.js';

/** What the api asks its report thread, and what the thread answers. */
export interface RenderRequest {
  id: number;
  report: CaseReport;
}
export type RenderAnswer = { id: number; pdf: Uint8Array } | { id: number; error: string };

export interface ReportRendererOptions {
  /** The built thread entry (report.thread.js). */
  threadFile: string;
  /** Reports that may wait while one is drawn; one more is refused with 503. */
  maxWaiting: number;
  /** Reports one caller may have drawn or waiting at once; one more is refused with 429. */
  perCaller: number;
  /** A report still drawing after this long is abandoned and its thread replaced. */
  timeoutMs: number;
  /** The thread's heap: a report that needs more fails alone, the api does not. */
  maxHeapMb: number;
}

export const REPORT_RENDERER_DEFAULTS = { maxWaiting: 32, perCaller: 8, timeoutMs: 60_000, maxHeapMb: 512 } as const;

/**
 * Where the thread entry is: beside this module once built; when the api runs from its TypeScript
 * sources (the e2e tests), in the build under the project root, where processes run from.
 */
export const reportThreadFile = (): string => {
  const beside = fileURLToPath(new URL('./report.thread.js', import.meta.url));
  return existsSync(beside) ? beside : resolve(process.cwd(), 'dist/libs/reports/src/report.thread.js');
};

interface Job {
  id: number;
  report: CaseReport;
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
}

/**
 * Draws model reports on one thread beside the event loop: a report costs 50–100 ms of CPU (the
 * first of a process several hundred), which on the event loop held every other request of the
 * api back. One at a time, in order. A caller may have `perCaller` reports taken at once (then
 * 429), and at most `maxWaiting` wait (then 503 `reports-busy`), both with Retry-After, so a burst
 * of report requests cannot queue without end. A thread that dies or overruns `timeoutMs` fails
 * its report alone and is replaced for the next.
 */
export class ReportRenderer {
  private thread: Worker | null = null;
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

  /** Refuses what waits and ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(shuttingDown('the model report was not drawn'));
    this.fail(shuttingDown('the model report was not drawn'));
    const thread = this.thread;
    this.thread = null;
    await thread?.terminate();
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
      if (this.thread) this.replace(this.thread);
    }, this.options.timeoutMs);
    this.drawing = { ...job, timer };
    try {
      (this.thread ?? this.start()).postMessage({ id: job.id, report: job.report } satisfies RenderRequest);
    } catch (error) {
      // A report that cannot be sent (a value structured clone refuses) or a thread that cannot start fails alone.
      this.fail(reportFailed('the model report could not be sent to its thread', error));
      this.next();
    }
  }

  private start(): Worker {
    const thread = new Worker(this.options.threadFile, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    // An idle report thread does not keep a process alive.
    thread.unref();
    thread.on('message', (answer: RenderAnswer) => {
      const job = this.drawing;
      if (thread !== this.thread || job?.id !== answer.id) return;
      clearTimeout(job.timer);
      this.drawing = null;
      if ('pdf' in answer) job.resolve(Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength));
      else job.reject(reportFailed('the model report could not be drawn', answer.error));
      this.next();
    });
    // Out of heap, a crash in a native module, or the entry missing: the report fails, the next gets a new thread.
    thread.on('error', (error) => {
      if (thread !== this.thread) return;
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(reportFailed(outOfMemory ? 'the report thread ran out of memory drawing the model report' : 'the report thread failed', error));
      this.replace(thread);
    });
    thread.on('exit', (code) => {
      if (thread !== this.thread) return;
      this.fail(reportFailed(`the report thread exited with code ${code}`));
      this.replace(thread);
    });
    this.thread = thread;
    return thread;
  }

  private fail(error: Error): void {
    const job = this.drawing;
    if (!job) return;
    clearTimeout(job.timer);
    this.drawing = null;
    job.reject(error);
  }

  private replace(thread: Worker): void {
    if (this.thread === thread) this.thread = null;
    void thread.terminate();
    this.next();
  }
}
