/** What a load ended with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Runs loads so that only the latest one reports: starting a load, settling the value by hand or
 * cancelling aborts the one before, and an aborted load's answer is dropped even if it arrives.
 * A slow answer to an old request therefore never overwrites a newer one.
 */
export class LatestOnly {
  private current: AbortController | null = null;

  run<T>(load: (signal: AbortSignal) => Promise<T>, report: (outcome: Outcome<T>) => void): Promise<void> {
    const signal = this.supersede();
    return load(signal).then(
      (value) => {
        if (!signal.aborted) report({ ok: true, value });
      },
      (error: unknown) => {
        if (!signal.aborted) report({ ok: false, error: asError(error) });
      },
    );
  }

  /** Aborts the running load, if any. */
  cancel(): void {
    this.current?.abort();
    this.current = null;
  }

  private supersede(): AbortSignal {
    this.cancel();
    this.current = new AbortController();
    return this.current.signal;
  }
}
