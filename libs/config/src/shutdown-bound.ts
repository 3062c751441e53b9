/** SHUTDOWN_TIMEOUT_MS's default: longer than a webhook attempt (10 s), which a stopping worker lets finish. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;

export interface ShutdownLog {
  error(fields: object, message: string): void;
}

/**
 * For entry points: once SIGTERM or SIGINT arrives, the process exits (code 1) within `ms` even if
 * its graceful close never ends. A close waits on its servers' answers (a Redis QUIT, BullMQ's
 * last commands, a Postgres Terminate), and a server that froze with its connections open never
 * gives one: the process then stayed up, half closed, until someone sent SIGKILL. Exiting loses
 * nothing acknowledged: every write is committed in Postgres first, and a job cut short is leased
 * and runs again elsewhere.
 */
export const exitIfShutdownHangs = (ms: number, log: ShutdownLog): void => {
  const arm = (signal: NodeJS.Signals) => {
    // Unreferenced: a close that does finish lets the process end at once, without waiting for it.
    setTimeout(() => {
      log.error({ signal, shutdownTimeoutMs: ms }, `the graceful shutdown did not finish within ${ms} ms (a server not answering?): exiting`);
      process.exit(1);
    }, ms).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
};
